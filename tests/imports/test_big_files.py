"""Big order files: read order by order (never held whole), handed to intake in batches
inside one transaction, with a progress line; a failure or Ctrl-C in any batch leaves
nothing. The batch is made small here so that a few orders span several batches; the
1,000,000-line memory figure comes from tests/benchmarks/imports.py."""

from __future__ import annotations

import gc
import io
import weakref
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

import app.imports.orders as orders_module
from app.cli.imports import progress_line
from app.context import Actor
from app.domain.new_order import NewOrder
from app.imports import own_format
from app.imports.common import CsvRows, stream_csv
from app.imports.orders import Candidates, import_orders
from app.services.intake import IntakeResult, add_orders
from db.engine import Database
from tests.imports.files import cli, write
from tests.imports.test_interrupts_and_rejects import counts, orders_file


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Batches of 3 orders; the size of each batch that reached intake."""
    sizes: list[int] = []

    def counted(session: Session, actor: Actor, orders: list[NewOrder]) -> IntakeResult:
        sizes.append(len(orders))
        return add_orders(session, actor, orders)

    monkeypatch.setattr(orders_module, "BATCH", 3)
    monkeypatch.setattr(orders_module, "add_orders", counted)
    return sizes


def test_a_file_is_read_again_on_each_pass_not_held(tmp_path: Path) -> None:
    path = orders_file(tmp_path / "o.csv", 4)

    file = own_format.read_csv_orders(path, "web")
    assert isinstance(file.candidates, Candidates)
    assert isinstance(stream_csv(path).rows, CsvRows)
    first = [c.ref for c in file.candidates]
    write(path, path.read_text(encoding="utf-8").replace("I-3,", "I-9,"))

    assert first == ["I-0", "I-1", "I-2", "I-3"]
    assert [c.ref for c in file.candidates] == ["I-0", "I-1", "I-2", "I-9"]


def test_orders_go_to_intake_in_batches_and_the_progress_reaches_the_last_line(
    db: Database, actor: Actor, tmp_path: Path, batches: list[int]
) -> None:
    seen: list[tuple[int, int, int]] = []
    file = own_format.read_csv_orders(orders_file(tmp_path / "o.csv", 8), "web")

    done = import_orders(db, actor, file, partial=False, progress=lambda *at: seen.append(at))

    assert batches == [3, 3, 2]
    assert len(done.intake.created) == 8
    # (orders, line read, lines in the file): an order is known to end at the next row
    assert seen == [(3, 5, 9), (6, 8, 9), (8, 9, 9)]
    assert counts(db) == [8, 8, 1]


class Looped:
    """An object in a reference cycle: garbage only a collection frees."""

    def __init__(self) -> None:
        self.me = self


def test_collection_is_paused_for_the_import_and_each_batch_leaves_no_cycles_behind(
    db: Database, actor: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = own_format.read_csv_orders(orders_file(tmp_path / "o.csv", 6), "web")
    enabled: list[bool] = []
    cycles: list[weakref.ref[Looped]] = []
    freed: list[bool] = []  # after each batch's collection: the cycles made so far gone

    def cycle_made(session: Session, actor: Actor, orders: list[NewOrder]) -> IntakeResult:
        enabled.append(gc.isenabled())
        cycles.append(weakref.ref(Looped()))
        return add_orders(session, actor, orders)

    def collected(generation: int) -> int:
        found = real_collect(generation)
        freed.append(all(cycle() is None for cycle in cycles))
        return found

    real_collect = gc.collect
    monkeypatch.setattr(orders_module, "BATCH", 3)
    monkeypatch.setattr(orders_module, "add_orders", cycle_made)
    monkeypatch.setattr(gc, "collect", collected)
    gc.enable()  # as on the command line (the tests run with it off: conftest.py)
    try:
        import_orders(db, actor, file, partial=False)
        assert gc.isenabled()
    finally:
        gc.disable()

    assert enabled == [False, False, False]
    assert freed == [True, True]  # after the first two: the last batch ends the import


def test_a_bad_order_in_a_late_batch_imports_nothing_and_every_problem_is_listed(
    db: Database, tmp_path: Path, batches: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    path = orders_file(tmp_path / "o.csv", 10, bad=7)
    write(path, path.read_text(encoding="utf-8").replace("I-9,2024-03-05", "I-9,yesterday"))

    assert cli(db, "import-orders", str(path), "--channel", "web") == 1

    assert capsys.readouterr().err.splitlines() == [
        "error: 2 problem(s) in 2 of 10 orders; nothing imported",
        "  o.csv:9: quantity: must be a positive whole number, not '0'",
        "  o.csv:11: placed_at: not a date and time: 'yesterday' (write 2024-03-05 14:07:12+01:00)",
    ]
    assert batches == [3, 3]  # read on after the bad order, but nothing more created
    assert counts(db) == [0, 0, 0]


def test_ctrl_c_in_the_third_batch_keeps_nothing_of_the_first_two(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    calls: list[int] = []

    def interrupted_third(session: Session, actor: Actor, orders: list[NewOrder]) -> IntakeResult:
        calls.append(len(orders))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return add_orders(session, actor, orders)

    monkeypatch.setattr(orders_module, "BATCH", 3)
    monkeypatch.setattr(orders_module, "add_orders", interrupted_third)

    assert (
        cli(db, "import-orders", str(orders_file(tmp_path / "o.csv", 9)), "--channel", "w") == 130
    )

    assert capsys.readouterr().err == "error: import interrupted - nothing imported\n"
    assert calls == [3, 3, 3]
    assert counts(db) == [0, 0, 0]


def test_the_progress_line_rewrites_itself_on_a_terminal_and_stays_out_of_files() -> None:
    terminal = Terminal()
    show = progress_line(terminal)
    assert show is not None

    show(2000, 4100, 10_001)
    show(4000, 10_001, 10_001)

    assert terminal.getvalue() == (
        "\r  reading: 2,000 orders (40% of 10,001 lines)"
        "\r  reading: 4,000 orders (100% of 10,001 lines)\n"
    )
    assert progress_line(io.StringIO()) is None
