"""OrderQueueModel: the queue, fetched lazily a keyset page at a time off the UI thread."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from app.domain.order_query import OrderQuery, Queue, SortKey
from app.dto import OrderRow
from app.services import order_queue
from app.services.order_queue import PageKey
from ui.context import UiContext
from ui.operations import QueryOp
from ui.status_style import LATE_COLOUR, is_late, local_time, status_label

PAGE_SIZE = 100
RELOAD_LIMIT = 2_000  # a live refresh reloads what was scrolled through, up to this
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NUMBER = 0
    REFERENCE = 1
    STATUS = 2
    CHANNEL = 3
    SERVICE = 4
    SHIP_BY = 5
    CUSTOMER = 6
    COUNTRY = 7
    ITEMS = 8
    TOTAL = 9
    HOLD_REASON = 10


HEADERS = {
    Column.NUMBER: "Order",
    Column.REFERENCE: "Channel ref",
    Column.STATUS: "Status",
    Column.CHANNEL: "Channel",
    Column.SERVICE: "Service",
    Column.SHIP_BY: "Ship by",
    Column.CUSTOMER: "Customer",
    Column.COUNTRY: "Country",
    Column.ITEMS: "Items",
    Column.TOTAL: "Total",
    Column.HOLD_REASON: "Hold reason",
}
SORT_KEYS = {
    Column.NUMBER: SortKey.NUMBER,
    Column.REFERENCE: SortKey.REFERENCE,
    Column.STATUS: SortKey.STATUS,
    Column.CHANNEL: SortKey.CHANNEL,
    Column.SERVICE: SortKey.SERVICE,
    Column.SHIP_BY: SortKey.SHIP_BY,
    Column.CUSTOMER: SortKey.CUSTOMER,
    Column.COUNTRY: SortKey.COUNTRY,
    Column.ITEMS: SortKey.ITEMS,
    Column.TOTAL: SortKey.TOTAL,
    Column.HOLD_REASON: SortKey.HOLD_REASON,
}
HEADER_TIPS = {
    Column.SERVICE: "Priority (1 = most urgent) and service level",
    Column.ITEMS: "Order lines / units",
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTRE = Qt.AlignmentFlag.AlignCenter


def _display(row: OrderRow, column: Column) -> str:
    match column:
        case Column.NUMBER:
            return row.number
        case Column.REFERENCE:
            return row.external_ref
        case Column.STATUS:
            return status_label(row.status)
        case Column.CHANNEL:
            return row.channel
        case Column.SERVICE:
            return f"P{row.priority} · {row.service_level}"
        case Column.SHIP_BY:
            return local_time(row.ship_by) if row.ship_by else ""
        case Column.CUSTOMER:
            return row.customer
        case Column.COUNTRY:
            return row.country
        case Column.ITEMS:
            return f"{row.lines} / {row.units}"
        case Column.TOTAL:
            return f"{row.total:,.2f} {row.currency}"
        case Column.HOLD_REASON:
            return row.hold_reason or ""


class OrderQueueModel(QAbstractTableModel):
    """Rows of `order_queue.page` for an `OrderQuery`, fetched lazily a keyset page at a
    time (after the last row's sort value and id), filtered and sorted in SQL.

    A reload swaps the rows only once the new rows have arrived, so the table never
    flashes empty, and fetches as many rows as were loaded (up to RELOAD_LIMIT), so a
    live refresh keeps the scroll position; answers to an older query are dropped.
    """

    page_loaded = Signal()
    load_failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._rows: list[OrderRow] = []
        self._query = OrderQuery()
        self._generation = 0
        self._loading = False
        self._exhausted = True

    def query(self) -> OrderQuery:
        return self._query

    def set_query(self, query: OrderQuery) -> None:
        """Show `query` from its first page."""
        self._query = query
        self._generation += 1
        self._request_page(after=None, limit=PAGE_SIZE)

    def set_filter(self, *, status: str | None, search: str) -> None:
        """Show only the queue `status` (None: all) matching `search`, other filters kept."""
        queue = Queue(status) if status else None
        self.set_query(self._query.with_changes(queue=queue, text=search.strip()))

    def reload(self) -> None:
        """The same query again, as many rows as are loaded now."""
        self._generation += 1
        limit = min(max(len(self._rows), PAGE_SIZE), RELOAD_LIMIT)
        self._request_page(after=None, limit=limit)

    def order_at(self, row: int) -> OrderRow:
        return self._rows[row]

    def row_of(self, number: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.number == number), None)

    def rows_of_ids(self, ids: set[int]) -> list[int]:
        return [i for i, r in enumerate(self._rows) if r.id in ids]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Header click: sorted in SQL, from the first page."""
        descending = order == Qt.SortOrder.DescendingOrder
        sorted_query = self._query.with_changes(
            sort=SORT_KEYS[Column(column)], descending=descending
        )
        if sorted_query != self._query:
            self.set_query(sorted_query)

    def is_loading(self) -> bool:
        return self._loading

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (Column.ITEMS, Column.TOTAL) else None
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(Column(section))
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == STATUS_ROLE:
            return row.status
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (Column.ITEMS, Column.TOTAL):
                return _RIGHT
            return _CENTRE if column is Column.COUNTRY else None
        late = column is Column.SHIP_BY and is_late(row.status, row.ship_by)
        if role == Qt.ItemDataRole.ForegroundRole and late:
            return LATE_COLOUR
        if role == Qt.ItemDataRole.FontRole and (late or column is Column.NUMBER):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column, late)
        return None

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and not self._loading and not self._exhausted

    def fetchMore(self, parent: AnyIndex) -> None:
        if self.canFetchMore(parent) and self._rows:
            last = self._rows[-1]
            after = (order_queue.sort_value(last, self._query.sort), last.id)
            self._request_page(after=after, limit=PAGE_SIZE)

    def _tooltip(self, row: OrderRow, column: Column, late: bool) -> str | None:
        if column is Column.SHIP_BY and row.ship_by:
            when = local_time(row.ship_by, "%a %d %b %Y %H:%M")
            return f"Late: should have shipped by {when}" if late else f"Ship by {when}"
        if column is Column.HOLD_REASON:
            return row.hold_reason
        if column is Column.NUMBER and row.packing_station:
            return f"Being packed at {row.packing_station}"
        return None

    def _request_page(self, *, after: PageKey | None, limit: int) -> None:
        self._loading = True
        generation = self._generation
        QueryOp(None, self._ctx, order_queue.page, self._query, limit=limit, after=after).success(
            lambda rows: self._on_page_loaded(generation, after, limit, rows)
        ).failure(lambda exc: self._on_page_failed(generation, exc)).run()

    def _on_page_loaded(
        self, generation: int, after: PageKey | None, limit: int, rows: list[OrderRow]
    ) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(rows) < limit
        if after is None:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
        elif rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit()

    def _on_page_failed(self, generation: int, exc: Exception) -> None:
        if generation == self._generation:
            self._loading = False
            self.load_failed.emit(str(exc) or type(exc).__name__)
