"""Pick lists, product labels and bin labels: every code on them scans."""

from __future__ import annotations

import dataclasses

import pytest

from app.documents import render
from app.documents.data import LocationLabelData, PickLine, PickListData, ProductLabelData
from app.documents.samples import sample_pick_list
from tests.documents import pdfcheck
from tests.documents.hostile import MARKUP_INJECTION, NAMES

TWO_BY_ONE = (144, 72)


def test_pick_list_codes_for_list_locations_products_and_orders_all_scan() -> None:
    pdf = render.render_pick_list(sample_pick_list())
    (scans,) = pdfcheck.scan_pages(pdf)
    assert pdfcheck.found(scans) == {
        ("Code 128", "P:PL-000042"),
        ("Code 128", "L:A-01-02"), ("Code 128", "L:A-03-01"), ("Code 128", "L:B-11-04"),
        ("EAN-13", "4006381333931"), ("Code 128", "MAT-UL-R"), ("EAN-13", "0036000291452"),
        ("Code 128", "O:SO-100001"), ("Code 128", "O:SO-100002"),
    }


def test_pick_list_is_in_walking_order_whatever_order_lines_arrive_in() -> None:
    shuffled = dataclasses.replace(sample_pick_list(),
                                   lines=list(reversed(sample_pick_list().lines)))
    (text,) = pdfcheck.texts(render.render_pick_list(shuffled, paper="Letter"))
    assert text.index("A-01-02") < text.index("A-03-01") < text.index("B-11-04")
    assert "3 stops, 4 units" in text


def test_pick_list_with_hostile_names_and_an_overlong_sku_still_prints() -> None:
    lines = [PickLine(n, f"Z-{n}", f"SKU-{n}", name, "", 1, "SO-1") for n, name in
             enumerate([MARKUP_INJECTION, NAMES["cyrillic"], NAMES["long"]], 1)]
    lines.append(PickLine(9, "Z-9", "S" * 60, "Very long SKU", "", 1, "SO-1"))
    pdf = render.render_pick_list(PickListData("PL-1", lines))
    (text,) = pdfcheck.texts(pdf)
    assert "".join(MARKUP_INJECTION.split()) in "".join(text.split())
    assert NAMES["cyrillic"] in text
    assert "S" * 60 in "".join(text.split())
    (scans,) = pdfcheck.scan_pages(pdf)
    assert ("Code 128", "SKU-2") in pdfcheck.found(scans)


@pytest.mark.parametrize(
    ("gtin", "expected"),
    [("4006381333931", ("EAN-13", "4006381333931")),
     ("036000291452", ("EAN-13", "0036000291452")),
     ("96385074", ("EAN-8", "96385074")),
     ("10614141000415", ("Code 128", "(01)10614141000415"))],
)
def test_product_label_is_two_by_one_inch_with_sku_and_gtin(
    gtin: str, expected: tuple[str, str]
) -> None:
    pdf = render.render_product_labels([ProductLabelData("TENT-2P-GRN", NAMES["greek"], gtin)])
    assert pdfcheck.page_size(pdf) == TWO_BY_ONE
    (scans,) = pdfcheck.scan_pages(pdf)
    assert pdfcheck.found(scans) == {("Code 128", "TENT-2P-GRN"), expected}
    assert NAMES["greek"] in pdfcheck.texts(pdf)[0]


def test_product_without_gtin_gets_a_taller_sku_barcode_and_many_labels_one_each() -> None:
    products = [ProductLabelData(f"SKU-{n}", NAMES["emoji"]) for n in range(3)]
    pdf = render.render_product_labels(products)
    assert [pdfcheck.found(page) for page in pdfcheck.scan_pages(pdf)] == [
        {("Code 128", f"SKU-{n}")} for n in range(3)
    ]


def test_location_labels_show_the_code_large_and_scan_as_l_prefix() -> None:
    pdf = render.render_location_labels([LocationLabelData("A-01-02"),
                                         LocationLabelData("MEZZ-B-12-03-7")])
    assert pdfcheck.page_size(pdf) == TWO_BY_ONE
    assert [pdfcheck.found(page) for page in pdfcheck.scan_pages(pdf)] == [
        {("Code 128", "L:A-01-02")}, {("Code 128", "L:MEZZ-B-12-03-7")}
    ]
    assert "A-01-02" in pdfcheck.texts(pdf)[0]


def test_sku_too_long_for_a_two_inch_label_is_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="do not fit"):
        render.render_product_labels([ProductLabelData("X" * 40, "Too long")])
