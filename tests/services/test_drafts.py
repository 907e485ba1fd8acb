"""The draft writer: newest snapshot wins, never blocks the caller, survives a full disk."""

from __future__ import annotations

import threading
import time

from scribedesk.domain.transcript import Draft
from scribedesk.services.drafts import DraftWriter
from scribedesk.storage.store import StoreError


class SlowDisk:
    """A repository that takes 50 ms per write and can be made to refuse writes."""

    def __init__(self) -> None:
        self.saved: list[str] = []
        self.full = False
        self.lock = threading.Lock()

    def save(self, draft: Draft) -> None:
        time.sleep(0.05)
        if self.full:
            raise StoreError("The draft could not be saved to disk: the disk is full.")
        with self.lock:
            self.saved.append(draft.narrative)

    def load(self, job_id: int) -> Draft | None:
        return None


def test_submit_never_waits_and_the_newest_text_is_written():
    """Fifty quick snapshots return at once; the last one is what ends up on disk."""
    disk = SlowDisk()
    writer = DraftWriter(disk)
    began = time.perf_counter()
    for i in range(50):
        writer.submit(Draft(job_id=1, narrative=f"text {i}"))
    assert time.perf_counter() - began < 0.05
    assert writer.flush(timeout=5)
    assert disk.saved[-1] == "text 49" and len(disk.saved) < 50
    writer.close()


def test_full_disk_is_reported_retried_and_nothing_is_lost():
    """While the disk is full the error is reported; once space is back the text is saved."""
    disk = SlowDisk()
    disk.full = True
    errors: list[str] = []
    writer = DraftWriter(disk, on_error=errors.append, retry_s=0.05)
    writer.submit(Draft(job_id=1, narrative="the customer will sign on Friday"))
    assert not writer.flush(timeout=0.3)
    assert errors and "disk is full" in errors[0]
    writer.submit(Draft(job_id=1, narrative="the customer will sign on Friday. Next steps"))
    disk.full = False
    assert writer.flush(timeout=5)
    # The newest text is what stays; the older one may have been written first if its
    # retry was under way when the space came back.
    assert disk.saved[-1] == "the customer will sign on Friday. Next steps"
    assert set(disk.saved) <= {
        "the customer will sign on Friday",
        "the customer will sign on Friday. Next steps",
    }
    writer.close()


def test_a_confirmed_job_leaves_no_stale_draft_behind(tmp_path):
    """The last snapshot of a submitted job is still being written when its transcript is
    confirmed: the draft is deleted after it, and a late snapshot does not bring it back."""
    from scribedesk.storage.store import DraftRepository, open_store

    real = DraftRepository(open_store(tmp_path / "local.db"), "http://s", "tara")
    entered, release = threading.Event(), threading.Event()

    class Slow:
        def save(self, draft: Draft) -> None:
            entered.set()
            release.wait(10)
            real.save(draft)

        def load(self, job_id: int) -> Draft | None:
            return real.load(job_id)

        def delete(self, job_id: int) -> None:
            real.delete(job_id)

    writer = DraftWriter(Slow())
    writer.submit(Draft(job_id=7, narrative="the last words"))
    assert entered.wait(5)  # the write is under way
    writer.discard(7)  # the service confirmed the submission meanwhile
    writer.submit(Draft(job_id=7, narrative="a snapshot from a timer that fired late"))
    release.set()
    assert writer.flush(5)
    assert real.load(7) is None
    writer.close()


def test_snapshots_of_two_jobs_are_both_written():
    """Leaving one job and opening the next at once: the first one's last snapshot is not
    replaced by the second one's."""
    disk = SlowDisk()
    writer = DraftWriter(disk)
    writer.submit(Draft(job_id=1, narrative="first job, last words"))
    writer.submit(Draft(job_id=2, narrative="second job"))
    assert writer.flush(5)
    assert sorted(disk.saved) == ["first job, last words", "second job"]
    writer.close()
