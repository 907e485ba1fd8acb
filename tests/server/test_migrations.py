"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from scribedesk.server.db.engine import make_engine
from scribedesk.server.db.migrate import upgrade
from scribedesk.server.db.models import Base


def test_migrations_match_models(db_url):
    """Upgrading an empty database to head leaves no difference from the models."""
    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # running it again is harmless
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    engine.dispose()
    assert diff == []


def test_head_constant_is_alembics_head():
    """The fast path's HEAD names the newest migration script."""
    from alembic.script import ScriptDirectory

    from scribedesk.server.db.migrate import HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


def test_a_live_lease_keeps_fencing_its_holder_after_the_upgrade(db_url):
    """A database written before lease grants existed: the lease held then still lets its
    holder submit after the upgrade, and the assignment's last activity is known."""
    import sqlalchemy as sa

    engine = make_engine(db_url)
    upgrade(engine, "0001")
    now = "2026-11-30 10:00:00"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO user_account (id, username, display_name, role, password_hash, "
                "active, created_at) VALUES (1, 'tara', 'Tara', 'transcriptionist', 'x', true, "
                f"'{now}')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO audio (sha256, size, container, codec, sample_rate, channels, "
                "duration_ms, working_sha256, working_size, original_name, created_at) VALUES "
                f"('a', 1, 'wav', 'pcm', 8000, 1, 1000, 'b', 1, 'a.wav', '{now}')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO dictation (id, author_id, audio_sha256, account, title, author_note, "
                "template_id, template_version, priority, queue_order, status, received_at, "
                "due_at, assignee_id, last_assignee_id, manual_assignment, lease_token, "
                "lease_expires_at, attempt, return_note, updated_at) VALUES (7, 1, 'a', 'Acme', "
                "'', '', 'general-memo', 1, 'routine', 2, 'in_progress', "
                f"'{now}', '{now}', 1, 1, false, 'abc', '{now}', 1, '', '{now}')"
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        grant = conn.execute(sa.text("SELECT dictation_id, user_id, token FROM lease_grant")).all()
        active = conn.execute(sa.text("SELECT active_at FROM dictation")).scalar_one()
    engine.dispose()
    assert [tuple(g) for g in grant] == [(7, 1, "abc")]
    assert active is not None


def test_a_developer_can_upgrade_and_compare_with_the_alembic_command(tmp_path):
    """``alembic upgrade head`` then ``alembic check`` (what autogenerate would write) from
    the repository's alembic.ini: no difference between the migrations and the models."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "SCRIBEDESK_DB_URL": f"sqlite:///{tmp_path / 'dev.db'}"}
    alembic = [sys.executable, "-m", "alembic", "-c", str(root / "alembic.ini")]
    for command in (["upgrade", "head"], ["check"]):
        done = subprocess.run(
            [*alembic, *command], cwd=root, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    assert "No new upgrade operations detected" in done.stdout + done.stderr
