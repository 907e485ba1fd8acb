"""Signing in to a team's service: password once, then the token from the keyring."""

from __future__ import annotations

import keyring
import pytest
from keyring.backend import KeyringBackend

from scribedesk.app import sign_in
from scribedesk.client.credentials import load_token
from scribedesk.services.sign_in import LOCAL
from scribedesk.ui.dialogs.sign_in import SignIn, SignInDialog

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


class MemoryKeyring(KeyringBackend):
    """A keyring in memory (this machine has no Secret Service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@sqlite_only
def test_password_once_then_the_kept_token(live, demo_users, memory_keyring, monkeypatch):
    """The first sign-in keeps the token in the keyring (not in a file); the next needs none."""
    asked: list[str] = []
    monkeypatch.setattr(SignInDialog, "prompt", classmethod(lambda *a, **k: asked.append("x")))
    api, user = sign_in(live.url, "tara", "scribedesk")
    token = load_token(live.url, "tara")
    assert token == api.token and user == "tara"
    again, _ = sign_in(live.url, "tara", None)
    assert again.token == token and again.me()["username"] == "tara"
    assert asked == []


@sqlite_only
def test_refused_token_or_password_asks_again(live, demo_users, memory_keyring, monkeypatch):
    """A stale token is forgotten; a wrong password brings the dialog back with the reason."""
    memory_keyring.set_password("ScribeDesk", f"tara@{live.url}", "stale-token")
    answers = [SignIn(live.url, "tara", "wrong-password"), SignIn(live.url, "tara", "scribedesk")]
    messages: list[str] = []

    def prompt(cls, server="", user="", message="", parent=None):  # type: ignore[no-untyped-def]
        messages.append(message)
        return answers.pop(0)

    monkeypatch.setattr(SignInDialog, "prompt", classmethod(prompt))
    api, _ = sign_in(live.url, "tara", None)
    assert api.me()["username"] == "tara"
    assert messages == ["", "Wrong user name or password."]
    assert load_token(live.url, "tara") == api.token


def test_choosing_this_computer_and_cancelling(monkeypatch, qtbot):
    """ "Work on this computer" means the embedded service; Cancel ends quietly."""
    monkeypatch.setattr(
        SignInDialog, "prompt", classmethod(lambda *a, **k: SignIn(None, "tara", ""))
    )
    assert sign_in("http://127.0.0.1:1", "", None) == LOCAL
    monkeypatch.setattr(SignInDialog, "prompt", classmethod(lambda *a, **k: None))
    assert sign_in("http://127.0.0.1:1", "", None) is None


def test_dialog_reads_what_was_typed(qtbot):
    """The form's answer: a team server with user and password, or the local service."""
    dialog = SignInDialog(server="", user="")
    qtbot.addWidget(dialog)
    assert dialog.local.isChecked() and not dialog.server.isEnabled()
    assert dialog.answer() == SignIn(None, "tara", "")
    dialog.local.setChecked(False)
    qtbot.keyClicks(dialog.server, "https://scribe.example.com")
    dialog.user.setText("theo")
    qtbot.keyClicks(dialog.password, "secret-pw")
    assert dialog.answer() == SignIn("https://scribe.example.com", "theo", "secret-pw")
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password


def test_typing_starts_in_the_password_and_enter_never_sends_it_empty(qtbot, activate):
    """Asked again for a known server and user, the cursor waits in the password: what is
    typed lands there, Enter signs in. Enter with the password empty says so instead."""
    from PySide6.QtCore import Qt

    dialog = SignInDialog(server="https://scribe.example.com", user="theo")
    activate(dialog)
    qtbot.waitUntil(dialog.password.hasFocus)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.message.text() == "Type your password."
    assert dialog.password.hasFocus()
    qtbot.keyClicks(dialog.focusWidget(), "secret-pw")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.answer() == SignIn("https://scribe.example.com", "theo", "secret-pw")
    fresh = SignInDialog(server="", user="")
    fresh.local.setChecked(False)
    assert fresh.first_field() is fresh.server


@sqlite_only
def test_an_expired_sign_in_is_renewed_through_the_dialog(
    live, demo_users, memory_keyring, monkeypatch, clock
):
    """The outbox met a 401: the dialog says why, a wrong user is refused (the waiting
    submissions are tara's), the right password renews the token and the keyring."""
    from scribedesk.app import team_reauthenticate
    from scribedesk.client.api import ApiClient

    api = ApiClient(live.url)
    api.login("tara", "scribedesk")
    old = api.token
    clock.advance(13 * 3600)  # the token expired
    answers = iter([SignIn(live.url, "theo", "scribedesk"), SignIn(live.url, "tara", "scribedesk")])
    messages: list[str] = []

    def prompt(_cls, _server, _user, message, *_a):  # type: ignore[no-untyped-def]
        messages.append(message)
        return next(answers)

    monkeypatch.setattr(SignInDialog, "prompt", classmethod(prompt))
    assert team_reauthenticate(api, "tara")() is True
    assert "expired" in messages[0] and "Sign in as tara" in messages[1]
    assert api.token and api.token != old and load_token(live.url, "tara") == api.token
    assert api.me()["username"] == "tara"
