"""Sign-in tokens in the operating system's keyring, never in a plain file.

Where no keyring exists (a bare Linux without Secret Service, CI), nothing is stored and
the user signs in again next time.
"""

from __future__ import annotations

import logging

SERVICE = "ScribeDesk"
log = logging.getLogger(__name__)


def _key(server: str, user: str) -> str:
    return f"{user}@{server.rstrip('/')}"


def load_token(server: str, user: str) -> str | None:
    """The saved token for this user on this service, if the keyring has one."""
    try:
        import keyring

        return keyring.get_password(SERVICE, _key(server, user))
    except Exception as exc:  # keyring.errors.KeyringError, or no backend at all
        log.info("no keyring: %s", exc)
        return None


def save_token(server: str, user: str, token: str) -> bool:
    """Keep the token in the keyring; False when there is no keyring (nothing is written)."""
    try:
        import keyring

        keyring.set_password(SERVICE, _key(server, user), token)
        return True
    except Exception as exc:
        log.info("token not kept, no keyring: %s", exc)
        return False


def forget_token(server: str, user: str) -> None:
    """Remove a saved token (after sign-out or when the service refused it)."""
    try:
        import keyring

        keyring.delete_password(SERVICE, _key(server, user))
    except Exception as exc:
        log.info("no token to forget: %s", exc)


class KeyringTokens:
    """services.sign_in.Tokens over the OS keyring (nothing is kept where there is none)."""

    def load(self, server: str, user: str) -> str | None:
        return load_token(server, user)

    def save(self, server: str, user: str, token: str) -> None:
        save_token(server, user, token)

    def forget(self, server: str, user: str) -> None:
        forget_token(server, user)
