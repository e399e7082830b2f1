"""What a station screen says back to a scan or a key: the feedback kinds every
station (pack, pick, returns) shares, and the sentence for a failed service call."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum

from app.errors import OmsError, ValidationFailed

DATABASE_UNAVAILABLE = "NOT saved - database unavailable, retry"

log = logging.getLogger(__name__)


class Tone(Enum):
    GOOD = "good"  # green flash
    BAD = "bad"  # red full-screen alert until the next scan
    NOTICE = "notice"  # amber line, nothing else changes
    QUESTION = "question"  # amber line awaiting Enter or Esc
    WARNING = "warning"  # amber full-screen: a printer failed, the packer chooses what next


@dataclass(frozen=True)
class Feedback:
    """`detail` and `hint` go under the message on a full-screen alert (the hint
    replaces the alert's usual one, e.g. with the keys to press)."""

    message: str
    tone: Tone
    sound: str | None = None
    detail: str = ""
    hint: str = ""


def failure_message(exc: Exception) -> str:
    """The sentence for a failed service call; anything but a business refusal means the
    database did not take the change."""
    if isinstance(exc, ValidationFailed) and exc.problems:
        return f"{exc} - {'; '.join(exc.problems)}"
    if isinstance(exc, OmsError):
        return str(exc)
    log.error("station call failed", exc_info=exc)
    return DATABASE_UNAVAILABLE
