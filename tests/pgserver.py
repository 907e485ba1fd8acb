"""Start a throwaway PostgreSQL cluster for tests and benchmarks (initdb + pg_ctl)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A TCP port on loopback nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return candidates[0].parent if candidates else None


@dataclass
class PostgresServer:
    """A PostgreSQL cluster the test session started (or one named by SCRIBEDESK_TEST_PG_URL)."""

    admin_url: str
    stop_cmd: list[str] | None = None

    def database_url(self, name: str) -> str:
        """URL of database ``name`` on this server."""
        return self.admin_url.rsplit("/", 1)[0] + "/" + name


def start_postgres(tmp: Path) -> PostgresServer:
    """initdb and start a cluster in ``tmp`` on a free loopback port (as a non-root user)."""
    bindir = _pg_binaries()
    if bindir is None:
        raise RuntimeError("no PostgreSQL binaries (pg_ctl) found; install postgresql")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        account = "postgres" if _has_user("postgres") else "nobody"
        shutil.chown(tmp, account)
        prefix = ["runuser", "-u", account, "--"]
    data = tmp / "data"
    port = free_port()
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    options = (
        f"-k {tmp} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
    )
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(tmp / "log"),
            "start",
        ],
        check=True,
        capture_output=True,
    )
    stop = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
    return PostgresServer(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
