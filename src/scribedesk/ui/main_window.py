"""The main window: the worklist and the job workspace, the status bar, and the timers.

It composes widgets and hands work to the services: network, disk and decoding run
through ``run_in_background``; only their results touch the widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QSystemTrayIcon,
)

from scribedesk.domain.audio import AudioRef
from scribedesk.domain.failure import Failure
from scribedesk.domain.job import Directory, Job, PoolCounts
from scribedesk.domain.quality import KnownNames
from scribedesk.domain.templates import Template
from scribedesk.domain.transcript import Draft
from scribedesk.playback.inputs import InputRouter
from scribedesk.playback.player import PlayerError, VlcPlayer
from scribedesk.playback.transport import Action, TransportController, TransportSettings
from scribedesk.services.drafts import DraftWriter
from scribedesk.services.job_session import JobSession
from scribedesk.services.outbox import Outbox, Outcome
from scribedesk.services.ports import AudioStore, DraftStore, ServiceApi, WorklistStore
from scribedesk.services.quality import Checked, QualityCheck
from scribedesk.services.spelling import SpellChecker
from scribedesk.shared.peaks import cached_peaks, read_peaks
from scribedesk.ui.bridge import QtScheduler, ThreadBridge
from scribedesk.ui.models.worklist import WorklistModel
from scribedesk.ui.tasks import run_in_background
from scribedesk.ui.widgets.job_workspace import JobWorkspace
from scribedesk.ui.widgets.worklist import WorklistWidget

log = logging.getLogger(__name__)


@dataclass
class Workstation:
    """Everything the window works with, built by app.py."""

    api: ServiceApi
    templates: dict[str, Template]
    drafts: DraftStore
    writer: DraftWriter
    outbox: Outbox
    cache: AudioStore
    peaks_dir: Path
    checker: SpellChecker
    expansions: dict[str, str]
    player: VlcPlayer | None
    player_problem: str = ""
    transport_settings: TransportSettings = field(default_factory=TransportSettings)
    prefetch: int = 3
    settings: Any = None  # config.settings.Settings, for the settings dialog
    language: str = "en_US"  # the spell-check language, for the quality checks
    worklist_cache: WorklistStore | None = None
    # Work before the service can answer (starting the embedded service, signing in); it
    # runs off the GUI thread while the window shows the saved worklist, and returns the
    # templates.
    connect: Callable[[], dict[str, Template]] | None = None
    # Signs the user in again when the service refused an expired sign-in (GUI thread: it
    # may ask for the password); True when a new token is in place.
    reauthenticate: Callable[[], bool] | None = None

    def use_templates(self, templates: dict[str, Template]) -> None:
        """Adopt the service's templates: their product, competitor and stage names never
        flag in the spell check."""
        self.templates.update(templates)
        for template in templates.values():
            self.checker.team.add_all(choice for spec in template.fields for choice in spec.choices)


class MainWindow(QMainWindow):
    """Worklist ⇄ workspace."""

    worklist_ready = Signal()  # the first worklist answer (or the first failure) is on screen

    def __init__(self, station: Workstation, bridge: ThreadBridge) -> None:
        super().__init__()
        self.station = station
        self.bridge = bridge
        self.setWindowTitle("ScribeDesk")
        self.resize(1280, 800)
        self.model = WorklistModel()
        self.worklist = WorklistWidget(self.model)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.worklist)
        self.setCentralWidget(self.pages)
        self.workspace: JobWorkspace | None = None
        self._stat_waiting: int | None = None
        self._content_dirty = False
        self._answered = False
        self.quality: QualityCheck | None = None
        self._acknowledged: set[str] = set()
        self._checking = False
        self._recheck = False
        self._tray: QSystemTrayIcon | None = None
        self.session: JobSession | None = None
        self.connection = QLabel()
        self.saved = QLabel()
        self.pending = QLabel()
        for label in (self.connection, self.saved, self.pending):
            self.statusBar().addPermanentWidget(label)
        self.transport: TransportController | None = None
        self.router: InputRouter | None = None
        if station.player is not None:
            self.transport = TransportController(
                station.player, QtScheduler(), station.transport_settings
            )
            self.router = InputRouter(self.transport, on_pedal_state=self._pedal_state)
            bridge.pedal_event.connect(self.router.pedal)
            bridge.hotkey.connect(
                lambda name, down: self.router.hotkey(Action(name), down) if self.router else None
            )
            station.player.on_ended(bridge.on_player_ended)
            station.player.on_error(bridge.on_player_error)
            bridge.player_error.connect(lambda m: self.statusBar().showMessage(m, 10_000))
        settings_key = QShortcut(QKeySequence("Ctrl+,"), self)
        settings_key.activated.connect(self.open_settings)
        outbox_key = QShortcut(QKeySequence("Ctrl+Shift+O"), self)
        outbox_key.activated.connect(self.open_outbox)
        send_key = QShortcut(QKeySequence("Ctrl+Shift+S"), self)
        send_key.activated.connect(self.send_now)
        self.pending.setToolTip("Ctrl+Shift+O lists the submissions; Ctrl+Shift+S sends now")
        self._signing_in = False
        bridge.download.connect(self._download_progress)
        self.worklist.next_job.connect(self.next_job)
        self.worklist.open_job.connect(self.open_job)
        self._timers = {
            "refresh": self._every(30_000, self.refresh),
            "tick": self._every(30_000, self.model.tick),
            "position": self._every(33, self._show_position),
            "snapshot": self._every(250, self._snapshot),
            "heartbeat": self._every(20_000, self._heartbeat),
            "outbox": self._every(2_000, self._show_pending),
        }
        self._connected = station.connect is None
        self._waiting_job: Job | None = None  # asked to open before connecting
        if station.connect is not None:
            self.connection.setText("Connecting…")
        if station.worklist_cache is not None:
            # The saved worklist first; connecting (which may start the whole service in
            # this process) only once it is on screen, so the two do not compete.
            run_in_background(station.worklist_cache.load, self._saved_jobs, self._unsaved)
        else:
            self._connect()
        self._show_pending()

    def _connect(self) -> None:
        if self.station.connect is None:
            self.refresh()
        else:
            run_in_background(self.station.connect, self._service_ready, self._service_failed)

    @staticmethod
    def transport_action(name: str) -> Action:
        """An Action by name (for menus and tests)."""
        return Action(name)

    def _every(self, ms: int, slot: Any) -> QTimer:
        timer = QTimer(self)
        timer.timeout.connect(slot)
        timer.start(ms)
        return timer

    # -- worklist ------------------------------------------------------------------------------

    def _unsaved(self, error: Exception) -> None:
        log.warning("The saved worklist could not be read: %s", error)
        self._connect()

    def _saved_jobs(self, jobs: list[Job]) -> None:
        """The worklist saved at the last run, until the service sends a fresh one."""
        if jobs:  # the service has not been asked yet: connecting starts after this
            self.worklist.set_jobs(jobs)
        QTimer.singleShot(0, self._connect)  # after the list is painted

    def _service_ready(self, templates: dict[str, Template]) -> None:
        self._connected = True
        self.station.use_templates(templates)
        self.refresh()
        if self._waiting_job is not None:
            job, self._waiting_job = self._waiting_job, None
            self.open_job(job)

    def _service_failed(self, error: Exception) -> None:
        self._offline(error)
        QMessageBox.critical(
            self,
            "ScribeDesk",
            f"The service could not start: {getattr(error, 'message', error)} "
            "Your drafts are kept on this computer.",
        )

    def refresh(self) -> None:
        """Reload the worklist and the pool counts in the background; prefetch audio."""
        if not self._connected:
            return
        api, outbox = self.station.api, self.station.outbox

        def load() -> list[Job]:
            jobs = api.my_jobs()
            sending = {e.job_id for e in outbox.waiting()}
            return [job.waiting_to_send(job.id in sending) for job in jobs]

        run_in_background(load, self._jobs_loaded, self._offline)
        run_in_background(api.waiting, self._pool_loaded, lambda _e: None)

    def _pool_loaded(self, counts: PoolCounts) -> None:
        stat = counts.stat
        self.worklist.pool.setText(
            f"Waiting in the pool: {stat} STAT, {counts.urgent} urgent, {counts.routine} routine"
        )
        self.worklist.pool.setStyleSheet("color: #c62828; font-weight: bold;" if stat else "")
        if self._stat_waiting is not None and stat > self._stat_waiting:
            self.notify("New STAT dictation", f"{stat} STAT job(s) waiting. Ctrl+N takes it.")
        self._stat_waiting = stat

    def notify(self, title: str, text: str) -> None:
        """A desktop notification (tray balloon where there is a tray), and the taskbar alert."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self.windowIcon(), self)
                self._tray.show()
            self._tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, 10_000)
        QApplication.alert(self)
        self.statusBar().showMessage(f"{title}: {text}", 15_000)

    def _jobs_loaded(self, jobs: list[Job]) -> None:
        self.connection.setText(f"Connected to {self.station.api.base_url}")
        self.connection.setStyleSheet("")
        self.worklist.set_jobs(jobs)
        self._first_answer()
        if self.station.worklist_cache is not None:
            cache = self.station.worklist_cache
            run_in_background(lambda: cache.save(jobs), on_error=lambda e: log.warning("%s", e))
        self.station.checker.team.add_all(job.account for job in jobs)
        wanted = [AudioRef.of(j) for j in jobs[: self.station.prefetch]]

        def show_ready(_result: object = None) -> None:
            for item in wanted:
                if self.station.cache.has(item.sha256):
                    self.model.set_download(item.job_id, "ready")

        show_ready()
        run_in_background(lambda: self.station.cache.prefetch(self.station.api, wanted), show_ready)

    def _offline(self, error: Exception) -> None:
        self.connection.setText(f"Offline: {getattr(error, 'message', error)}")
        self.connection.setStyleSheet("color: #b71c1c;")
        self._first_answer()

    def _first_answer(self) -> None:
        if not self._answered:
            self._answered = True
            self.worklist_ready.emit()

    def next_job(self) -> None:
        """Claim the next job and open it."""
        if not self._connected:
            self.statusBar().showMessage("Still connecting to the service…", 3_000)
            return

        def claimed(job: Job | None) -> None:
            if job is None:
                self.statusBar().showMessage("No job is waiting.", 5_000)
                return
            self.refresh()
            self.open_job(job, claimed=True)

        run_in_background(self.station.api.next_job, claimed, self._failed)

    def _failed(self, error: Exception) -> None:
        QMessageBox.warning(self, "ScribeDesk", str(getattr(error, "message", error)))

    # -- opening a job ----------------------------------------------------------------------------

    def open_job(self, job: Job, claimed: bool = False) -> None:
        """Lease, audio and draft in the background; then the workspace.

        ``claimed``: the job comes straight from a claim, with a fresh lease; any other job
        takes a new lease here (this workstation is where the user now works on it).
        """
        if not self._connected:
            self._waiting_job = job
            self.statusBar().showMessage(
                f"Job {job.id} opens as soon as the service answers…", 10_000
            )
            return
        template = self.station.templates.get(job.template_id)
        if template is None:
            self._failed(
                RuntimeError(
                    f"This workstation cannot show the template "
                    f"{job.template_id!r}; return the job or update."
                )
            )
            return
        self.statusBar().showMessage(f"Opening job {job.id}…")
        draft = self.station.drafts.load(job.id)
        session = JobSession(
            job,
            draft or Draft(job_id=job.id, template_id=template.id),
            self.station.writer,
            self.station.outbox,
            lease_token=(job.lease_token or "") if claimed else "",
        )
        outbox = self.station.outbox

        def prepare() -> tuple[Path, np.ndarray, Directory | None]:
            if any(e.job_id == session.job_id for e in outbox.waiting()):
                raise Failure(
                    f"Job {session.job_id} is submitted: its transcript waits in the outbox "
                    "to be sent (Ctrl+Shift+O shows why; Ctrl+Shift+S sends it now)."
                )
            session.open(self.station.api)
            wanted = AudioRef.of(job)
            path = self.station.cache.fetch(
                self.station.api,
                wanted,
                lambda done, total: self.bridge.download.emit(job.id, done, total),
            )
            try:
                peaks = read_peaks(self.station.api.peaks(job.id))
            except Exception:  # no peaks from the service (old service, bad data): compute them
                peaks = cached_peaks(path, self.station.peaks_dir)
            try:
                directory: Directory | None = self.station.api.directory()
            except Exception as exc:  # an older service, or a bad answer: names go unchecked
                log.warning("No directory of names from the service: %s", exc)
                directory = None
            return path, peaks, directory

        run_in_background(
            prepare, lambda result: self._show_job(session, template, draft, *result), self._failed
        )

    def _show_job(
        self,
        session: JobSession,
        template: Template,
        draft: Draft | None,
        path: Path,
        peaks: np.ndarray,
        directory: Directory | None = None,
    ) -> None:
        player = self.station.player
        accounts = sorted({session.job.account, *(directory.accounts if directory else ())})
        people = list(directory.people) if directory else []
        workspace = JobWorkspace(
            session.job,
            template,
            self.station.checker,
            self.station.expansions,
            (lambda: player.position_ms) if player else (lambda: 0),
            known_accounts=accounts,
            known_people=people,
        )
        duration = session.job.audio.duration_ms
        self.quality = QualityCheck(
            template,
            duration,
            self.station.checker,
            language=self.station.language,
            abbreviations=list(self.station.expansions),
            known=None if directory is None else KnownNames(accounts, people),
        )
        self._acknowledged = set()
        workspace.check_requested.connect(lambda: self.run_check(focus=True))
        workspace.transport.waveform.set_peaks(peaks, duration)
        if player is not None:
            try:
                player.load(path)
            except PlayerError as exc:
                self.statusBar().showMessage(str(exc), 10_000)
            if draft is not None:
                player.seek_ms(draft.position_ms)
                for start, end in draft.heard:  # heard before a restart stays heard
                    player.heard.ranges.add(start, end)
            workspace.transport.play_pause.connect(
                lambda: (
                    self.transport.press(Action.PLAY_TOGGLE, "button") if self.transport else None
                )
            )
            workspace.transport.play_pause.connect(
                lambda: (
                    self.transport.release(Action.PLAY_TOGGLE, "button") if self.transport else None
                )
            )
            workspace.transport.speed_changed.connect(player.set_rate)
            workspace.transport.volume_changed.connect(player.set_volume)
            workspace.transport.waveform.seek_requested.connect(player.seek_ms)
            workspace.narrative.seek_requested.connect(player.seek_ms)
        else:
            workspace.transport.setEnabled(False)
            self.statusBar().showMessage(self.station.player_problem, 20_000)
        if draft is not None:
            workspace.restore(draft.fields, draft.narrative, draft.cursor, draft.note_to_supervisor)
            saved = self.station.drafts.saved_at(session.job_id)
            when = datetime.fromtimestamp(saved).strftime("%H:%M:%S") if saved else ""
            self.statusBar().showMessage(f"Your draft was restored (saved {when}).", 8_000)
        else:
            self.statusBar().clearMessage()
        workspace.transport.show_pedal(self.router.pedal_name if self.router else None)
        workspace.changed.connect(lambda: self._edited(workspace))
        workspace.submit_requested.connect(self.submit)
        workspace.return_requested.connect(self.return_job)
        workspace.back_requested.connect(self.back)
        if self.workspace is not None:
            self.pages.removeWidget(self.workspace)
            self.workspace.deleteLater()
        self.workspace, self.session = workspace, session
        self._content_dirty = False
        self.pages.addWidget(workspace)
        self.pages.setCurrentWidget(workspace)
        workspace.narrative.setFocus()

    # -- while working ----------------------------------------------------------------------------

    def _edited(self, workspace: JobWorkspace) -> None:
        # Called on every keystroke: only note it. Reading the whole narrative back from
        # the editor happens on the snapshot timer, at most four times a second.
        if self.session is not None and workspace is self.workspace:
            self._content_dirty = True
            self.saved.setText("Saving…")

    def _snapshot(self) -> None:
        session, player, workspace = self.session, self.station.player, self.workspace
        if session is None:
            return
        if self._content_dirty and workspace is not None:
            self._content_dirty = False
            session.edited(**workspace.content())
            if workspace.findings.isVisible():  # fixing a finding updates the list live
                self.run_check(focus=False)
        # While playing, and once more after a pause (the last moments before it count).
        if player is not None and (
            player.playing or player.heard.ranges.spans != session.draft.heard
        ):
            session.edited(position_ms=player.position_ms, heard=list(player.heard.ranges.spans))
        if session.snapshot_due():
            self.saved.setText("Draft saved")

    def _show_position(self) -> None:
        player, workspace = self.station.player, self.workspace
        if player is None or workspace is None or not workspace.isVisible():
            return
        position = player.tick()
        workspace.transport.show_state(position, player.duration_ms, player.playing, player.rate)
        workspace.transport.waveform.set_heard(player.heard.ranges.spans)

    def _heartbeat(self) -> None:
        session = self.session
        if session is None or session.submitted_key:
            return

        def beat() -> bool:
            return session.heartbeat(self.station.api)

        def after(alive: bool) -> None:
            if not alive and self.workspace is not None and session is self.session:
                self.workspace.show_lease_lost(session.lease_lost)

        run_in_background(beat, after, self._offline)

    def _download_progress(self, job_id: int, done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 100
        state = "ready" if percent >= 100 else f"downloading {percent} %"
        self.model.set_download(job_id, state)
        if percent < 100:
            self.statusBar().showMessage(f"Downloading the audio of job {job_id}: {percent} %")

    def _pedal_state(self, name: str | None) -> None:
        if self.workspace is not None:
            self.workspace.transport.show_pedal(name)

    # -- leaving a job -----------------------------------------------------------------------------

    # -- quality checks ----------------------------------------------------------------------

    def _heard(self) -> list[tuple[int, int]]:
        if self.station.player is not None:
            return list(self.station.player.heard.ranges.spans)
        return list(self.session.draft.heard) if self.session is not None else []

    def run_check(
        self, focus: bool, then: Callable[[Checked, dict[str, Any]], None] | None = None
    ) -> None:
        """Run every quality rule off the GUI thread; show the findings (and call ``then``)."""
        workspace, quality = self.workspace, self.quality
        if workspace is None or quality is None:
            return
        if self._checking and then is None:
            self._recheck = True  # one more run when this one ends
            return
        self._checking = True
        content, heard = workspace.content(), self._heard()

        def done(checked: Checked) -> None:
            self._checking = False
            if workspace is not self.workspace:
                return
            workspace.show_findings(checked.report, self._acknowledged, focus)
            if then is not None:
                then(checked, content)
            elif self._recheck:
                self._recheck = False
                self.run_check(focus=False)

        def failed(error: Exception) -> None:
            self._checking = False
            log.error("The quality check failed: %s", error)
            self.statusBar().showMessage(f"The quality check failed: {error}", 10_000)

        run_in_background(
            lambda: quality.run(content["fields"], content["narrative"], heard), done, failed
        )

    # -- leaving a job -----------------------------------------------------------------------------

    def submit(self) -> None:
        """Check, then queue the transcript (durably) and go back to the worklist.

        Errors block (the Check panel shows them); warnings need one confirmation.
        """
        if self.session is None or self.workspace is None:
            return
        self.run_check(focus=True, then=self._submit_checked)

    def _submit_checked(self, checked: Checked, content: dict[str, Any]) -> None:
        """Submit exactly what was checked, with the report and what the service needs."""
        session, report = self.session, checked.report
        if session is None:
            return
        blocking = report.blocking(self._acknowledged)
        if blocking:
            self.statusBar().showMessage(
                f"Cannot submit yet: {len(blocking)} error(s) to fix. {blocking[0].message}",
                10_000,
            )
            return
        warnings = report.unconfirmed(self._acknowledged)
        if warnings:
            listed = "\n".join(f"• {w.message}" for w in warnings[:8])
            more = f"\n… and {len(warnings) - 8} more" if len(warnings) > 8 else ""
            answer = QMessageBox.question(
                self,
                "Submit with warnings?",
                f"The check found {len(warnings)} warning(s):\n\n{listed}{more}\n\n"
                "Submit anyway? (No goes back to the findings.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            self._acknowledged |= {w.key for w in warnings}
        session.edited(**content)
        session.submit(
            {**report.to_dict(), "acknowledged": sorted(self._acknowledged)},
            checked.submission(self._acknowledged),
        )
        if self.station.player is not None:
            self.station.player.pause()
        self.statusBar().showMessage(f"Job {session.job_id} submitted; sending…", 8_000)
        self._leave()

    def return_job(self, reason: str, note: str) -> None:
        """Hand the job back with a reason."""
        session = self.session
        if session is None:
            return
        run_in_background(
            lambda: self.station.api.return_job(session.job_id, session.lease_token, reason, note),
            lambda _r: self._leave(),
            self._failed,
        )

    def back(self) -> None:
        """Back to the worklist; the job stays yours and its draft is kept."""
        self._snapshot()
        if self.station.player is not None:
            self.station.player.pause()
        self.pages.setCurrentWidget(self.worklist)
        self.refresh()

    def _leave(self) -> None:
        self.session = None
        self.pages.setCurrentWidget(self.worklist)
        self.refresh()

    def outbox_outcome(self, outcome: Outcome) -> None:
        """Called (on the GUI thread) after every attempt of the outbox."""
        if outcome.state == "sent":
            self.station.writer.discard(outcome.job_id)  # after any snapshot still queued
            extra = f" {outcome.message}" if outcome.message else ""
            self.statusBar().showMessage(
                f"Job {outcome.job_id} arrived at the service.{extra}", 8_000
            )
            self.refresh()
        elif outcome.state == "sign_in":
            self.sign_in_again()
        elif outcome.state in ("conflict", "rejected"):
            title = "Submission needs attention" if outcome.state == "conflict" else "Refused"
            self.notify(f"{title}: job {outcome.job_id}", outcome.message)
        self._show_pending()

    def sign_in_again(self) -> None:
        """The service refused an expired sign-in: sign in again, then send what waited."""
        if self._signing_in or self.station.reauthenticate is None:
            return
        self._signing_in = True
        try:
            if self.station.reauthenticate():
                self.station.outbox.signed_in()
                self.statusBar().showMessage("Signed in again; sending what waited.", 8_000)
        finally:
            self._signing_in = False

    def _show_pending(self) -> None:
        def shown(line: tuple[str, bool]) -> None:
            text, urgent = line
            self.pending.setText(text)
            self.pending.setStyleSheet("color: #b71c1c; font-weight: bold;" if urgent else "")

        run_in_background(self.station.outbox.status_line, shown, lambda e: log.warning("%s", e))

    def send_now(self) -> None:
        """Send every waiting submission now (Ctrl+Shift+S), without waiting for a backoff."""
        outbox = self.station.outbox
        run_in_background(outbox.retry_now, lambda _r: self._show_pending(), self._failed)
        self.statusBar().showMessage("Sending the waiting submissions now…", 5_000)

    def open_outbox(self) -> None:
        """The submissions dialog (Ctrl+Shift+O): what waits, why, and what happens next."""
        from scribedesk.ui.dialogs.outbox import OutboxDialog, SubmissionRow

        outbox = self.station.outbox

        def rows() -> list[SubmissionRow]:
            entries = outbox.waiting() + outbox.attention()
            return [SubmissionRow(e.id, e.job_id, e.state, outbox.describe(e)) for e in entries]

        def show(found: list[SubmissionRow]) -> None:
            self.outbox_dialog = OutboxDialog(
                found, self.send_now, lambda entry_id: self._dismiss(entry_id), self
            )
            self.outbox_dialog.finished.connect(lambda _r: self._show_pending())
            self.outbox_dialog.open()

        run_in_background(rows, show, self._failed)

    def _dismiss(self, entry_id: int) -> None:
        run_in_background(
            lambda: self.station.outbox.dismiss(entry_id),
            lambda _r: self._show_pending(),
            self._failed,
        )

    def open_settings(self) -> None:
        """The settings dialog (Ctrl+,); what can change at once is applied at once."""
        from scribedesk.config.settings import Key
        from scribedesk.ui.dialogs.settings import SettingsDialog
        from scribedesk.ui.theme import apply_theme

        settings = self.station.settings
        if settings is None or not SettingsDialog.prompt(settings, parent=self):
            return
        self.station.expansions = settings.get(Key.EXPANSIONS)
        self.station.checker.team.add_all(settings.get(Key.TEAM_DICTIONARY))
        if self.transport is not None:
            self.transport.settings = TransportSettings(
                play_mode=settings.get(Key.PLAY_MODE),
                backstep_s=settings.get(Key.BACKSTEP_S),
                step_s=settings.get(Key.REWIND_STEP_S),
                speed_step=settings.get(Key.SPEED_STEP),
            ).checked()
        if self.workspace is not None:
            self.workspace.narrative.expansions = {
                k.casefold(): v for k, v in self.station.expansions.items()
            }
            self.workspace.narrative.set_font_size(settings.get(Key.FONT_SIZE))
        apply_theme(settings.get(Key.THEME))
        self.statusBar().showMessage(
            "Settings saved. Hotkey and pedal changes apply at the next start.", 8_000
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._snapshot()
        self.station.writer.flush(timeout=3)
        super().closeEvent(event)
