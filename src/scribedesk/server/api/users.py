"""User administration."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import delete, select

from scribedesk.domain.roles import Role
from scribedesk.server.api.auth import user_out
from scribedesk.server.api.deps import Admin, Overseer, StateDep
from scribedesk.server.api.schemas import Id, UserCreate, UserOut, UserUpdate
from scribedesk.server.db.models import AuthToken, User
from scribedesk.server.errors import Invalid, NotFound
from scribedesk.server.security import hash_password
from scribedesk.server.users import check_password, create_user

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", summary="All users (administrators and supervisors)")
def list_users(
    _user: Overseer,
    state: StateDep,
    role: Role | None = None,
) -> list[UserOut]:
    with state.read() as session:
        query = select(User).order_by(User.username)
        if role is not None:
            query = query.where(User.role == role.value)
        return [user_out(u) for u in session.scalars(query)]


@router.post("", status_code=201, summary="Create a user (administrators)")
def add_user(
    _admin: Admin,
    state: StateDep,
    body: UserCreate,
) -> UserOut:
    with state.write() as session:
        user = create_user(
            session, body.username, body.display_name, body.role, body.password, state.clock()
        )
        return user_out(user)


@router.patch("/{user_id}", summary="Change a user's name, role, password or active flag")
def change_user(
    admin: Admin,
    state: StateDep,
    user_id: Id,
    body: UserUpdate,
) -> UserOut:
    with state.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"There is no user {user_id}.")
        if user.id == admin.id and (body.active is False or body.role not in (None, Role.ADMIN)):
            raise Invalid("You cannot deactivate yourself or take away your own admin role.")
        if body.display_name is not None:
            user.display_name = body.display_name.strip() or user.username
        if body.role is not None:
            user.role = body.role
        if body.active is not None:
            user.active = body.active
        if body.password is not None:
            check_password(body.password)
            user.password_hash = hash_password(body.password)
        if body.password is not None or body.active is False:
            # A new password or a deactivation ends every earlier sign-in, so neither
            # the old password's tokens nor a re-activation bring them back.
            session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
        return user_out(user)
