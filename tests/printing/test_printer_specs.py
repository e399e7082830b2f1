"""Printer specs as typed by a user: usable ones become printers, the rest are refused
in one line before anything is sent."""

from __future__ import annotations

import pytest

from app.errors import ValidationFailed
from app.printing import CupsPrinter, FolderPrinter, RawTcpPrinter
from app.services.printing import printer_for


@pytest.mark.parametrize(
    ("spec", "host", "port"),
    [
        ("tcp://10.0.0.5", "10.0.0.5", 9100),
        ("tcp://zebra-1.warehouse.local:6101", "zebra-1.warehouse.local", 6101),
        ("tcp://[::1]:9100", "::1", 9100),
        ("tcp://[fe80::1]", "fe80::1", 9100),
    ],
)
def test_a_network_printer_spec_names_its_host_and_port(spec: str, host: str, port: int) -> None:
    printer = printer_for(spec)

    assert isinstance(printer, RawTcpPrinter)
    assert (printer.host, printer.port) == (host, port)


@pytest.mark.parametrize(
    "spec",
    [
        "tcp://no such host:9100",
        "tcp://[::1",
        "tcp://[::1]x",
        "tcp://[not-ipv6]:9100",
        "tcp://printer:99999",
        "tcp://printer:0",
        "tcp://printer:",
        "tcp://printer:٩١٠٠",
        "tcp://" + "a" * 64,
        "tcp://a..b",
        "tcp://",
        "cups:",
        "cups:-o raw",
        "cups:office/a4",
        "folder:",
        "lpt1",
    ],
)
def test_a_printer_no_one_can_have_is_refused_in_one_line(spec: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        printer_for(spec)

    assert repr(spec) in str(refused.value)
    assert "\n" not in str(refused.value)


def test_folder_and_cups_specs_still_work() -> None:
    assert isinstance(printer_for("folder:/srv/labels"), FolderPrinter)
    assert isinstance(printer_for("cups:Office_A4"), CupsPrinter)
