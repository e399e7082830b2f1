"""Closed loop: what the app prints, read back by a real barcode reader and scanned into
the pack screen, opens the right order - the scanner sees exactly what a packer's does."""

from __future__ import annotations

from collections.abc import Callable

from app.context import Actor
from app.services.pack_completion import pack_unverified
from app.services.pick_lists import create_pick_lists, pick_list_document
from app.services.printing import order_labels
from db.engine import Database
from tests.documents.pdfcheck import scan_pages
from tests.ui.station.conftest import Station


def test_an_order_barcode_read_off_the_printed_pick_list_opens_that_order(
    station: Station,
    warehouse: Database,
    actor: Actor,
    order_of: Callable[[dict[str, int]], str],
) -> None:
    number = order_of({"MUG": 2, "TEA": 1})
    (pick_list,) = create_pick_lists(warehouse, actor)
    printed = scan_pages(pick_list_document(warehouse, pick_list.id))
    order_codes = [s.text for page in printed for s in page if s.text.startswith("O:")]
    assert order_codes == [f"O:{number}"]

    station.scan(order_codes[0])

    state = station.window.controller.state
    assert state is not None and state.number == number
    assert [(line.sku, line.expected) for line in state.lines] == [("MUG", 2), ("TEA", 1)]


def test_the_qr_code_on_a_printed_label_names_its_order_at_the_pack_screen(
    station: Station,
    warehouse: Database,
    actor: Actor,
    order_of: Callable[[dict[str, int]], str],
) -> None:
    number = order_of({"MUG": 1})
    pack_unverified(warehouse, actor, number)
    (label,) = scan_pages(order_labels(warehouse, number, "pdf"))
    (qr,) = [s.text for s in label if s.format == "QR Code"]

    message, sound = station.scan(qr)

    assert qr == f"O:{number}"
    assert number in message and "packed" in message
    assert sound == "error"
