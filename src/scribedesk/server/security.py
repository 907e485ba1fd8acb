"""Passwords (argon2id), bearer tokens and sign-in throttling."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scribedesk.server.db.models import AuthToken, LoginThrottle, User
from scribedesk.server.errors import Throttled, Unauthorized

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 "low memory" profile


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted, memory-hard)."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches; never raises for a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    """A real hash to check against when the user does not exist, so that a missing user
    and a wrong password take the same time (made on first use, not at import)."""
    return hash_password(secrets.token_urlsafe(16))


def token_digest(token: str) -> str:
    """The stored form of a bearer token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, now: datetime, ttl: timedelta) -> AuthToken:
    """Create a bearer token for ``user``; the caller commits. Returns the row and sets .plain."""
    plain = secrets.token_urlsafe(32)
    row = AuthToken(
        token_hash=token_digest(plain), user_id=user.id, created_at=now, expires_at=now + ttl
    )
    session.add(row)
    session.execute(delete(AuthToken).where(AuthToken.expires_at < now))
    row.plain = plain  # type: ignore[attr-defined]
    return row


def user_for_token(session: Session, token: str, now: datetime) -> User:
    """The active user behind ``token``; Unauthorized if unknown, expired or deactivated."""
    row = session.execute(
        select(User, AuthToken.expires_at)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == token_digest(token))
    ).first()
    if row is None:
        raise Unauthorized("Your sign-in is not valid. Sign in again.")
    user, expires_at = row
    if expires_at <= now:
        raise Unauthorized("Your sign-in has expired. Sign in again.")
    if not user.active:
        raise Unauthorized("This account is deactivated. Ask an administrator.")
    return user


@dataclass(frozen=True)
class ThrottlePolicy:
    """``max_failures`` failed sign-ins within ``window`` lock the key for ``lockout``.

    A client address gets more tries than one user name, since an office may sit
    behind one address.
    """

    max_failures: int = 5
    max_failures_per_address: int = 20
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=5)


def check_throttle(session: Session, keys: list[str], now: datetime) -> None:
    """Raise Throttled if any of ``keys`` (user name, client address) is locked out."""
    for row in session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))):
        if row.locked_until is not None and row.locked_until > now:
            wait = int((row.locked_until - now).total_seconds()) + 1
            raise Throttled(
                f"Too many failed sign-ins. Try again in {wait} seconds.",
                headers={"Retry-After": str(wait)},
            )


def record_failure(
    session: Session, keys: list[str], now: datetime, policy: ThrottlePolicy
) -> None:
    """Count a failed sign-in against each key, locking keys that reach the limit."""
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_start=now, locked_until=None)
            session.add(row)
        if now - row.window_start > policy.window:
            row.failures, row.window_start = 0, now
        row.failures += 1
        limit = policy.max_failures_per_address if key.startswith("addr:") else policy.max_failures
        if row.failures >= limit:
            row.locked_until = now + policy.lockout
            row.failures, row.window_start = 0, now


def clear_failures(session: Session, key: str) -> None:
    """Forget failures for a key after a successful sign-in."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def authenticate(
    session: Session,
    username: str,
    password: str,
    client: str,
    now: datetime,
    policy: ThrottlePolicy,
) -> User:
    """The user for these credentials, or Unauthorized/Throttled. The caller commits."""
    keys = [f"user:{username.lower()}", f"addr:{client}"]
    check_throttle(session, keys, now)
    user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        verify_password(_dummy_hash(), password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if not ok or user is None:
        record_failure(session, keys, now, policy)
        raise Unauthorized("Wrong user name or password.")
    if not user.active:
        raise Unauthorized("This account is deactivated. Ask an administrator.")
    clear_failures(session, keys[0])
    return user
