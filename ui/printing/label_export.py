"""Many shipments' labels as one document, built on a worker and written or sent whole.

`ThreadProgressReporter` is the ProgressReporter `label_batch` reads: progress crosses
to the UI thread as a signal, and Cancel is a threading.Event the worker checks.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.printing import Printer, PrinterError
from app.services.printing import label_batch
from app.wording import counted


class ThreadProgressReporter(QObject):
    """`update` may be called from any thread; `progressed` arrives on the UI thread."""

    progressed = Signal(int, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()

    def update(self, done: int, total: int, label: str) -> None:
        self.progressed.emit(done, total, label)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


@dataclass(frozen=True)
class LabelExport:
    """What a finished batch produced and where it went."""

    shipments: int
    fmt: str
    size: int
    destination: str

    def summary(self) -> str:
        kb = max(1, round(self.size / 1024))
        return (
            f"Labels of {counted(self.shipments, 'shipment')} "
            f"({self.fmt.upper()}, {kb:,} KB) {self.destination}"
        )


def write_atomically(path: Path, data: bytes) -> None:
    """`data` into `path` whole or not at all; PrinterError saying why not."""
    try:
        handle, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise PrinterError(f"Cannot write {path}: {error.strerror or error}") from error


def export_labels(
    db: Any,
    shipment_ids: Sequence[int],
    fmt: str,
    progress: ThreadProgressReporter,
    *,
    destination: Path | tuple[str, Printer],
    chunk: int = 20,
) -> LabelExport | None:
    """Build the labels and write them to a file or send them to (name, printer).

    None when cancelled part-way: then nothing is written or sent.
    """
    data = label_batch(db, shipment_ids, fmt, progress, chunk=chunk)
    if data is None or progress.cancelled():
        return None
    progress.update(len(shipment_ids), len(shipment_ids), "Writing")
    if isinstance(destination, Path):
        write_atomically(destination, data)
        where = f"written to {destination}"
    else:
        name, printer = destination
        printer.send(data, fmt=fmt, job_name=f"labels-{len(shipment_ids)}-shipments")
        where = f"sent to {name}"
    return LabelExport(len(shipment_ids), fmt, len(data), where)
