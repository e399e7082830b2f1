"""ProductLookupEdit: find a product by typing its SKU or name, or by scanning a barcode.

Typing offers matches in a completer (searched off the UI thread as you type); Enter
reads the text as a scan (GTINs, GS1 strings and AIM prefixes normalised by
`read_scan`) and looks up the one product it names.
"""

from __future__ import annotations

from PySide6.QtCore import QMetaMethod, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.domain.scan_reading import ScanKind, describe, read_scan
from app.errors import OmsError
from app.services.lookups import ProductHit, find_product, search_products
from ui.context import UiContext
from ui.operations import QueryOp, show_error
from ui.views.feedback_banner import refusal_text

SEARCH_DELAY_MS = 150
SUGGESTIONS = 15
LABEL_SEPARATOR = " · "


def product_code(text: str) -> tuple[str, int]:
    """What to look the product up by, and how many units the scan stands for.

    A completer label ("SKU-00042 · Mug") gives its SKU; a GTIN its GTIN-14; a GS1
    string its GTIN and count. Raises ValueError with a one-line reason otherwise
    (documents such as `L:` location labels included).
    """
    if LABEL_SEPARATOR in text:
        return text.split(LABEL_SEPARATOR, 1)[0].strip(), 1
    reading = read_scan(text)
    if reading.error is not None:
        raise ValueError(reading.error)
    if reading.kind is ScanKind.DOCUMENT:
        raise ValueError(f"{describe(reading)} is not a product: scan the product's barcode")
    if reading.gtin14 is not None:
        return reading.gtin14, reading.quantity
    if reading.kind is ScanKind.GS1:
        raise ValueError(f"{describe(reading)} names no product: scan the product's barcode")
    return reading.text, 1


class ProductLookupEdit(QLineEdit):
    """Emits `product_chosen(hit, units)` for a found product, `lookup_failed(why)` if not.

    A scanned document label (`L:`, `O:`, ...) is `document_scanned(reading)` instead
    when something listens for it, so a form can route it to the right field.
    """

    product_chosen = Signal(object, int)
    lookup_failed = Signal(str)
    document_scanned = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._hits: dict[str, ProductHit] = {}
        self._generation = 0
        self._chosen_label = ""
        self.setPlaceholderText("SKU, product name or scanned barcode, then Enter")
        self.setClearButtonEnabled(True)
        self._suggestions = QStringListModel(self)
        self._completer = QCompleter(self._suggestions, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setMaxVisibleItems(SUGGESTIONS)
        self.setCompleter(self._completer)
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.textEdited.connect(self._on_text_edited)
        self.returnPressed.connect(self._on_return_pressed)
        self._completer.activated.connect(self._on_completer_activated)

    def look_up(self, text: str) -> None:
        """Find the product `text` names, as if it had been typed and Enter pressed."""
        self._timer.stop()
        self._generation += 1
        popup = self._completer.popup()
        if popup is not None:
            popup.hide()
        self.clear()  # ready for the next scan while this one is looked up
        reading = read_scan(text)
        if reading.kind is ScanKind.DOCUMENT and self.isSignalConnected(
            QMetaMethod.fromSignal(self.document_scanned)
        ):
            self.document_scanned.emit(reading)
            return
        try:
            code, units = product_code(text)
        except ValueError as problem:
            self._fail(text, str(problem))
            return
        if not code:
            return
        QueryOp(self, self._ctx, find_product, code).success(
            lambda hit: self.product_chosen.emit(hit, units)
        ).failure(lambda exc: self._on_lookup_failed(text, exc)).run()

    def _on_text_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        text = self.text().strip()
        if len(text) < 2 or LABEL_SEPARATOR in text:
            return
        self._generation += 1
        generation = self._generation
        QueryOp(self, self._ctx, search_products, text, limit=SUGGESTIONS).success(
            lambda hits: self._on_search_done(generation, text, hits)
        ).failure(lambda _exc: None).run()

    def _on_search_done(self, generation: int, text: str, hits: list[ProductHit]) -> None:
        if generation != self._generation or self.text().strip() != text:
            return
        self._hits = {hit.label: hit for hit in hits}
        self._suggestions.setStringList(list(self._hits))
        if hits:
            self._completer.complete()

    def _on_completer_activated(self, label: str) -> None:
        hit = self._hits.get(label)
        if hit is not None:
            self._generation += 1
            # The Enter that chose it may also reach returnPressed, with the label or with
            # what the completer wrote back: either way it must not add the product again.
            self._chosen_label = label
            QTimer.singleShot(0, self._after_choice)
            self.product_chosen.emit(hit, 1)

    def _after_choice(self) -> None:
        self._chosen_label = ""
        self.clear()

    def _on_return_pressed(self) -> None:
        if self._chosen_label:
            return  # the Enter of a completer choice, already added
        text = self.text()
        if text.strip():
            self.look_up(text)

    def _on_lookup_failed(self, text: str, exc: Exception) -> None:
        if isinstance(exc, OmsError):
            self._fail(text, refusal_text(exc))
        else:
            show_error(self.window(), exc)

    def _fail(self, text: str, why: str) -> None:
        if not self.text():  # show what failed, selected: the next scan replaces it
            self.setText(text)
            self.selectAll()
        self.lookup_failed.emit(why)
