"""The transcriptionist's worklist page: my jobs, the pool, the next job, audio fetched ahead.

The logic is services.worklist.Worklist; this page shows it and forwards the keys. Every
call to the service or the disk runs through ``run_in_background``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Signal

from scribedesk.domain.audio import AudioRef
from scribedesk.domain.failure import FailureKind
from scribedesk.domain.job import Job, PoolCounts
from scribedesk.services.outbox import counted
from scribedesk.services.worklist import Worklist
from scribedesk.ui.models.worklist import WorklistModel
from scribedesk.ui.tasks import Background
from scribedesk.ui.widgets.worklist import WorklistWidget
from scribedesk.ui.workstation import Workstation

log = logging.getLogger(__name__)


class WorklistPage(WorklistWidget):
    """Worklist, pool counts and Ctrl+N; asks the window to open a job (``open_requested``)."""

    open_requested = Signal(object, bool)  # Job, claimed just now
    loaded = Signal()  # the service answered with the worklist
    unreachable = Signal(object)  # the exception when the service could not be asked
    message = Signal(str, int)  # for the status bar: text, milliseconds

    def __init__(
        self,
        station: Workstation,
        connected: Callable[[], bool],
        notify: Callable[[str, str], None],
    ) -> None:
        super().__init__(WorklistModel())
        self.run = Background(self)  # work off the GUI thread, reported while I exist
        self.station = station
        self._connected = connected
        self._notify = notify
        self.use = Worklist(
            station.api, station.outbox, station.cache, station.worklist_cache, station.prefetch
        )
        self._stat_waiting: int | None = None
        self._known: set[int] | None = None  # job ids on the list at the last refresh
        self._claimed: set[int] = set()  # jobs I claimed here (no need to tell me)
        #: A trainee's worklist: training exercises only, no pool, Ctrl+N opens the next.
        self.training_only = False
        self.next_job_requested.connect(self.next_job)
        self.open_job.connect(lambda job: self.open_requested.emit(job, False))

    def show_saved(self, jobs: list[Job]) -> None:
        """The worklist kept at the last run, until the service sends a fresh one (never
        over the service's, should it answer first)."""
        if jobs and self._known is None:
            self.set_jobs(jobs)

    def show_live(self, jobs: list[Job]) -> None:
        """The worklist the service sent at the very start (client.first_look), while the
        rest of the desk is made: shown as it is; the full refresh that follows keeps it
        and fetches audio ahead."""
        if self._known is None:
            self.set_jobs(jobs)
            self._announce_assigned(jobs)
            self.loaded.emit()

    def refresh(self) -> None:
        """Reload the worklist and the pool counts in the background; fetch audio ahead."""
        if not self._connected():
            return
        self.run(self.use.jobs, self._jobs_loaded, self.unreachable.emit)
        if self.training_only:
            self.next_button.setText("Open next exercise  (Ctrl+N)")
            self.pool.setText(
                "Training: your exercises are listed here. Ctrl+N (or Enter) opens the next; "
                "Ctrl+2 shows your curriculum and results."
            )
        else:
            self.run(self.use.pool, self._pool_loaded, lambda _e: None)

    def _jobs_loaded(self, jobs: list[Job]) -> None:
        self.set_jobs(jobs)
        self.loaded.emit()
        self._announce_assigned(jobs)
        self.run(lambda: self.use.keep(jobs), on_error=lambda e: log.warning("%s", e))
        self.station.checker.team.add_all(job.account for job in jobs)
        wanted = self.use.ahead(jobs)
        self._show_ready(wanted)
        self.run(lambda: self.use.fetch_ahead(wanted), lambda _r: self._show_ready(wanted))

    def _show_ready(self, wanted: list[AudioRef]) -> None:
        cache = self.station.cache

        def ready(job_ids: list[int]) -> None:
            for job_id in job_ids:
                self.model.set_download(job_id, "ready")

        self.run(lambda: [item.job_id for item in wanted if cache.has(item.sha256)], ready)

    def _pool_loaded(self, counts: PoolCounts) -> None:
        stat = counts.stat
        self.pool.setText(
            f"Waiting in the pool: {stat} STAT, {counts.urgent} urgent, {counts.routine} routine"
        )
        self.pool.setStyleSheet("color: #c62828; font-weight: bold;" if stat else "")
        if self._stat_waiting is not None and stat > self._stat_waiting:
            self._notify(
                "New STAT dictation", f"{counted(stat, 'STAT job')} waiting. Ctrl+N takes it."
            )
        self._stat_waiting = stat

    def next_job(self) -> None:
        """Claim the next job and ask for it to be opened."""
        if not self._connected():
            self.message.emit("Still connecting to the service…", 3_000)
            return
        if self.training_only:  # a trainee's next job is their open exercise
            exercise = next((j for j in self.model.jobs if j.training), None)
            if exercise is None:
                self.message.emit("No exercise is waiting: your curriculum is complete.", 6000)
            else:
                self.open_requested.emit(exercise, False)
            return

        def claimed(job: Job | None) -> None:
            if job is None:
                self.message.emit("No job is waiting.", 5_000)
                return
            self._claimed.add(job.id)
            self.refresh()
            self.open_requested.emit(job, True)

        self.run(self.use.claim, claimed, self._claim_failed)

    def _claim_failed(self, error: Exception) -> None:
        """Unreachable: the window shows it offline; refused (a user in training, say):
        the service's sentence in the status bar."""
        if getattr(error, "kind", None) == FailureKind.NETWORK:
            self.unreachable.emit(error)
        else:
            self.message.emit(str(error), 15_000)

    def mark_sending(self, job_id: int) -> None:
        """A job just submitted shows "sending" at once, before the service answers."""
        jobs = [j.waiting_to_send() if j.id == job_id else j for j in self.model.jobs]
        self.set_jobs(jobs)

    def open_by_id(self, job_id: int) -> None:
        """Ask for the job on my list with this id to be opened (or reload the list)."""
        job = next((j for j in self.model.jobs if j.id == job_id), None)
        if job is None:
            self.refresh()
            self.message.emit(f"Job {job_id} is not on your worklist yet; reloading it.", 6000)
            return
        self.open_requested.emit(job, False)

    def _announce_assigned(self, jobs: list[Job]) -> None:
        """A job that appears on my list without my claiming it was assigned to me (by a
        supervisor): a desktop notification says so."""
        ids = {job.id for job in jobs}
        if self._known is not None:
            for job in jobs:
                if job.id not in self._known and job.id not in self._claimed:
                    self._notify(
                        "Job assigned to you",
                        f"Job {job.id}, {job.account} ({job.priority.value}) is on your "
                        "worklist. Enter opens it.",
                    )
        self._known = ids

    def download_progress(self, job_id: int, done: int, total: int) -> None:
        """Show how much of a job's audio has arrived."""
        percent = int(done * 100 / total) if total else 100
        self.model.set_download(job_id, "ready" if percent >= 100 else f"downloading {percent} %")
        if percent < 100:
            self.message.emit(f"Downloading the audio of job {job_id}: {percent} %", 0)
