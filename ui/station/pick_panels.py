"""What the pick screen shows: the idle page, the list header, the current stop, the walk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.domain.picking import PickStop
from app.services.pick_lists import PickListView
from ui.station.order_panel import ProgressStripWidget
from ui.station.pick_steps import IDLE_HINT, IDLE_PROMPT, progress_text
from ui.station.pick_walk_model import Column, PickWalkModel
from ui.station.station_style import set_style_property

ROW_HEIGHT = 52
WALK_COLUMNS = ((Column.MARK, 34), (Column.STOP, 42), (Column.COUNT, 84), (Column.TOTE, 90))


def _label(object_name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    return label


class PickIdlePanelWidget(QWidget):
    """Between lists: how to start, and what became of the last list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prompt_label = _label("idlePrompt", IDLE_PROMPT)
        self.last_result_label = _label("lastResult")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 40, 60, 40)
        layout.addStretch(2)
        for label in (self.prompt_label, _label("idleHint", IDLE_HINT), self.last_result_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)
            layout.addSpacing(18)
        layout.addStretch(3)


class PickHeaderWidget(QWidget):
    """The list's number and orders, and how far along the walk is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.number_label = _label("orderNumber")
        self.orders_label = _label("orderReference")
        self.progress_label = _label("pickProgress")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.progress_bar = ProgressStripWidget()
        grid = QGridLayout(self)
        grid.setContentsMargins(28, 14, 28, 14)
        grid.setHorizontalSpacing(24)
        grid.addWidget(self.number_label, 0, 0)
        grid.addWidget(self.orders_label, 1, 0)
        grid.addWidget(self.progress_label, 0, 1)
        grid.addWidget(self.progress_bar, 1, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)

    def show_list(self, view: PickListView, stop: PickStop | None) -> None:
        self.number_label.setText(view.number)
        count = len(view.orders)
        orders = view.orders[0] if count == 1 else f"{count} orders, one tote each"
        self.orders_label.setText(f"{view.kind} list  ·  {orders}")
        self.progress_label.setText(progress_text(view, stop))
        self.progress_bar.set_progress(view.picked, view.units)


class CurrentStopWidget(QWidget):
    """The stop to work now, big enough to read at arm's length with a cart in hand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("currentStop")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.caption_label = _label("stopCaption")
        self.location_label = _label("stopLocation")
        self.name_label = _label("stopName")
        self.name_label.setWordWrap(True)
        self.sku_label = _label("stopSku")
        self.quantity_label = _label("stopQuantity")
        self.tote_label = _label("stopTote")
        self.order_label = _label("stopOrder")
        amounts = QHBoxLayout()
        amounts.setSpacing(24)
        amounts.addWidget(self.quantity_label)
        amounts.addWidget(self.tote_label, 0, Qt.AlignmentFlag.AlignVCenter)
        amounts.addWidget(self.order_label, 0, Qt.AlignmentFlag.AlignVCenter)
        amounts.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 20, 28, 20)
        layout.setSpacing(6)
        for label in (self.caption_label, self.location_label, self.name_label, self.sku_label):
            layout.addWidget(label)
        layout.addSpacing(12)
        layout.addLayout(amounts)
        layout.addStretch(1)

    def show_stop(self, stop: PickStop | None, confirmed: bool) -> None:
        if stop is None:
            for label in (self.name_label, self.sku_label, self.quantity_label, self.order_label):
                label.clear()
            self.caption_label.setText("")
            self.location_label.setText("All picked")
            self.tote_label.hide()
            return
        self.caption_label.setText("✔ AT LOCATION" if confirmed else "GO TO")
        set_style_property(self.caption_label, "confirmed", str(confirmed).lower())
        set_style_property(self.location_label, "confirmed", str(confirmed).lower())
        self.location_label.setText(stop.location)
        self.name_label.setText(stop.name)
        gtin = f"  ·  {printed_gtin(stop.gtin)}" if stop.gtin else ""
        self.sku_label.setText(f"SKU {stop.sku}{gtin}")
        picked = f"  ({stop.picked} of {stop.quantity} done)" if stop.picked else ""
        self.quantity_label.setText(f"PICK {stop.remaining}{picked}")
        self.tote_label.setText(f"TOTE {stop.tote}")
        self.tote_label.setVisible(bool(stop.tote))
        self.order_label.setText(stop.order_number if stop.tote else "")


def printed_gtin(gtin14: str) -> str:
    """The number as printed under the product's barcode: EAN-8, EAN-13 or GTIN-14."""
    if gtin14.startswith("000000"):
        return f"EAN {gtin14[6:]}"
    if gtin14.startswith("0"):
        return f"EAN {gtin14[1:]}"
    return f"GTIN {gtin14}"


class WalkTableView(QTableView):
    """The walk ahead, in walking order; follows the current stop."""

    def __init__(self, model: PickWalkModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickWalk")
        self.setModel(model)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns = self.horizontalHeader()
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns.setSectionResizeMode(Column.LOCATION, QHeaderView.ResizeMode.ResizeToContents)
        columns.setSectionResizeMode(Column.SKU, QHeaderView.ResizeMode.Stretch)
        for column, _ in WALK_COLUMNS:
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.apply_scale(1.0)

    def apply_scale(self, scale: float) -> None:
        """Rows and the fixed columns sized for the window's scale."""
        self.verticalHeader().setDefaultSectionSize(round(ROW_HEIGHT * scale))
        for column, width in WALK_COLUMNS:
            self.horizontalHeader().resizeSection(column, round(width * scale))

    def follow(self, model: PickWalkModel, has_totes: bool) -> None:
        self.setColumnHidden(Column.TOTE, not has_totes)
        if model.current_row is not None:
            index = model.index(model.current_row, Column.LOCATION)
            self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
