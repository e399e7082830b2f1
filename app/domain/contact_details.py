"""An order's ship-to address and contact details as the service desk edits them."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from app.domain.new_order import SERVICE_PRIORITY

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
COUNTRY = re.compile(r"[A-Z]{2}")
# field -> (what a person calls it, longest value its column takes, required)
FIELDS: dict[str, tuple[str, int, bool]] = {
    "name": ("recipient name", 200, True),
    "company": ("company", 200, False),
    "address1": ("street address", 200, True),
    "address2": ("address line 2", 200, False),
    "postcode": ("postcode", 20, True),
    "city": ("city", 100, True),
    "region": ("region", 100, False),
    "country": ("country", 2, True),
    "phone": ("phone", 50, False),
    "email": ("e-mail", 255, False),
}


@dataclass(frozen=True)
class ContactDetails:
    """Where the parcel goes and how to reach the customer; "" for a blank field."""

    name: str
    address1: str
    postcode: str
    city: str
    country: str
    company: str = ""
    address2: str = ""
    region: str = ""
    phone: str = ""
    email: str = ""
    service_level: str = "standard"

    def cleaned(self) -> ContactDetails:
        """Stripped, the country upper-cased."""
        values = {name: value.strip() for name, value in asdict(self).items()}
        values["country"] = values["country"].upper()
        return ContactDetails(**values)

    def changes_from(self, other: ContactDetails) -> dict[str, tuple[str, str]]:
        """field -> (before, after) for every field that differs from `other`."""
        mine, theirs = asdict(self), asdict(other)
        return {name: (theirs[name], mine[name]) for name in mine if mine[name] != theirs[name]}


def contact_problems(details: ContactDetails) -> list[str]:
    """One sentence per problem, naming the field; empty when the details can be saved."""
    values = asdict(details)
    found = []
    for name, (label, limit, required) in FIELDS.items():
        value = values[name]
        if required and not value:
            found.append(f"the {label} is required")
        elif len(value) > limit and name != "country":
            found.append(f"the {label} is too long (at most {limit} characters)")
    if details.country and not COUNTRY.fullmatch(details.country):
        found.append(f"the country must be a two-letter code such as DE (got {details.country!r})")
    if details.email and not EMAIL.fullmatch(details.email):
        found.append(f"the e-mail {details.email!r} does not look like name@example.com")
    if details.service_level not in SERVICE_PRIORITY:
        known = ", ".join(SERVICE_PRIORITY)
        found.append(f"the service level must be one of {known} (got {details.service_level!r})")
    return found
