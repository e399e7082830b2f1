"""Users, for administrators: add, disable or enable, change a role, reset a password
and PIN, and print a badge (the `U:` barcode a station scans to log in)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.documents.small_labels import render_badges
from app.domain.permissions import ROLES, role_name
from app.errors import OmsError
from app.output_file import write_file
from app.services import users
from app.services.users import UserView
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.views.feedback_banner import FeedbackBanner
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

COLUMNS = ("User", "Name", "Role", "State", "Log-in", "Badge")


class UserForm(QDialog):
    """A new user, or new secrets for one: the password twice, an optional PIN."""

    def __init__(self, parent: QWidget, *, username: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New password for {username}" if username else "Add a user")
        self.username = QLineEdit(username or "")
        self.username.setObjectName("formUser")
        self.username.setReadOnly(username is not None)
        self.full_name = QLineEdit()
        self.full_name.setObjectName("formName")
        self.role = QComboBox()
        self.role.setObjectName("formRole")
        for role in ROLES:
            self.role.addItem(role_name(role), role)
        self.password = QLineEdit()
        self.password.setObjectName("formPassword")
        self.pin = QLineEdit()
        self.pin.setObjectName("formPin")
        self.pin.setPlaceholderText("4-8 digits, for badge log-in at a station")
        for edit in (self.password, self.pin):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow("User name", self.username)
        if username is None:
            form.addRow("Full name", self.full_name)
            form.addRow("Role", self.role)
        form.addRow("Password", self.password)
        form.addRow("PIN", self.pin)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class UsersView(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersPage")
        self._ctx = ctx
        self.found: list[UserView] = []
        self.banner = FeedbackBanner(self)
        self.table = ReadOnlyTableWidget(COLUMNS, stretch=1)
        self.table.setObjectName("usersTable")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        buttons = QHBoxLayout()
        self.role_box = QComboBox()
        for role in ROLES:
            self.role_box.addItem(role_name(role), role)
        for text, slot, name in (
            ("Add user...", self._add, "addUser"),
            ("Disable", self._disable, "disableUser"),
            ("Enable", self._enable, "enableUser"),
            ("Reset password...", self._reset, "resetPassword"),
            ("Print badge...", self._badge, "printBadge"),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        set_role = QPushButton("Set role")
        set_role.clicked.connect(self._set_role)
        buttons.addStretch(1)
        buttons.addWidget(self.role_box)
        buttons.addWidget(set_role)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        QueryOp(self, self._ctx, users.list_users, self._ctx.actor).success(self._show).failure(
            self.banner.show_refusal
        ).run()

    def selected(self) -> UserView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.found[rows[0].row()] if rows else None

    def _show(self, found: list[UserView]) -> None:
        self.found = found
        self.table.set_rows(
            [
                (
                    user.username,
                    user.display_name,
                    role_name(user.role),
                    "active" if user.active else "disabled",
                    ("password" if user.has_password else "none")
                    + (" + PIN" if user.has_pin else ""),
                    user.badge or "",
                )
                for user in found
            ]
        )

    def _done(self, message: str) -> None:
        self.banner.show_ok(message)
        self.refresh()

    def _add(self) -> None:
        form = UserForm(self)
        if form.exec() != QDialog.DialogCode.Accepted:
            return
        DbOp(
            self,
            self._ctx,
            users.add_user,
            self._ctx.actor,
            form.username.text(),
            str(form.role.currentData()),
            form.password.text(),
            display_name=form.full_name.text() or None,
            pin=form.pin.text() or None,
        ).success(lambda made: self._done(f"added {made.username}, badge {made.badge}")).failure(
            self.banner.show_refusal
        ).run()

    def _on_selected(self, service: object, verb: str, *args: object) -> None:
        user = self.selected()
        if user is None:
            self.banner.show_problem("choose a user in the list first")
            return
        DbOp(self, self._ctx, service, self._ctx.actor, user.username, *args).success(  # type: ignore[arg-type]
            lambda _: self._done(f"{verb} {user.username}")
        ).failure(self.banner.show_refusal).run()

    def _disable(self) -> None:
        self._on_selected(users.disable_user, "disabled")

    def _enable(self) -> None:
        self._on_selected(users.enable_user, "enabled")

    def _set_role(self) -> None:
        self._on_selected(users.set_role, "changed the role of", str(self.role_box.currentData()))

    def _reset(self) -> None:
        user = self.selected()
        if user is None:
            self.banner.show_problem("choose a user in the list first")
            return
        form = UserForm(self, username=user.username)
        if form.exec() == QDialog.DialogCode.Accepted:
            pin = form.pin.text() or None
            self._on_selected(users.reset_password, "new password for", form.password.text(), pin)

    def _badge(self) -> None:
        user = self.selected()
        if user is None:
            self.banner.show_problem("choose a user in the list first")
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the badge", f"badge-{user.username}.pdf", "PDF (*.pdf)"
        )
        if name:
            self.write_badge(user, Path(name))

    def write_badge(self, user: UserView, path: Path) -> None:
        """The user's name over their `U:` badge as Code 128, as a PDF label."""
        DbOp(self, self._ctx, users.badge_of, self._ctx.actor, user.username).success(
            lambda shown: self._write(shown, path)
        ).failure(self.banner.show_refusal).run()

    def _write(self, user: UserView, path: Path) -> None:
        try:
            write_file(path, render_badges([(user.display_name, user.badge or "")]))
        except OmsError as exc:
            self.banner.show_refusal(exc)
            return
        self.banner.show_ok(f"badge {user.badge} for {user.username} saved to {path}")
