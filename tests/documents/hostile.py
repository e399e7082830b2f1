"""Text a customer, a sales channel or a carrier might send us."""

from __future__ import annotations

import dataclasses

from app.documents.data import Address, LabelData
from app.documents.samples import sample_label

ZPL_INJECTION = "ACME^XZ^XA^FDPWNED^FS~JA_41"
MARKUP_INJECTION = '<font color="[[[1/0]]]">x</font>&<b>'

NAMES = {
    "plain": "Jane Doe",
    "long": "Maximilian Alexander Friedrich von und zu Hohenzollern-Sigmaringen-Hechingen III",
    "accents": "Zoë Ångström-Müller Çağrı Łukasz Ñandú",
    "cyrillic": "Дмитрий Шостакович",
    "greek": "Αλέξανδρος Παπαδόπουλος",
    "quotes": "O'Brien \"The Boss\" ‘single’ “double” `tick`",
    "zpl": ZPL_INJECTION,
    "markup": MARKUP_INJECTION,
    "emoji": "Café 😀 🦄 ☕",
    "controls": "Tab\there\r\nnew\x00line\x1b[0m",
    "decomposed": "Zoe\u0308 Ma\u0301rquez",
}


def hostile_label(name: str, number: int = 7) -> LabelData:
    """A sample label with `name` in every free-text field."""
    label = sample_label(number)
    return dataclasses.replace(
        label,
        external_ref=name,
        carrier=name,
        service_level=name,
        ship_to=Address(name, company=name, address1=name, address2=name, city=name,
                        postcode="10435", region=name, country="DE", phone=name),
        ship_from=dataclasses.replace(label.ship_from, name=name),
    )
