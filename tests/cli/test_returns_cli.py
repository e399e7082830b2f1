"""The returns commands as a user runs them, on the demo warehouse (which has returns in
every state): DESIGN.md's JSON keys, a receipt by RMA, a refund issued, show-order's
returns, a new RMA, and the label and slip written as files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.runner import Cli, Result, sqlite_url

CONTRACT = {"number", "order", "status", "reason", "resolution", "lines", "refund"}
LINE_KEYS = {"sku", "qty_authorised", "qty_received", "condition", "disposition"}


def ok_json(result: Result) -> Any:
    assert result.code == 0 and result.err == "", str(result)
    return json.loads(result.out)


def test_receive_refund_and_authorise_through_the_cli(
    cli: Cli, demo_db: Path, tmp_path: Path
) -> None:
    url = sqlite_url(demo_db)
    listed = ok_json(cli(url, "returns", "--status", "authorised", "--json"))
    expected = next(row for row in listed if row["resolution"] == "refund")
    rma = ok_json(cli(url, "show-return", expected["number"], "--json"))
    assert CONTRACT | {"exchange_order"} <= rma.keys()
    assert all(line.keys() >= LINE_KEYS for line in rma["lines"])
    (line,) = rma["lines"]

    item = f"{line['sku']}={line['qty_authorised']}:sellable:restock"
    received = ok_json(cli(url, "return-receive", f"R:{rma['number']}", "--item", item, "--json"))
    assert received["status"] == "closed" and received["refund"]["status"] == "pending"
    again = cli(url, "return-receive", rma["number"], "--item", item)
    assert again.code == 1 and "was received already, by" in again.err, str(again)

    issued = cli(url, "refund-issue", rma["number"])
    assert issued.code == 0 and "issued" in issued.out, str(issued)
    assert ok_json(cli(url, "show-return", rma["number"], "--json"))["refund"]["status"] == (
        "issued"
    )
    order = ok_json(cli(url, "show-order", rma["order"], "--json"))
    assert rma["number"] in order["returns"]
    assert sum(ln["qty_returned"] for ln in order["lines"]) >= line["qty_authorised"]

    fresh = ok_json(cli(url, "orders", "--status", "allocated", "--json", "--limit", "1"))[0]
    fresh = fresh["number"]
    for command in ("pack", "ship"):
        assert cli(url, command, fresh).code == 0
    sku = ok_json(cli(url, "show-order", fresh, "--json"))["lines"][0]["sku"]
    made = ok_json(
        cli(url, "return-create", fresh, "--item", f"{sku}=1", "--reason", "doesnt_fit",
            "--resolution", "exchange", "--json")
    )  # fmt: skip
    assert made.keys() >= CONTRACT and made["status"] == "authorised"
    for command, name in (("return-label", "label.zpl"), ("return-slip", "slip.pdf")):
        extra = ("--format", "zpl") if command == "return-label" else ()
        out = tmp_path / name
        written = cli(url, command, made["number"], *extra, "--out", str(out))
        assert written.code == 0, str(written)
        assert out.read_bytes().startswith(b"^XA" if name.endswith("zpl") else b"%PDF")
    assert cli(url, "verify").code == 0
