"""The return label (PDF and ZPL, from the shipping label code) and the return slip of a
real RMA: the R: barcode decodes with zxing-cpp, the addresses run customer -> dock."""

from __future__ import annotations

import pytest

from app.context import Actor
from app.documents.zpl import code128_data
from app.services.return_documents import return_label, return_slip_pdf
from app.services.returns import authorise_return
from db.engine import Database
from tests import factories
from tests.documents import pdfcheck
from tests.documents.test_shipping_label_zpl import field_texts, formats
from tests.services.test_returns import shipped


@pytest.fixture
def rma(sqlite_db: Database, actor: Actor) -> str:
    factories.stock(sqlite_db, actor, {"TEE": 3})
    order = shipped(sqlite_db, actor, {"TEE": 2})
    return authorise_return(sqlite_db, actor, order, {"TEE": 1}, "doesnt_fit").number


def test_the_return_label_pdf_scans_as_the_rma(sqlite_db: Database, rma: str) -> None:
    pdf = return_label(sqlite_db, rma, "pdf")
    (scans,) = pdfcheck.scan_pages(pdf)
    assert pdfcheck.found(scans) == {("QR Code", f"R:{rma}"), ("Code 128", f"R:{rma}")}
    text = " ".join(pdfcheck.texts(pdf))
    assert "RETURN TO" in text and "RETURN AUTHORISATION" in text and "SSCC" not in text
    assert "Zoë Müller" in text  # the customer sends it


def test_the_return_label_zpl_carries_the_rma_barcode(sqlite_db: Database, rma: str) -> None:
    (label_format,) = formats(return_label(sqlite_db, rma, "zpl"))
    fields = field_texts(label_format)
    # Code 128 with subset switches, as zpl.code128_data writes R:RMA-100001; and the QR
    assert code128_data(f"R:{rma}")[0] in fields and f"MA,R:{rma}" in fields
    assert "RETURN AUTHORISATION" in fields and "RETURN TO" in fields
    assert not any(field.startswith(">;>800") for field in fields)  # no SSCC symbol


def test_the_return_slip_scans_as_the_rma(sqlite_db: Database, rma: str) -> None:
    pdf = return_slip_pdf(sqlite_db, rma)
    (scans,) = pdfcheck.scan_pages(pdf)
    assert ("Code 128", f"R:{rma}") in pdfcheck.found(scans)
    text = " ".join(pdfcheck.texts(pdf))
    assert "Return slip" in text and "doesnt fit" in text and "TEE" in text
