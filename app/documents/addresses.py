"""Postal address lines in the order carriers and postal services expect them."""

from __future__ import annotations

from app.documents.data import Address

_CITY_REGION_POSTCODE = frozenset({"US", "USA", "CA", "AU"})
_CITY_POSTCODE = frozenset({"GB", "UK", "IE"})


def locality(address: Address) -> str:
    """The city line: "Springfield, IL 62704", "LONDON SW1A 1AA" or "10115 Berlin"."""
    country = address.country.strip().upper()
    city, postcode, region = address.city.strip(), address.postcode.strip(), address.region.strip()
    if country in _CITY_REGION_POSTCODE:
        tail = " ".join(part for part in (region, postcode) if part)
        return ", ".join(part for part in (city, tail) if part)
    if country in _CITY_POSTCODE:
        return " ".join(part for part in (city.upper(), postcode) if part)
    line = " ".join(part for part in (postcode, city) if part)
    return ", ".join(part for part in (line, region) if part)


def street_lines(address: Address) -> list[str]:
    """Company and street lines that are present, in order."""
    return [s for s in (address.company, address.address1, address.address2) if s.strip()]


def address_lines(address: Address) -> list[str]:
    """Every non-empty line of the address, name first, country (upper case) last."""
    lines = [
        address.name,
        *street_lines(address),
        locality(address),
        address.country.strip().upper(),
    ]
    return [line for line in lines if line.strip()]
