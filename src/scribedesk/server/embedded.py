"""The service on 127.0.0.1 in this process (the single-desk default, as the local
service process runs it: server.local; and the tests' and benchmarks').

``start_embedded_service`` builds the service on SQLite in the given data folder with the
demo data, serves it on a loopback port in a thread and hands back an ``EmbeddedService``
that issues sign-in tokens directly: this process owns the service, so no password hash
is computed on the way to the first screen.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the service's modules load on the thread that starts it, not here
    from scribedesk.server.api.state import AppState


@dataclass
class EmbeddedService:
    """The service running in this process on 127.0.0.1."""

    url: str
    state: AppState
    seen: list[float]  # when the last request came (time.monotonic)

    def last_request(self) -> float:
        """When the service last answered a request (time.monotonic)."""
        return self.seen[0]

    def token_for(self, username: str) -> str:
        """A bearer token for ``username``: this process owns the service, so it is issued
        directly (no password hashing on the way to the first screen). NotFound when there
        is no such active user."""
        from sqlalchemy import select

        from scribedesk.server.db.models import User
        from scribedesk.server.errors import NotFound
        from scribedesk.server.security import issue_token

        now = self.state.clock()
        with self.state.write() as session:
            user = session.scalars(
                select(User).where(User.username == username, User.active.is_(True))
            ).first()
            if user is None:
                raise NotFound(f"There is no active user {username!r} on this computer.")
            return str(issue_token(session, user, now, self.state.settings.token_ttl).plain)  # type: ignore[attr-defined]


def start_embedded_service(data_dir: Path, port: int = 8765) -> EmbeddedService:
    """The service in this process on 127.0.0.1 (SQLite, demo data).

    Uses ``port`` when free, any free port otherwise (the socket is bound here, so no
    other process can take the port between the choice and the start). Runs until the
    process exits.
    """
    import uvicorn

    from scribedesk.server.app import build_state, create_app
    from scribedesk.server.importer import seed_demo
    from scribedesk.server.paths import resources_dir
    from scribedesk.server.settings import ServerSettings

    listening = socket.socket()
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind(("127.0.0.1", port))
    except OSError:
        listening.bind(("127.0.0.1", 0))
    port = int(listening.getsockname()[1])
    settings = ServerSettings(data_dir=data_dir, port=port)
    state = build_state(settings)
    seed_demo(state, resources_dir() / "demo" / "manifest.json")
    app = create_app(settings, state=state)
    seen = [time.monotonic()]

    @app.middleware("http")
    async def note_the_time(request: Any, call_next: Any) -> Any:
        seen[0] = time.monotonic()  # the local service stops after hours without any
        return await call_next(request)

    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            **settings.uvicorn_options(),
        )
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listening]}, name="embedded-service", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("The embedded ScribeDesk service did not start.")
        time.sleep(0.005)
    return EmbeddedService(f"http://127.0.0.1:{port}", state, seen)
