"""The station's "print test label": the sample label to a chosen printer, at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import ValidationFailed
from app.services.printing import PRINT_DIR_VAR, label_format_for, print_test_label
from tests.loopback_printer import LoopbackPrinter


@pytest.fixture
def printer() -> Iterator[LoopbackPrinter]:
    running = LoopbackPrinter().start()
    yield running
    running.stop()


def test_a_zpl_test_label_reaches_a_raw_port_printer(printer: LoopbackPrinter) -> None:
    assert print_test_label(printer.spec, "zpl") == f"Test label sent to {printer.spec}"
    (job,) = printer.wait_for(1)
    assert job.data.startswith(b"^XA") and job.data.rstrip().endswith(b"^XZ")
    assert b"JJD014600123456789" in job.data  # the sample's tracking number


def test_a_pdf_test_label_lands_in_the_print_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PRINT_DIR_VAR, str(tmp_path))
    print_test_label("folder", "pdf")
    (written,) = tmp_path.iterdir()
    assert written.read_bytes().startswith(b"%PDF")


def test_a_printer_that_is_off_is_named_with_its_error() -> None:
    off = LoopbackPrinter()  # never started: the port refuses
    with pytest.raises(ValidationFailed) as refused:
        print_test_label(off.spec, "zpl")
    assert str(refused.value).startswith(f"test label NOT printed on {off.spec}: Printer ")
    assert "refused the connection" in str(refused.value)


@pytest.mark.parametrize(("spec", "fmt"), [("lp0", "zpl"), ("folder", "png")])
def test_an_unknown_printer_or_format_is_refused(spec: str, fmt: str) -> None:
    with pytest.raises(ValidationFailed, match="unknown"):
        print_test_label(spec, fmt)


@pytest.mark.parametrize(
    ("spec", "fmt"),
    [("tcp://10.0.0.5:9100", "zpl"), ("folder", None), ("cups:Zebra", None), ("", None)],
)
def test_raw_ports_take_zpl_and_other_printers_the_sites_format(spec: str, fmt: str | None) -> None:
    assert label_format_for(spec) == fmt
