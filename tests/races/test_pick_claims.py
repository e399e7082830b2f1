"""Pick claims under a real multi-process race: SKIP LOCKED hands out disjoint lists,
and a station killed mid-claim or while holding a list loses nothing.

Each station is a spawned process with its own engine, released together behind a
barrier. Every list is one order of one unit, so the stations spend their time
claiming. In the second test the parent SIGKILLs stations at chosen moments (while
claiming, while holding a committed claim) and starts replacements: an uncommitted
claim must roll back, a committed one must come back once its lease lapses, and at
the end every list is done exactly once, with nothing left open or claimed.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.context import Actor
from app.domain.new_order import Address, NewLine, NewOrder
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.integrity import verify
from app.services.pick_lists import create_pick_lists
from db.engine import Database
from db.models import AuditEvent, Order, OrderLine, PickList
from db.uow import read
from tests.factories import channel, stock
from tests.races.harness import SPAWN, url_of
from tests.races.pick_workers import (
    BarrierLike,
    StationConfig,
    StationReport,
    phase_file,
    read_report,
    station_worker,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

STATIONS = 8
SKUS = tuple(f"PICK-{i:02d}" for i in range(20))
RACE_LISTS = 400
FAULT_LISTS = 200
FAULT_LEASE_S = 1
PAUSE_BEFORE_COMMIT_S = 0.01
KILLS = ("claiming", "holding") * 4
FIRST_KILL_AFTER_S = 0.5
KILL_EVERY_S = 0.3
TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Kill:
    station: str
    phase: str  # what the station journaled just before it was killed
    left_claim: int | None  # the list it still held in the database once it was dead


def seed_lists(db: Database, actor: Actor, count: int) -> list[int]:
    """`count` single-unit orders from distinct customers, one pick list each."""
    for n, sku in enumerate(SKUS):
        stock(db, actor, {sku: count}, location=f"A-{n:02d}-01-A")
    channel(db, "web")
    placed = datetime.now(UTC) - timedelta(minutes=5)
    orders = [
        NewOrder(
            channel="web",
            external_ref=f"#pick-{n}",
            placed_at=placed,
            ship_to=Address(
                name=f"Picker {n}",
                address1=f"Dock {n}",
                city="Berlin",
                postcode="10115",
                country="DE",
            ),
            lines=(NewLine(SKUS[n % len(SKUS)], 1, Decimal("1.00")),),
            email=f"pick{n}@race.example",
        )
        for n in range(count)
    ]
    assert len(create_orders(db, actor, orders).created) == count
    assert len(allocate(db, actor).allocated) == count
    views = create_pick_lists(db, actor, small_order_units=0)
    assert [len(v.tasks) for v in views] == [1] * count
    return sorted(v.id for v in views)


class Floor:
    """The stations as processes: start them together, kill one, start a replacement."""

    def __init__(self, url: str, workdir: Path, lease_seconds: int, pause_s: float) -> None:
        self.url, self.workdir = url, workdir
        self.lease_seconds, self.pause_s = lease_seconds, pause_s
        self.procs: dict[str, BaseProcess] = {}
        self.kills: list[Kill] = []

    def start(self, station: str, barrier: BarrierLike | None) -> None:
        cfg = StationConfig(
            url=self.url,
            station=station,
            workdir=str(self.workdir),
            lease_seconds=self.lease_seconds,
            pause_before_commit_s=self.pause_s,
        )
        proc = SPAWN.Process(target=station_worker, args=(cfg, barrier), name=station)
        proc.start()
        self.procs[station] = proc

    def start_together(self, count: int) -> None:
        barrier = SPAWN.Barrier(count + 1)
        for n in range(count):
            self.start(f"pick-{n}", barrier)
        barrier.wait(timeout=120)

    def alive(self) -> list[str]:
        return [name for name, proc in self.procs.items() if proc.is_alive()]

    def find(self, phase: str, rng: random.Random) -> tuple[str, str] | None:
        """A live station whose journal says it is `phase`-ing right now."""
        names = self.alive()
        rng.shuffle(names)
        for name in names:
            try:
                current = phase_file(str(self.workdir), name).read_text()
            except FileNotFoundError:
                continue
            if current.startswith(phase):
                return name, current
        return None

    def kill(self, station: str, phase: str) -> None:
        """SIGKILL `station`, wait for its backend to go, note what it left behind."""
        proc = self.procs[station]
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=10)
        wait_for_backend_gone(self.url, station)
        self.kills.append(Kill(station, phase, claim_of(self.url, station)))
        self.start(f"pick-r{len(self.kills)}", None)

    def wait(self, plan: Sequence[str], deadline: float) -> None:
        """Until every station has exited, killing one per entry of `plan` on the way."""
        rng = random.Random(5)
        plan = list(plan)
        next_kill = time.monotonic() + FIRST_KILL_AFTER_S
        while self.alive():
            if time.monotonic() > deadline:
                for proc in self.procs.values():
                    proc.kill()
                raise AssertionError(f"stations hung: {self.alive()} still running")
            if plan and time.monotonic() >= next_kill:
                victim = self.find(plan[0], rng)
                if victim is not None:
                    self.kill(*victim)
                    plan.pop(0)
                    next_kill = time.monotonic() + KILL_EVERY_S
            time.sleep(0.002)
        assert not plan, f"kills never made: {plan}"

    def reports(self) -> list[StationReport]:
        killed = {k.station for k in self.kills}
        survivors = [s for s in self.procs if s not in killed]
        reports = {s: read_report(str(self.workdir), s) for s in survivors}
        silent = {s: self.procs[s].exitcode for s, r in reports.items() if r is None}
        assert not silent, f"stations exited without a report (exit codes): {silent}"
        found = [r for r in reports.values() if r is not None]
        fatal = [f"{r.station}:\n{r.fatal}" for r in found if r.fatal]
        assert not fatal, "\n".join(fatal)
        return found


def wait_for_backend_gone(url: str, station: str) -> None:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    deadline = time.monotonic() + 10
    try:
        with engine.connect() as conn:
            while conn.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :a"),
                {"a": f"shipshape:{station}"},
            ):
                if time.monotonic() > deadline:
                    rows = conn.execute(
                        text(
                            "SELECT application_name, state, wait_event_type, wait_event, "
                            "pg_blocking_pids(pid), left(query, 120) FROM pg_stat_activity "
                            "WHERE application_name LIKE 'shipshape:pick%'"
                        )
                    ).all()
                    raise AssertionError(f"{station}'s backend outlived it: {rows}")
                time.sleep(0.01)
    finally:
        engine.dispose()


def claim_of(url: str, station: str) -> int | None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with Session(engine) as session:
            return session.scalar(
                select(PickList.id).where(
                    PickList.status == "claimed", PickList.claimed_by_station == station
                )
            )
    finally:
        engine.dispose()


def pick_list_events(db: Database) -> dict[int, list[AuditEvent]]:
    def work(session: Session) -> dict[int, list[AuditEvent]]:
        events: dict[int, list[AuditEvent]] = {}
        for event in session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "pick_list").order_by(AuditEvent.id)
        ):
            events.setdefault(event.entity_id, []).append(event)
        return events

    return read(db, work)


def assert_all_done(db: Database, list_ids: list[int]) -> None:
    """Every list done, every order picked, every unit picked once, balances intact."""

    def work(session: Session) -> tuple[Counter[str], Counter[str], tuple[int, int]]:
        lists = Counter(session.scalars(select(PickList.status)))
        orders = Counter(session.scalars(select(Order.status)))
        picked = session.execute(
            select(func.sum(OrderLine.qty_picked), func.sum(OrderLine.qty_allocated))
        ).one()
        return lists, orders, (int(picked[0]), int(picked[1]))

    lists, orders, (picked, allocated) = read(db, work)
    assert lists == Counter({"done": len(list_ids)})
    assert orders == Counter({"picked": len(list_ids)})
    assert picked == allocated == len(list_ids)
    assert verify(db) == []


def test_eight_stations_claim_disjoint_lists_whose_union_is_every_list(
    pg_db: Database, actor: Actor, tmp_path: Path
) -> None:
    list_ids = seed_lists(pg_db, actor, RACE_LISTS)
    floor = Floor(url_of(pg_db), tmp_path, lease_seconds=60, pause_s=0.0)
    started = time.monotonic()

    floor.start_together(STATIONS)
    floor.wait((), time.monotonic() + TIMEOUT_S)

    reports = floor.reports()
    claims = [i for r in reports for i in r.claimed]
    print(
        f"\n{len(claims)} claims by {len(reports)} stations in "
        f"{time.monotonic() - started:.1f} s: "
        + ", ".join(f"{r.station}={len(r.claimed)}" for r in reports)
    )
    assert sorted(claims) == list_ids, "claims overlap or miss lists"
    assert all(r.completed == r.claimed and not r.lost and not r.errors for r in reports)
    assert sum(len(r.claimed) > 0 for r in reports) >= STATIONS // 2, "hardly a race"
    events = pick_list_events(pg_db)
    assert {i: [e.action for e in events[i]] for i in list_ids} == {
        i: ["created", "claimed", "completed"] for i in list_ids
    }
    assert_all_done(pg_db, list_ids)


def test_killed_stations_lose_nothing_and_abandoned_lists_come_back_after_the_lease(
    pg_db: Database, actor: Actor, tmp_path: Path
) -> None:
    list_ids = seed_lists(pg_db, actor, FAULT_LISTS)
    floor = Floor(url_of(pg_db), tmp_path, FAULT_LEASE_S, PAUSE_BEFORE_COMMIT_S)
    started = time.monotonic()

    floor.start_together(STATIONS)
    floor.wait(KILLS, time.monotonic() + TIMEOUT_S)

    reports = floor.reports()
    killed = {k.station for k in floor.kills}
    lost = {(r.station, i) for r in reports for i in r.lost}
    events = pick_list_events(pg_db)
    completions = {i: [e for e in events[i] if e.action == "completed"] for i in list_ids}
    claims = {i: [e for e in events[i] if e.action in ("claimed", "reclaimed")] for i in list_ids}
    reclaims = [e for i in list_ids for e in claims[i] if e.action == "reclaimed"]
    rolled_back = [k for k in floor.kills if k.phase == "claiming" and k.left_claim is None]
    abandoned = [k for k in floor.kills if k.left_claim is not None]
    print(
        f"\n{time.monotonic() - started:.1f} s, {len(floor.kills)} stations killed: "
        f"{len(rolled_back)} mid-claim rolled back, {len(abandoned)} left a claim behind; "
        f"{len(reclaims)} lists reclaimed after their lease, {len(lost)} leases lost by live "
        f"stations; claims {sum(len(c) for c in claims.values())} for {len(list_ids)} lists"
    )

    assert all(len(completions[i]) == 1 for i in list_ids), "a list was completed twice"
    assert not [e for r in reports for e in r.errors]
    assert rolled_back, "no kill landed inside an uncommitted claim"
    assert abandoned, "no kill left an abandoned claim"
    for kill in abandoned:
        assert kill.left_claim is not None
        after = [e for e in claims[kill.left_claim] if e.action == "reclaimed"]
        assert after, f"{kill.station}'s list {kill.left_claim} never came back"
    for i in list_ids:
        for previous, reclaim in zip(claims[i], claims[i][1:], strict=False):
            assert reclaim.action == "reclaimed"
            assert previous.station in killed or (previous.station, i) in lost
            assert reclaim.details is not None
            before = reclaim.details["previous"]
            assert isinstance(before, dict)
            expired = datetime.fromisoformat(str(before["lease_expires_at"]))
            assert datetime.fromisoformat(str(reclaim.details["claimed_at"])) >= expired
    assert_all_done(pg_db, list_ids)
