"""The main window: a shell that hosts the pages of the signed-in user's role.

It owns what every page shares (the status bar, the playback inputs, the outbox line,
the settings and the connection to the service) and composes the pages (their logic is in
services/): a transcriptionist's worklist, job, feedback and training; a trainee's
exercises, job and training; a supervisor's (and an admin's) team, reviews, deliveries
and reports; an author's dictations and reports; a trainer's trainees, library and
curricula. The Go menu lists the desk's pages with their keys (Ctrl+1…).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)
from PySide6.QtWidgets import QSystemTrayIcon as Tray

from scribedesk.config.settings import Key
from scribedesk.domain.job import Job
from scribedesk.domain.roles import Role
from scribedesk.ui.bridge import ThreadBridge
from scribedesk.ui.pages.worklist_page import WorklistPage
from scribedesk.ui.tasks import AfterPaint, Background
from scribedesk.ui.workstation import Workstation

if TYPE_CHECKING:  # the rest of the desk is imported once the front page is painted
    from collections.abc import Callable

    from scribedesk.domain.templates import Template
    from scribedesk.playback.inputs import InputRouter
    from scribedesk.playback.transport import Action, TransportController
    from scribedesk.services.job_session import JobSession
    from scribedesk.services.opening import Opened

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The shell: pages in a stack, the status bar, shared keys and timers."""

    worklist_ready = Signal()  # the first worklist answer (or the first failure) is on screen
    job_page: Any  # these are made by complete() (the job page) and ui.desks (the others)
    training_page: Any

    def __init__(
        self,
        station: Workstation,
        bridge: ThreadBridge,
        role: Role = Role.TRANSCRIPTIONIST,
        first_look: Callable[[], list[Job]] | None = None,
    ) -> None:
        """With ``first_look`` (client.first_look: waits for the local service's worklist,
        asked for at the start; a transcriptionist's or a trainee's desk) the window shows
        the worklist page first, fills it with that answer and paints it; the rest of the
        desk is made after that paint (``complete``). Without it the whole desk is made
        here."""
        super().__init__()
        self.run = Background(self)  # work off the GUI thread, reported while I exist
        self.station, self.bridge, self.role = station, bridge, role
        self.setWindowTitle("ScribeDesk")
        self.resize(1280, 800)
        self.connection, self.saved, self.pending = QLabel(), QLabel(), QLabel()
        for label in (self.connection, self.saved, self.pending):
            self.statusBar().addPermanentWidget(label)
        self._answered = self._whole = False
        self._tray: Tray | None = None
        self.transport: TransportController | None = None
        self.router: InputRouter | None = None
        self.learning: Any = None  # ui.pedal_learning.PedalLearning, with a player
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        # Late-bound (lambda) so a test may replace notify, say or _failed on the window.
        self.list_page = WorklistPage(station, lambda: self._connected, lambda *a: self.notify(*a))
        self.desk: list[tuple[str, str, QWidget]] = []  # (title, keys, page) for the Go menu
        self._training_jobs: set[int] = set()  # exercises opened here: their result shows
        self._connected = station.connect is None
        self._waiting_job: tuple[Job, bool] | None = None  # asked to open before connecting
        if station.connect is not None:
            self.connection.setText("Connecting…")
        lists = self.list_page
        if role in (Role.TRANSCRIPTIONIST, Role.TRAINEE):  # the desk's first page
            self.pages.addWidget(lists)
            lists.loaded.connect(self._online)
        if first_look is not None and role in (Role.TRANSCRIPTIONIST, Role.TRAINEE):
            self.menuBar().addMenu("&File")  # the bar's height from the first paint on
            self.run(lambda: lists.use.marked(first_look()), self._first_look, self._no_look)
            QTimer.singleShot(250, self, self._show_saved)  # a slow answer: the saved list
        else:
            self._show_saved()
            self.complete()

    def _show_saved(self) -> None:
        """The worklist kept at the last run, shown while the service is not answering
        (not read at all once it has answered)."""
        if self.station.worklist_cache is not None and not self._answered:
            self.run(self.list_page.use.saved_jobs, self.list_page.show_saved, self._unsaved)

    def _no_look(self, _error: Exception) -> None:
        """No service to ask yet (or a token it no longer knows): the saved list, then the
        whole desk and the full connection."""
        self._show_saved()
        self.complete()

    def _first_look(self, jobs: list[Job]) -> None:
        self.list_page.show_live(jobs)
        AfterPaint(self.list_page.table.viewport(), self.complete)

    def complete(self) -> None:
        """Make the rest of the desk: playback, the job page and the role's other pages,
        the menus, keys and timers; then connect (once; anything that needs the whole
        desk calls this first)."""
        if self._whole:
            return
        self._whole = True
        from scribedesk.ui.desks import wire_desk
        from scribedesk.ui.menus import build_menus
        from scribedesk.ui.outbox_status import OutboxStatus
        from scribedesk.ui.pages.job_page import JobPage

        station = self.station
        station.ready()  # the player and the dictionary, loaded on their threads meanwhile
        self._playback()
        self.job_page = JobPage(station, self.transport, self.router)
        if self.transport is not None:  # the Mark hotkey puts a timestamp in the narrative
            self.transport.on_mark = self.job_page.mark
        self.outbox = OutboxStatus(
            station,
            self.pending,
            self,
            lambda *a: self.say(*a),
            lambda *a: self.notify(*a),
            lambda e: self._failed(e),
            self.refresh,
        )
        wire_desk(self)  # the role's pages (ui.desks)
        build_menus(self)
        for keys, slot in (
            ("Ctrl+,", self.open_settings),
            ("Ctrl+Shift+O", self.outbox.open_dialog),
            ("Ctrl+Shift+S", self.outbox.send_now),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self._timers = [
            self._every(ms, slot)
            for ms, slot in (
                (30_000, self.refresh),
                (30_000, self.list_page.model.tick),
                (33, self.job_page.show_position),
                (250, self.job_page.snapshot),
                (20_000, self.job_page.heartbeat),
                (2_000, self.outbox.show),
            )
        ]
        self._connect()
        self.outbox.show()
        if self._answered:  # the first look was on screen before the desk was whole
            self.worklist_ready.emit()

    def _playback(self) -> None:
        from scribedesk.ui.playback_wiring import wire_playback

        wire_playback(self)

    def _page_signals(self, page: Any) -> None:
        # A failure of these pages (a refresh, a move, a review refused) is told in the
        # status bar: no modal box steals the keyboard from the work.
        page.message.connect(self.say)
        page.failed.connect(lambda error: self.say(str(error), 15_000))

    def show_page(self, page: QWidget) -> None:
        """Bring a page of the desk to the front and load what it shows."""
        self.pages.setCurrentWidget(page)
        refresh = getattr(page, "refresh", None)
        if refresh is not None and page is not self.list_page:
            refresh()

    # -- what the tests and the menus reach ---------------------------------------------------

    worklist = property(lambda self: self.list_page)  # the worklist widget page
    model = property(lambda self: self.list_page.model)
    workspace = property(lambda self: self.job_page.workspace)
    session = property(lambda self: self.job_page.session)

    @staticmethod
    def transport_action(name: str) -> Action:
        """An Action by name (for menus and tests)."""
        from scribedesk.playback.transport import Action

        return Action(name)

    def say(self, text: str, ms: int = 0) -> None:
        """A message in the status bar (0 ms: until the next one; "" clears it)."""
        self.statusBar().showMessage(text, ms) if text else self.statusBar().clearMessage()

    def _every(self, ms: int, slot: Any) -> QTimer:
        timer = QTimer(self)
        timer.timeout.connect(slot)
        timer.start(ms)
        return timer

    # -- connecting -----------------------------------------------------------------------------

    def _connect(self) -> None:
        if self.station.connect is None:
            self.refresh()
        else:
            self.run(self.station.connect, self._service_ready, self._service_failed)

    def _unsaved(self, error: Exception) -> None:
        log.warning("The saved worklist could not be read: %s", error)

    def _service_ready(self, templates: dict[str, Template]) -> None:
        self._connected = True
        self.station.use_templates(templates)
        self.refresh()
        self.run(self.station.api.me, self._check_role, lambda _e: None)
        if self._waiting_job is not None:
            (job, claimed), self._waiting_job = self._waiting_job, None
            self.open_job(job, claimed)

    def _service_failed(self, error: Exception) -> None:
        self._offline(error)
        QMessageBox.critical(
            self,
            "ScribeDesk",
            f"The service could not start: {error} Your drafts are kept on this computer.",
        )

    def _check_role(self, me: dict[str, Any]) -> None:
        """A role changed on the service since this desk was chosen (a trainee certified
        meanwhile): say so; the new desk opens at the next start."""
        role = me.get("role")
        if role and role != self.role.value:
            self.notify(
                "Your role has changed",
                f"You are now a {role}. Restart ScribeDesk to open the {role}'s desk.",
            )

    def refresh(self) -> None:
        """Reload what the desk's front page shows (the worklist, or the team), in the
        background."""
        if self.role in (Role.TRANSCRIPTIONIST, Role.TRAINEE):
            self.list_page.refresh()
        elif self.desk:
            page = self.pages.currentWidget()
            refresh = getattr(page, "refresh", None)
            if refresh is not None:
                refresh()

    def next_job(self) -> None:
        """Claim the next job and open it (Ctrl+N)."""
        self.list_page.next_job()

    def _online(self) -> None:
        self.connection.setText(f"Connected to {self.station.api.base_url}")
        self.connection.setStyleSheet("")
        self._first_answer()

    def _offline(self, error: Exception) -> None:
        self.connection.setText(f"Offline: {error}")
        self.connection.setStyleSheet("color: #b71c1c;")
        self._first_answer()

    def _first_answer(self) -> None:
        if not self._answered:
            self._answered = True
            if self._whole:  # else complete() says it, once the desk is whole
                self.worklist_ready.emit()

    def _failed(self, error: Exception) -> None:
        QMessageBox.warning(self, "ScribeDesk", str(error))

    # -- a job ------------------------------------------------------------------------------------

    def open_job(self, job: Job, claimed: bool = False) -> None:
        """Lease, draft, audio and peaks in the background; then the job page.

        ``claimed``: the job comes straight from a claim, with a fresh lease; any other job
        takes a new lease here (this workstation is where the user now works on it).
        """
        from scribedesk.services.job_session import JobSession
        from scribedesk.services.opening import open_job

        self.complete()
        if not self._connected:
            self._waiting_job = (job, claimed)
            self.say(f"Job {job.id} opens as soon as the service answers…", 10_000)
            return
        template = self.station.templates.get(job.template_id)
        if template is None:
            self._failed(
                RuntimeError(
                    f"This workstation cannot show the template {job.template_id!r}; "
                    "return the job or update."
                )
            )
            return
        if job.training:
            self._training_jobs.add(job.id)
        self.say(f"Opening job {job.id}…")
        station, bridge = self.station, self.bridge

        def session(job: Job, draft: Any, token: str) -> JobSession:
            return JobSession(job, draft, station.writer, station.outbox, lease_token=token)

        def prepare() -> Opened:
            return open_job(
                job,
                template.id,
                claimed=claimed,
                api=station.api,
                drafts=station.drafts,
                outbox=station.outbox,
                audio=station.cache,
                peaks_dir=station.peaks_dir,
                make_session=session,
                progress=lambda done, total: bridge.download.emit(job.id, done, total),
            )

        shown = self.job_page.show_job
        self.run(prepare, lambda opened: shown(template, opened), self._failed)

    def back(self) -> None:
        """Back to the worklist (Ctrl+W); the job stays yours and its draft is kept."""
        self.job_page.back()

    def _left_job(self) -> None:
        self.pages.setCurrentWidget(self.list_page)
        self.saved.setText("")  # "Draft saved" is about the job just left
        self.refresh()

    def _pedal_state(self, name: str | None) -> None:  # before the job page exists
        self.job_page.pedal_state(name)

    # -- shared -----------------------------------------------------------------------------------

    def outbox_outcome(self, outcome: Any) -> None:
        """Called (on the GUI thread) after every attempt of the outbox; an exercise that
        arrived brings its scored result forward."""
        self.complete()
        self.outbox.outcome(outcome)
        if outcome.state == "sent" and outcome.job_id in self._training_jobs:
            self._training_jobs.discard(outcome.job_id)
            self.show_page(self.training_page)
            self.training_page.show_job(outcome.job_id)

    def notify(self, title: str, text: str) -> None:
        """A desktop notification (tray balloon where there is a tray), and the taskbar alert."""
        if Tray.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = Tray(self.windowIcon(), self)
                self._tray.show()
            self._tray.showMessage(title, text, Tray.MessageIcon.Warning, 10_000)
        QApplication.alert(self)
        settings = self.station.settings
        if settings is not None and settings.get(Key.NOTIFY_SOUND):
            QApplication.beep()  # the desktop's own notification sound
        self.say(f"{title}: {text}", 15_000)

    def open_settings(self) -> None:
        """The settings dialog (Ctrl+,); what can change at once is applied at once."""
        from scribedesk.ui.dialogs.settings import SettingsDialog, apply_settings

        settings = self.station.settings
        learn = (lambda: self.learning.start(self)) if self.router is not None else None
        if settings is not None and SettingsDialog.prompt(settings, parent=self, learn=learn):
            apply_settings(settings, self.station, self.transport, self.workspace, self.router)
            self.say("Settings saved. Hotkey changes apply at the next start.", 8_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._whole:
            self.job_page.snapshot()
        self.station.writer.flush(timeout=3)
        super().closeEvent(event)
