"""The job page: the open job's workspace, its autosave, lease, quality checks and submission.

It hosts one JobWorkspace at a time. The logic lives in services (JobSession, QualityCheck,
the outbox); this page wires the workspace to them, runs their blocking parts through
``run_in_background`` and tells the window what to say (``message``) and when the user
left the job (``left``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QStackedWidget

from scribedesk.config.settings import Key
from scribedesk.domain.quality import KnownNames
from scribedesk.domain.templates import Template
from scribedesk.domain.transcript import format_tenths, parse_clock
from scribedesk.playback.inputs import InputRouter
from scribedesk.playback.player import PlayerError
from scribedesk.playback.transport import Action, TransportController
from scribedesk.services.job_session import JobSession
from scribedesk.services.opening import Opened
from scribedesk.services.outbox import counted
from scribedesk.services.quality import Checked, QualityCheck
from scribedesk.ui.tasks import Background
from scribedesk.ui.workstation import Workstation

if TYPE_CHECKING:  # imported when the first job opens (with numpy, for the waveform)
    from scribedesk.ui.widgets.job_workspace import JobWorkspace

log = logging.getLogger(__name__)


class JobPage(QStackedWidget):
    """The open job (one workspace at a time)."""

    shown = Signal()  # a job is on screen
    left = Signal()  # the user left the job (submitted, returned, or back to the worklist)
    message = Signal(str, int)  # for the status bar: text, milliseconds (0: until replaced)
    saved_state = Signal(str)  # "Saving…" / "Draft saved"
    failed = Signal(object)  # an exception worth a warning box
    unreachable = Signal(object)  # the service could not be asked
    peek_requested = Signal(int, str, str)  # job id, lease token, narrative so far
    submitted = Signal(int)  # the job id, queued in the outbox just now

    def __init__(
        self,
        station: Workstation,
        transport: TransportController | None,
        router: InputRouter | None,
    ) -> None:
        super().__init__()
        self.run = Background(self)  # work off the GUI thread, reported while I exist
        self.station = station
        self.transport = transport
        self.router = router
        self.workspace: JobWorkspace | None = None
        self.session: JobSession | None = None
        self.quality: QualityCheck | None = None
        self._acknowledged: set[str] = set()
        self._content_dirty = False
        self._checking = False
        self._recheck = False
        self._ask_text = QInputDialog.getText  # a test answers instead

    def _say(self, text: str, ms: int = 0) -> None:
        self.message.emit(text, ms)

    def show_job(self, template: Template, opened: Opened) -> None:
        """Put ``opened`` on screen in a new workspace (the player loads its audio)."""
        session, draft, directory = opened.session, opened.draft, opened.directory
        path, peaks = opened.audio, opened.peaks
        player = self.station.player
        accounts = sorted({session.job.account, *(directory.accounts if directory else ())})
        people = list(directory.people) if directory else []
        from scribedesk.ui.widgets.job_workspace import JobWorkspace

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
        # The names this job knows are never flagged in its narrative: the account, the
        # directory's people, and whatever is typed into the fields.
        spell = workspace.narrative.highlighter
        spell.exempt_names([*accounts, *people])
        names = QTimer(workspace, singleShot=True, interval=600)  # once typing in a field stops
        names.timeout.connect(lambda: spell.exempt_names(_texts(workspace.form.values().values())))
        workspace.form.changed.connect(names.start)
        names.start()
        workspace.transport.waveform.set_peaks(peaks, duration)
        if player is not None:
            try:
                player.load(path)
            except PlayerError as exc:
                self._say(str(exc), 10_000)
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
            self._say(self.station.player_problem, 20_000)
        if draft is not None:
            workspace.restore(draft.fields, draft.narrative, draft.cursor, draft.note_to_supervisor)
            saved = opened.saved_at
            when = datetime.fromtimestamp(saved).strftime("%H:%M:%S") if saved else ""
            self._say(f"Your draft was restored (saved {when}).", 8_000)
        else:
            self._say("", 0)
        workspace.transport.show_pedal(self.router.pedal_name if self.router else None)
        workspace.changed.connect(lambda: self._edited(workspace))
        workspace.submit_requested.connect(self.submit)
        workspace.return_requested.connect(self.return_job)
        workspace.back_requested.connect(self.back)
        workspace.peek_requested.connect(self.peek)
        if self.workspace is not None:
            self.removeWidget(self.workspace)
            self.workspace.deleteLater()
        self.workspace, self.session = workspace, session
        self._content_dirty = False
        self.addWidget(workspace)
        self.setCurrentWidget(workspace)
        self.shown.emit()
        workspace.narrative.setFocus()

    # -- while working ----------------------------------------------------------------------------

    def _edited(self, workspace: JobWorkspace) -> None:
        # Called on every keystroke: only note it. Reading the whole narrative back from
        # the editor happens on the snapshot timer, at most four times a second.
        if self.session is not None and workspace is self.workspace:
            self._content_dirty = True
            self.saved_state.emit("Saving…")

    def snapshot(self) -> None:
        """Hand what changed to the draft writer (every 250 ms, and when leaving)."""
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
            self.saved_state.emit("Draft saved")

    def show_position(self) -> None:
        """The position, play state and heard parts on the transport bar (~30 times a second)."""
        player, workspace = self.station.player, self.workspace
        if player is None or workspace is None or not workspace.isVisible():
            return
        position = player.tick()
        workspace.transport.show_state(position, player.duration_ms, player.playing, player.rate)
        workspace.transport.waveform.set_heard(player.heard.ranges.spans)

    def heartbeat(self) -> None:
        """Renew the lease of the open job in the background (every 20 s)."""
        session = self.session
        if session is None or session.submitted_key:
            return

        def beat() -> bool:
            return session.heartbeat(self.station.api)

        def after(alive: bool) -> None:
            if not alive and self.workspace is not None and session is self.session:
                self.workspace.show_lease_lost(session.lease_lost)

        self.run(beat, after, self.unreachable.emit)

    def mark(self, _position_ms: int) -> None:
        """The Mark hotkey (Ctrl+Alt+M): a timestamp marker at the audio's position, where
        the cursor is in the narrative."""
        if self.workspace is not None:
            self.workspace.narrative.insert_marker("timestamp")

    def pedal_state(self, name: str | None) -> None:
        """Show which pedal is connected (or none) on the open job's transport bar."""
        if self.workspace is not None:
            self.workspace.transport.show_pedal(name)

    def go_to_time(self) -> None:
        """Jump the audio to a typed position (Ctrl+G): hh:mm:ss, mm:ss or seconds."""
        player, workspace = self.station.player, self.workspace
        if player is None or workspace is None:
            return
        text, ok = self._ask_text(self, "Go to time", "Position (hh:mm:ss, mm:ss or seconds):")
        if not ok:
            return
        position = parse_clock(text)
        if position is None:
            self._say(f"{text!r} is not a time: type hh:mm:ss, mm:ss or seconds.", 8000)
        else:
            player.seek_ms(min(position, player.duration_ms))
            self._say(f"At {format_tenths(player.position_ms)}.", 4000)
        workspace.narrative.setFocus()

    def replay(self, slower: bool = False) -> None:
        """Play the last few seconds again (F9), at three quarters of the speed with
        Shift+F9; the speed comes back after them."""
        player = self.station.player
        if player is None or self.workspace is None:
            return
        settings = self.station.settings
        seconds = float(settings.get(Key.REPLAY_S)) if settings is not None else 5.0
        player.seek_ms(max(0, player.position_ms - int(seconds * 1000)))
        if slower:
            rate = player.rate
            player.set_rate(max(0.5, round(rate * 0.75, 2)))
            QTimer.singleShot(int(seconds * 1000 / 0.75), lambda: player.set_rate(rate))
        player.play()

    def pedals_down(self, down: list[str]) -> None:
        """Light the pedal indicator while pedals are held."""
        if self.workspace is not None:
            self.workspace.transport.show_pedals_down(down)

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
            self._say(f"The quality check failed: {error}", 10_000)

        self.run(lambda: quality.run(content["fields"], content["narrative"], heard), done, failed)

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
            self._say(
                f"Cannot submit yet: {counted(len(blocking), 'error')} to fix. "
                f"{blocking[0].message}",
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
                f"The check found {counted(len(warnings), 'warning')}:\n\n{listed}{more}\n\n"
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
        self._say(f"Job {session.job_id} submitted; sending…", 8_000)
        self.submitted.emit(session.job_id)
        self._leave()

    def return_job(self, reason: str, note: str) -> None:
        """Hand the job back with a reason."""
        session = self.session
        if session is None:
            return
        self.run(
            lambda: self.station.api.return_job(session.job_id, session.lease_token, reason, note),
            lambda _r: self._leave(),
            self.failed.emit,
        )

    def peek(self) -> None:
        """Ask for the gold sentence at the cursor's place (a training exercise only)."""
        session, workspace = self.session, self.workspace
        if session is None or workspace is None or not session.job.training:
            return
        narrative = workspace.narrative.toPlainText()
        self.peek_requested.emit(session.job_id, session.lease_token, narrative)

    def back(self) -> None:
        """Back to the worklist; the job stays yours and its draft is kept."""
        self.snapshot()
        if self.station.player is not None:
            self.station.player.pause()
        self.left.emit()

    def _leave(self) -> None:
        self.session = None
        self.left.emit()


def _texts(values: Any) -> list[str]:
    """Every text inside field values (people's names and roles, lists, numbers as typed)."""
    found: list[str] = []
    for value in values:
        if isinstance(value, dict):
            found += _texts(value.values())
        elif isinstance(value, list):
            found += _texts(value)
        elif value not in (None, ""):
            found.append(str(value))
    return found
