"""Output files: written whole or not at all, only ever a regular file, and no temporary
file left behind on any path."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.errors import ValidationFailed
from app.output_file import write_file, write_text_file


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_new_file_is_written_whole(tmp_path: Path) -> None:
    write_text_file(tmp_path / "labels.zpl", "^XA^XZ\n")

    assert (tmp_path / "labels.zpl").read_text() == "^XA^XZ\n"
    assert leftovers(tmp_path) == []


def test_a_file_is_replaced_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "slip.pdf"
    target.write_bytes(b"old")
    target.chmod(0o640)

    write_file(target, b"new")

    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_missing_folder_is_refused_and_not_created(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match=r"^no folder .*missing for x\.pdf$"):
        write_file(tmp_path / "missing" / "x.pdf", b"data")

    assert not (tmp_path / "missing").exists()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="is a folder; name a file in it"):
        write_file(tmp_path, b"data")

    assert leftovers(tmp_path) == []


def test_a_file_used_as_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("keep me")

    with pytest.raises(ValidationFailed, match="is a file, not a folder"):
        write_file(tmp_path / "plain" / "x.pdf", b"data")

    assert (tmp_path / "plain").read_text() == "keep me"


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_a_device_is_refused_and_stays_a_device(device: str) -> None:
    path = Path(device)
    if not path.exists():
        pytest.skip(f"no {device} here")

    with pytest.raises(ValidationFailed, match="is not a regular file"):
        write_file(path, b"data")

    assert stat.S_ISCHR(path.stat().st_mode)
    assert leftovers(Path("/dev")) == []


def test_a_pipe_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    with pytest.raises(ValidationFailed, match="is not a regular file"):
        write_file(fifo, b"data")

    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "availability.csv"
    target.write_text("old")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(ValidationFailed, match="No space left on device"):
        write_file(target, b"new")

    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []
