"""The shortcuts the readers take for the common case give what the general way gives:
Shopify's times without strptime, plain counts without Decimal, plain cells without the
control-character search, a plain Shopify order without `Fields`, and the re-import
check leaves an order the export repeats to the letter alone without asking `decide`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from app.domain.channel_changes import Verdict, decide
from app.domain.new_order import Address, NewLine, NewOrder
from app.domain.order_workflow import OrderStatus
from app.imports import shopify
from app.imports.common import (
    MAX_WHOLE,
    SHOPIFY_MOMENT,
    CsvColumns,
    CsvRow,
    Fields,
    Where,
    _decimal,
    _whole,
    parse_moment,
)
from app.imports.orders import Candidate
from app.services import channel_news
from tests.benchmarks.imports import write_shopify_export
from tests.imports.files import SHOPIFY_HEADER


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


SHOPIFY_COLUMNS = SHOPIFY_HEADER.split(",")
DROPPABLE = [  # columns an export may leave out (those `check_columns` lets go)
    "Taxes",
    "Total",
    "Shipping Street",
    "Shipping Address1",
    "Phone",
    "Shipping Phone",
    "Billing Country",
    "Shipping Company",
    "Shipping Province",
    "Cancelled at",
    "Fulfillment Status",
    "Lineitem price",
    "Lineitem name",
    "Lineitem requires shipping",
    "Lineitem fulfillment status",
]
ODD_TEXT = ["", " ", "x\ty", "a\nb", "\x00", "\u00a0x", "x\u2028y", "é", "O'Brien, Jo", "  a  b  "]
# Per column: values a plain export holds (the longest the reader takes among them),
# then others to try.
SHOPIFY_HEAD = {
    "Name": (["#1001", " #1001 ", "#" + "1" * 63], ["#" + "1" * 64]),
    "Email": (["a@example.com", "", "a@" + "e" * 253], ["nope", "a b@c.d", "a@" + "e" * 254]),
    "Financial Status": (["paid", " PAID ", "", "p" * 25], ["\u00a0paid"]),
    "Fulfillment Status": (["unfulfilled", ""], ["fulfilled", " Fulfilled "]),
    "Currency": (["EUR", " gbp "], ["XXX"]),
    "Shipping": (["4.90", "4.9", " 3 ", ""], ["-1", "1e3", "0.001", "٣", "10000000000.00"]),
    "Taxes": (["0.95", "", "9999999999.99"], ["-0", "10000000000.00"]),
    "Total": (["30.00", ""], ["9999999999.99", "x"]),
    "Shipping Method": (["Standard", "Express", "", "s" * 200], ["s" * 201]),
    "Created at": (
        ["2024-03-05 14:07:12 +0100", "2024-03-05T14:07:12Z"],
        ["2024-13-05 14:07:12 +0100", "2024-03-05 14:07:12 +2400"],
    ),
    "Cancelled at": ([""], ["2024-03-06 10:00:00 +0100"]),
    "Billing Name": (["Jo  Doe", "", "b" * 200], ["b" * 201]),
    "Billing Country": (["DE", "de", ""], ["Germany", "XX"]),
    "Shipping Name": (["Jo Doe", "n" * 200], ["n" * 201]),
    "Shipping Company": (["ACME", "", "c" * 200], ["c" * 201]),
    "Shipping Street": (["1 Side Street", "s" * 200], ["", "s" * 201]),
    "Shipping Address1": (["12 Long Street", "", "a" * 200], ["a" * 201]),
    "Shipping Address2": (["Flat 3", "", "f" * 200], ["f" * 201]),
    "Shipping City": (["Berlin", "c" * 100], ["c" * 101]),
    "Shipping Zip": (["10115", "'0123", "", "z" * 20], ["'", "z" * 21]),
    "Shipping Province": (["BE", "", "p" * 100], ["p" * 101]),
    "Shipping Country": (["DE", " gb ", "Ireland", "IE"], ["XX", "DEU"]),
    "Shipping Phone": (["'+49 30 1234", "", "1" * 50], ["1" * 51]),
    "Phone": (["+44 20 1234", "'", "", "2" * 50], ["2" * 51]),
}
SHOPIFY_LINE = {
    "Lineitem quantity": (["1", "2", " 3 ", "1000000000"], ["0", "-1", "1.5", "1000000001"]),
    "Lineitem sku": (["SKU-0001", " SKU 2 ", "s" * 64], ["s" * 65]),
    "Lineitem price": (["12.50", "12.5", "0", ""], ["-1", "0.005", "9999999999.99", "1e2"]),
    "Lineitem name": (["Product 1", "", "n" * 255], ["n" * 256]),
    "Lineitem requires shipping": (["true", ""], ["false", " FALSE ", "yes"]),
    "Lineitem fulfillment status": (["pending", ""], ["fulfilled", "partial", " PARTIAL "]),
}


@st.composite
def shopify_orders(draw: st.DrawFn) -> list[CsvRow]:
    """An order's rows as a Shopify export might hold them: plain, but for a few cells
    that are odd or wrong, columns left out and rows cut short."""
    dropped = draw(st.sets(st.sampled_from(DROPPABLE), max_size=2))
    header = [column for column in SHOPIFY_COLUMNS if column not in dropped]
    odd = draw(st.sets(st.sampled_from([*SHOPIFY_HEAD, *SHOPIFY_LINE]), max_size=2))
    rows = []
    for number in range(draw(st.integers(1, 3))):
        read = {**(SHOPIFY_HEAD if number == 0 else {}), **SHOPIFY_LINE}
        values = {"Name": "#1001"}
        for column, (plain, other) in read.items():
            choices = st.sampled_from(other) | st.sampled_from(ODD_TEXT) | st.text(max_size=6)
            values[column] = draw(choices if column in odd else st.sampled_from(plain))
        cells = [values.get(column, "") for column in header]
        cut = draw(st.integers(1, len(cells))) if draw(st.integers(0, 9)) == 0 else len(cells)
        rows.append(CsvRow(2 + number, cells[:cut], CsvColumns(header)))
    return rows


def _both_ways(rows: list[CsvRow]) -> str:
    """Read the order both ways: the same order, unless the short way declines it."""
    columns = rows[0].columns
    head_of = columns.picker(shopify.HEAD_COLUMNS)
    line_of = columns.picker(shopify.LINE)
    problems: list[str] = []

    short = shopify._plain_order("f.csv", rows, "shop", head_of, line_of)
    long = shopify._candidate("f.csv", rows, problems, "shop")

    if short is None:
        return "long way"
    assert (long.problems, long.skipped, long.closure) == ([], None, None)
    assert long.order == short
    assert long.order is not None and long.order.source == short.source == "f.csv:2"
    return "short way"


@settings(max_examples=300)
@given(shopify_orders())
def test_a_shopify_order_read_the_short_way_is_the_order_the_long_way_reads(
    rows: list[CsvRow],
) -> None:
    event(_both_ways(rows))


@pytest.mark.parametrize("base", [0, -1], ids=["plain", "longest"])
def test_each_odd_cell_of_a_plain_shopify_order_is_read_alike(base: int) -> None:
    columns = CsvColumns(SHOPIFY_COLUMNS)
    plain = {column: values[base] for column, (values, _other) in SHOPIFY_HEAD.items()}
    line = {column: values[base] for column, (values, _other) in SHOPIFY_LINE.items()}
    ways = []
    for part in (SHOPIFY_HEAD, SHOPIFY_LINE):
        for column, (values, other) in part.items():
            for value in [*values, *other, *ODD_TEXT]:
                first = {**plain, **line, column: value}
                second = {"Name": plain["Name"], **line, column: value}
                rows = [
                    CsvRow(2 + n, [row.get(c, "") for c in SHOPIFY_COLUMNS], columns)
                    for n, row in enumerate([first, second] if part is SHOPIFY_LINE else [first])
                ]
                ways.append(_both_ways(rows))
    assert 0.3 < ways.count("short way") / len(ways) < 0.8


def test_a_plain_shopify_export_is_read_the_short_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "orders_export.csv"
    write_shopify_export(path, orders=50, lines=None, seed=1)
    file = shopify.read_orders(path, None)
    long = [c.order for c in file.candidates]

    def long_way_refused(file: str, rows: list[CsvRow], *_args: object) -> Candidate:
        raise AssertionError(f"{file}:{rows[0].line} read the long way")

    monkeypatch.setattr(shopify, "_candidate", long_way_refused)
    short = [c.order for c in file.candidates]
    assert len(short) == 50 and None not in short
    assert short == long


TEXTS = ["Jo Doe", "jo  doe", "JO DOE ", ""]
LINES_HERE = [("SKU-1", 2, 0), ("sku-1", 2, 0), ("SKU-1", 3, 0), ("SKU-1", 2, 2), ("SKU-2", 1, 0)]


@st.composite
def orders_here_and_again(
    draw: st.DrawFn,
) -> tuple[SimpleNamespace, list[SimpleNamespace], NewOrder, set[str]]:
    """An order here (as the re-import check reads its row and lines) and the export's
    version of it: the same to the letter, or different in spacing, case or truly; and
    what earlier exports held the order for."""
    texts = ["name", "company", "address1", "address2", "city", "postcode", "region"]
    here: dict[str, object] = {key: draw(st.sampled_from(TEXTS)) for key in texts}
    here |= {"country": "DE", "phone": None}
    lines = draw(st.lists(st.sampled_from(LINES_HERE), min_size=1, max_size=3))
    again, lines_again, level = dict(here), lines, "standard"
    change = draw(st.sampled_from([None, *here, "lines", "level"]))  # one, or nothing
    if change in here:
        again[change] = draw(st.sampled_from([*TEXTS, "de", None] if change != "name" else TEXTS))
    elif change == "lines":
        other = draw(st.sampled_from(LINES_HERE))
        lines_again = draw(st.sampled_from([lines[:-1], [*lines, other], [other, *lines[1:]]]))
    elif change == "level":
        level = "express"
    status = draw(st.sampled_from(list(OrderStatus)))
    row = SimpleNamespace(
        **{f"ship_{key}": value for key, value in here.items()},
        service_level="standard",
        status=status,
        held_from=OrderStatus.NEW if status == OrderStatus.ON_HOLD else None,
        packing_station=draw(st.sampled_from([None, "pack-1"])),
    )
    line_rows = [
        SimpleNamespace(sku=sku, qty_ordered=qty, qty_handled_elsewhere=done, qty_picked=0)
        for sku, qty, done in lines
    ]
    incoming = NewOrder(
        channel="shop",
        external_ref="#1",
        placed_at=datetime(2024, 3, 5, tzinfo=UTC),
        ship_to=Address(**again),  # type: ignore[arg-type]
        lines=tuple(NewLine(sku, qty, handled_elsewhere=done) for sku, qty, done in lines_again),
        service_level=level,
        hold_reasons=draw(st.sampled_from([(), (), ("partly fulfilled",)])),
    )
    return row, line_rows, incoming, draw(st.sampled_from([set(), {"partly fulfilled"}]))


@settings(max_examples=300)
@given(orders_here_and_again())
def test_an_order_the_export_repeats_to_the_letter_is_one_decide_leaves_alone(
    case: tuple[SimpleNamespace, list[SimpleNamespace], NewOrder, set[str]],
) -> None:
    row, lines, incoming, held_for = case

    if channel_news._as_here(row, lines, incoming):
        here = channel_news._here(row, lines, held_for)
        assert decide(here, incoming).verdict is Verdict.UNCHANGED
        event("same to the letter")
