"""Shared fixtures: a throwaway PostgreSQL, databases of both kinds, a live service on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.pgserver import PostgresServer, free_port, start_postgres

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | str]:
    """The session's PostgreSQL server, or the reason there is none."""
    if url := os.environ.get("SCRIBEDESK_TEST_PG_URL"):
        yield PostgresServer(url)
        return
    tmp = Path(tempfile.mkdtemp(prefix="scribedesk-pg-"))
    try:
        server = start_postgres(tmp)
    except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        yield f"PostgreSQL could not be started: {exc} {detail.decode(errors='replace')[-300:]}"
        shutil.rmtree(tmp, ignore_errors=True)
        return
    try:
        yield server
    finally:
        if server.stop_cmd:
            subprocess.run(server.stop_cmd, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: SQLite in tmp_path, or a new database on the test
    PostgreSQL; migrated already when the test asks for ``migrated_db_url`` (through
    ``settings``, most do)."""
    migrated = (
        request.getfixturevalue("migrated_templates")
        if "migrated_db_url" in request.fixturenames
        else None
    )
    if request.param == "sqlite":
        if migrated is not None:
            shutil.copyfile(migrated["sqlite"], tmp_path / "service.db")
        yield f"sqlite:///{tmp_path / 'service.db'}"
        return
    server = request.getfixturevalue("postgres")
    if isinstance(server, str):
        pytest.skip(server)
    name = "t_" + uuid.uuid4().hex[:12]
    template = f' TEMPLATE "{migrated["postgresql"]}"' if migrated is not None else ""
    admin = sa.create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"{template}')
    try:
        yield server.database_url(name)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_templates(postgres, tmp_path_factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Databases migrated once per session, copied for each test (the migrations
    themselves are tested on empty databases: tests/server/test_migrations.py)."""
    from scribedesk.server.db.engine import make_engine
    from scribedesk.server.db.migrate import upgrade

    sqlite = tmp_path_factory.mktemp("template") / "service.db"
    engine = make_engine(f"sqlite:///{sqlite}")
    upgrade(engine)
    engine.dispose()
    templates = {"sqlite": str(sqlite)}
    if not isinstance(postgres, str):
        name = "template_" + uuid.uuid4().hex[:12]
        admin = sa.create_engine(postgres.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        engine = make_engine(postgres.database_url(name))
        upgrade(engine)
        engine.dispose()
        templates["postgresql"] = name
    return templates


@pytest.fixture
def migrated_db_url(db_url: str) -> str:
    """``db_url`` already migrated to the latest revision: db_url makes it as a copy of
    the session's migrated database when a test asks for this."""
    return db_url


class Clock:
    """Real time plus an offset the test can move forward (lease expiry without waiting)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        """Jump ``seconds`` into the future."""
        self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    """A service clock the test controls."""
    return Clock()


@pytest.fixture
def settings(tmp_path: Path, migrated_db_url: str):  # type: ignore[no-untyped-def]
    """Service settings on a fresh database and audio store, small upload limit for tests.

    Nothing is sampled for review here (a submitted job stays submitted); the review
    tests (tests/server/test_reviews.py) turn sampling on.
    """
    from scribedesk.domain.sampling import SamplingPolicy
    from scribedesk.server.settings import ServerSettings

    return ServerSettings(
        data_dir=tmp_path / "data",
        db_url=migrated_db_url,
        max_upload_mb=20,
        reaper_interval_s=0.2,
        sampling=SamplingPolicy(first_jobs=0, share=0.0, flagged=False),
    )


@dataclass
class LiveServer:
    """A real uvicorn serving the app on a loopback port, in a thread."""

    url: str
    app: object
    server: object

    @property
    def state(self):  # type: ignore[no-untyped-def]
        """The app's AppState (database, store, settings)."""
        return self.app.state.scribedesk  # type: ignore[attr-defined]


def start_live_server(settings, clock) -> tuple[LiveServer, threading.Thread]:  # type: ignore[no-untyped-def]
    """Start uvicorn on a free port and wait until it answers."""
    from tests.support import serve_on

    server, thread = serve_on(settings, free_port(), clock)
    return LiveServer(f"http://127.0.0.1:{server.config.port}", server.config.app, server), thread


@contextmanager
def running_live_server(settings, clock) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """The service on loopback with these settings while the block runs; then stopped,
    its database connections closed."""
    running, thread = start_live_server(settings, clock)
    try:
        yield running
    finally:
        running.server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=10)
        running.state.engine.dispose()


@pytest.fixture
def live(settings, clock) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """The service on loopback over a fresh database (SQLite and PostgreSQL)."""
    with running_live_server(settings, clock) as running:
        yield running


@pytest.fixture(scope="session")
def password_hash() -> str:
    """The argon2id hash of 'scribedesk', computed once (hashing is slow on purpose)."""
    from scribedesk.server.security import hash_password

    return hash_password("scribedesk")


@pytest.fixture
def demo_users(live: LiveServer, password_hash: str) -> dict[str, str]:
    """One user per role (password 'scribedesk'), by role name -> user name."""
    from scribedesk.server.db.models import User

    state = live.state
    names = {
        "author": "alex",
        "transcriptionist": "tara",
        "transcriptionist2": "theo",
        "trainee": "trey",
        "supervisor": "sam",
        "trainer": "tess",
        "admin": "ada",
    }
    with state.write() as session:
        for role, name in names.items():
            session.add(
                User(
                    username=name,
                    display_name=name.title(),
                    role=role.rstrip("2"),
                    password_hash=password_hash,
                    active=True,
                    created_at=state.clock(),
                )
            )
    return names


@pytest.fixture(scope="session")
def xvfb() -> Iterator[str]:
    """A virtual X server (its display name) for the session, or a skip saying why there is none.

    At the end every pynput listener thread is stopped and joined before the server
    goes: a listener still talking to a vanished server fails noisily.
    """
    from tests.xserver import start_xvfb

    started = start_xvfb()
    if started is None:
        pytest.skip("Xvfb, xdotool and xev are needed (apt-get install xvfb xdotool x11-utils)")
    server, display = started
    yield display
    listeners = [
        t
        for t in threading.enumerate()
        if type(t).__module__.startswith("pynput") and hasattr(t, "stop")
    ]
    for thread in listeners:
        thread.stop()
    # A stopped XRecord listener returns only once another key event arrives: send one.
    subprocess.run(
        ["xdotool", "key", "shift"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        timeout=10,
    )
    for thread in listeners:
        thread.join(timeout=5)
    server.terminate()
    server.wait(timeout=10)
