"""OrdersView: find any order fast and see everything about it."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.changes import changes_of
from app.domain.order_query import OrderQuery
from app.dto import OrderDetail
from app.errors import NotFound
from app.services import orders
from app.services.bulk_actions import BulkAction
from app.services.order_lookup import resolve_order_number
from app.services.order_timeline import DeskOrder, desk_order
from app.services.queue_counts import QueueCounts, queue_counts
from ui.context import UiContext
from ui.dialogs.import_orders_dialog import import_orders_action
from ui.models.order_queue_model import SORT_KEYS, Column, OrderQueueModel
from ui.operations import QueryOp
from ui.views.action_style import ACTION_BUTTON_STYLE
from ui.views.bulk_actions_controller import BulkActionsController
from ui.views.feedback_banner import FeedbackBanner
from ui.views.order_actions import OrderActionsController
from ui.views.order_detail_panel import OrderDetailPanel
from ui.views.queue_filters import QueueFilters
from ui.views.return_actions import ReturnActions
from ui.views.service_desk_actions import ServiceDeskActions
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.queue_bar import QueueBar
from ui.widgets.status_badge_delegate import StatusBadgeDelegate

SEARCH_DELAY_MS = 250
COUNTS_INTERVAL_MS = 10_000
# The widest value each column usually holds; the hold reason takes what is left.
COLUMN_SAMPLES = {
    Column.NUMBER: "SO-1000000",
    Column.REFERENCE: "AMAZON-7-000000",
    Column.STATUS: "Part shipped",
    Column.CHANNEL: "amazon",
    Column.SERVICE: "P5 · overnight",
    Column.SHIP_BY: "30 Sep 00:00",
    Column.CUSTOMER: "Γιώργος Παπαδόπουλος",
    Column.COUNTRY: "",
    Column.ITEMS: "10 / 30",
    Column.TOTAL: "9,999.99 EUR",
}
BOLD_COLUMNS = (Column.NUMBER, Column.SHIP_BY)
BADGE_PADDING = 22


def orders_count(count: int) -> str:
    """ "1 order", "12 orders"."""
    return f"{count:,} order" if count == 1 else f"{count:,} orders"


class OrdersView(QWidget):
    """Search box, queue chips with live counts, filters, the order queue (multi-select
    with bulk actions) and the detail panel; other stations' changes appear by themselves."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._keep_ids: set[int] = set()  # selected before a refresh: selected after it
        self._keep_scroll = 0
        self._wanted_number: str | None = None
        self._detail_number: str | None = None
        self._open_single = False  # Enter in the search box: open a lone result
        self._restoring = False  # a reloaded page: only the wanted order may be selected

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            "Search order number, channel ref, e-mail, name, phone, postcode, SKU or tracking"
            "   (Ctrl+F)"
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setObjectName("searchEdit")
        self.filter_bar = QueueBar()
        self.result_label = QLabel()
        self.result_label.setObjectName("muted")
        self.problem_label = ElidedLabel()  # a database error's SQL only in its tooltip
        self.problem_label.setObjectName("problemBanner")
        self.problem_label.hide()
        self.model = OrderQueueModel(ctx, self)
        self.table = QTableView()
        self.detail_panel = OrderDetailPanel()
        self.feedback_banner = FeedbackBanner()
        self.feedback_banner.keep_place()  # a message never pushes the buttons down
        self.action_controller = OrderActionsController(ctx, self, self.feedback_banner)
        self.toolbar = QToolBar()
        self.toolbar.setStyleSheet(ACTION_BUTTON_STYLE)
        actions = self.action_controller
        self.toolbar.addActions(
            [actions.new_order_action, actions.allocate_action, actions.pick_lists_action]
        )
        self.toolbar.addAction(import_orders_action(ctx, self))
        self.desk_actions = ServiceDeskActions(ctx, self, self.feedback_banner)
        self.queue_filters = QueueFilters(ctx, self.feedback_banner)
        self.bulk_actions = BulkActionsController(
            ctx, self, self.feedback_banner, self.selected_ids
        )
        self.bulk_toolbar = QToolBar()
        self.bulk_toolbar.setStyleSheet(ACTION_BUTTON_STYLE)
        self.selection_label = QLabel()
        self.selection_label.setObjectName("muted")
        self.bulk_toolbar.addWidget(self.selection_label)
        self.bulk_toolbar.addActions(self.bulk_actions.state_actions())
        self.bulk_toolbar.insertWidget(
            self.bulk_actions.actions[BulkAction.CANCEL], self.bulk_actions.print_button()
        )
        self.queue_filters.move_views_to(self.bulk_toolbar)
        self.return_actions = ReturnActions(ctx, self, self.feedback_banner)
        self.detail_panel.set_actions(
            [
                *self.action_controller.order_actions(),
                *self.desk_actions.actions(),
                *self.return_actions.actions(),
            ],
            ACTION_BUTTON_STYLE,
        )
        self.next_action = self._step_action("Next order", "Alt+Down", 1)
        self.previous_action = self._step_action("Previous order", "Alt+Up", -1)
        self._setup_table()
        self._lay_out()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._counts_timer = QTimer(self, interval=COUNTS_INTERVAL_MS)
        self._search_timer.timeout.connect(self._apply_filter)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.filter_bar.queue_selected.connect(self._apply_filter)
        self.queue_filters.changed.connect(self._apply_filter)
        self.queue_filters.view_chosen.connect(self._on_queue_filters_view_chosen)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.page_loaded.connect(self._on_model_page_loaded)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.load_failed.connect(self._show_problem)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        ctx.hub.changes_applied.connect(self._on_hub_changes_applied)
        self.action_controller.order_created.connect(self.open_order)
        self.detail_panel.order_chosen.connect(self.open_order)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)

        self._counts_timer.start()
        self.refresh_counts()
        self._apply_filter()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def refresh_counts(self) -> None:
        QueryOp(self, self._ctx, queue_counts).success(self._on_counts_loaded).failure(
            self._show_problem
        ).run()

    def open_order(self, reference: str) -> None:
        """Show the order with this number or channel reference, if there is one: when the
        table does not hold it, the view switches to a search for it alone (no queue, no
        filter), so that the panel always shows a row of the table."""
        QueryOp(self, self._ctx, orders.order_detail, reference).success(
            self._on_exact_order_loaded
        ).failure(self._on_exact_order_failed).run()

    def step_order(self, step: int) -> None:
        """Select the next (1) or previous (-1) order in the table."""
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.table.currentIndex().row()
        row = 0 if current < 0 else max(0, min(rows - 1, current + step))
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _step_action(self, text: str, keys: str, step: int) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text} in the list ({QKeySequence(keys).toString()})")
        action.triggered.connect(lambda: self.step_order(step))
        self.addAction(action)
        return action

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.addActions(self.action_controller.order_actions())
        table.addActions(self.desk_actions.actions())
        table.addActions(self.return_actions.actions())
        separator = QAction(table)
        separator.setSeparator(True)
        table.addActions([separator, self.next_action, self.previous_action])
        table.setItemDelegateForColumn(Column.STATUS, StatusBadgeDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(30)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(Column.NUMBER, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)  # the model sorts in SQL
        bold = QFont(table.font())
        bold.setBold(True)
        plain, strong = QFontMetrics(table.font()), QFontMetrics(bold)
        for column, sample in COLUMN_SAMPLES.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            cell = (strong if column in BOLD_COLUMNS else plain).horizontalAdvance(sample)
            extra = BADGE_PADDING if column is Column.STATUS else 0
            header.resizeSection(column, max(cell + extra, strong.horizontalAdvance(title)) + 16)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.result_label)
        top.addWidget(self.toolbar)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.queue_filters)
        layout.addWidget(self.bulk_toolbar)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.feedback_banner)
        layout.addWidget(splitter, 1)

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.order_at(index.row()).id for index in rows]

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        base = self.model.query().with_changes(
            queue=self.filter_bar.selected_queue(), text=self.search_edit.text().strip()
        )
        self._show_query(self.queue_filters.apply(base))

    def _show_query(self, query: OrderQuery) -> None:
        self._keep_ids.clear()
        self.queue_filters.set_current(query)
        self.model.set_query(query)

    def show_query(self, query: OrderQuery) -> None:
        """Show the queue for `query` with the chips, search box and filter row set to it
        (the Dashboard's drill-down opens its orders this way)."""
        self.queue_filters.show_query(query)
        self._on_queue_filters_view_chosen(query)

    def _on_queue_filters_view_chosen(self, query: OrderQuery) -> None:
        self.filter_bar.select(query.queue)
        self.search_edit.blockSignals(True)
        self.search_edit.setText(query.text)
        self.search_edit.blockSignals(False)
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        column = next(c for c, key in SORT_KEYS.items() if key is query.sort)
        descending = Qt.SortOrder.DescendingOrder
        header.setSortIndicator(
            column, descending if query.descending else Qt.SortOrder.AscendingOrder
        )
        header.blockSignals(False)
        self._show_query(query)

    def _on_table_selection_changed(self, *_: object) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.bulk_actions.set_selection_size(count)
        self.selection_label.setText(f"{orders_count(count)} selected  " if count else "")

    def _on_search_edit_return_pressed(self) -> None:
        self._open_single = bool(self.search_edit.text().strip())
        self._apply_filter()

    def _on_exact_order_loaded(self, detail: OrderDetail) -> None:
        self._wanted_number = detail.number
        if self.model.row_of(detail.number) is not None:
            self._select_wanted()
            return
        current = self.model.query()
        self.show_query(
            OrderQuery(text=detail.number, sort=current.sort, descending=current.descending)
        )

    def _on_exact_order_failed(self, exc: Exception) -> None:
        if not isinstance(exc, NotFound):
            self._show_problem(exc)

    def _on_model_about_to_be_reset(self) -> None:
        self._restoring = True

    def _on_model_page_loaded(self) -> None:
        self.problem_label.hide()
        self.queue_filters.set_current(self.model.query())  # a header click sorts there
        if self._keep_ids:
            self._reselect(self._keep_ids)
        shown = self.detail_panel.current_number()
        if shown is not None and self.model.row_of(shown) is None:
            wanted = self._wanted_number  # another order opened: the result holds it
            self._clear_detail()  # never act on an order the result no longer holds
            self._wanted_number = wanted if wanted != shown else None
        self._select_wanted()
        self._restoring = False
        if self._open_single:
            self._open_single = False
            self._open_lone_result()
        self._update_result_label()

    def _open_lone_result(self) -> None:
        """Enter in the search box: one order found opens it, whatever matched; none
        found tries the text as an order number or channel reference."""
        if self.model.rowCount() == 1 and not self.model.canFetchMore(QModelIndex()):
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif self.model.rowCount() == 0 and self.search_edit.text().strip():
            QueryOp(self, self._ctx, resolve_order_number, self.search_edit.text().strip()).success(
                self.open_order
            ).failure(self._on_exact_order_failed).run()

    def _clear_detail(self) -> None:
        self._wanted_number = self._detail_number = None
        self.detail_panel.clear()
        self.action_controller.set_order(None, None)
        self.desk_actions.set_detail(None)
        self.return_actions.set_detail(None)
        self.feedback_banner.dismiss()

    def _select_wanted(self) -> None:
        wanted = self._wanted_number
        row = self.model.row_of(wanted) if wanted else None
        if wanted and row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            if wanted != self._detail_number:  # it was current already: no signal came
                self._load_detail(wanted)

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        number = self.model.order_at(current.row()).number
        if self._restoring and number != self._wanted_number:
            return  # the view's own pick after a reset, not the agent's
        self._wanted_number = number
        if number != self._detail_number:  # the last one asked for, shown or on its way
            if self._detail_number is not None:
                self.feedback_banner.dismiss()  # it was about the order left behind
            self._load_detail(number)

    def _load_detail(self, number: str) -> None:
        self._detail_number = number
        QueryOp(self, self._ctx, desk_order, number).success(self._on_detail_loaded).failure(
            self._show_problem
        ).run()

    def _on_detail_loaded(self, loaded: DeskOrder) -> None:
        detail = loaded.detail
        if detail.number == self._detail_number and self.model.row_of(detail.number) is not None:
            self._show_detail(loaded)

    def _show_detail(self, loaded: DeskOrder) -> None:
        detail = loaded.detail
        self.detail_panel.show_detail(detail)
        self.detail_panel.show_history(loaded.history)
        station = detail.packing.station if detail.packing else None
        self.action_controller.set_order(detail.number, detail.status, station)
        self.desk_actions.set_detail(detail)
        self.return_actions.set_detail(detail)

    def _on_counts_loaded(self, counts: QueueCounts) -> None:
        self.filter_bar.set_counts(counts)
        self._update_result_label()

    def _on_hub_changes_applied(self, changes: object, _initiator: object) -> None:
        """Refresh what changed, keeping the selection and the scroll position."""
        changed = changes_of(changes)
        if not changed.orders:
            return
        self.refresh_counts()
        self._keep_ids = set(self.selected_ids())
        self._keep_scroll = self.table.verticalScrollBar().value()
        self.model.reload()
        detail = self.detail_panel.current_number()
        shown = self.model.row_of(detail) if detail else None
        shown_id = self.model.order_at(shown).id if shown is not None else None
        if self._detail_number and (not changed.order_ids or shown_id in changed.order_ids):
            self._load_detail(self._detail_number)

    def _reselect(self, ids: set[int]) -> None:
        selection = self.table.selectionModel()
        for row in self.model.rows_of_ids(ids):
            selection.select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
        self.table.verticalScrollBar().setValue(self._keep_scroll)
        self._keep_ids = set()

    def _update_result_label(self) -> None:
        shown = self.model.rowCount()
        more = self.model.canFetchMore(QModelIndex()) or self.model.is_loading()
        query = self.model.query()
        total = self.filter_bar.count_of(query.queue)
        if total is None or query != OrderQuery(
            queue=query.queue, sort=query.sort, descending=query.descending
        ):
            text = f"{shown}+ orders" if more else orders_count(shown)
        else:
            text = f"{shown:,} of {orders_count(total)}" if shown < total else orders_count(total)
        self.result_label.setText(text)

    def _show_problem(self, problem: object) -> None:
        self.problem_label.setText(f"Could not load from the database: {problem}")
        self.problem_label.show()
