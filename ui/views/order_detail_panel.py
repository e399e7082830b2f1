"""OrderDetailPanel: one order's address, lines, shipments, payments, the customer's other
orders and the full timeline."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedLayout,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.dto import OrderDetail
from app.services.order_timeline import CustomerOrder, OrderHistory
from ui.status_style import LATE_COLOUR, is_late, local_time, status_colours, status_label
from ui.views.order_detail_text import (
    address_html,
    payments_html,
    shipments_html,
    timeline_html,
)
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

LINE_HEADERS = (
    "SKU",
    "Product",
    "Ordered",
    "Allocated",
    "Picked",
    "Packed",
    "Shipped",
    "Returned",
    "Elsewhere",  # handled by the channel itself
)

HISTORY_HEADERS = ("Order", "Placed", "Status", "Total")
SIDE_WIDTH = 180
TIMELINE_WIDTH = 320  # the customer's orders: number, date, status and total
BODY_MIN_HEIGHT = 150  # a few lines and timeline entries; more scrolls


def _section(title: str) -> QLabel:
    label = QLabel(title.upper())
    label.setObjectName("sectionTitle")
    return label


def _text_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


class OrderDetailPanel(QFrame):
    """Shows an `OrderDetail` and its `OrderHistory`; a hint until one is chosen.

    `order_chosen(number)`: one of the customer's other orders was opened (double-click
    or Enter in their list)."""

    order_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderDetailPanel")
        self._detail: OrderDetail | None = None
        self._customer_orders: tuple[CustomerOrder, ...] = ()
        self.number_label = QLabel()
        self.number_label.setObjectName("orderNumber")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.summary_label = QLabel()
        self.summary_label.setObjectName("muted")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.hold_label = QLabel()
        self.hold_label.setObjectName("holdBanner")
        self.hold_label.setWordWrap(True)
        self.address_label = _text_label()
        self.shipments_label = _text_label()
        self.lines_table = ReadOnlyTableWidget(LINE_HEADERS, numeric=range(2, 9), stretch=1)
        if (elsewhere := self.lines_table.horizontalHeaderItem(8)) is not None:
            elsewhere.setToolTip(
                "Handled elsewhere: units the shop shipped, cancelled or refunded itself; "
                "never picked or shipped here"
            )
        self.payments_label = _text_label()
        self.timeline_view = QTextBrowser()
        self.timeline_view.setOpenLinks(False)
        self.timeline_hint = QLabel()
        self.timeline_hint.setObjectName("muted")
        self.customer_orders_table = ReadOnlyTableWidget(HISTORY_HEADERS, numeric=(3,), stretch=2)
        self.customer_orders_table.setToolTip("Double-click or Enter opens the order")
        self.customer_orders_table.activated.connect(self._on_customer_order_activated)
        self.history_tabs = QTabWidget()
        self.history_tabs.setDocumentMode(True)
        # The buttons wrap to a second row on a narrow screen instead of widening it.
        self.actions_row = QWidget()
        self.actions_row.setObjectName("orderActionsRow")
        self._action_buttons = FlowLayout(self.actions_row, h_spacing=0)  # the style's margin

        hint = QLabel("Select an order to see its address, lines, shipments and timeline.")
        hint.setObjectName("muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(hint)
        # On a short screen the order scrolls; it never pushes the window taller.
        scroller = QScrollArea()
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidgetResizable(True)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setWidget(self._content())
        self._stack.addWidget(scroller)

    def set_actions(self, actions: Sequence[QAction], style: str = "") -> None:
        """Buttons under the header for what can be done to the shown order."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setStyleSheet(style)
            self._action_buttons.addWidget(button)

    def current_number(self) -> str | None:
        return self._detail.number if self._detail else None

    def customer_order_numbers(self) -> list[str]:
        return [order.number for order in self._customer_orders]

    def show_history(self, history: OrderHistory) -> None:
        """The timeline, payments and the customer's other orders of the shown order."""
        self.timeline_view.setHtml(timeline_html(history))
        self.timeline_hint.setText(f"Newest first · times in {history.zone}")
        self.payments_label.setText(payments_html(history))
        zone = ZoneInfo(history.zone)
        self._customer_orders = history.customer_orders
        self.customer_orders_table.set_rows(
            [
                (
                    order.number,
                    f"{order.placed_at.astimezone(zone):%d %b %y}",
                    status_label(order.status),
                    f"{order.total:,.2f} {order.currency}",
                )
                for order in history.customer_orders
            ]
        )
        count = len(history.customer_orders)
        self.history_tabs.setTabText(1, f"Customer's orders ({count})")

    def _on_customer_order_activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self._customer_orders):
            self.order_chosen.emit(self._customer_orders[index.row()].number)

    def show_detail(self, detail: OrderDetail) -> None:
        text, background = status_colours(detail.status)
        self.number_label.setText(detail.number)
        self.status_label.setText(status_label(detail.status))
        self.status_label.setStyleSheet(
            f"color: {text.name()}; background: {background.name()}; border-radius: 10px;"
            "padding: 2px 10px; font-weight: 600;"
        )
        self.summary_label.setText(self._summary(detail))
        self.hold_label.setText(f"On hold: {detail.hold_reason}" if detail.hold_reason else "")
        self.hold_label.setVisible(bool(detail.hold_reason))
        self.address_label.setText(address_html(detail))
        # A long e-mail address has nowhere to wrap and is cut at the column's edge.
        self.address_label.setToolTip(detail.email or "")
        self.shipments_label.setText(shipments_html(detail))
        self.lines_table.set_rows(
            [
                (
                    line.sku,
                    line.name,
                    *(
                        str(qty)
                        for qty in (
                            line.qty_ordered,
                            line.qty_allocated,
                            line.qty_picked,
                            line.qty_packed,
                            line.qty_shipped,
                            line.qty_returned,
                            line.qty_handled_elsewhere,
                        )
                    ),
                )
                for line in detail.lines
            ]
        )
        self._hide_empty_late_stages(detail)
        if self._detail is None or self._detail.id != detail.id:
            self.show_history(OrderHistory("UTC", (), (), ()))  # not another order's
        self._detail = detail
        self._stack.setCurrentIndex(1)

    def _hide_empty_late_stages(self, detail: OrderDetail) -> None:
        """Returned and Elsewhere only when a line has some: the product name gets the room."""
        for column, values in (
            (7, [line.qty_returned for line in detail.lines]),
            (8, [line.qty_handled_elsewhere for line in detail.lines]),
        ):
            self.lines_table.setColumnHidden(column, not any(values))

    def clear(self) -> None:
        self._detail = None
        self._stack.setCurrentIndex(0)

    @staticmethod
    def _summary(detail: OrderDetail) -> str:
        parts = [
            escape(f"{detail.external_ref} via {detail.channel}"),
            f"placed {local_time(detail.placed_at)}",
        ]
        if detail.ship_by:
            ship_by = f"ship by {local_time(detail.ship_by)}"
            if is_late(detail.status, detail.ship_by):
                ship_by = f"<b style='color:{LATE_COLOUR.name()}'>{ship_by}, late</b>"
            parts.append(ship_by)
        parts += [
            escape(f"{detail.service_level}, priority {detail.priority}"),
            f"{detail.grand_total:,.2f} {escape(detail.currency)}",
        ]
        return " &nbsp;·&nbsp; ".join(parts)

    def _content(self) -> QWidget:
        content = QWidget()
        header = QHBoxLayout()
        header.addWidget(self.number_label, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addSpacing(12)
        header.addWidget(self.summary_label, 1)

        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(_section("Ship to"))
        side.addWidget(self.address_label)
        side.addSpacing(10)
        side.addWidget(_section("Shipments"))
        side.addWidget(self.shipments_label)
        side.addSpacing(10)
        side.addWidget(_section("Payments"))
        side.addWidget(self.payments_label)
        side.addStretch(1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMinimumWidth(150)

        lines = QVBoxLayout()
        lines.setContentsMargins(0, 0, 0, 0)
        lines.addWidget(_section("Lines"))
        lines.addWidget(self.lines_table)
        lines_widget = QWidget()
        lines_widget.setLayout(lines)
        lines_widget.setMinimumWidth(260)
        timeline = QVBoxLayout()
        timeline.setContentsMargins(0, 4, 0, 0)
        timeline.addWidget(self.timeline_hint)
        timeline.addWidget(self.timeline_view)
        timeline_page = QWidget()
        timeline_page.setLayout(timeline)
        self.history_tabs.addTab(timeline_page, "Timeline")
        self.history_tabs.addTab(self.customer_orders_table, "Customer's orders")
        timeline_widget = self.history_tabs
        timeline_widget.setMinimumWidth(180)

        # The user may give the lines or the timeline more room; the lines get what is left.
        body = QSplitter(Qt.Orientation.Horizontal)
        body.setObjectName("orderDetailBody")
        body.setChildrenCollapsible(False)
        body.setHandleWidth(16)
        body.setMinimumHeight(BODY_MIN_HEIGHT)
        for widget in (side_widget, lines_widget, timeline_widget):
            body.addWidget(widget)
        body.setStretchFactor(1, 1)
        body.setSizes([SIDE_WIDTH, 2 * TIMELINE_WIDTH, TIMELINE_WIDTH])

        layout = QVBoxLayout(content)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(header)
        layout.addWidget(self.actions_row)
        layout.addWidget(self.hold_label)
        layout.addWidget(body, 1)
        return content
