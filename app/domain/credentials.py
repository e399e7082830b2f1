"""Passwords, PINs and badges: what a good one looks like, and how they are hashed.

Argon2id through argon2-cffi with its default (RFC 9106 low-memory) parameters; a hash
made with weaker parameters is replaced at the next successful log-in.
"""

from __future__ import annotations

import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from app.errors import ValidationFailed

HASHER = PasswordHasher()
MIN_PASSWORD = 8
MAX_PASSWORD = 256
PIN_DIGITS = (4, 8)
BADGE_PREFIX = "U:"
_BADGE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I for reading aloud


def normalised(secret: str) -> str:
    """NFC, so 'ü' typed as one character or as u + diaeresis is the same password."""
    return unicodedata.normalize("NFC", secret)


def password_problem(password: str) -> str | None:
    """Why `password` cannot be used, or None. Any script is fine; control characters
    are not (they come from a mangled paste, and no keyboard at a desk types them)."""
    text = normalised(password)
    if len(text) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(text) > MAX_PASSWORD:
        return f"a password may have at most {MAX_PASSWORD} characters"
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        return "a password cannot contain control or invisible formatting characters"
    return None


def pin_problem(pin: str) -> str | None:
    low, high = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit()) or not low <= len(pin) <= high:
        return f"a PIN is {low} to {high} digits"
    if len(set(pin)) == 1:
        return "a PIN of one repeated digit is too easy to guess"
    return None


def require_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise ValidationFailed(problem)


def require_pin(pin: str) -> None:
    problem = pin_problem(pin)
    if problem:
        raise ValidationFailed(problem)


def hash_secret(secret: str) -> str:
    return HASHER.hash(normalised(secret))


def matches(stored: str | None, secret: str) -> bool:
    """Whether `secret` is the one hashed in `stored` (False for no hash or a bad one)."""
    if not stored:
        return False
    try:
        return HASHER.verify(stored, normalised(secret))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return HASHER.check_needs_rehash(stored)


def new_badge() -> str:
    """A fresh `U:` badge code: 10 characters, about 50 bits, so it cannot be guessed."""
    return BADGE_PREFIX + "".join(secrets.choice(_BADGE_ALPHABET) for _ in range(10))


def badge_code(scanned: str) -> str | None:
    """The badge in a scan (`U:...`, any case), or None when the scan is no badge."""
    text = scanned.strip()
    if text[:2].upper() != BADGE_PREFIX or len(text) < 3:
        return None
    return BADGE_PREFIX + text[2:].upper()
