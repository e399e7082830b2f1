import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.gtin import (
    gs1_check_digit,
    has_valid_check_digit,
    is_valid_gtin,
    is_valid_sscc,
    make_sscc,
    to_gtin14,
)

DIGITS = "0123456789"
digit_strings = st.text(alphabet=DIGITS, min_size=2, max_size=18)
gtin_bodies = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet=DIGITS, min_size=n, max_size=n)
)


@pytest.mark.parametrize(
    ("code", "check_digit"),
    [
        ("09506000134352", 2),  # GS1 General Specifications example GTIN-14
        ("106141411234567897", 7),  # GS1 General Specifications example SSCC
        ("4006381333931", 1),  # EAN-13
        ("036000291452", 2),  # UPC-A
        ("95012346", 6),  # GTIN-8
    ],
)
def test_the_check_digit_is_computed_from_the_digits_before_it(code: str, check_digit: int) -> None:
    assert gs1_check_digit(code[:-1]) == check_digit
    assert has_valid_check_digit(code)


@pytest.mark.parametrize("body", ["", "12a4", "١٢٣"])
def test_a_check_digit_of_anything_but_ascii_digits_is_refused(body: str) -> None:
    with pytest.raises(ValueError):
        gs1_check_digit(body)


def test_an_ean13_with_the_wrong_check_digit_is_not_a_valid_gtin() -> None:
    assert not is_valid_gtin("4006381333932")


@pytest.mark.parametrize("code", ["400638133393", "12345", "4006381333931X", "000000000000000"])
def test_codes_of_the_wrong_length_or_with_letters_are_not_gtins(code: str) -> None:
    assert not is_valid_gtin(code)


def test_upc_a_and_its_ean13_form_give_the_same_gtin14() -> None:
    assert to_gtin14("036000291452") == to_gtin14("0036000291452") == "00036000291452"


def test_a_gtin8_is_padded_to_fourteen_digits() -> None:
    assert to_gtin14("95012346") == "00000095012346"


def test_converting_an_invalid_gtin_is_refused() -> None:
    with pytest.raises(ValueError, match="not a valid GTIN"):
        to_gtin14("4006381333932")


def test_the_gs1_example_sscc_is_rebuilt_from_its_parts() -> None:
    sscc = make_sscc(1, "0614141", 123456789)
    assert sscc == "106141411234567897"
    assert is_valid_sscc(sscc)


def test_an_sscc_with_a_wrong_check_digit_is_not_valid() -> None:
    assert not is_valid_sscc("106141411234567890")


@pytest.mark.parametrize(
    ("extension", "prefix", "serial"),
    [
        (10, "0614141", 1),
        (-1, "0614141", 1),
        (1, "061", 1),
        (1, "06141A1", 1),
        (1, "0614141", 10**9),
    ],
)
def test_an_sscc_that_cannot_be_built_is_refused(extension: int, prefix: str, serial: int) -> None:
    with pytest.raises(ValueError):
        make_sscc(extension, prefix, serial)


@given(body=gtin_bodies)
def test_a_body_with_its_check_digit_is_always_a_valid_gtin(body: str) -> None:
    code = body + str(gs1_check_digit(body))
    assert is_valid_gtin(code)
    assert to_gtin14(code) == code.zfill(14)


@given(code=digit_strings, position=st.integers(0, 17), delta=st.integers(1, 9))
def test_changing_any_single_digit_breaks_the_check_digit(
    code: str, position: int, delta: int
) -> None:
    code = code[:-1] + str(gs1_check_digit(code[:-1]))
    position %= len(code)
    changed = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    assert not has_valid_check_digit(changed)
