"""StatusBadgeDelegate: paints an order status as a rounded, coloured badge."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui.models.order_queue_model import STATUS_ROLE
from ui.status_style import status_colours


class StatusBadgeDelegate(QStyledItemDelegate):
    """Draws the cell's text in a pill coloured by the status in `STATUS_ROLE`."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        status = index.data(STATUS_ROLE)
        if not isinstance(status, str):
            super().paint(painter, option, index)
            return
        text = str(index.data(Qt.ItemDataRole.DisplayRole))
        style = option.widget.style() if option.widget else None
        if style is not None:
            blank = QStyleOptionViewItem(option)
            self.initStyleOption(blank, index)
            blank.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, blank, painter, option.widget)
        foreground, background = status_colours(status)
        metrics = option.fontMetrics
        width = metrics.horizontalAdvance(text) + 16
        height = metrics.height() + 4
        rect = QRectF(option.rect).adjusted(6, 0, 0, 0)
        badge = QRectF(rect.left(), rect.center().y() - height / 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(foreground)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
