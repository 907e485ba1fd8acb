"""Signing in to a team's service: the kept token, else the password, else ask the user.

Plain Python over three ports: the service (a client that can ``login`` and answer
``me``), where tokens are kept (the OS keyring), and how the user is asked (the sign-in
dialog). Blocking (network): the first sign-in runs before the window opens; signing in
again after an expired token runs when the outbox asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from scribedesk.domain.failure import Failure, FailureKind

#: What ``sign_in`` returns when the user chose to work on this computer.
LOCAL = "local"


class Client(Protocol):
    """The service as sign-in needs it (client.api.ApiClient)."""

    base_url: str
    token: str | None

    def login(self, username: str, password: str) -> Any: ...
    def me(self) -> Any: ...


class Tokens(Protocol):
    """Where sign-in tokens are kept between runs (client.credentials)."""

    def load(self, server: str, user: str) -> str | None: ...
    def save(self, server: str, user: str, token: str) -> None: ...
    def forget(self, server: str, user: str) -> None: ...


@dataclass(frozen=True)
class Answer:
    """What the user entered: ``server`` None means "work on this computer"."""

    server: str | None
    user: str
    password: str


#: ask(server, user, message) -> the user's answer, or None when they cancelled.
Ask = Callable[[str, str, str], Answer | None]


@dataclass
class SignIn:
    """The sign-in use case over its ports; ``connect(url, token)`` makes a client."""

    connect: Callable[[str, str | None], Client]
    tokens: Tokens
    ask: Ask

    def first(
        self, server: str, user: str, password: str | None
    ) -> tuple[Client, str] | str | None:
        """Sign in at start: the kept token, else the password, else ask (again after a
        refusal, saying why). The client and user name; LOCAL; None when cancelled.
        A Failure that retrying may mend (the service unreachable) goes to the caller."""
        message = ""
        while True:
            if user and not password and (token := self.tokens.load(server, user)):
                client = self.connect(server, token)
                try:
                    client.me()
                    return client, user
                except Failure as failure:
                    if failure.kind is not FailureKind.SIGN_IN:
                        raise
                    self.tokens.forget(server, user)
            if user and password:
                client = self.connect(server, None)
                try:
                    client.login(user, password)
                except Failure as failure:
                    if failure.retryable:
                        raise
                    message, password = failure.message, None
                else:
                    if client.token:
                        self.tokens.save(server, user, client.token)
                    return client, user
            answer = self.ask(server, user, message)
            if answer is None:
                return None
            if answer.server is None:
                return LOCAL
            server, user, password = answer.server, answer.user, answer.password or None

    def again(self, client: Client, user: str) -> bool:
        """The service refused an expired token: ask for the password until it works (as
        ``user``: what waits is theirs); the new token goes into ``client``. False when
        the user cancelled."""
        self.tokens.forget(client.base_url, user)
        message = "Your sign-in expired. Sign in again to send what is waiting."
        while True:
            answer = self.ask(client.base_url, user, message)
            if answer is None or answer.server is None:
                return False
            fresh = self.connect(client.base_url, None)
            try:
                fresh.login(answer.user, answer.password)
            except Failure as failure:
                message = failure.message
                continue
            if answer.user != user:
                message = f"Sign in as {user}: the waiting submissions are theirs."
                continue
            client.token = fresh.token
            if fresh.token:
                self.tokens.save(client.base_url, user, fresh.token)
            return True
