"""Reading a parcel scale's continuous output and HID reports, and settling on a weight."""

from __future__ import annotations

import pytest

from app.domain.scale_reading import (
    ScaleReading,
    WeightSettler,
    parse_hid_report,
    parse_scale_line,
)


@pytest.mark.parametrize(
    ("line", "reading"),
    [
        ("ST,GS,+  1.234kg", ScaleReading(1234, True)),
        ("US,GS,+  1.230kg", ScaleReading(1230, False)),
        ("ST,NT,-  0.020kg\r", ScaleReading(-20, True)),
        ("  1234 g", ScaleReading(1234, None)),
        ("+0001.23 kg", ScaleReading(1230, None)),
        ("S S     100.00 g", ScaleReading(100, True)),
        ("S D     100.40 g", ScaleReading(100, False)),
        ("   0.500 lb", ScaleReading(227, None)),
        ("12,5 oz", ScaleReading(354, None)),
        ("ST,GS,+  0.0005kg", ScaleReading(1, True)),  # half a gram rounds up
    ],
)
def test_a_line_of_continuous_output_gives_grams_and_whether_it_is_stable(
    line: str, reading: ScaleReading
) -> None:
    assert parse_scale_line(line) == reading


@pytest.mark.parametrize("line", ["OL,GS,+  99.99kg", "S +", "S -"])
def test_an_overload_is_a_reading_with_no_weight(line: str) -> None:
    assert parse_scale_line(line) == ScaleReading(0, False, overload=True)


@pytest.mark.parametrize("line", ["", "ST,GS,+", "1.2", "kg", "ST,GS,+  1.2 stone", "\x00\x02"])
def test_a_line_without_a_figure_and_unit_is_no_reading(line: str) -> None:
    assert parse_scale_line(line) is None


@pytest.mark.parametrize(
    ("report", "reading"),
    [
        (bytes([3, 4, 2, 0, 0xD2, 0x04]), ScaleReading(1234, True)),  # 1234 g
        (bytes([3, 3, 2, 0, 0xD2, 0x04]), ScaleReading(1234, False)),  # in motion
        (bytes([3, 4, 11, 0xFF, 0x2C, 0x01]), ScaleReading(850, True)),  # 30.0 oz
        (bytes([3, 4, 12, 0xFE, 0x32, 0x00]), ScaleReading(227, True)),  # 0.50 lb
        (bytes([3, 5, 2, 0, 0x14, 0x00]), ScaleReading(-20, True)),  # below the tare
        (bytes([3, 2, 2, 0, 0, 0]), ScaleReading(0, True)),  # empty
        (bytes([3, 6, 2, 0, 0, 0]), ScaleReading(0, False, overload=True)),
    ],
)
def test_a_hid_scale_report_gives_grams(report: bytes, reading: ScaleReading) -> None:
    assert parse_hid_report(report) == reading


@pytest.mark.parametrize("report", [b"", bytes([3, 4, 2, 0]), bytes([4, 4, 2, 0, 1, 0]),
                                    bytes([3, 4, 99, 0, 1, 0])])  # fmt: skip
def test_a_short_report_another_report_or_an_unknown_unit_is_no_reading(report: bytes) -> None:
    assert parse_hid_report(report) is None


def test_a_stable_reading_settles_at_once_and_is_announced_once() -> None:
    settler = WeightSettler()
    fed = [
        settler.feed(reading)
        for reading in (
            ScaleReading(0, True),
            ScaleReading(900, False),
            ScaleReading(1234, True),
            ScaleReading(1234, True),
            ScaleReading(1234, True),
        )
    ]
    assert fed == [0, None, 1234, None, None]


def test_readings_without_a_status_settle_when_three_agree() -> None:
    settler = WeightSettler(repeats=3)
    grams = [1200, 1234, 1234, 1234, 1234, 1235, 1235, 1235]
    fed = [settler.feed(ScaleReading(g, None)) for g in grams]
    assert fed == [None, None, None, 1234, None, None, None, 1235]


def test_the_same_parcel_is_announced_again_after_the_platform_was_emptied() -> None:
    settler = WeightSettler()
    readings = [(1234, True), (0, True), (-3, True), (1234, True)]
    fed = [settler.feed(ScaleReading(g, s)) for g, s in readings]
    assert fed == [1234, 0, None, 1234]


def test_an_overload_or_motion_breaks_a_run_of_agreeing_readings() -> None:
    settler = WeightSettler(repeats=2)
    fed = [
        settler.feed(ScaleReading(500, None)),
        settler.feed(ScaleReading(0, False, overload=True)),
        settler.feed(ScaleReading(500, None)),
        settler.feed(ScaleReading(500, None)),
    ]
    assert fed == [None, None, None, 500]


def test_repeats_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        WeightSettler(repeats=0)
