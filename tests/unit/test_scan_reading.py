from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.domain.gtin import gs1_check_digit
from app.domain.scan_reading import (
    LAYOUT_MISMATCH,
    NOTHING_SCANNED,
    DocType,
    Reading,
    ScanKind,
    describe,
    read_scan,
)

TODAY = date(2025, 6, 15)
GS = "\x1d"
GTIN = "09506000134352"  # GS1 General Specifications example
SSCC = "106141411234567897"  # GS1 General Specifications example
EAN13 = "4006381333931"
AZERTY_DIGITS = str.maketrans("1234567890", "&é\"'(-è_çà")


def read(raw: str) -> Reading:
    return read_scan(raw, today=TODAY)


def refusal(raw: str) -> str | None:
    reading = read(raw)
    assert reading.kind is ScanKind.INVALID
    return reading.error


# --- the packing station's bad inputs (RELIABILITY.md) ---------------------------------


@pytest.mark.parametrize("raw", ["", "\r", "\n", "\r\n", "\t", "   "])
def test_a_bare_enter_asks_for_the_item_barcode(raw: str) -> None:
    reading = read(raw)
    assert reading.kind is ScanKind.EMPTY
    assert reading.error == NOTHING_SCANNED


def test_an_ean13_with_a_bad_check_digit_names_the_expected_digit() -> None:
    assert refusal("4006381333932") == "Check digit wrong (expected 1) - rescan"


@pytest.mark.parametrize("raw", ["&é\"'(", EAN13.translate(AZERTY_DIGITS), 'SKU-&é"'])
def test_digits_typed_through_an_azerty_layout_are_a_layout_mismatch(raw: str) -> None:
    assert refusal(raw) == LAYOUT_MISMATCH


@pytest.mark.parametrize("raw", ["Rock'n'Roll", "L'Oréal-1", "(A)-(B)"])
def test_ordinary_codes_with_some_punctuation_are_not_a_layout_mismatch(raw: str) -> None:
    assert read(raw).kind is ScanKind.PRODUCT_CODE


@pytest.mark.parametrize("raw", ["]X9ABC123", "]x04006381333931", "]"])
def test_an_unknown_aim_prefix_is_an_unsupported_barcode_type(raw: str) -> None:
    assert refusal(raw) == f"Unsupported barcode type {raw[:3]}"


def test_a_variable_lot_without_separator_that_runs_too_long_is_malformed() -> None:
    raw = f"]C101{GTIN}10ABC12321SN1234567890123456"
    assert refusal(raw) == "GS1 malformed: lot (AI 10) too long / missing separator"


@pytest.mark.parametrize("separator", [GS, "#", "<GS>"])
def test_gs1_separators_gs_hash_and_literal_gs_all_parse(separator: str) -> None:
    reading = read(f"]C101{GTIN}10ABC123{separator}17201225{separator}21SN9")
    assert reading.kind is ScanKind.GS1
    assert dict(reading.ai) == {"01": GTIN, "10": "ABC123", "17": "201225", "21": "SN9"}


def test_an_unknown_separator_is_reported_not_swallowed() -> None:
    raw = f"]C101{GTIN}10ABC123|17201225"
    assert refusal(raw) == "GS1 malformed: lot (AI 10) has a character GS1 does not allow"


def test_twelve_digits_of_an_ean13_are_an_incomplete_barcode() -> None:
    assert refusal(EAN13[:12]) == "Incomplete barcode (12 of 13 digits)"


@pytest.mark.parametrize("length", [9, 10, 11])
def test_nine_to_eleven_digits_are_an_incomplete_barcode(length: int) -> None:
    assert refusal(EAN13[:length]) == f"Incomplete barcode ({length} of 13 digits)"


def test_seventeen_digits_are_an_incomplete_sscc() -> None:
    assert refusal(SSCC[:17]) == "Incomplete barcode (17 of 18 digits)"


@pytest.mark.parametrize("raw", ["9" * 10_000, "A" * 257, "]C1" + "1" * 254])
def test_a_burst_over_256_characters_is_too_long(raw: str) -> None:
    assert refusal(raw) == "Scan too long (max 256)"


