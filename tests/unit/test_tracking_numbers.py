import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.tracking_numbers import (
    TrackingScheme,
    check_digit,
    is_valid_tracking_number,
    make_tracking_number,
    next_in_range,
    validate_scheme_fields,
)

S10 = TrackingScheme.S10
MOD10 = TrackingScheme.MOD10
MOD11 = TrackingScheme.MOD11
MOD7 = TrackingScheme.MOD7
NONE = TrackingScheme.NONE


@pytest.mark.parametrize(
    ("scheme", "digits", "expected"),
    [
        # UPU S10 worked example (Wikipedia, "S10 (UPU standard)"): S = 200, 11 - 2 = 9.
        (S10, "47312482", "9"),
        # 1*8 + 2*6 + 3*4 + 4*2 + 5*3 + 6*5 + 7*9 + 8*7 = 204; 11 - 204 % 11 = 5.
        (S10, "12345678", "5"),
        # GS1 General Specifications / Wikipedia: EAN-13, GTIN-14 and SSCC examples.
        (MOD10, "400638133393", "1"),
        (MOD10, "0950600013435", "2"),
        (MOD10, "10614141123456789", "7"),
        # IATA air waybill serials: 176-12345675 (Emirates), 020-81140743 (Lufthansa).
        (MOD7, "1234567", "5"),
        (MOD7, "8114074", "3"),
        # US CBP Form 7512 in-bond numbers 257700030 and 257700052.
        (MOD7, "25770003", "0"),
        (MOD7, "25770005", "2"),
        # DHL Express waybill test numbers (jkeen/tracking_number_data, couriers/dhl.json).
        (MOD7, "331881002", "5"),
        (MOD7, "848713550", "6"),
        (MOD7, "7389105114", "6"),
    ],
)
def test_published_examples_get_their_published_check_digit(
    scheme: TrackingScheme, digits: str, expected: str
) -> None:
    assert check_digit(scheme, digits) == expected


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("1234567", "4"),  # 7*2 + 6*3 + 5*4 + 4*5 + 3*6 + 2*7 + 1*2 = 106; 11 - 7 = 4
        ("123456", "0"),  # sum 77, remainder 0: 11 -> 0
        ("6", "0"),  # sum 12, remainder 1: 10 -> 0
        ("1", "9"),  # sum 2: 11 - 2 = 9
        ("0000001", "9"),  # leading zeros add nothing: the weights start at the right
    ],
)
def test_mod11_weights_two_to_seven_from_the_right(digits: str, expected: str) -> None:
    assert check_digit(MOD11, digits) == expected


def test_s10_maps_a_check_of_11_to_5() -> None:
    # 00000000 sums to 0: 11 - 0 = 11 -> 5. 00000009 sums to 63 = 5*11 + 8: 11 - 8 = 3.
    assert check_digit(S10, "00000000") == "5"
    assert check_digit(S10, "00000009") == "3"


def test_s10_maps_a_check_of_10_to_0() -> None:
    # 8*7 = 56, 56 % 11 = 1: 11 - 1 = 10 -> 0.
    assert check_digit(S10, "00000008") == "0"


def test_none_has_no_check_digit() -> None:
    assert check_digit(NONE, "12345") == ""


def test_mod10_is_the_gs1_check_digit_of_a_real_sscc() -> None:
    assert make_tracking_number(MOD10, 10614141123456789, width=17) == "106141411234567897"


@pytest.mark.parametrize("scheme", list(TrackingScheme))
@pytest.mark.parametrize("digits", ["", "12a4", "١٢٣", " 123"])
def test_check_digits_of_anything_but_ascii_digits_are_refused(
    scheme: TrackingScheme, digits: str
) -> None:
    with pytest.raises(ValueError, match="digits 0-9"):
        check_digit(scheme, digits)


@pytest.mark.parametrize("digits", ["1234567", "123456789"])
def test_an_s10_check_digit_needs_exactly_eight_digits(digits: str) -> None:
    with pytest.raises(ValueError, match="8 digits"):
        check_digit(S10, digits)


def test_an_s10_number_is_prefix_digits_check_and_country() -> None:
    assert make_tracking_number(S10, 12345678, prefix="RB", suffix="GB", width=8) == (
        "RB123456785GB"
    )
    assert make_tracking_number(S10, 47312482, prefix="AA", suffix="GB", width=8) == (
        "AA473124829GB"
    )


