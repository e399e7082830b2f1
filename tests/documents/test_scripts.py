"""Addresses in their own script: CJK fonts, right-to-left order, joined Arabic.

Labels and packing slips are rasterised and read back as a person and a text tool
would: every letter of the address comes back, none as `?`, and each line is inked
across the width it was laid out to take.
"""

from __future__ import annotations

import dataclasses
import unicodedata

import pypdfium2
import pytest

from app.documents import render, scripts
from app.documents.addresses import locality, street_lines
from app.documents.data import Address, LabelData, SlipLine
from app.documents.fonts import (
    BOLD,
    CHINESE,
    ELLIPSIS,
    JAPANESE,
    KOREAN,
    MISSING,
    REGULAR,
    base_glyphs,
    cjk_glyphs,
)
from app.documents.label_layout import label_fields, label_layout
from app.documents.samples import INTERNATIONAL, international_label, sample_slip
from app.documents.symbols import sscc_text
from tests.documents import pdfcheck
from tests.documents.hostile import MARKUP_INJECTION
from tests.documents.test_shipping_label_pdf import assert_scans_as

LANGUAGES = sorted(INTERNATIONAL)
ITEMS = {
    "zh": "双人帐篷 森林绿",
    "ja": "登山用テント 2人用 フォレストグリーン",
    "ko": "2인용 텐트 포레스트 그린",
    "ar": "خيمة لشخصين باللون الأخضر",
    "he": "אוהל לשני אנשים, ירוק יער",
    "el": "Σκηνή δύο ατόμων, πράσινη",
    "ru": "Палатка двухместная, зелёная",
}
LONG_ARABIC_ITEM = (
    "سجادة صلاة فاخرة من الحرير الطبيعي مصنوعة يدويا في تركيا بألوان متعددة ونقوش تقليدية"
)
MM = 72 / 25.4
INK = 128


def address_lines(address: Address) -> list[str]:
    return [address.name, *street_lines(address), locality(address)]


def assert_shown(text: str, lines: list[str]) -> None:
    """Every line comes back whole, in reading order, and nothing became `?`."""
    assert MISSING not in text and "\ufffd" not in text
    for line in lines:
        assert line in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_label_prints_the_address_in_its_script_and_still_scans(language: str) -> None:
    label = international_label(language)
    pdf = render.render_label_pdf([label])
    (text,) = pdfcheck.texts(pdf)
    assert_shown(text, address_lines(label.ship_to))
    (scans,) = pdfcheck.scan_pages(pdf)
    assert_scans_as(scans, label)


def _ink_widths(label: LabelData) -> dict[str, tuple[float, float]]:
    """Per ship-to line: the width it was laid out to take and the width inked, in points."""
    layout = label_layout("4x6")
    fields = label_fields(label, sscc_text(label.sscc, label.sscc_prefix_length))
    pdf = render.render_label_pdf([label])
    scale = pdfcheck.SCAN_DPI / 72
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=scale, grayscale=True).to_pil()
    pixels = image.load()
    widths = {}
    for slot in layout.texts:
        if not slot.key.startswith("to_") or slot.key not in fields:
            continue
        font = BOLD if slot.bold else REGULAR
        size = slot.size * MM
        line, fitted = scripts.fit(
            fields[slot.key], font, size, slot.width * MM, size * 0.6, label.ship_to.country
        )
        left, top = round(slot.x * MM * scale), round(slot.y * MM * scale)
        right, bottom = round((slot.x + slot.width) * MM * scale), round(top + size * scale)
        inked = [
            x for x in range(left, right) if any(pixels[x, y] < INK for y in range(top, bottom))
        ]
        extent = (inked[-1] - inked[0]) / scale if inked else 0.0
        widths[slot.key] = (scripts.width(line, fitted), extent)
    return widths


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_address_line_is_inked_across_its_width(language: str) -> None:
    widths = _ink_widths(international_label(language))
    assert {"to_name", "to_locality", "to_country"} <= widths.keys()
    for key, (laid_out, inked) in widths.items():
        assert inked >= 0.85 * laid_out, key


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_character_is_drawn_in_a_font_that_has_its_glyph(language: str) -> None:
    address = INTERNATIONAL[language]
    for text in [*address_lines(address), ITEMS[language]]:
        for run in scripts.layout(text, BOLD, address.country):
            glyphs = base_glyphs() if run.font == BOLD else cjk_glyphs(run.font)
            assert all(ord(char) in glyphs for char in run.text), (text, run)


