"""Packing slips: scannable order and return codes, and customer text shown, never run."""

from __future__ import annotations

import dataclasses

import pytest

from app.documents import render
from app.documents.data import Address, SlipLine
from app.documents.samples import sample_slip
from tests.documents import pdfcheck
from tests.documents.hostile import MARKUP_INJECTION, NAMES


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.28, 841.89)), ("Letter", (612, 792))])
def test_slip_on_each_paper_has_scannable_order_and_return_codes(
    paper: str, size: tuple[float, float]
) -> None:
    pdf = render.render_packing_slip(sample_slip(), paper=paper)
    assert pdfcheck.page_size(pdf) == size
    (scans,) = pdfcheck.scan_pages(pdf)
    assert pdfcheck.found(scans) == {("Code 128", "O:SO-100001"), ("Code 128", "R:SO-100001")}


def test_split_shipment_quantities_are_listed_per_line() -> None:
    (text,) = pdfcheck.texts(render.render_packing_slip(sample_slip()))
    assert "MAT-UL-R Ultralight sleeping mat, regular 2 1 1" in text
    assert "STOVE-TI Titanium camping stove 1 0 1" in text
    assert "separate parcel" in text


def test_reportlab_markup_in_customer_text_comes_out_literally() -> None:
    slip = dataclasses.replace(
        sample_slip(), notes=MARKUP_INJECTION,
        ship_to=Address(MARKUP_INJECTION, city="Berlin", country="DE"),
        lines=[SlipLine("SKU-1", MARKUP_INJECTION, 1, 1, 0)],
    )
    (text,) = pdfcheck.texts(render.render_packing_slip(slip))
    assert text.count(MARKUP_INJECTION) >= 1
    flat = "".join(text.split())
    assert flat.count("".join(MARKUP_INJECTION.split())) == 3


@pytest.mark.parametrize("kind", ["cyrillic", "greek", "accents", "quotes", "zpl"])
def test_international_and_odd_names_print_as_given(kind: str) -> None:
    slip = dataclasses.replace(sample_slip(), ship_to=Address(NAMES[kind], country="DE"))
    (text,) = pdfcheck.texts(render.render_packing_slip(slip))
    assert NAMES[kind] in text


def test_long_order_continues_over_pages_with_the_header_row_repeated() -> None:
    lines = [SlipLine(f"SKU-{n:03d}", f"Item number {n} " * 3, 2, 1, 1) for n in range(90)]
    pdf = render.render_packing_slip(dataclasses.replace(sample_slip(), lines=lines))
    pages = pdfcheck.texts(pdf)
    assert len(pages) >= 3
    assert all("In this" in page for page in pages[:-1])
    assert all(f"SKU-{n:03d}" in "".join(pages) for n in range(90))
    assert f"Order SO-100001 - page {len(pages)}" in pages[-1]
    assert ("Code 128", "R:SO-100001") in pdfcheck.found(pdfcheck.scan_pages(pdf)[-1])


def test_unknown_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="A4"):
        render.render_packing_slip(sample_slip(), paper="A5")
