"""The ``scribedesk-server`` command line, run as a real process."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from tests.conftest import DEMO
from tests.pgserver import free_port


def cli(
    *args: str, data: Path, stdin: str = "", db_url: str = ""
) -> subprocess.CompletedProcess[str]:
    extra = ["--db-url", db_url] if db_url else []
    command, *rest = args
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scribedesk.server.cli",
            command,
            "--data-dir",
            str(data),
            *extra,
            *rest,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def rows(data: Path, sql: str, db_url: str = "") -> list[tuple[object, ...]]:
    engine = create_engine(db_url or f"sqlite:///{data / 'scribedesk.db'}")
    with engine.connect() as conn:
        result = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return result


def test_init_db_and_create_user(tmp_path):
    """init-db makes the schema; create-user reads the password from stdin and hashes it."""
    assert cli("init-db", data=tmp_path).returncode == 0
    made = cli(
        "create-user",
        "nina",
        "--role",
        "supervisor",
        "--password-stdin",
        data=tmp_path,
        stdin="long-enough-pw\n",
    )
    assert made.returncode == 0, made.stderr
    assert "created supervisor nina" in made.stdout
    [(name, role, digest)] = rows(
        tmp_path, "SELECT username, role, password_hash FROM user_account"
    )
    assert (name, role) == ("nina", "supervisor")
    assert str(digest).startswith("$argon2id$") and "long-enough-pw" not in str(digest)
    weak = cli(
        "create-user", "bob", "--role", "author", "--password-stdin", data=tmp_path, stdin="short\n"
    )
    assert weak.returncode == 2 and "at least 8 characters" in weak.stderr


def test_seed_demo_is_idempotent(tmp_path, db_url):
    """seed-demo adds one user per role and a dozen dictations, and never duplicates them."""
    first = cli("seed-demo", data=tmp_path, db_url=db_url)
    assert first.returncode == 0, first.stderr
    assert "7 users and 12 dictations added" in first.stdout
    again = cli("seed-demo", data=tmp_path, db_url=db_url)
    assert "0 users and 0 dictations added" in again.stdout
    roles = {r for (r,) in rows(tmp_path, "SELECT role FROM user_account", db_url)}
    assert roles == {"author", "transcriptionist", "trainee", "supervisor", "trainer", "admin"}
    templates = {t for (t,) in rows(tmp_path, "SELECT template_id FROM dictation", db_url)}
    priorities = {p for (p,) in rows(tmp_path, "SELECT priority FROM dictation", db_url)}
    assert len(templates) == 4 and priorities == {"routine", "urgent", "stat"}


def test_import_files_reports_each(tmp_path):
    """import stores good files and names the bad ones, exiting 1 when any failed."""
    cli("seed-demo", data=tmp_path)
    bad = tmp_path / "bad.mp3"
    bad.write_text("not audio")
    result = cli(
        "import",
        str(DEMO / "memo-pricing.wav"),
        str(bad),
        "--author",
        "alex",
        "--account",
        "Acme",
        "--template",
        "general-memo",
        "--priority",
        "stat",
        data=tmp_path,
    )
    assert result.returncode == 1
    new = re.search(r"memo-pricing\.wav: dictation (\d+)", result.stdout)
    assert new is not None, result.stdout
    assert "bad.mp3: bad.mp3: this is not an audio file" in result.stderr
    assert rows(tmp_path, f"SELECT priority, account FROM dictation WHERE id = {new[1]}") == [
        ("stat", "Acme")
    ]


def test_watch_folder_imports_with_sidecar_and_sets_failures_aside(tmp_path):
    """Dropped files are imported (a sidecar overrides fields); refused ones go to failed/."""
    cli("seed-demo", data=tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(DEMO / "survey-harbor.mp3", inbox / "call.mp3")
    (inbox / "call.mp3.json").write_text(
        json.dumps(
            {
                "account": "Harbor Freight Lines",
                "template_id": "customer-satisfaction-survey",
                "priority": "urgent",
            }
        )
    )
    (inbox / "broken.wav").write_bytes(b"RIFF garbage")
    result = cli(
        "import",
        "--watch",
        str(inbox),
        "--once",
        "--author",
        "alex",
        "--account",
        "Default",
        "--template",
        "general-memo",
        data=tmp_path,
    )
    assert "imported 1 file(s)" in result.stdout
    assert (inbox / "imported" / "call.mp3").exists()
    assert (inbox / "imported" / "call.mp3.json").exists()
    assert (inbox / "failed" / "broken.wav").exists()
    assert "not an audio file" in (inbox / "failed" / "broken.wav.error.txt").read_text()
    newest = "SELECT account, template_id, priority FROM dictation ORDER BY id DESC LIMIT 1"
    assert rows(tmp_path, newest) == [
        ("Harbor Freight Lines", "customer-satisfaction-survey", "urgent")
    ]


def test_bad_environment_is_reported_clearly(tmp_path):
    """A mistyped setting stops the command with a sentence naming the variable."""
    result = subprocess.run(
        [sys.executable, "-m", "scribedesk.server.cli", "init-db", "--data-dir", str(tmp_path)],
        env={"PATH": "/usr/bin:/bin", "SCRIBEDESK_TURNAROUND": "stat=soon"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SCRIBEDESK_TURNAROUND" in result.stderr


def test_serve_starts_and_answers(tmp_path):
    """serve listens on the given port and reports its health."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scribedesk.server.cli",
            "serve",
            "--data-dir",
            str(tmp_path),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert f"http://127.0.0.1:{port}/api/v1" in line
        for _ in range(100):
            try:
                health = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert health.json()["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
