"""OrderPanelWidget: the order being packed - who it goes to, its lines, how far along."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
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

from app.dto import PackState
from ui.station.pack_lines_model import IMAGE_SIZE, Column, PackLinesModel
from ui.station.station_style import GOOD, set_style_property

ROW_HEIGHT = 66
STRIP_HEIGHT = 22
COLUMN_WIDTHS = ((Column.SKU, 240), (Column.COUNT, 160), (Column.DONE, 70))
TRACK = QColor("#e4e7ec")


class ProgressStripWidget(QWidget):
    """A thick progress bar that repaints lazily (QProgressBar repaints at once, which
    costs a millisecond per scan under a style sheet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(STRIP_HEIGHT)
        self.done, self.total = 0, 0
        self._fill = QColor(GOOD)

    def set_progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        radius = self.height() / 2
        painter.setBrush(TRACK)
        painter.drawRoundedRect(QRectF(self.rect()), radius, radius)
        if self.total > 0 and self.done > 0:
            width = self.width() * min(self.done, self.total) / self.total
            painter.setBrush(self._fill)
            painter.drawRoundedRect(QRectF(0, 0, width, self.height()), radius, radius)


def _label(object_name: str, text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    return label


class OrderPanelWidget(QWidget):
    """Header (number, ship-to, service, progress) over the lines table."""

    def __init__(self, model: PackLinesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.number_label = _label("orderNumber")
        self.reference_label = _label("orderReference")
        self.ship_to_label = _label("shipTo")
        self.service_label = _label("serviceLevel")
        self.progress_label = _label("progressCount")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.progress_bar = ProgressStripWidget()

        header = QWidget()
        header.setObjectName("orderHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._grid = grid = QGridLayout(header)
        title = QHBoxLayout()
        title.setSpacing(18)
        title.addWidget(self.number_label)
        title.addWidget(self.reference_label, 0, Qt.AlignmentFlag.AlignBottom)
        title.addStretch(1)
        destination = QHBoxLayout()
        destination.setSpacing(18)
        destination.addWidget(self.ship_to_label)
        destination.addWidget(self.service_label)
        destination.addStretch(1)
        grid.addLayout(title, 0, 0)
        grid.addLayout(destination, 1, 0)
        grid.addWidget(self.progress_label, 0, 1)
        grid.addWidget(self.progress_bar, 1, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

        self.table = QTableView()
        self.table.setObjectName("packLines")
        self.table.setModel(model)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(IMAGE_SIZE, IMAGE_SIZE))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns = self.table.horizontalHeader()
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns.setSectionResizeMode(Column.ITEM, QHeaderView.ResizeMode.Stretch)
        for column in (Column.IMAGE, *(column for column, _ in COLUMN_WIDTHS)):
            columns.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        columns.resizeSection(Column.IMAGE, IMAGE_SIZE + 16)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.table, 1)
        self.apply_scale(1.0)

    def apply_scale(self, scale: float) -> None:
        """Margins, rows and the fixed columns sized for the window's scale."""
        self._grid.setContentsMargins(*(round(m * scale) for m in (28, 12, 28, 12)))
        self._grid.setHorizontalSpacing(round(24 * scale))
        self.progress_bar.setFixedHeight(round(STRIP_HEIGHT * scale))
        self.table.verticalHeader().setDefaultSectionSize(round(ROW_HEIGHT * scale))
        for column, width in COLUMN_WIDTHS:
            self.table.horizontalHeader().resizeSection(column, round(width * scale))

    def show_state(self, state: PackState) -> None:
        self.number_label.setText(state.number)
        self.reference_label.setText(state.external_ref)
        self.ship_to_label.setText(f"{state.ship_to_name} · {state.ship_to_country}")
        self.service_label.setText(state.service_level.upper())
        self.model.set_state(state)
        self.table.setColumnHidden(Column.IMAGE, not self.model.has_images)
        self.update_progress()

    def update_progress(self) -> None:
        done, total = self.model.units_scanned, self.model.units_expected
        self.progress_label.setText(f"{done} of {total} items")
        self.progress_bar.set_progress(done, total)
        complete = str(done >= total > 0).lower()
        if self.progress_label.property("complete") != complete:
            set_style_property(self.progress_label, "complete", complete)

    def scroll_to_row(self, row: int) -> None:
        index = self.model.index(row, Column.ITEM)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