def test_the_serial_is_zero_padded_to_the_width() -> None:
    assert make_tracking_number(MOD7, 42, prefix="W", suffix="X1", width=9) == "W0000000420X1"
    assert make_tracking_number(NONE, 7, prefix="ABC", width=4) == "ABC0007"


@pytest.mark.parametrize("serial", [-1, 10**6])
def test_a_serial_that_does_not_fit_the_width_is_refused(serial: int) -> None:
    with pytest.raises(ValueError, match="does not fit in 6 digits"):
        make_tracking_number(MOD10, serial, width=6)


@pytest.mark.parametrize(("scheme", "width"), [(S10, 9), (S10, 7), (MOD10, 0), (MOD7, 21)])
def test_a_width_the_scheme_cannot_have_is_refused(scheme: TrackingScheme, width: int) -> None:
    with pytest.raises(ValueError, match="digits"):
        make_tracking_number(scheme, 1, prefix="RB", suffix="GB", width=width)
    with pytest.raises(ValueError, match="digits"):
        is_valid_tracking_number(scheme, "RB000000015GB", prefix="RB", suffix="GB", width=width)


def test_a_number_issued_with_these_settings_is_valid() -> None:
    assert is_valid_tracking_number(S10, "RB123456785GB", prefix="RB", suffix="GB", width=8)
    assert is_valid_tracking_number(MOD7, "W0000000420X1", prefix="W", suffix="X1", width=9)


@pytest.mark.parametrize(
    "number",
    [
        "RB123456786GB",  # wrong check digit
        "RB213456785GB",  # transposed digits
        "RA123456785GB",  # another prefix
        "RB123456785US",  # another suffix
        "RB12345678GB",  # check digit missing
        "RB0123456785GB",  # one digit too many
        "RB1234567８5GB",  # a full-width digit
        "rb123456785gb",  # affixes compare exactly
        "",
    ],
)
def test_numbers_that_were_not_issued_with_these_settings_are_invalid(number: str) -> None:
    assert not is_valid_tracking_number(S10, number, prefix="RB", suffix="GB", width=8)


def test_a_number_without_a_check_digit_is_valid_only_at_its_exact_length() -> None:
    assert is_valid_tracking_number(NONE, "X0042", prefix="X", suffix="", width=4)
    assert not is_valid_tracking_number(NONE, "X00420", prefix="X", suffix="", width=4)
    assert not is_valid_tracking_number(NONE, "X004A", prefix="X", suffix="", width=4)


affixes = st.text(alphabet="ABCDEFXYZ0123456789", max_size=8)


@given(
    scheme=st.sampled_from(list(TrackingScheme)),
    width=st.integers(1, 20),
    data=st.data(),
    prefix=affixes,
    suffix=affixes,
)
def test_every_number_made_is_valid_with_the_same_settings(
    scheme: TrackingScheme, width: int, data: st.DataObject, prefix: str, suffix: str
) -> None:
    if scheme is S10:
        width, prefix, suffix = 8, "CP", "DE"
    serial = data.draw(st.integers(0, 10**width - 1))
    number = make_tracking_number(scheme, serial, prefix=prefix, suffix=suffix, width=width)
    assert is_valid_tracking_number(scheme, number, prefix=prefix, suffix=suffix, width=width)


@given(
    scheme=st.sampled_from([MOD10, MOD7]),
    serial=st.integers(0, 10**8 - 1),
    position=st.integers(0, 7),
    shift=st.integers(1, 9),
)
def test_mod10_and_mod7_catch_a_mistyped_serial_digit(
    scheme: TrackingScheme, serial: int, position: int, shift: int
) -> None:
    """Mod 7 cannot see a digit off by exactly 7 (7 divides the change); S10 and mod11
    share one check digit between two remainders, so neither catches every such error."""
    number = make_tracking_number(scheme, serial, width=8)
    typed = (int(number[position]) + shift) % 10
    if scheme is MOD7 and abs(typed - int(number[position])) == 7:
        return
    mistyped = f"{number[:position]}{typed}{number[position + 1 :]}"
    assert not is_valid_tracking_number(scheme, mistyped, prefix="", suffix="", width=8)


