"""Sign-in, sign-out and the signed-in user."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import delete

from scribedesk.domain.roles import Role
from scribedesk.server.api.deps import CurrentUser, StateDep, bearer
from scribedesk.server.api.schemas import LoginRequest, LoginResponse, UserOut
from scribedesk.server.db.models import AuthToken, User
from scribedesk.server.errors import Unauthorized
from scribedesk.server.security import authenticate, issue_token, token_digest

router = APIRouter(prefix="/auth", tags=["auth"])


def user_out(user: User) -> UserOut:
    """A user as the API shows it."""
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        active=user.active,
    )


@router.post("/login", summary="Sign in; returns a bearer token that expires")
def login(body: LoginRequest, request: Request, state: StateDep) -> LoginResponse:
    client = request.client.host if request.client else "unknown"
    now = state.clock()
    with state.write() as session:
        try:
            user = authenticate(session, body.username, body.password, client, now, state.throttle)
        except Unauthorized as failure:
            failed = failure  # the failure count must be committed, so leave the block normally
        else:
            token = issue_token(session, user, now, state.settings.token_ttl)
            return LoginResponse(
                token=token.plain,  # type: ignore[attr-defined]
                expires_at=token.expires_at,
                user=user_out(user),
            )
    raise failed


@router.post("/logout", status_code=204, summary="End this sign-in (the token stops working)")
def logout(
    _user: CurrentUser,
    state: StateDep,
    credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
) -> None:
    assert credentials is not None
    with state.write() as session:
        session.execute(
            delete(AuthToken).where(AuthToken.token_hash == token_digest(credentials.credentials))
        )


@router.get("/me", summary="Who is signed in")
def me(user: CurrentUser) -> UserOut:
    return user_out(user)
