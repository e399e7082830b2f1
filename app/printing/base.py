"""The one interface every printer backend offers, and its one error."""

from __future__ import annotations

import re
from typing import Protocol

FORMATS = ("pdf", "zpl")


class PrinterError(Exception):
    """Printing failed; `message` says why in words a packer can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Printer(Protocol):
    """Somewhere a rendered document can be sent."""

    def send(self, document: bytes, *, fmt: str, job_name: str) -> None:
        """Deliver `document` (format "pdf" or "zpl"); raise PrinterError on failure."""
        ...


def require_format(fmt: str, accepted: tuple[str, ...] = FORMATS) -> None:
    """Raise PrinterError unless `fmt` is one of `accepted`."""
    if fmt not in accepted:
        raise PrinterError(f"This printer takes {' or '.join(accepted)}, not {fmt!r}")


def safe_job_name(job_name: str, limit: int = 80) -> str:
    """`job_name` reduced to letters, digits, `-`, `_` and `.` (for files and spoolers)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", job_name).strip("._")[:limit] or "job"