def test_sound_set_ups_have_no_problems() -> None:
    assert validate_scheme_fields(S10, "RB", "GB", 8, 0, 99_999_999) == []
    assert validate_scheme_fields(MOD7, "", "", 10, 1_000_000_000, 1_999_999_999) == []
    assert validate_scheme_fields(MOD10, "1Z9", "X", 20, 0, 10**20 - 1) == []
    assert validate_scheme_fields(NONE, "", "", 1, 5, 5) == []


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ((S10, "R1", "GB", 8, 0, 10), "An S10 prefix is the two-letter service indicator"),
        ((S10, "rb", "GB", 8, 0, 10), "An S10 prefix"),
        ((S10, "RBX", "GB", 8, 0, 10), "An S10 prefix"),
        ((S10, "RB", "XX", 8, 0, 10), "An S10 suffix is the issuing country's two-letter ISO"),
        ((S10, "RB", "gb", 8, 0, 10), "An S10 suffix"),
        ((S10, "RB", "", 8, 0, 10), "An S10 suffix"),
        ((S10, "RB", "GB", 9, 0, 10), "An S10 number has 8 serial digits, not 9."),
        ((MOD10, "", "", 0, 0, 0), "The serial width must be 1 to 20 digits, not 0."),
        ((MOD10, "", "", 21, 0, 0), "The serial width must be 1 to 20 digits, not 21."),
        ((MOD10, "1z", "", 8, 0, 10), "The prefix may hold up to 8 capital letters A-Z and"),
        ((MOD10, "", "ABCDEFGHI", 8, 0, 10), "The suffix may hold up to 8"),
        ((MOD10, "A-B", "", 8, 0, 10), "The prefix may hold"),
        ((MOD7, "", "", 8, -1, 10), "The range start must be 0 or more, not -1."),
        ((MOD7, "", "", 8, 0, -1), "The range end must be 0 or more, not -1."),
        ((MOD7, "", "", 4, 0, 10_000), "The range end 10000 does not fit in 4 digits"),
        ((MOD7, "", "", 4, 10_000, 10_000), "The range start 10000 does not fit in 4 digits"),
        ((MOD7, "", "", 4, 20, 10), "The range ends at 10, before its start 20."),
    ],
)
def test_each_set_up_problem_is_a_sentence(
    args: tuple[TrackingScheme, str, str, int, int, int], problem: str
) -> None:
    problems = validate_scheme_fields(*args)
    assert [p for p in problems if p.startswith(problem)]
    assert all(p[0].isupper() and p.endswith(".") for p in problems)


def test_every_problem_is_reported_at_once() -> None:
    problems = validate_scheme_fields(S10, "1", "ZZ", 7, 5, 3)
    assert problems == [
        "An S10 number has 8 serial digits, not 7.",
        "An S10 prefix is the two-letter service indicator (A-Z), not '1'.",
        "An S10 suffix is the issuing country's two-letter ISO code, not 'ZZ'.",
        "The range ends at 3, before its start 5.",
    ]


def test_a_range_is_not_compared_with_a_width_that_is_itself_wrong() -> None:
    assert validate_scheme_fields(MOD10, "", "", 10**6, 0, 10**30) == [
        "The serial width must be 1 to 20 digits, not 1000000."
    ]


def test_the_last_numbers_of_a_range_can_be_taken() -> None:
    assert next_in_range(98, 100, 3) == range(98, 101)
    assert next_in_range(100, 100, 1) == range(100, 101)


def test_one_past_the_end_of_a_range_is_refused_with_what_is_left() -> None:
    with pytest.raises(ValueError) as refused:
        next_in_range(98, 100, 4)
    assert str(refused.value) == (
        "tracking number range exhausted: 4 needed from 98, but the last number is 100"
        " (3 left) - ask the carrier for a new range"
    )


def test_a_used_up_range_has_nothing_left() -> None:
    with pytest.raises(ValueError, match=r"range exhausted: 1 needed from 101, .* \(0 left\)"):
        next_in_range(101, 100, 1)


@pytest.mark.parametrize("count", [0, -1])
def test_taking_no_numbers_is_refused(count: int) -> None:
    with pytest.raises(ValueError, match="count must be at least 1"):
        next_in_range(1, 100, count)


@given(next_value=st.integers(0, 10**9), range_end=st.integers(0, 10**9), count=st.integers(1, 50))
def test_a_range_hands_out_exactly_the_numbers_it_has(
    next_value: int, range_end: int, count: int
) -> None:
    if next_value + count - 1 <= range_end:
        taken = next_in_range(next_value, range_end, count)
        assert len(taken) == count and taken[0] == next_value and taken[-1] <= range_end
    else:
        with pytest.raises(ValueError, match="range exhausted"):
            next_in_range(next_value, range_end, count)
