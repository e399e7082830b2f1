"""The log-in: at the desk a name and password; at a station a badge scan and a PIN,
typed on the keyboard wedge and the number pad alone (Enter moves on, no mouse)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.context import Actor
from app.domain.credentials import badge_code
from app.errors import OmsError
from app.services.database_setup import Database
from app.services.users import log_in, log_in_with_badge


class LoginDialog(QDialog):
    """Accepted with `actor` set once a log-in succeeds; every refusal is shown in one
    line and the fields are ready for the next try."""

    def __init__(
        self,
        db: Database,
        station: str,
        *,
        badge: bool,
        locked_from: Actor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.station, self.badge = db, station, badge
        self.locked_from = locked_from
        self.actor: Actor | None = None
        self.setWindowTitle("Shipshape - log in")
        self.setObjectName("loginDialog")
        self.setMinimumWidth(420)
        heading = QLabel(self._heading())
        heading.setObjectName("loginHeading")
        heading.setWordWrap(True)
        heading.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("loginName")
        self.secret_edit = QLineEdit()
        self.secret_edit.setObjectName("loginSecret")
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020; font-weight: 600;")
        form = QFormLayout()
        if badge:
            self.name_edit.setPlaceholderText("scan your badge (U:...)")
            self.secret_edit.setPlaceholderText("PIN")
            self.secret_edit.setMaxLength(8)
            form.addRow("Badge", self.name_edit)
            form.addRow("PIN", self.secret_edit)
        else:
            self.name_edit.setPlaceholderText("user name")
            form.addRow("User", self.name_edit)
            form.addRow("Password", self.secret_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        if not badge:
            buttons = QDialogButtonBox(
                QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            )
            buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Log in")
            buttons.accepted.connect(self._try)
            buttons.rejected.connect(self.reject)
            layout.addWidget(buttons)
        self.name_edit.returnPressed.connect(self._name_entered)
        self.secret_edit.returnPressed.connect(self._try)
        self.name_edit.setFocus()

    def _heading(self) -> str:
        if self.locked_from is not None:
            return (
                f"Locked - {self.locked_from.username} was logged in here. "
                "Scan a badge to carry on."
            )
        return "Scan your badge, then type your PIN" if self.badge else "Log in to Shipshape"

    def _name_entered(self) -> None:
        text = self.name_edit.text()
        if self.badge and badge_code(text) is None:
            try:  # refused, audited and counted against the station by the service
                log_in_with_badge(self.db, text, "", self.station)
            except OmsError as exc:
                self._refused(str(exc))
            return
        self.message.setText("")
        self.secret_edit.setFocus()

    def _try(self) -> None:
        name, secret = self.name_edit.text(), self.secret_edit.text()
        try:
            if self.badge:
                self.actor = log_in_with_badge(
                    self.db, name, secret, self.station, taking_over=self.locked_from
                )
            else:
                self.actor = log_in(self.db, name, secret, self.station)
        except OmsError as exc:
            self._refused(str(exc))
            return
        self.accept()

    def _refused(self, message: str) -> None:
        self.message.setText(message)
        self.secret_edit.clear()
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves on field by field (the fields handle it), never presses a button;
        a station's lock has no way out but a log-in, so Escape does nothing there."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        if event.key() == Qt.Key.Key_Escape and self.badge:
            return
        super().keyPressEvent(event)
