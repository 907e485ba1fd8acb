"""The outbox as the window shows it: the status-bar line, the Submissions dialog, Send now,
and what each outcome means for the user (draft discarded, sign in again, attention)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QWidget

from scribedesk.services.outbox import Outcome
from scribedesk.ui.tasks import run_in_background
from scribedesk.ui.workstation import Workstation

log = logging.getLogger(__name__)


class OutboxStatus:
    """Keeps ``label`` true to the outbox and answers its outcomes (GUI thread)."""

    def __init__(
        self,
        station: Workstation,
        label: QLabel,
        parent: QWidget,
        say: Callable[[str, int], None],
        notify: Callable[[str, str], None],
        failed: Callable[[Exception], None],
        arrived: Callable[[], None],
    ) -> None:
        self.station, self.label, self.parent = station, label, parent
        self._say, self._notify, self._failed, self._arrived = say, notify, failed, arrived
        self._signing_in = False
        self.dialog: QWidget | None = None
        label.setToolTip("Ctrl+Shift+O lists the submissions; Ctrl+Shift+S sends now")

    def outcome(self, outcome: Outcome) -> None:
        """After every attempt of the outbox."""
        if outcome.state == "sent":
            self.station.writer.discard(outcome.job_id)  # after any snapshot still queued
            extra = f" {outcome.message}" if outcome.message else ""
            self._say(f"Job {outcome.job_id} arrived at the service.{extra}", 8_000)
            self._arrived()
        elif outcome.state == "sign_in":
            self.sign_in_again()
        elif outcome.state in ("conflict", "rejected"):
            title = "Submission needs attention" if outcome.state == "conflict" else "Refused"
            self._notify(f"{title}: job {outcome.job_id}", outcome.message)
        self.show()

    def sign_in_again(self) -> None:
        """The service refused an expired sign-in: sign in again, then send what waited."""
        if self._signing_in or self.station.reauthenticate is None:
            return
        self._signing_in = True
        try:
            if self.station.reauthenticate():
                self.station.outbox.signed_in()
                self._say("Signed in again; sending what waited.", 8_000)
        finally:
            self._signing_in = False

    def show(self) -> None:
        """Bring the status-bar line up to date (read in the background)."""

        def shown(line: tuple[str, bool]) -> None:
            text, urgent = line
            self.label.setText(text)
            self.label.setStyleSheet("color: #b71c1c; font-weight: bold;" if urgent else "")

        run_in_background(
            self.station.outbox.status_line,
            shown,
            lambda e: log.warning("%s", e),
            owner=self.label,
        )

    def send_now(self) -> None:
        """Send every waiting submission now (Ctrl+Shift+S), without waiting for a backoff."""
        outbox = self.station.outbox
        run_in_background(outbox.retry_now, lambda _r: self.show(), self._failed, owner=self.label)
        self._say("Sending the waiting submissions now…", 5_000)

    def open_dialog(self) -> None:
        """The submissions dialog (Ctrl+Shift+O): what waits, why, and what happens next."""
        from scribedesk.ui.dialogs.outbox import OutboxDialog, SubmissionRow

        outbox = self.station.outbox

        def rows() -> list[SubmissionRow]:
            entries = outbox.waiting() + outbox.attention()
            return [SubmissionRow(e.id, e.job_id, e.state, outbox.describe(e)) for e in entries]

        def show(found: list[SubmissionRow]) -> None:
            dialog = OutboxDialog(found, self.send_now, self._dismiss, self.parent)
            dialog.finished.connect(lambda _r: self.show())
            self.dialog = dialog
            dialog.open()

        run_in_background(rows, show, self._failed, owner=self.label)

    def _dismiss(self, entry_id: int) -> None:
        run_in_background(
            lambda: self.station.outbox.dismiss(entry_id),
            lambda _r: self.show(),
            self._failed,
            owner=self.label,
        )