def test_nfkc_expansion_beyond_256_characters_is_too_long() -> None:
    assert refusal("\ufdfa" * 20) == "Scan too long (max 256)"


@pytest.mark.parametrize(("char", "shown"), [("\x00", "0x00"), ("\x1b", "0x1B"), ("\x04", "0x04")])
def test_nul_esc_or_eot_mid_string_is_refused_with_its_code(char: str, shown: str) -> None:
    assert refusal(f"4006{char}381333931") == f"Barcode contains control character {shown}"


def test_an_invisible_character_is_refused_with_its_code_point() -> None:
    assert refusal("SKU\u200b-123") == "Barcode contains invisible character U+200B"


@pytest.mark.parametrize(
    "raw",
    [
        "４００６３８１３３３９３１",  # full-width
        "٤٠٠٦٣٨١٣٣٣٩٣١",  # Arabic-Indic
        "۴۰۰۶۳۸۱۳۳۳۹۳۱",  # Extended Arabic-Indic (Persian)
    ],
)
def test_full_width_and_arabic_indic_digits_read_as_the_same_gtin(raw: str) -> None:
    reading = read(raw)
    assert reading.kind is ScanKind.PRODUCT_GTIN
    assert reading.gtin14 == "0" + EAN13


def test_digits_from_other_scripts_are_refused() -> None:
    assert refusal("४००६३८१३३३९३१") == "Non-ASCII digits in barcode"


def test_upc_a_and_its_ean13_form_give_the_same_gtin14() -> None:
    assert read("036000291452").gtin14 == read("0036000291452").gtin14 == "00036000291452"


def test_an_expired_lot_is_read_with_a_warning_for_the_packing_service() -> None:
    reading = read(f"(01){GTIN}(17)240331(10)LOT1")
    assert reading.kind is ScanKind.GS1
    assert reading.error is None
    assert reading.expiry == date(2024, 3, 31)
    assert reading.expired
    assert reading.warning == "Lot expired 2024-03-31 - do not ship"


def test_a_lot_expiring_today_is_not_expired() -> None:
    reading = read(f"(01){GTIN}(17)250615")
    assert not reading.expired
    assert reading.warning is None


@pytest.mark.parametrize("value", ["991399", "250230", "251301", "250632"])
def test_an_impossible_gs1_date_is_refused(value: str) -> None:
    assert refusal(f"(01){GTIN}(17){value}") == f"Invalid GS1 date {value}"


# --- AIM symbology prefixes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "symbology", "kind"),
    [
        (f"]E0{EAN13}", "]E0", ScanKind.PRODUCT_GTIN),
        ("]E495012346", "]E4", ScanKind.PRODUCT_GTIN),
        ("]C0SKU-123", "]C0", ScanKind.PRODUCT_CODE),
        ("]A0SKU-123", "]A0", ScanKind.PRODUCT_CODE),
        (f"]I0{GTIN}", "]I0", ScanKind.PRODUCT_GTIN),
        ("]Q1O:SO-100001", "]Q1", ScanKind.DOCUMENT),
        ("]d1L:A-01-02", "]d1", ScanKind.DOCUMENT),
        (f"]C101{GTIN}17201225", "]C1", ScanKind.GS1),
        (f"]d201{GTIN}21SN1{GS}10L1", "]d2", ScanKind.GS1),
        (f"]Q301{GTIN}", "]Q3", ScanKind.GS1),
        (f"]e001{GTIN}", "]e0", ScanKind.GS1),
    ],
)
def test_known_aim_prefixes_are_stripped_and_recorded(
    raw: str, symbology: str, kind: ScanKind
) -> None:
    reading = read(raw)
    assert (reading.kind, reading.symbology, reading.text) == (kind, symbology, raw[3:])


def test_a_gs1_symbology_is_parsed_as_an_element_string_even_when_all_digits() -> None:
    reading = read(f"]C101{GTIN}")
    assert reading.kind is ScanKind.GS1
    assert reading.gtin14 == GTIN


