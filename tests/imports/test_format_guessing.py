"""import-orders without --format: the format told from the file's start, which is all
that is read for it (the reader reads the file itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.imports.orders import GUESS_JSON_BYTES, guess_format


@pytest.mark.parametrize(
    ("start", "found"),
    [
        (b'  {"items": [{"increment_id": "1"', "magento"),
        (b'{"response": [{"id": 1, "orderRows": {}', "brightpearl"),
        (b'[{"external_ref": "A-1"', "json"),
    ],
)
def test_a_json_file_is_told_from_its_start_and_read_no_further(
    tmp_path: Path, start: bytes, found: str
) -> None:
    path = tmp_path / "orders.json"
    # Past the part looked at: bytes that are not UTF-8, which reading all would refuse.
    path.write_bytes(start + b" " * GUESS_JSON_BYTES + b"\xff\xfe")

    assert guess_format(path) == found


def test_a_csv_file_is_told_from_its_header(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_bytes(b"\xef\xbb\xbfName,Lineitem sku\n#1,\xff\n")
    (tmp_path / "n.csv").write_text("Document Number,Item\n", encoding="utf-8")
    (tmp_path / "o.csv").write_text("external_ref,sku\n", encoding="utf-8")

    found = [guess_format(tmp_path / name) for name in ("s.csv", "n.csv", "o.csv")]

    assert found == ["shopify", "netsuite", "csv"]
    assert guess_format(tmp_path / "orders.xml") is None
