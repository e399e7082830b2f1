"""The default printer: a folder that a print server, driver or person picks jobs up from."""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

from app.printing.base import PrinterError, require_format, safe_job_name


class FolderPrinter:
    """Writes each job as `<job_name>-<local time>-<unique>.<fmt>`, atomically: a reader
    sees the whole file or none (written under a dot-name, flushed to disk, renamed)."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def send(self, document: bytes, *, fmt: str, job_name: str) -> None:
        """Write `document` into the folder; PrinterError if the folder cannot take it."""
        require_format(fmt)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = f"{safe_job_name(job_name)}-{stamp}-{uuid.uuid4().hex[:8]}.{fmt}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(document)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temp, self.folder / name)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise PrinterError(
                f"Cannot write {name} to {self.folder}: {error.strerror or error}"
            ) from error