def test_a_leading_fnc1_sent_as_gs_is_ignored() -> None:
    assert read(f"]C1{GS}01{GTIN}").gtin14 == GTIN


def test_an_aim_prefix_with_no_data_is_refused() -> None:
    assert refusal("]C1") == "Barcode has no data - rescan"


@pytest.mark.parametrize(
    "raw", [GS, "<GS>", f"{GS}{GS}", "<GS><GS>", f"{GS}<GS>#", "]C1<GS>", "]C1#", "]d2<GS>"]
)
def test_separators_alone_are_no_gs1_scan(raw: str) -> None:
    assert refusal(raw) == "Barcode has no data - rescan"


# --- GS1 element strings ---------------------------------------------------------------


def test_the_gs1_example_with_expiry_and_lot_is_read_in_full() -> None:
    reading = read(f"(01){GTIN}(17)201225(10)ABC123")
    assert reading.kind is ScanKind.GS1
    assert reading.gtin14 == GTIN
    assert reading.expiry == date(2020, 12, 25)
    assert reading.batch == "ABC123"
    assert reading.quantity == 1


def test_the_gs1_example_sscc_is_read_in_both_forms() -> None:
    for raw in (f"(00){SSCC}", f"00{SSCC}", SSCC):
        reading = read(raw)
        assert (reading.kind, reading.sscc, dict(reading.ai)) == (
            ScanKind.GS1,
            SSCC,
            {"00": SSCC},
        )


def test_parenthesised_and_raw_element_strings_read_the_same() -> None:
    written = read(f"(01){GTIN}(10)ABC123(17)201225(21)SN123")
    raw = read(f"01{GTIN}10ABC123{GS}17201225{GS}21SN123")
    assert dict(written.ai) == dict(raw.ai)
    assert (raw.batch, raw.serial, raw.expiry) == ("ABC123", "SN123", date(2020, 12, 25))


def test_fixed_length_ais_need_no_separator() -> None:
    reading = read(f"]C101{GTIN}17201225310300052510ABC")
    assert dict(reading.ai) == {"01": GTIN, "17": "201225", "3103": "000525", "10": "ABC"}


def test_a_logistic_unit_gives_contained_gtin_and_count() -> None:
    reading = read(f"(00){SSCC}(02){GTIN}(37)12")
    assert (reading.sscc, reading.gtin14, reading.quantity) == (SSCC, GTIN, 12)


def test_a_variable_count_sets_the_quantity() -> None:
    assert read(f"(01){GTIN}(30)5").quantity == 5


def test_day_zero_means_the_last_day_of_the_month() -> None:
    assert read(f"(01){GTIN}(17)240200").expiry == date(2024, 2, 29)


@pytest.mark.parametrize(("value", "year"), [("750101", 2075), ("760101", 1976), ("000101", 2000)])
def test_the_century_follows_the_gs1_sliding_window(value: str, year: int) -> None:
    assert read(f"(01){GTIN}(17){value}").expiry == date(year, 1, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (f"(01){GTIN[:-1]}3", "Check digit wrong (expected 2) - rescan"),
        (f"(00){SSCC[:-1]}0", "Check digit wrong (expected 7) - rescan"),
        ("(01)0950600013435", "GS1 malformed: GTIN (AI 01) must be 14 digits"),
        (f"]C10109506000{GS}10A", "GS1 malformed: GTIN (AI 01) must be 14 digits"),
        (f"(01){GTIN}(10)(17)201225", "GS1 malformed: lot (AI 10) is empty"),
        (f"(01){GTIN}(37)1X", "GS1 malformed: count (AI 37) must be digits"),
        (f"(01){GTIN}(37)0", "GS1 malformed: count is zero"),
        ("(10)A(10)B", "GS1 malformed: AI 10 appears twice"),
        (f"(89)X(01){GTIN}", "GS1 malformed: unknown AI (89)"),
        (f"]C101{GTIN}89X", "GS1 malformed: unknown AI at '89X'"),
    ],
)
def test_malformed_element_strings_say_what_is_wrong(raw: str, message: str) -> None:
    assert refusal(raw) == message


