"""Sign in: the embedded local service, or a team's service with user name and password."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)


@dataclass(frozen=True)
class SignIn:
    """What the user entered: server None means the embedded local service."""

    server: str | None
    user: str
    password: str


class SignInDialog(QDialog):
    """Server, user name, password; "Work on this computer" picks the embedded service."""

    def __init__(
        self, server: str = "", user: str = "", message: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to ScribeDesk")
        self.local = QCheckBox("Work on this computer (built-in service with demo data)")
        self.local.setChecked(not server)
        self.server = QLineEdit(server, placeholderText="https://scribedesk.example.com")
        self.user = QLineEdit(user)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.message = QLabel(message)
        self.message.setStyleSheet("color: #b71c1c;")
        self.message.setVisible(bool(message))
        self.local.toggled.connect(self._local_changed)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.message)
        form.addRow(self.local)
        form.addRow("Server", self.server)
        form.addRow("User name", self.user)
        form.addRow("Password", self.password)
        form.addRow(buttons)
        self._local_changed(self.local.isChecked())
        self.first_field().setFocus()

    def first_field(self) -> QWidget:
        """Where typing starts: the first field still empty (the password, usually), or
        the local-service choice when nothing needs typing."""
        if self.local.isChecked():
            return self.local
        for field in (self.server, self.user, self.password):
            if not field.text().strip():
                return field
        return self.password

    def showEvent(self, event):  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.first_field().setFocus()

    def accept(self) -> None:
        """Enter signs in only with what a sign-in needs; else it says what is missing
        and puts the cursor there (an empty password is never sent)."""
        if not self.local.isChecked():
            for field, what in (
                (self.server, "the service's address"),
                (self.user, "your user name"),
                (self.password, "your password"),
            ):
                if not field.text().strip():
                    self.message.setText(f"Type {what}.")
                    self.message.setVisible(True)
                    field.setFocus()
                    return
        super().accept()

    def _local_changed(self, local: bool) -> None:
        self.server.setEnabled(not local)
        if local and not self.user.text():
            self.user.setText("tara")

    def answer(self) -> SignIn:
        """The form's content."""
        server = None if self.local.isChecked() else self.server.text().strip() or None
        return SignIn(server, self.user.text().strip(), self.password.text())

    @classmethod
    def prompt(
        cls, server: str = "", user: str = "", message: str = "", parent: QWidget | None = None
    ) -> SignIn | None:
        """Ask; None when cancelled."""
        dialog = cls(server, user, message, parent)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None
