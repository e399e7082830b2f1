"""InventoryView: stock per SKU and per location, goods in by scanner, and stock counts."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.scan_reading import read_scan
from app.dto import Stats
from app.services.inventory import StockChange, apply_counts
from app.services.stats import stats
from app.services.stock_queries import StockRow, StockSlot, stock_by_sku, stock_locations
from ui.context import UiContext
from ui.dialogs.stock_count_dialog import StockCountDialog
from ui.models.stock_table_model import NUMERIC, SORT_ROLE, Column, StockTableModel
from ui.operations import DbOp, QueryOp
from ui.views.feedback_banner import FeedbackBanner
from ui.views.receive_panel import Receipt, ReceivePanel
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

SEARCH_DELAY_MS = 250
ROW_LIMIT = 500
SLOT_HEADERS = ("Warehouse", "Location", "Kind", "On hand", "Reserved", "Available")


def search_text(text: str) -> str:
    """What to search stock by: a scanned GTIN as its GTIN-14, anything else as typed."""
    reading = read_scan(text)
    return reading.gtin14 or text.strip()


class InventoryView(QWidget):
    """Stock table (left); the chosen SKU's locations and the receive panel (right)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._sku: str | None = None
        self._slots: list[StockSlot] = []
        self.dialog: StockCountDialog | None = None
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText("Search SKU, product name or scan a barcode")
        self.totals_label = QLabel()
        self.totals_label.setObjectName("muted")
        self.banner = FeedbackBanner()
        self.model = StockTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.slots_title = QLabel("LOCATIONS")
        self.slots_title.setObjectName("sectionTitle")
        self.slots_table = ReadOnlyTableWidget(SLOT_HEADERS, numeric=range(3, 6), stretch=1)
        self.adjust_button = QPushButton("Adjust count…")
        self.adjust_button.setToolTip("Set the counted quantity at the selected location")
        self.adjust_button.setEnabled(False)
        self.receive_panel = ReceivePanel(ctx)
        self._setup_table()
        self._lay_out()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.slots_table.itemSelectionChanged.connect(self._on_slots_table_selection_changed)
        self.slots_table.doubleClicked.connect(self._on_adjust_button_clicked)
        self.adjust_button.clicked.connect(self._on_adjust_button_clicked)
        self.receive_panel.received.connect(self._on_receive_panel_received)
        ctx.hub.changes_applied.connect(self._on_hub_changes_applied)
        self.refresh()

    def refresh(self) -> None:
        """Reload the totals, the stock table and the chosen SKU's locations."""
        self._search_timer.stop()
        search = search_text(self.search_edit.text())
        QueryOp(self, self._ctx, stock_by_sku, search or None, limit=ROW_LIMIT).success(
            self._on_rows_loaded
        ).failure(self.banner.show_refusal).run()
        QueryOp(self, self._ctx, stats).success(self._on_stats_loaded).run()
        if self._sku:
            self._load_slots(self._sku)

    def select_sku(self, sku: str) -> None:
        row = self.model.row_of(sku)
        if row is not None:
            index = self.proxy.mapFromSource(self.model.index(row, 0))
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.SKU, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(28)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        metrics = QFontMetrics(table.font())
        header.resizeSection(Column.SKU, metrics.horizontalAdvance("SKU-000000") + 36)
        for column in NUMERIC:
            header.resizeSection(column, metrics.horizontalAdvance("Locations") + 36)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.totals_label)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        slots_header = QHBoxLayout()
        slots_header.addWidget(self.slots_title, 1)
        slots_header.addWidget(self.adjust_button)
        side_layout.addLayout(slots_header)
        side_layout.addWidget(self.slots_table, 1)
        side_layout.addWidget(self.receive_panel)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 480])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

    def _on_rows_loaded(self, rows: list[StockRow]) -> None:
        self.model.set_rows(rows)
        if self._sku:
            self.select_sku(self._sku)

    def _on_stats_loaded(self, result: Stats) -> None:
        stock = result.stock
        self.totals_label.setText(
            f"All locations:  on hand <b>{stock.on_hand:,}</b>  ·  "
            f"reserved <b>{stock.reserved:,}</b>  ·  available <b>{stock.available:,}</b>"
        )

    def _on_table_selection_changed(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            row = self.proxy.mapToSource(indexes[0]).row()
            self._sku = self.model.row_at(row).sku
            self._load_slots(self._sku)

    def _load_slots(self, sku: str) -> None:
        QueryOp(self, self._ctx, stock_locations, sku).success(
            lambda slots: self._on_slots_loaded(sku, slots)
        ).failure(self.banner.show_refusal).run()

    def _on_slots_loaded(self, sku: str, slots: list[StockSlot]) -> None:
        if sku != self._sku:
            return
        self._slots = slots
        self.slots_title.setText(f"LOCATIONS OF {sku}")
        self.slots_table.set_rows(
            [
                (s.warehouse, s.location, s.kind, f"{s.on_hand:,}", f"{s.reserved:,}",
                 f"{s.available:,}")
                for s in slots
            ]
        )  # fmt: skip
        self.adjust_button.setEnabled(False)
        if len(slots) == 1:
            self.slots_table.selectRow(0)

    def _on_slots_table_selection_changed(self) -> None:
        self.adjust_button.setEnabled(bool(self.slots_table.selectionModel().selectedRows()))

    def _on_adjust_button_clicked(self) -> None:
        rows = self.slots_table.selectionModel().selectedRows()
        if not rows:
            return
        dialog = StockCountDialog(self._slots[rows[0].row()], self)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._apply_count(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _apply_count(self, dialog: StockCountDialog) -> None:
        count, reason = dialog.count(), dialog.reason()
        DbOp(self, self._ctx, apply_counts, self._ctx.actor, [count], reason=reason).success(
            lambda change: self._on_count_applied(count.sku, count.location, reason, change)
        ).failure(self.banner.show_refusal).run(initiator=self)

    def _on_count_applied(self, sku: str, location: str, reason: str, change: StockChange) -> None:
        delta = change.units_in - change.units_out
        self.banner.show_ok(f"Counted {sku} at {location}: {delta:+,} units ({reason})")

    def _on_receive_panel_received(self, receipt: Receipt) -> None:
        self._sku = receipt.count.sku

    def _on_hub_changes_applied(self, _changes: object, _initiator: object) -> None:
        self.refresh()
        self.receive_panel.refresh_locations()
