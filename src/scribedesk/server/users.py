"""User accounts: creation and changes by an administrator."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scribedesk.domain.roles import Role
from scribedesk.server.db.models import User
from scribedesk.server.errors import Conflict, Invalid
from scribedesk.server.security import hash_password

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 8


def check_password(password: str) -> None:
    """Invalid unless the password is long enough to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"A password needs at least {MIN_PASSWORD} characters.")


def create_user(
    session: Session, username: str, display_name: str, role: Role, password: str, now: datetime
) -> User:
    """A new active account; Invalid for a bad name or password, Conflict if the name is taken."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise Invalid(
            "A user name is 2 to 64 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter."
        )
    check_password(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"The user name {username!r} is already taken.")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        role=role.value,
        password_hash=hash_password(password),
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """User names by id for the given ids (None ignored)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username).where(User.id.in_(wanted)))
    return {row.id: row.username for row in rows}
