"""Writing a file the user named (a label, a pick list, an export): whole or not at all,
and only ever a regular file.

The data goes to a temporary file beside the target, is flushed to disk and renamed
over it, so a reader never sees half a file; the temporary file is removed on every
failure. A folder, a device (`/dev/full`, `/dev/sda`), a pipe or a socket is refused
before anything is written - renaming over one would replace it, even a device as root.
A missing folder is refused too: the user named the wrong place, and guessing it by
creating folders hides that.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from app.errors import ValidationFailed


def write_file(path: Path, data: bytes) -> None:
    """Put `data` into the regular file `path`, replacing it; ValidationFailed in one
    line when `path` is no place for a file or the write fails."""
    mode = _regular_target(path)
    temp = path.parent / f".{path.name[:64]}.{secrets.token_hex(4)}.part"
    try:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        with os.fdopen(handle, "wb") as out:
            if mode is not None:
                os.fchmod(out.fileno(), mode)  # a replaced file keeps its permissions
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        raise ValidationFailed(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        temp.unlink(missing_ok=True)
    _sync_folder(path.parent)


def write_text_file(path: Path, text: str) -> None:
    """`write_file` for text, as UTF-8."""
    write_file(path, text.encode("utf-8"))


def _regular_target(path: Path) -> int | None:
    """The permissions of the regular file at `path`, None when there is none yet;
    ValidationFailed when `path` names anything else or sits in no folder."""
    try:
        found = path.stat()
    except FileNotFoundError:
        found = None
    except (OSError, ValueError) as exc:
        raise ValidationFailed(f"cannot write {path}: {_reason(exc)}") from None
    if found is None:
        if not path.parent.is_dir():
            raise ValidationFailed(f"no folder {path.parent} for {path.name}")
        return None
    if stat.S_ISDIR(found.st_mode):
        raise ValidationFailed(f"{path} is a folder; name a file in it")
    if not stat.S_ISREG(found.st_mode):
        raise ValidationFailed(f"{path} is not a regular file (a device, pipe or socket)")
    return stat.S_IMODE(found.st_mode)


def _reason(exc: OSError | ValueError) -> str:
    if isinstance(exc, NotADirectoryError):
        return "a part of the path is a file, not a folder"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return "not a usable file name"


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; a folder that cannot be synced is left as is."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
