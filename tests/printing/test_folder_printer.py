"""FolderPrinter: jobs appear whole, with safe names, or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.printing import FolderPrinter, Printer, PrinterError


def visible(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def test_each_job_is_a_new_file_named_after_the_job(tmp_path: Path) -> None:
    printer: Printer = FolderPrinter(tmp_path / "out")
    printer.send(b"%PDF-1 first", fmt="pdf", job_name="label SO-100001")
    printer.send(b"^XA^XZ", fmt="zpl", job_name="label SO-100001")
    files = visible(tmp_path / "out")
    assert sorted(p.suffix for p in files) == [".pdf", ".zpl"]
    assert all(p.name.startswith("label_SO-100001-") for p in files)
    assert {p.read_bytes() for p in files} == {b"%PDF-1 first", b"^XA^XZ"}
    assert not list((tmp_path / "out").glob(".*"))


def test_job_names_cannot_escape_the_folder(tmp_path: Path) -> None:
    FolderPrinter(tmp_path).send(b"x", fmt="pdf", job_name="../../etc/passwd\n^XA")
    (only,) = visible(tmp_path)
    assert only.parent == tmp_path and only.name.startswith("etc_passwd_XA-")


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(PrinterError, match="No space left on device"):
        FolderPrinter(tmp_path).send(b"x" * 1000, fmt="pdf", job_name="job")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_exist_is_a_printer_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(PrinterError, match="Cannot write"):
        FolderPrinter(blocker / "labels").send(b"x", fmt="pdf", job_name="job")


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PrinterError, match="takes pdf or zpl"):
        FolderPrinter(tmp_path).send(b"x", fmt="exe", job_name="job")
