"""ReceivePanel: goods in by scanner - product, quantity, location, Enter.

Each field's Enter moves on to the next; a location label (`L:A-01-02-B`) scanned
into any field lands in the location field, a product barcode in the product field.
Receiving allocates the backorders waiting for the product at once.

Each receipt carries a reference (the delivery note, if one is typed, and a token of
its own) kept until the database confirms it: pressing Receive again after a failure
whose reply was lost sends the same reference, so the stock goes in once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QWidget

from app.context import Actor
from app.domain.scan_reading import DocType, Reading, ScanKind, describe, read_scan
from app.services.inventory import StockCount, receive_and_allocate
from app.services.lookups import ProductHit
from app.services.receipts import SeenReceipt
from app.services.stock_queries import backorder_count, location_codes
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.views.feedback_banner import FeedbackBanner
from ui.views.product_lookup_edit import ProductLookupEdit

MAX_RECEIPT = 100_000
NOTE_LIMIT = 40  # of the delivery note, so that note/token fits a receipt reference


@dataclass(frozen=True)
class Receipt:
    """What one receipt did: the count, the backorders it allocated (and how many orders
    still wait for the product: for more of it, or for other items), a new location."""

    count: StockCount
    allocated: tuple[str, ...]
    still_waiting: int
    location_created: bool
    seen: SeenReceipt | None = None  # this receipt had gone in before: nothing changed

    def summary(self) -> str:
        c = self.count
        if self.seen is not None:
            return (
                f"Already received: {c.quantity} × {c.sku} at {c.location} went in at "
                f"{self.seen.received_at:%H:%M} UTC; stock unchanged"
            )
        text = f"Received {c.quantity} × {c.sku} at {c.location}"
        n = len(self.allocated)
        text += f"; {n} backorder{'' if n == 1 else 's'} allocated"
        if self.allocated:
            text += f" ({', '.join(self.allocated[:5])}{', …' if n > 5 else ''})"
        if self.still_waiting:
            text += f"; {self.still_waiting} still wait for {c.sku}"
        return text + ("; new location created" if self.location_created else "")


def receive_stock(db: Any, actor: Actor, count: StockCount) -> Receipt:
    """`receive_and_allocate` one count, telling which backorders it allocated."""
    change = receive_and_allocate(db, actor, [count])
    still = backorder_count(db, count.sku)
    allocated = tuple(sorted(change.allocated))
    seen = change.already_received[0] if change.already_received else None
    return Receipt(count, allocated, still, bool(change.locations_created), seen)


def location_code(reading: Reading) -> str:
    """The location a scan or typed text names; ValueError with the reason if none."""
    if reading.kind is ScanKind.EMPTY:
        raise ValueError("Location: scan the bin label (L:A-01-02-B) or type its code")
    if reading.error is not None:
        raise ValueError(reading.error)
    if reading.kind is ScanKind.DOCUMENT:
        if reading.doc_type is DocType.LOCATION and reading.doc_value:
            return reading.doc_value.upper()
        raise ValueError(f"{describe(reading)} is not a location: scan the bin label")
    if reading.kind is ScanKind.PRODUCT_CODE:
        return reading.text.upper()
    raise ValueError(f"{describe(reading)} is a product: scan the bin label (L:...)")


class ReceivePanel(QGroupBox):
    """Says on its own feedback line what went in, or why not; emits `received(receipt)`."""

    received = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__("Receive stock", parent)
        self._ctx = ctx
        self._product: ProductHit | None = None
        self._known_locations: set[str] = set()
        self._confirmed_new = ""
        self._pending: StockCount | None = None  # sent, not yet confirmed: its reference
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Delivery note or PO number (optional)")
        self.note_edit.setMaxLength(NOTE_LIMIT)
        self.product_edit = ProductLookupEdit(ctx)
        self.product_label = QLabel("No product yet")
        self.product_label.setObjectName("muted")
        self.quantity_edit = QLineEdit()
        self.quantity_edit.setPlaceholderText("Units received")
        self.location_edit = QLineEdit()
        self.location_edit.setPlaceholderText("Scan the bin label L:A-01-02-B, or type A-01-02-B")
        self.receive_button = QPushButton("Receive")
        self.feedback = FeedbackBanner()
        hint = QLabel("Scan the product, type the quantity, scan the location: Enter receives.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(hint)
        form.addRow("Delivery", self.note_edit)
        form.addRow("Product", self.product_edit)
        form.addRow("", self.product_label)
        form.addRow("Quantity", self.quantity_edit)
        form.addRow("Location", self.location_edit)
        form.addRow("", self.receive_button)
        form.addRow(self.feedback)

        self.product_edit.product_chosen.connect(self._on_product_edit_product_chosen)
        self.product_edit.lookup_failed.connect(self.feedback.show_problem)
        self.product_edit.document_scanned.connect(self._on_product_edit_document_scanned)
        self.product_edit.textEdited.connect(self._on_product_edit_text_edited)
        self.quantity_edit.returnPressed.connect(self._on_quantity_edit_return_pressed)
        self.location_edit.returnPressed.connect(self.receive)
        self.receive_button.clicked.connect(self.receive)
        self.refresh_locations()

    def refresh_locations(self) -> None:
        QueryOp(self, self._ctx, location_codes).success(self._on_locations_loaded).run()

    def receive(self) -> None:
        """Receive what the fields say, or say which field is missing what."""
        if self._product is None:
            self.product_edit.setFocus()
            self.feedback.show_problem("Product: scan the product or type its SKU first")
            return
        try:
            quantity = self._quantity()
            location = location_code(read_scan(self.location_edit.text()))
        except ValueError as problem:
            self.feedback.show_problem(str(problem))
            return
        if location not in self._known_locations and location != self._confirmed_new:
            self._confirmed_new = location
            self.location_edit.setFocus()
            self.feedback.show_problem(
                f"Location {location} does not exist yet: check the label, "
                "or press Enter again to create it"
            )
            return
        count = self._with_reference(StockCount(self._product.sku, location, quantity))
        self._pending = count
        self.receive_button.setEnabled(False)
        DbOp(self, self._ctx, receive_stock, self._ctx.actor, count).success(
            self._on_receipt_done
        ).failure(self._on_receipt_failed).run(initiator=self)

    def _with_reference(self, count: StockCount) -> StockCount:
        """The count with the reference of the receipt sent before and not confirmed, if it
        is the same receipt again (a retry); else with a new one."""
        note = " ".join(self.note_edit.text().split()) or "scan"
        pending = self._pending
        same = pending is not None and replace(pending, receipt="") == count
        if pending is not None and same and pending.receipt.rpartition("/")[0] == note:
            return pending
        return replace(count, receipt=f"{note}/{uuid.uuid4().hex[:16]}")

    def _quantity(self) -> int:
        text = self.quantity_edit.text().strip()
        if not text.isdigit() or not 0 < int(text) <= MAX_RECEIPT:
            self.quantity_edit.setFocus()
            self.quantity_edit.selectAll()
            raise ValueError(f"Quantity: type the number of units received (1 to {MAX_RECEIPT:,})")
        return int(text)

    def _on_locations_loaded(self, codes: list[str]) -> None:
        self._known_locations = set(codes)

    def _on_product_edit_product_chosen(self, hit: ProductHit, units: int) -> None:
        self._product = hit
        self.product_label.setText(f"{hit.sku} · {hit.name}")
        if units > 1:
            self.quantity_edit.setText(str(units))
        self.quantity_edit.setFocus()

    def _on_product_edit_text_edited(self, _text: str) -> None:
        self._product = None  # typing another product forgets the one found before
        self.product_label.setText("No product yet")

    def _on_product_edit_document_scanned(self, reading: Reading) -> None:
        self._route_location(reading)

    def _on_quantity_edit_return_pressed(self) -> None:
        text = self.quantity_edit.text().strip()
        reading = read_scan(text)
        if reading.kind is ScanKind.DOCUMENT:
            self.quantity_edit.clear()
            self._route_location(reading)
        elif reading.gtin14 is not None:
            self.quantity_edit.clear()
            self.product_edit.look_up(text)
        elif self.location_edit.text().strip():
            self.receive()
        else:
            self.location_edit.setFocus()

    def _route_location(self, reading: Reading) -> None:
        try:
            self.location_edit.setText(location_code(reading))
        except ValueError as problem:
            self.feedback.show_problem(str(problem))
            return
        if self._product is not None and self.quantity_edit.text().strip():
            self.receive()
        else:
            (self.quantity_edit if self._product else self.product_edit).setFocus()

    def _on_receipt_done(self, receipt: Receipt) -> None:
        self.receive_button.setEnabled(True)
        self._pending = None
        self._product = None
        self._confirmed_new = ""
        self._known_locations.add(receipt.count.location)
        self.product_label.setText("No product yet")
        for edit in (self.product_edit, self.quantity_edit, self.location_edit):
            edit.clear()
        self.product_edit.setFocus()
        self.feedback.show_ok(receipt.summary())
        self.received.emit(receipt)

    def _on_receipt_failed(self, exc: Exception) -> None:
        self.receive_button.setEnabled(True)
        self.feedback.show_refusal(exc)
