"""GS1 check digits (mod 10) for GTIN-8/12/13/14 and SSCC-18."""

from __future__ import annotations

GTIN_LENGTHS = frozenset({8, 12, 13, 14})
SSCC_LENGTH = 18


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def gs1_check_digit(body: str) -> int:
    """The check digit to append to `body`: weights 3, 1, 3, ... from the right."""
    if not _is_digits(body):
        raise ValueError(f"not a digit string: {body!r}")
    total = sum(int(digit) * (3 - 2 * (i % 2)) for i, digit in enumerate(reversed(body)))
    return -total % 10


def has_valid_check_digit(code: str) -> bool:
    """True when `code` is digits whose last digit is the GS1 check digit of the rest."""
    return len(code) >= 2 and _is_digits(code) and gs1_check_digit(code[:-1]) == int(code[-1])


def is_valid_gtin(code: str) -> bool:
    return len(code) in GTIN_LENGTHS and has_valid_check_digit(code)


def is_valid_sscc(code: str) -> bool:
    return len(code) == SSCC_LENGTH and has_valid_check_digit(code)


def to_gtin14(code: str) -> str:
    """The GTIN-14 form, so UPC-A, EAN-13 and GTIN-14 of one item compare equal."""
    if not is_valid_gtin(code):
        raise ValueError(f"not a valid GTIN: {code!r}")
    return code.zfill(14)


def make_sscc(extension_digit: int, company_prefix: str, serial: int) -> str:
    """An SSCC-18: extension digit, GS1 company prefix (4-12 digits), serial, check digit."""
    serial_width = SSCC_LENGTH - 2 - len(company_prefix)
    if not 0 <= extension_digit <= 9:
        raise ValueError(f"extension digit must be 0-9, not {extension_digit}")
    if not (_is_digits(company_prefix) and 4 <= len(company_prefix) <= 12):
        raise ValueError(f"company prefix must be 4-12 digits, not {company_prefix!r}")
    if not 0 <= serial < 10**serial_width:
        raise ValueError(f"serial {serial} does not fit in {serial_width} digits")
    body = f"{extension_digit}{company_prefix}{serial:0{serial_width}d}"
    return body + str(gs1_check_digit(body))
