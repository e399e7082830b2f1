"""CupsPrinter drives `lp`; a stand-in `lp` script records what it was given."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.printing import CupsPrinter, Printer, PrinterError


def fake_lp(tmp_path: Path, body: str) -> str:
    script = tmp_path / "lp"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


RECORDING = 'printf "%s\\n" "$@" > "$(dirname "$0")/args"; cat > "$(dirname "$0")/job"'


def test_zpl_goes_raw_to_the_named_queue(tmp_path: Path) -> None:
    printer: Printer = CupsPrinter("Zebra_GK420d", lp_command=fake_lp(tmp_path, RECORDING))
    printer.send(b"^XA^XZ\n", fmt="zpl", job_name="label SO-1")
    args = (tmp_path / "args").read_text().split("\n")[:-1]
    assert args == ["-d", "Zebra_GK420d", "-t", "label_SO-1", "-o", "raw"]
    assert (tmp_path / "job").read_bytes() == b"^XA^XZ\n"


def test_pdf_goes_through_the_queue_driver(tmp_path: Path) -> None:
    CupsPrinter("Office", lp_command=fake_lp(tmp_path, RECORDING)).send(
        b"%PDF-1.4", fmt="pdf", job_name="slip")
    assert "raw" not in (tmp_path / "args").read_text()


def test_lp_error_text_reaches_the_user(tmp_path: Path) -> None:
    lp = fake_lp(tmp_path, 'echo "lp: The printer or class does not exist." >&2; exit 1')
    with pytest.raises(PrinterError, match="Nope refused the job: lp: The printer or class"):
        CupsPrinter("Nope", lp_command=lp).send(b"x", fmt="pdf", job_name="x")


def test_missing_lp_and_hanging_lp_are_printer_errors(tmp_path: Path) -> None:
    with pytest.raises(PrinterError, match="not found: install the CUPS client"):
        CupsPrinter("Q", lp_command=str(tmp_path / "missing")).send(b"x", fmt="pdf",
                                                                    job_name="x")
    hanging = fake_lp(tmp_path, "exec sleep 5")
    with pytest.raises(PrinterError, match=r"within 0\.3 s"):
        CupsPrinter("Q", lp_command=hanging, timeout=0.3).send(b"x", fmt="pdf", job_name="x")
