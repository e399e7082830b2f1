"""Addresses and header values: what may go into From, To and Subject."""

from __future__ import annotations

import re
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email

# Something "@" something-dotted, no blanks: every address checked_address accepts has
# this shape (email_validator refuses quoted local parts and single-label domains).
_PLAUSIBLE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class HeaderRefused(ValueError):
    """A header value carried a line break (header injection) or other control character."""


@lru_cache(maxsize=4096)  # a customer's messages, rendered together, share one address
def checked_address(text: str | None) -> str | None:
    """The normalised address, or None when there is none or it is not a valid one."""
    if not text or not text.strip():
        return None
    try:
        return str(validate_email(text.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


def plausible_address(text: str) -> bool:
    """Whether `text` (stripped) could be an address: a check of ~1 us for queueing; the
    full one, checked_address, is made when the message is rendered."""
    return _PLAUSIBLE.fullmatch(text) is not None


def header_value(field: str, value: str) -> str:
    """`value` for a header; CR, LF and other control characters are refused, not cleaned."""
    if "\r" in value or "\n" in value:
        raise HeaderRefused(f"{field} contains a line break (header injection refused): {value!r}")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise HeaderRefused(f"{field} contains a control character: {value!r}")
    return value
