"""Test helpers: a small HTTP client for the live service, audio fixtures made on the fly."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import requests

PASSWORD = "scribedesk"


class Api:
    """Talks to the live service over real HTTP, signed in as one user."""

    def __init__(self, base: str, token: str | None = None) -> None:
        self.base = base.rstrip("/") + "/api/v1"
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    @classmethod
    def login(cls, base: str, username: str, password: str = PASSWORD) -> Api:
        """Sign in and return a client carrying the token."""
        answer = requests.post(
            f"{base}/api/v1/auth/login",
            json={"username": username, "password": password},
            timeout=30,
        )
        answer.raise_for_status()
        return cls(base, answer.json()["token"])

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.base + path, timeout=60, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.http.post(self.base + path, timeout=60, **kw)

    def put(self, path: str, **kw: Any) -> requests.Response:
        return self.http.put(self.base + path, timeout=60, **kw)

    def patch(self, path: str, **kw: Any) -> requests.Response:
        return self.http.patch(self.base + path, timeout=60, **kw)

    def upload(
        self,
        audio: Path,
        account: str = "Acme Logistics",
        template_id: str = "sales-call-report",
        priority: str = "routine",
        **form: str,
    ) -> requests.Response:
        """POST /dictations with a multipart audio file."""
        with audio.open("rb") as f:
            return self.post(
                "/dictations",
                files={"file": (audio.name, f)},
                data={"account": account, "template_id": template_id, "priority": priority, **form},
            )


def speech(path: Path, text: str, *, rate: int = 16000, encoding: str | None = None) -> Path:
    """Real speech from espeak-ng, resampled with sox (``encoding`` e.g. 'mu-law')."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-w", str(raw), text], check=True, capture_output=True)
    extra = ["-e", encoding] if encoding else []
    subprocess.run(
        ["sox", str(raw), "-r", str(rate), "-c", "1", *extra, str(path)],
        check=True,
        capture_output=True,
    )
    raw.unlink()
    return path


def wait_closed(port: int) -> None:
    """Until nothing accepts connections on ``port`` on 127.0.0.1."""
    import socket
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.05)
    raise TimeoutError("the service did not stop")


def serve_on(settings: Any, port: int, clock: Any = None) -> tuple[Any, Any]:
    """A new service process-state over ``settings``' database on ``port`` (a restart):
    the uvicorn server and its thread, once it accepts connections."""
    import threading
    import time

    import uvicorn

    from scribedesk.server.app import create_app

    app = create_app(settings) if clock is None else create_app(settings, clock=clock)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", **settings.uvicorn_options()
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the restarted service did not start")
        time.sleep(0.02)
    return server, thread


def typist_window(url: str, home: Path, user: str, password: str = PASSWORD) -> tuple[Any, Any]:
    """(QApplication, the real main window) signed in as ``user``, its files in ``home``,
    with the first job of the worklist open: what a scripted typist in a child process
    types into before it is killed."""
    import time

    from PySide6.QtWidgets import QApplication

    from scribedesk.app import build_station, fetch_templates
    from scribedesk.client.api import ApiClient
    from scribedesk.config.settings import Settings
    from scribedesk.ui.bridge import ThreadBridge
    from scribedesk.ui.main_window import MainWindow

    app = QApplication([])
    api = ApiClient(url)
    api.login(user, password)
    bridge = ThreadBridge()
    station = build_station(
        api,
        fetch_templates(api),
        user,
        Settings(home / "s.ini"),
        home / "data",
        home / "cache",
        bridge,
        audio_output="adummy",
    )
    window = MainWindow(station, bridge)
    window.show()
    window.open_job(api.my_jobs()[0])
    deadline = time.monotonic() + 30
    while window.workspace is None or not window.workspace.isVisible():
        app.processEvents()
        assert time.monotonic() < deadline, "the job did not open"
    return app, window
