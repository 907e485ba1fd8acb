"""The local store: drafts round-trip exactly and survive kill -9; the outbox keeps its rows."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from scribedesk.domain.transcript import Draft
from scribedesk.storage.store import DraftRepository, OutboxRepository, open_store


def test_draft_round_trip_keeps_everything_including_the_cursor(tmp_path):
    """What was saved comes back exactly: fields, narrative, cursor, heard spans, position."""
    repo = DraftRepository(open_store(tmp_path / "local.db"), "http://127.0.0.1:8765", "tara")
    draft = Draft(
        job_id=7,
        template_id="sales-call-report",
        fields={"account": "Acme", "amount": 120000, "contacts": [{"name": "Dana"}]},
        narrative="Dana said the renewal is at risk. [inaudible 00:01:23] Next",
        cursor=41,
        note_to_supervisor="Wind noise",
        heard=[(0, 5000), (9000, 12000)],
        position_ms=12000,
        time_spent_s=95,
        revision=12,
    )
    repo.save(draft)
    assert repo.load(7) == draft
    assert repo.load(8) is None
    other_user = DraftRepository(repo.store, repo.server, "theo")
    assert other_user.load(7) is None
    repo.delete(7)
    assert repo.load(7) is None


def test_outbox_rows_persist_until_confirmed(tmp_path):
    """A queued submission is on disk, due at once, and leaves 'pending' when marked sent."""
    engine = open_store(tmp_path / "local.db")
    repo = OutboxRepository(engine, "http://s", "tara")
    row = repo.add(3, "key-1", {"narrative": "x"}, now=100.0)
    again = OutboxRepository(open_store(tmp_path / "local.db"), "http://s", "tara")
    [due] = again.due(now=100.0)
    assert (due.job_id, due.idempotency_key, due.body) == (3, "key-1", {"narrative": "x"})
    again.update(row.id, state="sent", response={"version": 1})
    assert again.due(now=200.0) == [] and len(again.by_state("sent")) == 1


TYPIST = """
import json, sys, time
from pathlib import Path
from scribedesk.domain.transcript import Draft
from scribedesk.services.drafts import DraftWriter
from scribedesk.storage.store import DraftRepository, open_store

repo = DraftRepository(open_store(Path(sys.argv[1])), "http://s", "tara")
writer = DraftWriter(repo)
text = ""
last_snapshot = 0.0
for i in range(100000):
    word = f"w{i}"
    text += word + " "
    print(json.dumps([word, time.time()]), flush=True)
    now = time.monotonic()
    if now - last_snapshot >= 0.25:   # the workspace snapshots at most 4 times a second
        writer.submit(Draft(job_id=1, narrative=text, cursor=len(text)))
        last_snapshot = now
    time.sleep(0.01)
"""


def test_kill_9_mid_typing_loses_nothing_older_than_a_second(tmp_path):
    """A typing process killed with SIGKILL: every word typed over 1 s before is in the draft."""
    db = tmp_path / "local.db"
    child = subprocess.Popen(
        [sys.executable, "-c", TYPIST, str(db)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path.cwd() / "src")},
    )
    assert child.stdout is not None
    typed: list[tuple[str, float]] = []
    started = time.time()
    while time.time() - started < 3.0:
        typed.append(tuple(json.loads(child.stdout.readline())))  # type: ignore[arg-type]
    os.kill(child.pid, signal.SIGKILL)
    killed_at = time.time()
    child.wait()
    draft = DraftRepository(open_store(db), "http://s", "tara").load(1)
    assert draft is not None
    saved = set(draft.narrative.split())
    old_enough = [word for word, at in typed if at < killed_at - 1.0]
    assert len(old_enough) > 100
    assert [w for w in old_enough if w not in saved] == []
    assert draft.cursor == len(draft.narrative)
