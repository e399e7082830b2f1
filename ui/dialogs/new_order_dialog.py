"""NewOrderDialog: a phone or B2B order typed in by the service desk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.new_order import SERVICE_PRIORITY
from app.errors import OmsError
from app.services.allocation import AllocationResult
from app.services.intake import MANUAL_CHANNELS, IntakeResult
from app.services.lookups import ChannelView, list_channels
from app.services.manual_orders import KnownCustomer, create_and_allocate, known_customer
from ui.context import UiContext
from ui.dialogs.new_order_fields import COUNTRIES, FieldSlots, country_code
from ui.dialogs.new_order_form import OrderForm, build_order, problems
from ui.dialogs.order_lines_editor import OrderLinesEditor
from ui.operations import DbOp, QueryOp, show_error
from ui.views.feedback_banner import refusal_text

SHIP_DAYS = {"overnight": 1, "express": 1, "standard": 3, "economy": 5}
PAYMENTS = (
    ("Paid - card taken", "paid"),
    ("On account - authorised", "authorized"),
    ("Not paid yet (order waits on hold)", "pending"),
)
CURRENCY = "EUR"
FRIDAY = 5


def _money_spin() -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, 99_999.99)
    spin.setDecimals(2)
    spin.setSuffix(f" {CURRENCY}")
    return spin


def _decimal(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


class NewOrderDialog(QDialog):
    """Customer, ship-to and lines; `order_created(number, hold_reason)` once saved."""

    order_created = Signal(str, str, str)  # number, hold reason, what allocation did

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._ship_by_auto = True
        self.setWindowTitle("New phone / B2B order")
        self.resize(1100, 720)
        self.slots = FieldSlots()
        self.channel_combo = QComboBox()
        self.service_combo = QComboBox()
        self.service_combo.addItems(list(SERVICE_PRIORITY))
        self.service_combo.setCurrentText("standard")
        self.ship_by_edit = QDateTimeEdit()
        self.ship_by_edit.setCalendarPopup(True)
        self.ship_by_edit.setDisplayFormat("ddd dd MMM yyyy  HH:mm")
        self.payment_combo = QComboBox()
        for text, value in PAYMENTS:
            self.payment_combo.addItem(text, value)
        self.country_combo = QComboBox()
        self.country_combo.setEditable(True)
        self.country_combo.addItems([f"{code} – {name}" for code, name in COUNTRIES])
        self.country_combo.setCurrentIndex(-1)
        country_line = self.country_combo.lineEdit()
        assert country_line is not None
        country_line.setPlaceholderText("Choose or type a country code")
        self.edits = {name: QLineEdit() for name in (
            "customer_name", "company", "email", "phone",
            "ship_name", "address1", "address2", "postcode", "city", "region",
        )}  # fmt: skip
        self.edits["ship_name"].setPlaceholderText("Same as the customer")
        self.edits["email"].setPlaceholderText("E-mail or phone needed")
        self.shipping_spin, self.tax_spin = _money_spin(), _money_spin()
        self.shipping_spin.setObjectName("shippingSpin")
        self.tax_spin.setObjectName("taxSpin")
        self.lines_editor = OrderLinesEditor(ctx, CURRENCY)
        self.known_label = QLabel()
        self.known_label.setObjectName("muted")
        self.known_label.setWordWrap(True)
        self.known_label.hide()
        self.summary_label = QLabel()
        self.summary_label.setStyleSheet("color: #b91c1c; font-weight: 600;")
        self.summary_label.setWordWrap(True)
        self.summary_label.hide()
        # Plain buttons, none of them default: the Enter that ends a scan presses nothing.
        self.create_button = QPushButton("Create order")
        self.create_button.setStyleSheet("font-weight: 600; padding: 5px 16px;")
        self.cancel_button = QPushButton("Cancel")
        for button in (self.create_button, self.cancel_button):
            button.setAutoDefault(False)
        self._lay_out()
        self._set_default_ship_by()

        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.service_combo.currentTextChanged.connect(self._on_service_combo_changed)
        self.ship_by_edit.dateTimeChanged.connect(self._on_ship_by_edit_changed)
        for name in ("customer_name", "email"):
            edit = self.edits[name]
            edit.editingFinished.connect(lambda edit=edit: self._look_up_customer(edit.text()))
        QueryOp(self, ctx, list_channels).success(self._on_channels_loaded).run()
        self.edits["customer_name"].setFocus()

    def form(self) -> OrderForm:
        """What the form holds now."""
        text = {name: edit.text().strip() for name, edit in self.edits.items()}
        return OrderForm(
            channel=str(self.channel_combo.currentData() or ""),
            country=country_code(self.country_combo.currentText()),
            service_level=self.service_combo.currentText(),
            payment_status=str(self.payment_combo.currentData()),
            ship_by=datetime.fromtimestamp(self.ship_by_edit.dateTime().toSecsSinceEpoch(), UTC),
            lines=self.lines_editor.lines(),
            shipping_total=_decimal(self.shipping_spin.value()),
            tax_total=_decimal(self.tax_spin.value()),
            **text,
        )

    def reject(self) -> None:
        """Esc or Cancel: ask before throwing typed work away."""
        dirty = self.lines_editor.lines() or any(e.text().strip() for e in self.edits.values())
        if dirty and self.isVisible():
            answer = QMessageBox.question(
                self, "Discard this order?", "The order has not been created. Discard it?"
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def _lay_out(self) -> None:
        order = QFormLayout()
        order.addRow("Channel *", self.slots.add("channel", self.channel_combo))
        order.addRow("Service level", self.service_combo)
        order.addRow("Ship by", self.slots.add("ship_by", self.ship_by_edit))
        order.addRow("Payment", self.payment_combo)
        order.addRow("Shipping charge", self.shipping_spin)
        order.addRow("Tax", self.tax_spin)
        customer = QFormLayout()
        for name, label in (("customer_name", "Name *"), ("company", "Company"),
                            ("email", "E-mail"), ("phone", "Phone")):  # fmt: skip
            customer.addRow(label, self.slots.add(name, self.edits[name]))
        ship_to = QFormLayout()
        for name, label in (("ship_name", "Recipient"), ("address1", "Street *"),
                            ("address2", "Line 2"), ("postcode", "Postcode *"),
                            ("city", "City *"), ("region", "Region")):  # fmt: skip
            ship_to.addRow(label, self.slots.add(name, self.edits[name]))
        ship_to.addRow("Country *", self.slots.add("country", self.country_combo))
        top = QHBoxLayout()
        for title, form in (("Order", order), ("Customer", customer), ("Ship to", ship_to)):
            box = QGroupBox(title)
            box.setLayout(form)
            top.addWidget(box, 1)
        lines_box = QGroupBox("Lines")
        lines_layout = QVBoxLayout(lines_box)
        lines_layout.addWidget(
            self.slots.add("lines", self.lines_editor, self.lines_editor.lines_changed)
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.known_label)
        layout.addWidget(lines_box, 1)
        layout.addWidget(self.summary_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

    def _on_channels_loaded(self, channels: list[ChannelView]) -> None:
        """Phone and B2B always: the service creates the channel on its first order."""
        by_code = {channel.code: channel.name for channel in channels}
        for code, name in MANUAL_CHANNELS.items():
            self.channel_combo.addItem(by_code.get(code, name), code)

    def _set_default_ship_by(self) -> None:
        moment = QDateTime.currentDateTime()
        for _ in range(SHIP_DAYS.get(self.service_combo.currentText(), 3)):
            moment = moment.addDays(1)
            while moment.date().dayOfWeek() > FRIDAY:
                moment = moment.addDays(1)
        moment.setTime(QTime(17, 0))
        self._ship_by_auto = True
        self.ship_by_edit.blockSignals(True)
        self.ship_by_edit.setDateTime(moment)
        self.ship_by_edit.blockSignals(False)

    def _on_service_combo_changed(self, _service: str) -> None:
        if self._ship_by_auto:
            self._set_default_ship_by()

    def _on_ship_by_edit_changed(self, _moment: QDateTime) -> None:
        self._ship_by_auto = False

    def _on_create_button_clicked(self) -> None:
        form, now = self.form(), datetime.now(UTC)
        found = problems(form, now - timedelta(minutes=1))
        self.slots.flag(found)
        if found:
            count = "1 field needs" if len(found) == 1 else f"{len(found)} fields need"
            self.summary_label.setText(f"{count} attention: {next(iter(found.values()))}")
            self.summary_label.show()
            return
        self.summary_label.hide()
        short = self.lines_editor.short_lines()
        if short and not self._backorder_confirmed(short):
            return
        self.create_button.setEnabled(False)
        DbOp(self, self._ctx, create_and_allocate, self._ctx.actor, build_order(form, now)).success(
            self._on_order_saved
        ).failure(self._on_save_failed).run(initiator=self)

    def _backorder_confirmed(self, short: list[tuple[str, int, int]]) -> bool:
        listed = "\n".join(f"{sku}: {wanted} wanted, {free} free" for sku, wanted, free in short)
        answer = QMessageBox.warning(
            self,
            "Not enough stock",
            f"Not enough free stock for:\n{listed}\n\nThe order will wait for stock "
            "(backordered) unless the channel ships part orders. Create it anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _look_up_customer(self, text: str) -> None:
        """A known customer's e-mail or name fills an empty ship-to from their last order."""
        if self.edits["address1"].text().strip() or len(text.strip()) < 3:
            return
        QueryOp(self, self._ctx, known_customer, text).success(self._on_customer_found).run()

    def _on_customer_found(self, found: KnownCustomer | None) -> None:
        if found is None or self.edits["address1"].text().strip():
            return
        to = found.address
        values = {
            "customer_name": found.name, "email": found.email or "", "phone": to.phone or "",
            "company": to.company or "", "address1": to.address1, "address2": to.address2 or "",
            "postcode": to.postcode, "city": to.city, "region": to.region or "",
        }  # fmt: skip
        for name, value in values.items():
            if not self.edits[name].text().strip():
                self.edits[name].setText(value)
        names = {code: f"{code} – {name}" for code, name in COUNTRIES}
        self.country_combo.setCurrentText(names.get(to.country, to.country))
        self.known_label.setText(
            f"Known customer: address and contact taken from {found.from_order}. Check them "
            "with the caller."
        )
        self.known_label.show()

    def _on_order_saved(self, outcome: tuple[IntakeResult, AllocationResult]) -> None:
        result, allocation = outcome
        self.create_button.setEnabled(True)
        if not result.created:
            self.summary_label.setText(
                "An order with this reference was created a moment ago: press Create again"
            )
            self.summary_label.show()
            return
        number = result.created[0]
        done = "allocated" if number in allocation.allocated else ""
        done = done or ("partly allocated" if number in allocation.partially_allocated else "")
        done = done or ("backordered" if number in allocation.backordered else "")
        self.order_created.emit(number, result.held.get(number, ""), done)
        self.accept()

    def _on_save_failed(self, exc: Exception) -> None:
        self.create_button.setEnabled(True)
        if isinstance(exc, OmsError):
            self.summary_label.setText(f"Not created: {refusal_text(exc)}")
            self.summary_label.show()
        else:
            show_error(self, exc)
