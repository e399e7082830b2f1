"""Reading a parcel scale attached to the station: a serial port or a HID device.

    scale = open_scale("/dev/ttyUSB0")          # or "/dev/ttyUSB0@4800", "/dev/hidraw0"
    watch_scale(scale, stop, on_weight)         # blocks until `stop` is set

A serial scale streams ASCII lines (continuous output, 8N1, 9600 baud unless the spec
says `@BAUD`); a path under /dev/hidraw (or `hid:PATH`) is a USB HID point-of-sale
scale sending 6-byte reports. Reads wait at most `timeout` seconds, so a watcher stops
promptly. No pyserial: a tty needs only termios.
"""

from __future__ import annotations

import os
import select
import termios
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from app.domain.scale_reading import (
    ScaleReading,
    WeightSettler,
    parse_hid_report,
    parse_scale_line,
)

DEFAULT_BAUD = 9600
MAX_LINE = 128  # a longer line is noise: dropped
_BAUDS = {rate: getattr(termios, f"B{rate}") for rate in (1200, 2400, 4800, 9600, 19200, 38400,
                                                          57600, 115200)}  # fmt: skip


class ScaleError(Exception):
    """The scale cannot be opened or read; the message says which and why."""


class Scale(Protocol):
    def read(self, timeout: float) -> ScaleReading | None:
        """The next reading, or None when none arrived within `timeout` seconds."""
        ...

    def close(self) -> None: ...


def _wait_readable(fd: int, timeout: float) -> bool:
    readable, _, _ = select.select([fd], [], [], timeout)
    return bool(readable)


def _open(path: str) -> int:
    try:
        return os.open(path, os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError as exc:
        raise ScaleError(f"Scale {path}: {exc.strerror or exc}") from exc


class SerialScale:
    """Continuous-output ASCII lines from a tty (a USB serial adapter, or a pty in tests)."""

    def __init__(self, path: str, baud: int = DEFAULT_BAUD) -> None:
        if baud not in _BAUDS:
            raise ScaleError(f"Scale {path}: {baud} baud is not one of {sorted(_BAUDS)}")
        self.path = path
        self._fd = _open(path)
        self._buffer = b""
        if os.isatty(self._fd):
            self._configure(_BAUDS[baud])

    def _configure(self, speed: int) -> None:
        """Raw 8N1 at `speed`: no echo, no line editing, no translation of CR."""
        attrs = termios.tcgetattr(self._fd)
        attrs[0] = 0  # iflag
        attrs[1] = 0  # oflag
        attrs[2] = termios.CS8 | termios.CREAD | termios.CLOCAL  # cflag
        attrs[3] = 0  # lflag
        attrs[4] = attrs[5] = speed
        termios.tcsetattr(self._fd, termios.TCSANOW, attrs)

    def read(self, timeout: float) -> ScaleReading | None:
        while True:
            line, sep, rest = self._buffer.replace(b"\r", b"\n").partition(b"\n")
            if sep:
                self._buffer = rest
                reading = parse_scale_line(line.decode("ascii", "replace"))
                if reading is not None:
                    return reading
                continue
            if len(self._buffer) > MAX_LINE:
                self._buffer = b""
            if not _wait_readable(self._fd, timeout):
                return None
            try:
                chunk = os.read(self._fd, 256)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise ScaleError(f"Scale {self.path}: {exc.strerror or exc}") from exc
            if not chunk:
                raise ScaleError(f"Scale {self.path}: the device went away")
            self._buffer += chunk

    def close(self) -> None:
        os.close(self._fd)


class HidScale:
    """6-byte reports from a USB HID point-of-sale scale (/dev/hidraw*)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd = _open(path)

    def read(self, timeout: float) -> ScaleReading | None:
        if not _wait_readable(self._fd, timeout):
            return None
        try:
            report = os.read(self._fd, 64)
        except BlockingIOError:
            return None
        except OSError as exc:
            raise ScaleError(f"Scale {self.path}: {exc.strerror or exc}") from exc
        return parse_hid_report(report)

    def close(self) -> None:
        os.close(self._fd)


def open_scale(spec: str) -> Scale:
    """`PATH` or `PATH@BAUD` (serial), `hid:PATH` or a /dev/hidraw path (HID)."""
    spec = spec.strip()
    if spec.startswith("hid:"):
        return HidScale(spec.removeprefix("hid:"))
    if Path(spec).name.startswith("hidraw"):
        return HidScale(spec)
    path, _, baud = spec.partition("@")
    if baud and not baud.isdigit():
        raise ScaleError(f"Scale {spec}: expected PATH or PATH@BAUD, e.g. /dev/ttyUSB0@9600")
    return SerialScale(path, int(baud or DEFAULT_BAUD))


def watch_scale(
    scale: Scale,
    stop: threading.Event,
    on_weight: Callable[[int], None],
    *,
    poll: float = 0.2,
) -> None:
    """Call `on_weight(grams)` each time the settled weight changes (0: the platform is
    empty), until `stop` is set. Raises ScaleError if the scale fails."""
    settler = WeightSettler()
    while not stop.is_set():
        reading = scale.read(poll)
        if reading is not None and (settled := settler.feed(reading)) is not None:
            on_weight(settled)
