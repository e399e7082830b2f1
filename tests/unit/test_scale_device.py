"""The scale reader on a pty pair standing in for the serial port (and a pipe for HID)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import suppress

import pytest

from app.devices.scale import HidScale, ScaleError, SerialScale, open_scale, watch_scale
from app.domain.scale_reading import ScaleReading


@pytest.fixture
def port() -> Iterator[tuple[int, str]]:
    """(the scale's end to write to, the station's device path)."""
    scale_end, station_end = os.openpty()
    path = os.ttyname(station_end)
    yield scale_end, path
    for fd in (scale_end, station_end):
        with suppress(OSError):  # a test may have unplugged the scale already
            os.close(fd)


def test_lines_split_across_writes_and_cr_endings_are_read_in_order(
    port: tuple[int, str],
) -> None:
    scale_end, path = port
    scale = open_scale(f"{path}@9600")
    assert isinstance(scale, SerialScale)
    try:
        os.write(scale_end, b"ST,GS,+  1.2")
        os.write(scale_end, b"34kg\r\nnoise\r\nUS,GS,+  0.800kg\r")
        readings = [scale.read(1.0), scale.read(1.0), scale.read(0.05)]
    finally:
        scale.close()
    assert readings == [ScaleReading(1234, True), ScaleReading(800, False), None]


def test_a_runaway_line_without_an_end_is_dropped(port: tuple[int, str]) -> None:
    scale_end, path = port
    scale = SerialScale(path)
    try:
        os.write(scale_end, b"9" * 300)
        assert scale.read(0.1) is None
        os.write(scale_end, b"\r  1234 g\r\n")
        assert scale.read(1.0) == ScaleReading(1234, None)
    finally:
        scale.close()


def test_watching_announces_each_settled_weight_until_stopped(port: tuple[int, str]) -> None:
    scale_end, path = port
    scale = open_scale(path)
    weights: list[int] = []
    stop = threading.Event()
    two = threading.Event()

    def on_weight(grams: int) -> None:
        weights.append(grams)
        if len(weights) == 2:
            two.set()

    watcher = threading.Thread(target=watch_scale, args=(scale, stop, on_weight))
    watcher.start()
    try:
        stream = b"  0 g\r\n" * 3 + b"  640 g\r\n" + b"  652 g\r\n" * 3
        os.write(scale_end, stream)
        assert two.wait(5)
    finally:
        stop.set()
        watcher.join(5)
        scale.close()
    assert not watcher.is_alive()
    assert weights == [0, 652]


def test_a_hid_scale_is_read_report_by_report() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, bytes([3, 4, 2, 0, 0xD2, 0x04]))
    scale = HidScale(f"/dev/fd/{read_end}")
    try:
        assert scale.read(1.0) == ScaleReading(1234, True)
        assert scale.read(0.05) is None
    finally:
        scale.close()
        os.close(read_end)
        os.close(write_end)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("/dev/no-such-scale", "Scale /dev/no-such-scale: No such file or directory"),
        ("/dev/ttyUSB0@fast", "expected PATH or PATH@BAUD"),
        ("/dev/null@1234", "1234 baud is not one of"),
        ("hid:/dev/hidraw-none", "Scale /dev/hidraw-none: No such file or directory"),
    ],
)
def test_a_scale_that_cannot_be_opened_says_which_and_why(spec: str, message: str) -> None:
    with pytest.raises(ScaleError, match=message):
        open_scale(spec)


def test_a_scale_unplugged_while_reading_is_an_error(port: tuple[int, str]) -> None:
    scale_end, path = port
    scale = SerialScale(path)
    os.close(scale_end)
    try:
        with pytest.raises(ScaleError, match=f"Scale {path}"):
            scale.read(1.0)
    finally:
        scale.close()
