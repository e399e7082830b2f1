"""ChannelsPage: each sales channel's stock safety buffer, risk-rule overrides, the sender
its customers see and whether its parcels get a packing slip."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from app.domain.site_settings import SPECS
from app.errors import ValidationFailed
from app.services.master_data import ChannelBranding, MasterData, load_master_data, save_channels
from app.services.settings import RISK_PREFIX, SettingView, list_settings
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.settings.page_parts import ProblemsLabel, button, table_and_editor
from ui.views.feedback_banner import FeedbackBanner
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

TITLE = "Channels"
HEADERS = ("Code", "Name", "Safety buffer", "Sender", "Packing slip", "Risk overrides")
RISK_KEYS = [key for key in SPECS if key.startswith(RISK_PREFIX)]


class ChannelsPage(QWidget):
    """Choose a channel in the table; its branding and overrides are edited beside it.
    `refreshed` once the channels are listed."""

    refreshed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title = TITLE
        self.channels: list[ChannelBranding] = []
        self.table = ReadOnlyTableWidget(HEADERS, numeric=(2,), stretch=5)
        self.banner = FeedbackBanner()
        self.problems = ProblemsLabel()
        self.name_edit = QLineEdit()
        self.sender_edit = QLineEdit()
        self.email_edit = QLineEdit()
        self.slip_check = QCheckBox("Print a packing slip with every parcel")
        self.buffer_spin = QSpinBox()
        self.buffer_spin.setRange(0, 1_000_000)
        self.buffer_spin.setToolTip("Units held back from what this channel is told it can sell")
        self.risk_edits = {key: QLineEdit() for key in RISK_KEYS}
        self.save_button = button("Save channel", self.save, keys="Ctrl+S", primary=True)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self._lay_out()
        self._on_table_selection_changed()

    def refresh(self) -> None:
        QueryOp(self, self._ctx, load_master_data).success(self._on_loaded).failure(
            self.banner.show_refusal
        ).run()
        QueryOp(self, self._ctx, list_settings).success(self._on_settings_loaded).run()

    def selected(self) -> ChannelBranding | None:
        rows = self.table.selectionModel().selectedRows()
        return self.channels[rows[0].row()] if rows else None

    def select_channel(self, code: str) -> None:
        for row, channel in enumerate(self.channels):
            if channel.code == code:
                self.table.selectRow(row)

    def branding(self, code: str) -> ChannelBranding:
        """The form as the branding of channel `code`; an empty override is the site's."""
        return ChannelBranding(
            code,
            name=self.name_edit.text().strip() or None,
            sender_name=self.sender_edit.text().strip(),
            sender_email=self.email_edit.text().strip(),
            packing_slip=self.slip_check.isChecked(),
            safety_buffer=self.buffer_spin.value(),
            risk_overrides={
                key.removeprefix(RISK_PREFIX): edit.text().strip()
                for key, edit in self.risk_edits.items()
                if edit.text().strip()
            },
        )

    def save(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        branding = self.branding(chosen.code)
        DbOp(self, self._ctx, save_channels, self._ctx.actor, [branding]).success(
            lambda _count: self._on_saved(chosen.code)
        ).failure(self._on_refused).run(initiator=self)

    def _on_loaded(self, master: MasterData) -> None:
        chosen = self.selected()
        self.channels = master.channels
        self.table.set_rows(
            [
                (
                    c.code,
                    c.name or "",
                    str(c.safety_buffer or 0),
                    " ".join(filter(None, (c.sender_name, c.sender_email))),
                    "yes" if c.packing_slip else "no",
                    ", ".join(f"{k} {v}" for k, v in (c.risk_overrides or {}).items()),
                )
                for c in master.channels
            ]
        )
        if chosen is not None:
            self.select_channel(chosen.code)
        self.refreshed.emit()

    def _on_settings_loaded(self, views: list[SettingView]) -> None:
        for view in views:
            if view.key in self.risk_edits:
                self.risk_edits[view.key].setPlaceholderText(f"site setting: {view.value}")

    def _on_saved(self, code: str) -> None:
        self.banner.show_ok(f"Channel {code} saved.")
        self.problems.show_problems([])
        self.refresh()

    def _on_refused(self, exc: Exception) -> None:
        self.problems.show_problems(exc.problems if isinstance(exc, ValidationFailed) else [])
        self.banner.show_refusal(exc)

    def _on_table_selection_changed(self) -> None:
        chosen = self.selected()
        self.save_button.setEnabled(chosen is not None)
        if chosen is None:
            return
        self.name_edit.setText(chosen.name or "")
        self.sender_edit.setText(chosen.sender_name or "")
        self.email_edit.setText(chosen.sender_email or "")
        self.slip_check.setChecked(chosen.packing_slip is not False)
        self.buffer_spin.setValue(chosen.safety_buffer or 0)
        overrides = chosen.risk_overrides or {}
        for key, edit in self.risk_edits.items():
            edit.setText(overrides.get(key.removeprefix(RISK_PREFIX), ""))

    def _lay_out(self) -> None:
        brand = QGroupBox("Channel")
        form = QFormLayout(brand)
        form.addRow("Display &name", self.name_edit)
        form.addRow("&Sender name", self.sender_edit)
        form.addRow("Sender &e-mail", self.email_edit)
        form.addRow("", self.slip_check)
        form.addRow("Safety &buffer", self.buffer_spin)
        risk = QGroupBox("Risk rules for this channel (empty: the site's)")
        form = QFormLayout(risk)
        for key, edit in self.risk_edits.items():
            form.addRow(SPECS[key].label, edit)
        table_and_editor(
            self,
            (
                "Sales channels",
                "Channels appear when orders first come in from them; set here how each "
                "one is treated.",
            ),
            self.banner,
            self.table,
            (brand, risk, self.problems),
            self.save_button,
        )
