"""Finding, or starting, the local service process the workstation works with on this
computer (server.local): the single-desk default.

Everything here is light on purpose (no service module is imported): the window asks
``find`` while it opens, and only the first start of the day pays for the service's own
start, in a process of its own that outlives the window.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import scribedesk
from scribedesk.client.api import ApiClient

if TYPE_CHECKING:
    import subprocess

log = logging.getLogger(__name__)

STATE_FILE = "service.json"


@dataclass(frozen=True)
class LocalService:
    """The running local service: where it answers and the tokens it issued."""

    url: str
    pid: int
    tokens: dict[str, str]

    def token_for(self, username: str) -> str:
        """The bearer token for ``username``; RuntimeError when the service has none."""
        token = self.tokens.get(username)
        if not token:
            raise RuntimeError(f"There is no active user {username!r} on this computer.")
        return token


def read(data_dir: Path) -> LocalService | None:
    """What service.json says, if it is there and whole, for this version of ScribeDesk."""
    try:
        state = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
        if state.get("version") != scribedesk.__version__:
            return None
        return LocalService(str(state["url"]), int(state["pid"]), dict(state["tokens"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _alive(pid: int) -> bool:
    try:  # a service this process started and that ended is reaped here, not left a zombie
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass  # not this process's child: a previous session's
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find(data_dir: Path, timeout_s: float = 1.0) -> LocalService | None:
    """The local service when it runs and answers (for this version), else None."""
    service = read(data_dir)
    if service is None or not _alive(service.pid):
        return None
    import requests  # imported here, not while the window opens

    try:
        answer = requests.get(f"{service.url}/api/v1/health", timeout=timeout_s)
        healthy = answer.ok and answer.json().get("version") == scribedesk.__version__
    except (requests.RequestException, ValueError):
        return None
    return service if healthy else None


def _is_local_service(pid: int) -> bool:
    """The process is a ScribeDesk local service (not another that took its pid over)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"scribedesk.server.local" in command


def stop(data_dir: Path, wait_s: float = 10.0) -> None:
    """Stop the local service named in service.json (another version's, or a test's)."""
    try:
        state = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
        pid = int(state["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    if pid == os.getpid() or not _alive(pid) or not _is_local_service(pid):
        return
    os.kill(pid, 15)
    deadline = time.monotonic() + wait_s
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)


def _answering(
    data_dir: Path, wait_s: float, child: subprocess.Popen[bytes] | None = None
) -> LocalService | None:
    """The service once it answers, within ``wait_s`` (None sooner when ``child``, the
    process started for it, failed)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        service = find(data_dir)
        if service is not None:
            return service
        if child is not None and child.poll() not in (None, 0):
            break
        time.sleep(0.02)
    return None


def start(data_dir: Path, wait_s: float = 60.0) -> LocalService:
    """Start the local service process (it outlives this one) and wait until it answers;
    RuntimeError with the end of its log when it does not."""
    import subprocess

    data_dir.mkdir(parents=True, exist_ok=True)
    log = (data_dir / "service.log").open("ab")
    child = subprocess.Popen(
        [sys.executable, "-m", "scribedesk.server.local", str(data_dir)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,  # not stopped with the window, nor by its Ctrl+C
    )
    service = _answering(data_dir, wait_s, child)
    if service is not None:
        return service
    tail = (data_dir / "service.log").read_text(encoding="utf-8", errors="replace")[-800:]
    raise RuntimeError(f"The local ScribeDesk service did not start. Its log ends: {tail}")


def ensure(data_dir: Path) -> LocalService:
    """The local service, running: the one already there, or a new one (an older
    version's is stopped first)."""
    service = find(data_dir)
    if service is not None:
        return service
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "start.lock").open("a") as lock:
        # One start at a time (two windows, or a window's watch and its reconnect): the
        # one that waited finds the service the other started, and does not stop it.
        fcntl.flock(lock, fcntl.LOCK_EX)
        service = find(data_dir)
        if service is not None:
            return service
        ours = read(data_dir)
        if ours is not None and _alive(ours.pid) and _is_local_service(ours.pid):
            # This version's service, alive but slow to answer (a busy machine, or just
            # started by another window): waited for, not replaced.
            service = _answering(data_dir, 30.0)
            if service is not None:
                return service
        stop(data_dir)
        return start(data_dir)


class LocalConnection:
    """The local service process (client.local_service), kept running between sessions:
    its address known at once when it runs (the saved worklist shows for it), found or
    started behind the window, and started again should it stop while the window is open
    (a watch every few seconds); a refused token is replaced by the one it issued since."""

    def __init__(
        self, folder: Path, user: str, templates: Callable[[ApiClient], dict[str, Any]]
    ) -> None:
        self.folder, self.user, self.templates = folder, user, templates
        known = read(folder)
        self.api = ApiClient(known.url if known else "http://127.0.0.1:8765")
        self.closed = threading.Event()

    def _use(self, service: LocalService | None = None) -> None:
        service = service or ensure(self.folder)
        self.api.base_url, self.api.token = service.url, service.token_for(self.user)

    def _watch(self) -> None:
        while not self.closed.wait(3.0):
            try:
                service = find(self.folder)
                if service is None:
                    log.warning("The local service stopped; starting it again.")
                    self._use()
                elif service.url != self.api.base_url:  # another window started it again
                    self._use(service)
            except Exception:  # the watch must outlive a failed start: it tries again
                log.exception("The local service could not be started again")

    def connect(self) -> dict[str, Any]:
        """Find or start the service, sign in, and watch it (off the GUI thread)."""
        self._use()
        threading.Thread(target=self._watch, name="local-service-watch", daemon=True).start()
        return self.templates(self.api)

    def reauthenticate(self) -> bool:
        self._use()
        return True

    def close(self) -> None:
        """Stop watching (the service keeps running for the next session)."""
        self.closed.set()
