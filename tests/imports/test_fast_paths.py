"""The shortcuts the readers take for the common case give what the general way gives:
Shopify's times without strptime, plain counts without Decimal, plain cells without the
control-character search."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.imports.common import (
    MAX_WHOLE,
    SHOPIFY_MOMENT,
    Fields,
    Where,
    _decimal,
    _whole,
    parse_moment,
)


@given(
    st.tuples(st.integers(0, 9999), *(st.integers(0, 99) for _ in range(5)), st.sampled_from("+-")),
    st.integers(0, 99),
    st.integers(0, 59),
)
def test_a_shopify_time_is_read_as_strptime_reads_it(
    parts: tuple[int, int, int, int, int, int, str], hours: int, minutes: int
) -> None:
    year, month, day, hour, minute, second, sign = parts
    day_part = f"{year:04}-{month:02}-{day:02}"
    text = f"{day_part} {hour:02}:{minute:02}:{second:02} {sign}{hours:02}{minutes:02}"
    assert SHOPIFY_MOMENT.fullmatch(text)
    try:
        expected: datetime | None = datetime.strptime(text, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        expected = None

    found = parse_moment(text)

    if expected is None:  # then ISO 8601 is tried, which takes no space before the offset
        assert found is None
    else:
        assert found == expected
        assert found is not None and found.utcoffset() == timedelta(0)  # kept in UTC


@given(st.text(alphabet=" 0123456789٣.-e", max_size=14))
def test_a_count_is_read_as_the_decimal_way_reads_it(text: str) -> None:
    number = _decimal(text)
    if number is None or number != number.to_integral_value():
        expected = None
    else:
        expected = int(number) if abs(number) <= MAX_WHOLE else MAX_WHOLE + 1

    assert _whole(text) == expected


@given(st.text(max_size=12))
def test_a_cell_with_or_without_control_characters_is_read_alike(text: str) -> None:
    problems: list[str] = []
    cleaned = Fields({"x": text}, Where("f.csv", 2), problems).word("x")

    control = [c for c in text if (ord(c) < 32 and c not in "\t\r\n") or 0x7F <= ord(c) <= 0x9F]
    surrogate = [c for c in text if 0xD800 <= ord(c) <= 0xDFFF]
    assert bool(problems) == bool(control or surrogate)
    assert (
        cleaned
        == "".join(c for c in text if c not in control and c not in surrogate).strip().casefold()
    )
