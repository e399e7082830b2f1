"""The GUI's first start on a database nobody can log in to yet: make the first
administrator, or carry on without log-in (the status bar says what that means)."""

from __future__ import annotations

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
from app.errors import OmsError
from app.services.database_setup import Database
from app.services.users import add_user, log_in


class FirstAdminDialog(QDialog):
    """Accepted with `actor` = the new administrator, logged in at `station`."""

    def __init__(
        self, db: Database, system: Actor, station: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.db, self.system, self.station = db, system, station
        self.actor: Actor | None = None
        self.setWindowTitle("Create the first administrator")
        self.setObjectName("firstAdminDialog")
        intro = QLabel(
            "Nobody has a log-in yet, so anyone at any station can do anything. Create the "
            "administrator who adds the others; from then on everyone logs in."
        )
        intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("adminUser")
        self.full_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setObjectName("adminPassword")
        self.again = QLineEdit()
        self.again.setObjectName("adminPasswordAgain")
        for edit in (self.password, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setObjectName("firstAdminMessage")
        self.message.setStyleSheet("color: #b00020; font-weight: 600;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("User name", self.username)
        form.addRow("Full name", self.full_name)
        form.addRow("Password", self.password)
        form.addRow("Password again", self.again)
        buttons = QDialogButtonBox()
        create = buttons.addButton("Create administrator", QDialogButtonBox.ButtonRole.AcceptRole)
        create.setObjectName("createAdmin")
        later = buttons.addButton("Not now", QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("notNow")
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _create(self) -> None:
        if self.password.text() != self.again.text():
            self.message.setText("the two passwords differ - type them again")
            self.again.clear()
            return
        try:
            made = add_user(
                self.db,
                self.system,
                self.username.text(),
                "admin",
                self.password.text(),
                display_name=self.full_name.text() or None,
            )
            self.actor = log_in(self.db, made.username, self.password.text(), self.station)
        except OmsError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
