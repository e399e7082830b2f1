"""QueueFilters: the filter row over the queue, the user's saved views and CSV export.

Every filter combines with the queue chip and the search box; `changed` fires on any
edit and `apply(query)` lays the row's filters over a query. The ship-by and placed
lists offer windows relative to today and "dates…", which shows a from/to pair
of date pickers in the row under them (the days of this computer's time zone, both
ends included).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
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
BETWEEN = "between"  # a date list's "dates…": the pickers under it apply
PRIORITIES = range(1, 10)  # 1 = most urgent


def _day_start(day: date) -> datetime:
    """Midnight starting `day` on this computer's clock, as the relative windows count."""
    return datetime.combine(day, time()).astimezone()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateRange(QWidget):
    """`title` from [date] to [date], both days included; hidden until chosen."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = QDate.currentDate()
        self.from_edit = self._date_edit(today.addDays(-7), f"{title}: the first day")
        self.to_edit = self._date_edit(today, f"{title}: the last day (included)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in (QLabel(f"{title} from"), self.from_edit, QLabel("to"), self.to_edit):
            layout.addWidget(widget)

    def _date_edit(self, day: QDate, tip: str) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd MMM yyyy")
        edit.setToolTip(tip)
        edit.dateChanged.connect(self.changed)
        return edit

    def bounds(self) -> tuple[datetime, datetime]:
        """[from, to) as the query takes it: midnight of the first day, of the day after
        the last."""
        first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        first, last = min(first, last), max(first, last)
        return _day_start(first), _day_start(last + timedelta(days=1))

    def show_bounds(self, start: datetime | None, end: datetime | None) -> None:
        self.blockSignals(True)
        if start is not None:
            self.from_edit.setDate(_qdate(start.astimezone().date()))
        if end is not None:
            self.to_edit.setDate(_qdate((end.astimezone() - timedelta(days=1)).date()))
        self.blockSignals(False)


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
        # A service level, or a priority (1 most urgent) on its own: they go together.
        self.service_combo = _combo(
            "Any service", "Service level, or priority (1 is the most urgent)"
        )
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
        self.ship_by_combo.addItem("Ship by: dates…", BETWEEN)
        self.placed_combo = _combo("Placed: any", "Date the order was placed")
        for window in PLACED_WINDOWS:
            self.placed_combo.addItem(f"Placed: {WINDOW_LABELS[window]}", window)
        self.placed_combo.addItem("Placed: dates…", BETWEEN)
        self.ship_by_range = DateRange("Ship by")
        self.placed_range = DateRange("Placed")
        self.views_button = _button("Views", "Your saved views: queue, filters, search and sort")
        self.views_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.views_button.setMenu(QMenu(self.views_button))
        self.export_button = _button(
            "Export…", "The orders of this view, in its order, to a CSV file"
        )

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
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
            row.addWidget(widget)
        row.addStretch(1)
        self.dates_row = QWidget()  # shown while a date list says "dates…"
        dates = QHBoxLayout(self.dates_row)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.setSpacing(18)
        dates.addWidget(self.ship_by_range)
        dates.addWidget(self.placed_range)
        dates.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.dates_row)
        self._show_date_ranges()
        self._views_widgets = views  # placed by the host: move_views_to

        for combo in (
            self.channel_combo,
            self.service_combo,
            self.carrier_combo,
            self.warehouse_combo,
        ):
            combo.currentIndexChanged.connect(self.changed)
        for combo in (self.ship_by_combo, self.placed_combo):
            combo.currentIndexChanged.connect(self._on_date_combo_changed)
        for date_range in (self.ship_by_range, self.placed_range):
            date_range.changed.connect(self.changed)
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
        ship_by = self.ship_by_combo.currentData()
        placed = self.placed_combo.currentData()
        ship_by_from, ship_by_to = (
            self.ship_by_range.bounds() if ship_by == BETWEEN else (None, None)
        )
        placed_from, placed_to = self.placed_range.bounds() if placed == BETWEEN else (None, None)
        service = self.service_combo.currentData()  # a service level (str) or a priority
        return query.with_changes(
            channel=self.channel_combo.currentData(),
            service_level=service if isinstance(service, str) else None,
            priority=service if isinstance(service, int) else None,
            carrier=self.carrier_combo.currentData(),
            warehouse=self.warehouse_combo.currentData(),
            country=country if len(country) == 2 else None,
            ship_by_window=None if ship_by == BETWEEN else ship_by,
            placed_window=None if placed == BETWEEN else placed,
            ship_by_from=ship_by_from,
            ship_by_to=ship_by_to,
            placed_from=placed_from,
            placed_to=placed_to,
        )

    def show_query(self, query: OrderQuery) -> None:
        """Set the row to `query`'s filters without announcing each change."""
        self.blockSignals(True)
        _select_data(self.channel_combo, query.channel)
        _select_data(
            self.service_combo, query.service_level if query.priority is None else query.priority
        )
        _select_data(self.carrier_combo, query.carrier)
        _select_data(self.warehouse_combo, query.warehouse)
        self.country_edit.setText(query.country or "")
        for combo, date_range, window, start, end in (
            (
                self.ship_by_combo,
                self.ship_by_range,
                query.ship_by_window,
                query.ship_by_from,
                query.ship_by_to,
            ),
            (
                self.placed_combo,
                self.placed_range,
                query.placed_window,
                query.placed_from,
                query.placed_to,
            ),
        ):
            between = window is None and (start is not None or end is not None)
            _select_data(combo, BETWEEN if between else window)
            date_range.show_bounds(start, end)
        self._show_date_ranges()
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
        self.service_combo.blockSignals(True)
        self.service_combo.insertSeparator(self.service_combo.count())
        for priority in PRIORITIES:
            self.service_combo.addItem(f"Priority {priority}", priority)
        self.service_combo.blockSignals(False)

    def _show_date_ranges(self) -> None:
        ship_by = self.ship_by_combo.currentData() == BETWEEN
        placed = self.placed_combo.currentData() == BETWEEN
        self.ship_by_range.setVisible(ship_by)
        self.placed_range.setVisible(placed)
        self.dates_row.setVisible(ship_by or placed)

    def _on_date_combo_changed(self) -> None:
        self._show_date_ranges()
        self.changed.emit()

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
