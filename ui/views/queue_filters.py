"""QueueFilters: the filter row over the queue, the user's saved views and CSV export.

Every filter combines with the queue chip and the search box; `changed` fires on any
edit and `apply(query)` lays the row's filters over a query.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QWidget,
)

from app.domain.order_query import WINDOW_LABELS, OrderQuery, Window
from app.services import order_queue, queue_export, saved_views
from app.services.order_queue import FilterChoices
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.views.feedback_banner import FeedbackBanner

SHIP_BY_WINDOWS = (Window.OVERDUE, Window.TODAY, Window.TOMORROW, Window.NEXT_7_DAYS)
PLACED_WINDOWS = (Window.TODAY, Window.LAST_7_DAYS, Window.LAST_30_DAYS, Window.OLDER)


def _combo(any_text: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(any_text, None)
    combo.setToolTip(tip)
    # Narrow enough for a 1024-pixel screen; the open list shows the whole text.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(7)
    return combo


def _button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    return button


def _select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class QueueFilters(QWidget):
    changed = Signal()
    view_chosen = Signal(object)  # an OrderQuery the user picked from their saved views

    def __init__(
        self, ctx: UiContext, banner: FeedbackBanner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx, self._banner = ctx, banner
        self._current = OrderQuery()
        self._views: dict[str, OrderQuery] = {}
        self._chosen: str | None = None  # the saved view last chosen or saved
        self.channel_combo = _combo("Any channel", "Channel")
        self.service_combo = _combo("Any service", "Service level (priority follows it)")
        self.carrier_combo = _combo("Any carrier", "Carrier of its shipments")
        self.warehouse_combo = _combo("Any warehouse", "Warehouse")
        self.country_edit = QLineEdit()
        self.country_edit.setPlaceholderText("Country")
        self.country_edit.setToolTip("Ship-to country, two letters (GB, DE, US…)")
        self.country_edit.setMaxLength(2)
        self.country_edit.setFixedWidth(64)
        self.ship_by_combo = _combo("Ship by: any", "Ship-by date")
        for window in SHIP_BY_WINDOWS:
            self.ship_by_combo.addItem(f"Ship by: {WINDOW_LABELS[window]}", window)
        self.placed_combo = _combo("Placed: any", "Date the order was placed")
        for window in PLACED_WINDOWS:
            self.placed_combo.addItem(f"Placed: {WINDOW_LABELS[window]}", window)
        self.views_button = _button("Views", "Your saved views: queue, filters, search and sort")
        self.views_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.views_button.setMenu(QMenu(self.views_button))
        self.export_button = _button(
            "Export…", "The orders of this view, in its order, to a CSV file"
        )

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        filters: tuple[QWidget, ...] = (
            self.channel_combo,
            self.service_combo,
            self.carrier_combo,
            self.warehouse_combo,
            self.country_edit,
            self.ship_by_combo,
            self.placed_combo,
        )
        views: tuple[QWidget, ...] = (self.views_button, self.export_button)
        for widget in filters:
            layout.addWidget(widget)
        layout.addStretch(1)
        self._views_widgets = views  # placed by the host: move_views_to

        for combo in (
            self.channel_combo,
            self.service_combo,
            self.carrier_combo,
            self.warehouse_combo,
            self.ship_by_combo,
            self.placed_combo,
        ):
            combo.currentIndexChanged.connect(self.changed)
        self.country_edit.textEdited.connect(self._on_country_edited)
        self.export_button.clicked.connect(self._on_export_clicked)
        QueryOp(self, ctx, order_queue.filter_choices).success(self._on_choices_loaded).run()
        self.reload_views()

    def move_views_to(self, toolbar: QToolBar) -> None:
        """Put Views and Export at the right end of `toolbar`, to keep this row narrow."""
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        for widget in self._views_widgets:
            toolbar.addWidget(widget)

    def apply(self, query: OrderQuery) -> OrderQuery:
        """`query` with this row's filters."""
        country = self.country_edit.text().strip().upper()
        return query.with_changes(
            channel=self.channel_combo.currentData(),
            service_level=self.service_combo.currentData(),
            carrier=self.carrier_combo.currentData(),
            warehouse=self.warehouse_combo.currentData(),
            country=country if len(country) == 2 else None,
            ship_by_window=self.ship_by_combo.currentData(),
            placed_window=self.placed_combo.currentData(),
        )

    def show_query(self, query: OrderQuery) -> None:
        """Set the row to `query`'s filters without announcing each change."""
        self.blockSignals(True)
        _select_data(self.channel_combo, query.channel)
        _select_data(self.service_combo, query.service_level)
        _select_data(self.carrier_combo, query.carrier)
        _select_data(self.warehouse_combo, query.warehouse)
        self.country_edit.setText(query.country or "")
        _select_data(self.ship_by_combo, query.ship_by_window)
        _select_data(self.placed_combo, query.placed_window)
        self.blockSignals(False)

    def set_current(self, query: OrderQuery) -> None:
        """The query the table shows now: what Save view and Export take."""
        self._current = query

    def reload_views(self) -> None:
        QueryOp(self, self._ctx, saved_views.list_views, self._ctx.actor).success(
            self._on_views_loaded
        ).failure(self._banner.show_refusal).run()

    def _on_choices_loaded(self, choices: FilterChoices) -> None:
        for combo, values in (
            (self.channel_combo, choices.channels),
            (self.service_combo, choices.service_levels),
            (self.carrier_combo, choices.carriers),
            (self.warehouse_combo, choices.warehouses),
        ):
            combo.blockSignals(True)
            for value in values:
                combo.addItem(value, value)
            combo.blockSignals(False)

    def _on_country_edited(self, text: str) -> None:
        if len(text.strip()) in (0, 2):
            self.changed.emit()

    def view_names(self) -> list[str]:
        return list(self._views)

    def choose_view(self, name: str) -> None:
        """Show the saved view `name`: its queue, filters, search and sort."""
        query = self._views[name]
        self._chosen = name
        self.show_query(query)
        self.view_chosen.emit(query)

    def _on_views_loaded(self, views: list[tuple[str, OrderQuery]]) -> None:
        self._views = dict(views)
        menu = self.views_button.menu()
        menu.clear()
        for name in self._views:
            menu.addAction(name).triggered.connect(lambda _=False, n=name: self.choose_view(n))
        if self._views:
            menu.addSeparator()
        menu.addAction("Save this view…").triggered.connect(self._on_save_view_triggered)
        if self._chosen in self._views:
            delete = menu.addAction(f"Delete view {self._chosen!r}")
            delete.triggered.connect(lambda: self.delete_view(self._chosen or ""))

    def _on_save_view_triggered(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Save view", "Name of this view:", text=self._chosen or ""
        )
        if ok and name.strip():
            self.save_view(name)

    def save_view(self, name: str) -> None:
        self._chosen = " ".join(name.split())
        DbOp(self, self._ctx, saved_views.save_view, self._ctx.actor, name, self._current).success(
            lambda _: self._on_views_changed(f"View {name.strip()!r} saved")
        ).failure(self._banner.show_refusal).run(initiator=self)

    def delete_view(self, name: str) -> None:
        if name in self._views:
            self._chosen = None
            DbOp(self, self._ctx, saved_views.delete_view, self._ctx.actor, name).success(
                lambda _: self._on_views_changed(f"View {name!r} deleted")
            ).failure(self._banner.show_refusal).run(initiator=self)

    def _on_views_changed(self, message: str) -> None:
        self._banner.show_ok(message)
        self.reload_views()

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export view", "orders.csv", "CSV (*.csv)")
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        QueryOp(self, self._ctx, queue_export.export_csv, self._current, path).success(
            lambda rows: self._banner.show_ok(
                f"{rows:,} orders exported to {path}"
                + (" (the export stops there)" if rows >= queue_export.MAX_ROWS else "")
            )
        ).failure(self._banner.show_refusal).run()
