"""The local service as its own process, through the app's own wiring
(app.LocalConnection): started the first time, found running the next (no second
process, no password), its state file private; after a crash the next start brings it
back with the work intact; a token it no longer knows is replaced by the one it issued;
a service of another version is replaced."""

from __future__ import annotations

import json
import os
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scribedesk.app import fetch_templates
from scribedesk.client import local_service
from scribedesk.client.local_service import LocalConnection

OPEN: list[LocalConnection] = []


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "service"
    yield where
    while OPEN:
        OPEN.pop().close()  # the windows' watches end before their service is stopped
    local_service.stop(where)


def local_connection(where: Path, user: str):  # type: ignore[no-untyped-def]
    connection = LocalConnection(where, user, fetch_templates)
    OPEN.append(connection)
    return connection.api, connection.connect, connection.reauthenticate


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"  # ended, not yet reaped


def test_started_once_found_after_and_back_after_a_crash(folder: Path):
    api, connect, reauthenticate = local_connection(folder, "tara")
    templates = connect()
    assert "sales-call-report" in templates
    first = local_service.read(folder)
    assert first is not None and first.pid != os.getpid()  # a process of its own
    assert stat.S_IMODE((folder / "service.json").stat().st_mode) == 0o600
    claimed = api.next_job()
    assert claimed is not None
    # The next session finds it: the same process, its address known before connecting.
    again, connect_again, _re = local_connection(folder, "tara")
    assert again.base_url == first.url
    connect_again()
    assert local_service.read(folder).pid == first.pid  # type: ignore[union-attr]
    assert claimed.id in [j.id for j in again.my_jobs()]
    # It crashes: the next start brings up a new one on the same data.
    os.kill(first.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not gone(first.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    # The windows' watches notice within seconds: one starts it again on the same data,
    # the other (the first window here) takes up the one started.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        second = local_service.find(folder)
        if second is not None and second.pid != first.pid and api.base_url == second.url:
            break
        time.sleep(0.05)
    assert second is not None and second.pid != first.pid and api.base_url == second.url
    assert claimed.id in [j.id for j in api.my_jobs()]  # the job is still mine
    assert api.token == second.token_for("tara")
    assert reauthenticate() and api.base_url == second.url  # a refused token: its new one


def test_a_service_of_another_version_is_replaced(folder: Path):
    _api, connect, _re = local_connection(folder, "alex")
    connect()
    old = local_service.read(folder)
    assert old is not None
    state = json.loads((folder / "service.json").read_text())
    state["version"] = "0.0.1"  # as an older ScribeDesk's service would have written it
    (folder / "service.json").write_text(json.dumps(state))
    assert local_service.find(folder) is None
    _api, connect, _re = local_connection(folder, "alex")
    connect()
    new = local_service.read(folder)
    assert new is not None and new.pid != old.pid and gone(old.pid)


def test_an_unknown_user_is_told_plainly(folder: Path):
    _api, connect, _re = local_connection(folder, "nobody")
    with pytest.raises(RuntimeError, match="no active user 'nobody'"):
        connect()
