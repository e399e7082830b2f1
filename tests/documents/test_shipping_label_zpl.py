"""ZPL labels: one format per label, and customer text can never become a command."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.documents import render
from app.documents.addresses import locality, street_lines
from app.documents.data import LabelData
from app.documents.label_zpl import BIDI_AND_SHAPING, PRINTER_FONTS
from app.documents.samples import international_label, sample_label
from tests.documents.hostile import NAMES, ZPL_INJECTION, hostile_label

FIELD = re.compile(r"\^FO(\d+),(\d+)\^(A[0JKMNW]N,\d+,\d+|BY\d+\^BCN,[^^]*|BQN,[^^]*)"
                   r"\^FH_\^FD([^^]*)\^FS")
COMMANDS = re.compile(r"(XA|CI28|PW\d+|LL\d+|LH0,0|FO\d+,\d+|GB\d+,\d+,\d+|A[0JKMNW]N,\d+,\d+|"
                      r"CW[JKMNW],E:[A-Z0-9_]+\.TTF|PA0,1,1,0|"
                      r"BY\d+|BCN,\d+,N,N,N,N|BQN,2,\d+|FH_|FD[^^]*|FS|XZ\n?)")


def unescape(data: str) -> str:
    """Undo `^FH_` hex escapes, byte-wise, as the printer does."""
    raw = re.sub(rb"_([0-9A-F]{2})", lambda m: bytes([int(m[1], 16)]), data.encode())
    return raw.decode()


def formats(zpl: bytes) -> list[str]:
    text = zpl.decode()
    found = re.findall(r"\^XA.*?\^XZ\n", text, flags=re.S)
    assert "".join(found) == text
    return found


def field_texts(label_format: str) -> list[str]:
    return [unescape(match[3]) for match in FIELD.findall(label_format)]


def test_every_label_is_exactly_one_format_and_every_caret_starts_a_known_command() -> None:
    labels = [hostile_label(name, n) for n, name in enumerate(NAMES.values())]
    zpl = render.render_label_zpl(labels)
    found = formats(zpl)
    assert len(found) == len(labels)
    for label_format in found:
        assert label_format.count("^XA") == label_format.count("^XZ") == 1
        assert "~" not in label_format
        for token in label_format.split("^")[1:]:
            assert COMMANDS.fullmatch(token), token


def test_zpl_injection_in_ship_to_comes_back_as_the_same_text() -> None:
    (label_format,) = formats(render.render_label_zpl([hostile_label(ZPL_INJECTION)]))
    assert "^FH_^FDACME_5EXZ_5EXA_5EFDPWNED_5EFS_7EJA_5F41^FS" in label_format
    assert ZPL_INJECTION in field_texts(label_format)


@pytest.mark.parametrize("kind", ["accents", "cyrillic", "greek", "quotes", "decomposed"])
def test_international_names_travel_as_utf8(kind: str) -> None:
    (label_format,) = formats(render.render_label_zpl([hostile_label(NAMES[kind])]))
    assert "^CI28" in label_format
    assert unicodedata.normalize("NFC", NAMES[kind]) in field_texts(label_format)


@pytest.mark.parametrize(
    ("language", "country", "font"),
    [("zh", "CN", "M"), ("zh", "TW", "N"), ("ja", "JP", "J"), ("ko", "KR", "K"),
     ("ar", "SA", "W"), ("he", "IL", "W"), ("el", "GR", "W"), ("ru", "RU", "W")],
)
def test_other_scripts_map_a_printer_font_and_travel_as_escaped_utf8(
    language: str, country: str, font: str
) -> None:
    label = international_label(language)
    label = dataclasses.replace(label, ship_to=dataclasses.replace(label.ship_to, country=country))
    (label_format,) = formats(render.render_label_zpl([label]))
    assert label_format.isascii()
    assert label_format.count("^CW") == 1 and f"^CW{font},{PRINTER_FONTS[font]}" in label_format
    assert (BIDI_AND_SHAPING in label_format) == (language in ("ar", "he"))
    fonts = {unescape(data): kind.split(",")[0] for *_, kind, data in FIELD.findall(label_format)}
    to = label.ship_to
    for line in (to.name, *street_lines(to), locality(to)):
        assert fonts[line] == f"A{font}N"
    (name,) = [data for *_, data in FIELD.findall(label_format) if unescape(data) == to.name]
    assert name == "".join(f"_{b:02X}" if b > 0x7F else chr(b) for b in to.name.encode())


def test_latin_1_labels_keep_the_resident_font() -> None:
    (label_format,) = formats(render.render_label_zpl([sample_label()]))
    assert "^CW" not in label_format and "^PA" not in label_format
    assert "^A0N" in label_format


def test_control_characters_are_dropped() -> None:
    (label_format,) = formats(render.render_label_zpl([hostile_label(NAMES["controls"])]))
    assert "Tabherenewline[0m" in field_texts(label_format)


def test_too_long_text_shrinks_then_is_cut_within_the_label() -> None:
    (label_format,) = formats(render.render_label_zpl([hostile_label(NAMES["long"])]))
    name_field = next(m for m in FIELD.findall(label_format) if m[3].startswith("Maximilian"))
    height = int(name_field[2].split(",")[1])
    assert height < 48 and name_field[3].endswith("...")


@pytest.mark.parametrize(("dpi", "size", "module"), [(203, "^PW812^LL1218", 4),
                                                     (300, "^PW1200^LL1800", 6)])
def test_sizes_are_computed_for_the_printer_resolution(dpi: int, size: str, module: int) -> None:
    (label_format,) = formats(render.render_label_zpl([sample_label()], dpi=dpi))
    assert size in label_format
    assert f"^BY{module}^BCN" in label_format


def test_100x150_mm_stock() -> None:
    (label_format,) = formats(render.render_label_zpl([sample_label()], page="100x150"))
    assert "^PW799^LL1199" in label_format


def test_barcodes_carry_tracking_gs1_sscc_with_fnc1_and_order_qr() -> None:
    label = dataclasses.replace(sample_label(), tracking_number="1Z^9~9_9>1234")
    (label_format,) = formats(render.render_label_zpl([label]))
    barcodes = [(kind.split("^")[-1][:3], unescape(text))
                for *_, kind, text in FIELD.findall(label_format) if kind[0] == "B"]
    assert barcodes == [
        ("BCN", ">:1Z^9~9_9><>51234"),
        ("BCN", f">;>800{label.sscc}"),
        ("BQN", f"MA,O:{label.order_number}"),
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=24))
def test_any_ship_to_name_is_one_format_and_decodes_back(name: str) -> None:
    assume(name.strip())
    label: LabelData = dataclasses.replace(
        sample_label(), ship_to=dataclasses.replace(sample_label().ship_to, name=name)
    )
    (label_format,) = formats(render.render_label_zpl([label]))
    assert label_format.count("^XA") == label_format.count("^XZ") == 1
    assert "~" not in label_format and label_format.isascii()
    expected = "".join(c for c in unicodedata.normalize("NFC", name) if ord(c) >= 0x20)
    assert expected in field_texts(label_format) or not expected


def test_unsupported_resolution_is_refused() -> None:
    with pytest.raises(ValueError, match="203 or 300"):
        render.render_label_zpl([sample_label()], dpi=600)
