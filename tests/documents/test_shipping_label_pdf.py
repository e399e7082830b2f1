"""Shipping label PDFs: every barcode scans back to its data, whatever the customer typed."""

from __future__ import annotations

import dataclasses

import pytest

from app.documents import render
from app.documents.data import LabelData
from app.documents.fonts import printable
from app.documents.samples import sample_label, sscc
from tests.documents import pdfcheck
from tests.documents.hostile import NAMES, hostile_label


def assert_scans_as(scans: list[pdfcheck.Scan], label: LabelData) -> None:
    assert pdfcheck.found(scans) == {
        ("QR Code", f"O:{label.order_number}"),
        ("Code 128", label.tracking_number),
        ("Code 128", f"(00){label.sscc}"),
    }
    (gs1,) = [scan for scan in scans if scan.text.startswith("(00)")]
    assert gs1.gs1 and gs1.symbology == "]C1"


@pytest.mark.parametrize(("page", "size"), [("4x6", (288, 432)), ("100x150", (283.46, 425.2))])
def test_label_has_the_page_size_and_three_barcodes_that_scan(
    page: str, size: tuple[float, float]
) -> None:
    label = sample_label()
    pdf = render.render_label_pdf([label], page=page)
    assert pdfcheck.page_size(pdf) == size
    (scans,) = pdfcheck.scan_pages(pdf)
    assert_scans_as(scans, label)


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_hostile_text_everywhere_leaves_barcodes_and_text_intact(kind: str) -> None:
    label = hostile_label(NAMES[kind])
    pdf = render.render_label_pdf([label])
    (scans,) = pdfcheck.scan_pages(pdf)
    assert_scans_as(scans, label)
    (text,) = pdfcheck.texts(pdf)
    shown = printable(NAMES[kind])
    if kind == "long":
        assert shown[:20] in text and "\u2026" in text
    else:
        assert shown in text


def test_scripts_render_with_real_glyphs_and_missing_ones_become_question_marks() -> None:
    assert printable(NAMES["cyrillic"]) == NAMES["cyrillic"]
    assert printable(NAMES["greek"]) == NAMES["greek"]
    assert printable(NAMES["accents"]) == NAMES["accents"]
    assert printable(NAMES["emoji"]) == "Café ? ? ☕"
    assert printable(NAMES["controls"]) == "Tab here newline[0m"
    assert printable(NAMES["decomposed"]) == "Zoë Márquez"


def test_many_labels_make_one_pdf_with_a_page_per_label_in_order() -> None:
    labels = [sample_label(n) for n in range(3)]
    pdf = render.render_label_pdf(labels)
    pages = pdfcheck.scan_pages(pdf)
    assert len(pages) == 3
    for scans, label in zip(pages, labels, strict=True):
        assert_scans_as(scans, label)


def test_label_without_tracking_number_still_has_sscc_and_order_qr() -> None:
    label = dataclasses.replace(sample_label(), tracking_number="")
    (scans,) = pdfcheck.scan_pages(render.render_label_pdf([label]))
    assert pdfcheck.found(scans) == {("QR Code", "O:SO-100001"),
                                     ("Code 128", f"(00){label.sscc}")}


def test_long_numeric_tracking_number_starting_99_fits_and_scans_whole() -> None:
    label = dataclasses.replace(sample_label(), tracking_number="9" * 34, sscc=sscc(1))
    (scans,) = pdfcheck.scan_pages(render.render_label_pdf([label]))
    assert_scans_as(scans, label)


@pytest.mark.parametrize(
    ("label", "message"),
    [(dataclasses.replace(sample_label(), sscc="106141411234567898"), "check digit"),
     (dataclasses.replace(sample_label(), tracking_number="1Z\u00e9"), "printable ASCII"),
     (dataclasses.replace(sample_label(), tracking_number="X" * 60), "do not fit")],
)
def test_bad_barcode_data_is_refused_with_a_reason(label: LabelData, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render.render_label_pdf([label])


def test_tracking_number_with_zpl_and_code128_special_characters_scans_exactly() -> None:
    label = dataclasses.replace(sample_label(), tracking_number="1Z^9~9_9>1234")
    (scans,) = pdfcheck.scan_pages(render.render_label_pdf([label]))
    assert_scans_as(scans, label)


def test_unknown_page_size_and_empty_batch_are_refused() -> None:
    with pytest.raises(ValueError, match="4x6"):
        render.render_label_pdf([sample_label()], page="A6")
    with pytest.raises(ValueError, match="No shipping labels"):
        render.render_label_pdf([])


def test_each_page_shows_its_own_sender_and_carrier_in_a_mixed_batch() -> None:
    carriers = ["DHL Parcel", "UPS", "DHL Parcel"]
    labels = [dataclasses.replace(sample_label(n), carrier=carrier)
              for n, carrier in enumerate(carriers)]
    labels[1] = dataclasses.replace(
        labels[1], ship_from=dataclasses.replace(labels[1].ship_from, name="Second Warehouse"))
    pages = pdfcheck.texts(render.render_label_pdf(labels))
    assert ["UPS" in page for page in pages] == [False, True, False]
    assert ["Second Warehouse" in page for page in pages] == [False, True, False]
    assert all("Shipshape Fulfilment" in page for page in (pages[0], pages[2]))
