"""The local service as a process of its own, kept running between sessions (the
single-desk default): ``python -m scribedesk.server.local DATA_DIR``.

The workstation starts it the first time and finds it running afterwards
(client.local_service): its window then imports no service code, starts nearly as fast
as a bare window, and the service's memory is not the window's. This process serves the
embedded default (SQLite in DATA_DIR, the demo data) on a loopback port and, once it
answers, writes ``service.json`` beside its database, readable by this user only: its
URL, pid and version, and a bearer token for each active user (issued directly, as the
in-process service did: no password hash on the way to the first screen; the file is as
private as the database beside it). One process per DATA_DIR: a second one finds the
lock taken and leaves. It stops after ``--idle-hours`` without a request, or on SIGTERM.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import scribedesk

STATE_FILE = "service.json"
LOCK_FILE = "service.lock"
#: How often the tokens in service.json are issued again (they are valid for 12 hours).
TOKENS_RENEWED_S = 3600.0


def write_state(data_dir: Path, url: str, tokens: dict[str, str]) -> None:
    """service.json, written whole (a reader never sees half of it), mode 0600."""
    state = {"url": url, "pid": os.getpid(), "version": scribedesk.__version__, "tokens": tokens}
    partial = data_dir / f".{STATE_FILE}.{os.getpid()}"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(state, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, data_dir / STATE_FILE)


def serve(data_dir: Path, port: int, idle_hours: float) -> int:
    """Run the service until it has been idle ``idle_hours`` or is told to stop."""
    from sqlalchemy import select

    from scribedesk.server.db.models import User
    from scribedesk.server.embedded import start_embedded_service

    data_dir.mkdir(parents=True, exist_ok=True)
    lock = (data_dir / LOCK_FILE).open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print("ScribeDesk's local service already runs for this folder.", file=sys.stderr)
        return 0
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_a: stop.set())
    service = start_embedded_service(data_dir, port)
    with service.state.read() as session:
        names = session.scalars(select(User.username).where(User.active.is_(True))).all()
    idle_s = idle_hours * 3600
    written = 0.0
    while True:
        if time.monotonic() - written > TOKENS_RENEWED_S:  # tokens live 12 h: fresh ones
            write_state(data_dir, service.url, {n: service.token_for(n) for n in names})
            written = time.monotonic()
        if stop.wait(min(60.0, idle_s)) or time.monotonic() - service.last_request() > idle_s:
            break
    (data_dir / STATE_FILE).unlink(missing_ok=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="ScribeDesk's local service (the default)")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--port", type=int, default=8765, help="preferred loopback port")
    parser.add_argument("--idle-hours", type=float, default=8.0, help="stop after this long idle")
    args = parser.parse_args(argv)
    return serve(args.data_dir, args.port, args.idle_hours)


if __name__ == "__main__":
    sys.exit(main())