# --- documents, product codes and describe ---------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "doc_type"),
    [
        ("O", DocType.ORDER),
        ("P", DocType.PICK_LIST),
        ("L", DocType.LOCATION),
        ("T", DocType.TOTE),
        ("B", DocType.BOX),
        ("R", DocType.RETURN),
        ("U", DocType.USER),
    ],
)
def test_document_prefixes_route_in_either_case(prefix: str, doc_type: DocType) -> None:
    for raw in (f"{prefix}:X-100001", f"{prefix.lower()}:X-100001"):
        reading = read(raw)
        assert (reading.kind, reading.doc_type, reading.doc_value) == (
            ScanKind.DOCUMENT,
            doc_type,
            "X-100001",
        )


def test_a_document_prefix_without_a_number_is_refused() -> None:
    assert refusal("O:") == "Order barcode has no number - rescan"


@pytest.mark.parametrize("raw", ["SKU-123", "12345", "ABC 42", "SKU#1"])
def test_other_printable_text_is_a_product_code(raw: str) -> None:
    reading = read(raw)
    assert (reading.kind, reading.text) == (ScanKind.PRODUCT_CODE, raw)


def test_trailing_cr_lf_and_tab_are_stripped() -> None:
    reading = read("SKU-123\r\n")
    assert (reading.raw, reading.text) == ("SKU-123\r\n", "SKU-123")


def test_a_product_code_longer_than_64_characters_is_refused() -> None:
    assert refusal("A" * 65) == "Unrecognised barcode (65 characters)"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (EAN13, "GTIN 04006381333931"),
        ("O:SO-100001", "Order SO-100001"),
        ("B:BOX-M", "Box type BOX-M"),
        ("SKU-123", "Code SKU-123"),
        (f"(01){GTIN}(10)L1(21)S1(17)201225", f"GTIN {GTIN}, lot L1, serial S1, expiry 2020-12-25"),
        (f"(00){SSCC}(02){GTIN}(37)4", f"SSCC {SSCC}, GTIN {GTIN}, qty 4"),
        ("(90)ABC", "GS1 (90)ABC"),
        ("", NOTHING_SCANNED),
    ],
)
def test_describe_gives_a_short_human_text(raw: str, text: str) -> None:
    assert describe(read(raw)) == text


# --- properties ------------------------------------------------------------------------

SCANNER_ALPHABET = st.sampled_from(
    [*"0123456789()]#:-&é\"'_çàèABCEOQdeLPTRUX \x1d\x00\r\n\t", "<GS>", "]C1", "]E0", "01"]
)


@given(raw=st.text() | st.lists(SCANNER_ALPHABET).map("".join), today=st.dates())
def test_read_scan_never_raises_and_explains_every_refusal(raw: str, today: date) -> None:
    reading = read_scan(raw, today=today)
    assert (reading.error is not None) == (reading.kind in {ScanKind.EMPTY, ScanKind.INVALID})
    assert reading.raw == raw
    assert "\n" not in describe(reading)
    assert reading.kind is not ScanKind.GS1 or reading.ai  # a GS1 reading says something


gtin_bodies = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


@given(body=gtin_bodies, aim=st.sampled_from(["", "]E0", "]C0"]))
def test_a_valid_gtin_always_round_trips(body: str, aim: str) -> None:
    code = body + str(gs1_check_digit(body))
    reading = read(aim + code)
    assert reading.kind is ScanKind.PRODUCT_GTIN
    assert reading.gtin14 == code.zfill(14)
    assert read(f"(01){code.zfill(14)}").gtin14 == reading.gtin14


CSET_82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


@given(
    lot=st.text(alphabet=CSET_82, min_size=1, max_size=20),
    serial=st.text(alphabet=CSET_82, min_size=1, max_size=20),
)
def test_any_lot_and_serial_round_trip_through_a_gs1_datamatrix(lot: str, serial: str) -> None:
    assume("<GS>" not in lot + serial)
    reading = read(f"]d201{GTIN}10{lot}{GS}21{serial}")
    assert (reading.gtin14, reading.batch, reading.serial) == (GTIN, lot, serial)
