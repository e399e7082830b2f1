"""The import commands as a user runs them: `python main.py --db URL import-...`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.imports.files import SAMPLES, shopify_csv, shopify_order, write

ROOT = Path(__file__).resolve().parents[2]


def shipshape(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "--db", f"sqlite:///{db}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_bad_export_exits_1_with_the_problem_on_stderr_and_a_good_one_imports(
    tmp_path: Path,
) -> None:
    db = tmp_path / "shop.db"
    bad = write(tmp_path / "o.csv", shopify_csv(shopify_order("#1", [("MUG-BLU", "-1")])))
    assert shipshape(db, "init-db").returncode == 0

    failed = shipshape(db, "import-orders", str(bad))

    assert failed.returncode == 1
    assert failed.stderr.splitlines() == [
        "error: 1 problem(s) in 1 of 1 orders; nothing imported",
        "  o.csv:2: Lineitem quantity: must be a positive whole number, not '-1'",
    ]
    done = shipshape(db, "import-orders", str(SAMPLES / "shopify_orders.csv"))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[:2] == [
        "imported 14 orders (14 on hold), 0 already present, 2 skipped",
        "  new channel: shopify",
    ]