@pytest.mark.parametrize(("language", "rtl"), [("ar", True), ("he", True), ("ru", False)])
def test_right_to_left_names_are_drawn_from_the_right(language: str, rtl: bool) -> None:
    name = INTERNATIONAL[language].name
    page = pypdfium2.PdfDocument(render.render_label_pdf([international_label(language)]))[0]
    textpage = page.get_textpage()
    start = textpage.get_text_range().index(name)
    lefts = [
        textpage.get_charbox(start + offset)[0]
        for offset, char in enumerate(name)
        if not char.isspace()
    ]
    assert (lefts[0] > lefts[-1]) == rtl


def test_arabic_letters_are_joined_and_hebrew_is_reversed() -> None:
    (arabic,) = scripts.layout("محمد عبد الله", REGULAR)
    forms = [unicodedata.name(char) for char in arabic.text if not char.isspace()]
    assert all(" FORM" in form or "LIGATURE" in form for form in forms)
    assert any("MEDIAL FORM" in form for form in forms)
    (hebrew,) = scripts.layout("רחוב הרצל 15", REGULAR)
    assert hebrew.text == "15 לצרה בוחר"


@pytest.mark.parametrize(
    ("text", "country", "font"),
    [
        ("東京都千代田区", "JP", JAPANESE),
        ("丸の内", "", JAPANESE),
        ("北京市朝阳区", "CN", CHINESE),
        ("臺北市信義區", "TW", CHINESE),
        ("서울특별시", "", KOREAN),
        ("中區", "KR", KOREAN),
        ("東京", "", CHINESE),
    ],
)
def test_han_characters_take_the_font_of_the_text_or_the_country(
    text: str, country: str, font: str
) -> None:
    assert {run.font for run in scripts.layout(text, REGULAR, country)} == {font}


def test_a_character_no_font_has_becomes_a_question_mark() -> None:
    assert scripts.layout("Café 😀", REGULAR) == (scripts.Run("Café ?", REGULAR),)


def test_right_to_left_text_too_long_is_cut_at_its_logical_end() -> None:
    line, size = scripts.fit(LONG_ARABIC_ITEM, REGULAR, 12, 120, 8)
    assert size == 8 and scripts.width(line, size) <= 120
    assert line[0].text.startswith(ELLIPSIS)


@pytest.mark.parametrize("language", LANGUAGES)
def test_packing_slip_shows_address_and_items_in_their_script(language: str) -> None:
    address = INTERNATIONAL[language]
    slip = dataclasses.replace(
        sample_slip(),
        ship_to=address,
        bill_to=address,
        lines=[SlipLine("TENT-2P-GRN", ITEMS[language], 1, 1, 0)],
        notes=ITEMS[language],
    )
    pdf = render.render_packing_slip(slip)
    (text,) = pdfcheck.texts(pdf)
    assert_shown(text, [*address_lines(address), ITEMS[language]])
    assert text.count(address.name) == 2 and text.count(ITEMS[language]) == 2
    (scans,) = pdfcheck.scan_pages(pdf)
    assert pdfcheck.found(scans) == {("Code 128", "O:SO-100001"), ("Code 128", "R:SO-100001")}


def test_long_right_to_left_item_wraps_in_reading_order() -> None:
    slip = dataclasses.replace(
        sample_slip(),
        ship_to=INTERNATIONAL["ar"],
        lines=[SlipLine("RUG-1", LONG_ARABIC_ITEM, 1, 1, 0)],
        notes=LONG_ARABIC_ITEM,
    )
    (text,) = pdfcheck.texts(render.render_packing_slip(slip))
    first, last = "سجادة صلاة فاخرة", "ونقوش تقليدية"
    assert text.index(first) < text.index(last)
    assert LONG_ARABIC_ITEM in text  # the notes, on one line
    lines = scripts.wrap(LONG_ARABIC_ITEM, REGULAR, 9, 250)
    assert len(lines) == 2
    assert all(scripts.width(line, 9) <= 250 for line in lines)


def test_markup_beside_other_scripts_comes_out_literally() -> None:
    slip = dataclasses.replace(
        sample_slip(),
        ship_to=Address(f"{MARKUP_INJECTION} محمد", city="الرياض", country="SA"),
        lines=[SlipLine("SKU-1", f"{MARKUP_INJECTION} 登山用テント", 1, 1, 0)],
    )
    (text,) = pdfcheck.texts(render.render_packing_slip(slip))
    assert text.count(MARKUP_INJECTION) == 2
