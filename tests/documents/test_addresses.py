"""Address lines come out in the order the destination country's post expects."""

from __future__ import annotations

import dataclasses

import pytest

from app.documents.addresses import address_lines, locality
from app.documents.data import Address
from app.documents.label_layout import label_fields
from app.documents.samples import sample_label


@pytest.mark.parametrize(
    ("address", "line"),
    [(Address("A", city="Springfield", region="IL", postcode="62704", country="us"),
      "Springfield, IL 62704"),
     (Address("A", city="London", postcode="SW1A 1AA", country="GB"), "LONDON SW1A 1AA"),
     (Address("A", city="Berlin", postcode="10435", country="DE"), "10435 Berlin"),
     (Address("A", city="Milano", postcode="20121", region="MI", country="IT"),
      "20121 Milano, MI")],
)
def test_locality_follows_the_country_convention(address: Address, line: str) -> None:
    assert locality(address) == line


def test_address_lines_skip_empty_parts_and_end_with_the_country() -> None:
    address = Address("Jane Doe", "", "1 Main St", " ", "Springfield", "62704", "IL", "us")
    assert address_lines(address) == ["Jane Doe", "1 Main St", "Springfield, IL 62704", "US"]


def test_label_for_a_company_without_contact_name_shows_the_company_as_addressee() -> None:
    business = Address("", "ACME GmbH", "Hafenstr. 1", "", "Hamburg", "20457", "", "DE")
    fields = label_fields(dataclasses.replace(sample_label(), ship_to=business), "")
    assert fields["to_name"] == "ACME GmbH"
    assert fields["to_street_2"] == "Hafenstr. 1"
    assert "to_street_0" not in fields and "to_street_1" not in fields
