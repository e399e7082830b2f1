"""Sample documents to look at: `python -m app.documents.samples OUTDIR [--png] [NAME...]`.

Writes each document type as PDF (the label also as ZPL) or, with `--png`, its first
page as a PNG, which needs pypdfium2 (a test dependency).
"""

from __future__ import annotations

import argparse
import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from app.documents import render
from app.documents.data import (
    Address,
    LabelData,
    LocationLabelData,
    PickLine,
    PickListData,
    ProductLabelData,
    SlipData,
    SlipLine,
)
from app.documents.symbols import gs1_check_digit

WAREHOUSE = Address(
    "Shipshape Fulfilment",
    "Acme Outdoor Ltd",
    "Unit 4, Dockside Park",
    "Harbour Road",
    "Bristol",
    "BS1 6XN",
    "",
    "GB",
    "+44 117 496 0000",
)
PNG_DPI = 200
CUSTOMER = Address(
    "Zoë Ångström-Müller",
    "",
    "Kastanienallee 12",
    "Hinterhaus, 3. OG",
    "Berlin",
    "10435",
    "",
    "DE",
    "+49 30 1234567",
)


INTERNATIONAL = {
    "zh": Address(
        "王小明", address1="建国路88号 SOHO现代城5号楼1201室", city="北京市朝阳区",
        postcode="100022", country="CN",
    ),
    "ja": Address(
        "山田 太郎", address1="丸の内一丁目9番1号", address2="グラントウキョウノースタワー 12階",
        city="千代田区", postcode="100-0005", region="東京都", country="JP",
    ),
    "ko": Address(
        "김민준", address1="세종대로 110", address2="서울특별시청 3층", city="중구",
        postcode="04524", region="서울특별시", country="KR",
    ),
    "ar": Address(
        "محمد عبد الله", address1="شارع الملك فهد 2345", address2="حي العليا", city="الرياض",
        postcode="12211", country="SA",
    ),
    "he": Address(
        "דוד כהן", address1="רחוב הרצל 15", address2="דירה 4", city="תל אביב-יפו",
        postcode="6525105", country="IL",
    ),
    "el": Address(
        "Γιώργος Παπαδόπουλος", address1="Οδός Ερμού 25", address2="3ος όροφος", city="Αθήνα",
        postcode="105 63", country="GR",
    ),
    "ru": Address(
        "Иван Петров", address1="ул. Тверская, д. 7, кв. 12", city="Москва", postcode="125009",
        country="RU",
    ),
}
"""Realistic addresses in their own script, by language code."""


def sscc(serial: int, prefix: str = "0614141") -> str:
    """An SSCC with extension digit 1, the given company prefix and check digit."""
    body = f"1{prefix}{serial:0{16 - len(prefix)}d}"
    return body + gs1_check_digit(body)


def sample_label(number: int = 0) -> LabelData:
    """A realistic label; `number` varies order, tracking number and SSCC."""
    return LabelData(
        order_number=f"SO-{100001 + number}",
        external_ref=f"#{1001 + number}",
        ship_from=WAREHOUSE,
        ship_to=CUSTOMER,
        carrier="DHL Parcel",
        service_level="Express 24h",
        weight_g=1250 + number % 5000,
        package_index=1,
        package_count=2,
        tracking_number=f"JJD014600{123456789 + number:09d}",
        sscc=sscc(123456789 + number),
    )


def international_label(language: str) -> LabelData:
    """The sample label sent to `INTERNATIONAL[language]`."""
    return dataclasses.replace(sample_label(), ship_to=INTERNATIONAL[language])


def sample_slip() -> SlipData:
    """A split shipment: one line complete, one partly, one to follow."""
    return SlipData(
        order_number="SO-100001",
        external_ref="#1001",
        placed_at=datetime(2025, 3, 14, 9, 30, tzinfo=UTC),
        ship_to=CUSTOMER,
        bill_to=Address(
            "Zoë Ångström-Müller",
            "Ångström Design GmbH",
            "Torstraße 1",
            "",
            "Berlin",
            "10119",
            "",
            "DE",
        ),
        lines=[
            SlipLine("TENT-2P-GRN", "Trailhead 2-person tent, forest green", 1, 1, 0),
            SlipLine("MAT-UL-R", "Ultralight sleeping mat, regular", 2, 1, 1),
            SlipLine("STOVE-TI", "Titanium camping stove", 1, 0, 1),
        ],
        return_code="R:SO-100001",
        notes="Please leave the parcel with the neighbour at no. 14 if nobody answers.",
    )


def sample_pick_list() -> PickListData:
    """Three stops across two orders."""
    return PickListData(
        "PL-000042",
        [
            PickLine(
                1,
                "A-01-02",
                "TENT-2P-GRN",
                "Trailhead 2-person tent",
                "4006381333931",
                1,
                "SO-100001",
                "T-07",
            ),
            PickLine(
                2,
                "A-03-01",
                "MAT-UL-R",
                "Ultralight sleeping mat, regular",
                "",
                2,
                "SO-100002",
                "T-08",
            ),
            PickLine(
                3,
                "B-11-04",
                "STOVE-TI",
                "Titanium camping stove",
                "036000291452",
                1,
                "SO-100001",
                "T-07",
            ),
        ],
    )


def sample_documents() -> dict[str, bytes]:
    """Every document type as PDF, by name."""
    return {
        "label": render.render_label_pdf([sample_label()]),
        "packing-slip": render.render_packing_slip(sample_slip()),
        "pick-list": render.render_pick_list(sample_pick_list()),
        "product-label": render.render_product_labels(
            [ProductLabelData("TENT-2P-GRN", "Trailhead 2-person tent", "4006381333931")]),
        "location-label": render.render_location_labels([LocationLabelData("A-01-02")]),
        **{
            f"label-{language}": render.render_label_pdf([international_label(language)])
            for language in INTERNATIONAL
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Write the chosen samples (default: all) into OUTDIR."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--png", action="store_true", help="first page as PNG, not PDF")
    parser.add_argument("names", nargs="*", help="label, packing-slip, pick-list, ...")
    args = parser.parse_intermixed_args(argv)
    args.outdir.mkdir(parents=True, exist_ok=True)
    documents = sample_documents()
    unknown = set(args.names) - set(documents)
    if unknown:
        parser.error(f"unknown document {', '.join(sorted(unknown))}; use {', '.join(documents)}")
    for name in args.names or documents:
        pdf = documents[name]
        if args.png:
            import pypdfium2

            page = pypdfium2.PdfDocument(pdf)[0]
            page.render(scale=PNG_DPI / 72).to_pil().save(args.outdir / f"{name}.png")
        else:
            (args.outdir / f"{name}.pdf").write_bytes(pdf)
    if not args.png and (not args.names or "label" in args.names):
        (args.outdir / "label.zpl").write_bytes(render.render_label_zpl([sample_label()]))


if __name__ == "__main__":
    main()
