"""`pick-lists` with filters: in process on both databases, and as a user runs it on a
demo warehouse, where bad input gets one line and changes nothing."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import count
from pathlib import Path

import pytest

from app.cli import run as run_here
from app.context import Actor
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.picking import claim_next_pick_list
from db.engine import Database
from tests.cli.runner import Cli, assert_refused, fingerprint, sqlite_url
from tests.factories import ADDRESS, channel, new_order, stock

_customers = count(1)


def _order(db: Database, actor: Actor, lines: dict[str, int], service_level: str) -> str:
    n = next(_customers)
    channel(db)
    order = replace(
        new_order(lines, service_level=service_level, placed_minutes_ago=600 - n),
        ship_to=replace(ADDRESS, address1=f"Quay {n}"),
        email=f"cli{n}@example.de",
    )
    return create_orders(db, actor, [order]).created[0]


def test_filters_choose_the_orders_and_print_prints_each_list(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG": 20}, location="A-01-01-A")
    stock(db, actor, {"TEA": 20}, location="B-01-01-A")
    express = [_order(db, actor, {"MUG": 1}, "express") for _ in range(2)]
    standard = [_order(db, actor, {"TEA": 2}, "standard") for _ in range(3)]
    allocate(db, actor)
    url = db.url.render_as_string(hide_password=False)
    folder = tmp_path / "printed"
    folder.mkdir()

    code = run_here(
        ["--db", url, "pick-lists", "--service-level", "express", "--single",
         "--print", f"folder:{folder}"]
    )  # fmt: skip

    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[:3] == [
        f"PL-000001  single  1 stop, 1 unit: {express[0]}",
        f"PL-000002  single  1 stop, 1 unit: {express[1]}",
        "2 pick lists, 2 orders",
    ]
    assert out[3:] == [f"job {job}: sent to folder:{folder}" for job in (1, 2)]
    assert all(path.read_bytes().startswith(b"%PDF") for path in folder.iterdir())
    assert len(list(folder.iterdir())) == 2

    assert (
        run_here(["--db", url, "pick-lists", "--zone", "B", "--max-orders", "2", "--totes", "2"])
        == 0
    )
    assert capsys.readouterr().out.splitlines() == [
        f"PL-000003  batch   2 stops, 4 units: {standard[0]}, {standard[1]}",
        "1 pick list, 2 orders; 1 more order left for the next build",
    ]
    assert run_here(["--db", url, "pick-lists", "--max-priority", "2"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"No pick lists built; 2 orders skipped: {express[0]} already on PL-000001, "
        f"{express[1]} already on PL-000002"
    ]
    assert claim_next_pick_list(db, Actor(username="pia", station="pick-1")) is not None


def test_a_demo_warehouse_gets_lists_from_one_command(cli: Cli, demo_db: Path) -> None:
    url = sqlite_url(demo_db)

    built = cli(url, "pick-lists", "--zone", "A", "--max-orders", "5", "--single")

    assert built.code == 0, str(built)
    lines = built.out.splitlines()
    assert len(lines) == 6 and lines[-1].startswith("5 pick lists, 5 orders")
    assert all(
        re.fullmatch(r"PL-\d{6}  single  \d+ stops?, \d+ units?: SO-\d+", x) for x in lines[:5]
    )
    written = cli(url, "pick-list", lines[4][:9], "--out", str(demo_db.parent / "list.pdf"))
    assert written.code == 0, str(written)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--service-level", "snail"), "error: unknown service level 'snail'"),
        (("--zone", "QQ"), "error: no location in zone QQ"),
        (("--totes", "0"), "error: argument --totes/--batch-size: 0 is below 1"),
        (("--single", "--totes", "3"), "error: argument --totes/--batch-size: not allowed"),
        (("--priority", "1", "--max-priority", "2"), "error: argument --max-priority: not allow"),
        (("--print", "lpt1"), "error: unknown printer 'lpt1'"),
        (("--print", "tcp://10.0.0.9:9100"), "error: pick lists are PDF and tcp://10.0.0.9"),
    ],
)
def test_bad_input_gets_one_line_and_changes_nothing(
    cli: Cli, demo_db: Path, args: tuple[str, ...], message: str
) -> None:
    before = fingerprint(demo_db.parent)

    result = cli(sqlite_url(demo_db), "pick-lists", *args)

    assert_refused(result)
    assert result.err.startswith(message), str(result)
    assert result.out == ""
    assert fingerprint(demo_db.parent) == before
