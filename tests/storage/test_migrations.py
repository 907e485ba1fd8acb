"""A store written by an earlier release opens after the upgrade with everything in it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from scribedesk.storage.migrations import LATEST
from scribedesk.storage.store import DraftRepository, OutboxRepository, WorklistCache, open_store

RELEASED = Path(__file__).resolve().parents[1] / "data" / "stores" / "workstation-2026-12-01.db"
SERVER = "http://127.0.0.1:8765"


def test_the_2026_12_01_store_opens_with_every_draft_and_waiting_submission(tmp_path):
    """Drafts (cursor, heard spans, fields), waiting submissions (keys, attempts, errors)
    and the saved worklist survive the upgrade; the schema is then the latest."""
    path = tmp_path / "workstation.db"
    shutil.copy(RELEASED, path)
    engine = open_store(path)
    drafts = DraftRepository(engine, SERVER, "tara")
    sales = drafts.load(3)
    assert sales is not None
    assert sales.fields["contacts"] == [{"name": "Dana Whitfield", "role": "Decision maker"}]
    assert sales.narrative.startswith("Dana said the renewal is at risk. [inaudible 00:01:23]")
    assert (sales.cursor, sales.heard, sales.revision) == (57, [(0, 65000), (70000, 90000)], 37)
    assert drafts.load(5) is not None and drafts.load(4) is None  # both drafts, no other
    waiting = OutboxRepository(engine, SERVER, "tara").by_state("pending")
    assert [(e.job_id, e.idempotency_key[:8], e.attempts) for e in waiting] == [
        (5, "0b4d7c1e", 0),
        (3, "6f1d2a9b", 4),
    ]
    assert waiting[1].last_error.startswith("Cannot reach the service")
    [saved] = WorklistCache(engine, SERVER, "tara").load()
    assert (saved.id, saved.account, saved.audio.duration_ms) == (3, "Acme Logistics", 37_347)
    engine.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        indexes = {row[1] for row in conn.execute("PRAGMA index_list('outbox')")}
    assert "ix_outbox_due" in indexes
    again = open_store(path)  # opening an up-to-date store changes nothing
    assert DraftRepository(again, SERVER, "tara").load(3) == sales


def test_a_new_store_starts_at_the_latest_schema(tmp_path):
    """A first start creates the tables and records the newest version."""
    open_store(tmp_path / "new.db").dispose()
    with sqlite3.connect(tmp_path / "new.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_a_store_from_a_newer_release_is_not_touched(tmp_path):
    """Opening a store a newer ScribeDesk wrote says so instead of breaking it."""
    path = tmp_path / "future.db"
    open_store(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(RuntimeError, match="newer ScribeDesk"):
        open_store(path)
