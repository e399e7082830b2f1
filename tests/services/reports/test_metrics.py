"""Every report on the hand-made week of history.py, on SQLite and PostgreSQL; the
expected figures were worked out by hand from the table in history.py."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_query import OrderQuery, Queue
from app.errors import PermissionDenied, ValidationFailed
from app.services import order_queue, stats
from app.services.reports import NoData, ReportQuery, run_report
from app.services.reports.drill import drill_orders, queue_query
from db.engine import Database
from db.models import Channel, Order, User
from db.uow import run_in_transaction
from tests.services.reports.history import DAILY_WEEK, NOW, at, build

WEEK = ReportQuery(start=date(2026, 10, 24), end=date(2026, 10, 26))
ACTOR = Actor(username="tester", station="test")


@pytest.fixture
def history(db: Database) -> Database:
    build(db)
    return db


def report(db: Database, kind: str, query: ReportQuery = WEEK) -> list[dict[str, object]]:
    return run_report(db, ACTOR, kind, query, now=NOW).json_rows()


def test_daily_counts_each_order_on_its_london_day_and_the_25_hour_day_holds_its_extra_hour(
    history: Database,
) -> None:
    # o2 was placed 23:30 UTC on the 24th = 00:30 on the 25th in London (summer time);
    # o3 23:30 UTC on the 25th = 23:30 London, inside the 25-hour day.
    assert report(history, "daily") == DAILY_WEEK
    # Ending on the 25th: counted back from now past o4 (placed and cancelled on the
    # 26th) and o2 (shipped on the 26th), the backlog is the same as above.
    to_25th = ReportQuery(start=date(2026, 10, 24), end=date(2026, 10, 25))
    assert [r["backlog"] for r in report(history, "daily", to_25th)] == [2, 3]
    found = run_report(history, ACTOR, "daily", WEEK, now=NOW)
    assert found.notes == ("25 Oct 2026 had 25 hours (clock change)",)


def test_the_23_hour_spring_day_ends_at_23_00_utc(db: Database) -> None:
    # 29 Mar 2026: London moves to summer time; the day runs 00:00-23:00 UTC, so an order
    # at 23:30 UTC belongs to 30 March.
    build(db)

    def add(session: Session) -> None:
        web = session.scalars(select(Channel).where(Channel.code == "web")).one()
        for number, placed in (("SP-1", at(29, 22, 30, month=3)), ("SP-2", at(29, 23, 30, 3))):
            session.add(
                Order(
                    number=number,
                    channel=web,
                    external_ref=number,
                    placed_at=placed,
                    status="cancelled",
                )
            )

    run_in_transaction(db, add)
    spring = ReportQuery(start=date(2026, 3, 29), end=date(2026, 3, 30))
    rows = report(db, "daily", spring)
    assert [(r["date"], r["received"]) for r in rows] == [("2026-03-29", 1), ("2026-03-30", 1)]
    assert run_report(db, ACTOR, "daily", spring, now=NOW).notes == (
        "29 Mar 2026 had 23 hours (clock change)",
    )


def test_backlog_by_status_and_age_agrees_with_stats_and_the_daily_backlog(
    history: Database,
) -> None:
    rows = report(history, "backlog")
    assert rows == [
        {"status": "new", "under_1d": 0, "1_3d": 1, "3_7d": 0, "over_7d": 0, "total": 1},
        {"status": "backordered", "under_1d": 0, "1_3d": 0, "3_7d": 0, "over_7d": 1, "total": 1},
    ]
    counts = stats.stats(history).orders_by_status
    assert {r["status"]: r["total"] for r in rows} == {
        "new": counts["new"],
        "backordered": counts["backordered"],
    }
    to_today = report(history, "daily", ReportQuery(start=date(2026, 10, 20)))
    assert to_today[-1]["date"] == "2026-10-27"
    assert to_today[-1]["backlog"] == sum(int(str(r["total"])) for r in rows)


def test_late_orders_by_channel(history: Database) -> None:
    assert report(history, "late") == [
        {"channel": "shop", "due": 1, "late": 1, "late_pct": 100.0},
        {"channel": "web", "due": 2, "late": 1, "late_pct": 50.0},
    ]


def test_cycle_times_medians_and_90th_percentiles_from_the_audit_trail(history: Database) -> None:
    # o1: 1 h, 2 h, 2 h, 18 h, 23 h in all; o2: 1.5 h, 4 h, 3 h, 26 h, 34.5 h.
    assert [
        (r["stage"], r["orders"], r["median_hours"], r["p90_hours"])
        for r in report(history, "cycle-times")
    ] == [
        ("placed → allocated", 2, 1.0, 1.5),
        ("allocated → picked", 2, 2.0, 4.0),
        ("picked → packed", 2, 2.0, 3.0),
        ("packed → shipped", 2, 18.0, 26.0),
        ("placed → shipped", 2, 23.0, 34.5),
    ]


def test_stations_throughput_and_scan_accuracy_per_user(history: Database) -> None:
    assert report(history, "stations") == [
        {
            "station": "pack-1",
            "user": "ben",
            "picked": 0,
            "packed": 2,
            "scans": 4,
            "rejected": 0,
            "manual": 1,
            "accuracy_pct": 100.0,
        },
        {
            "station": "pick-1",
            "user": "anna",
            "picked": 2,
            "packed": 0,
            "scans": 5,
            "rejected": 1,
            "manual": 0,
            "accuracy_pct": 80.0,
        },
    ]


def test_returns_rate_by_sku_and_count_by_reason(history: Database) -> None:
    assert report(history, "returns") == [
        {
            "sku": "A",
            "name": "Product A",
            "returns": 1,
            "units_returned": 1,
            "units_received": 1,
            "units_shipped": 3,
            "return_rate_pct": 33.3,
        },
        {
            "sku": "B",
            "name": "Product B",
            "returns": 1,
            "units_returned": 1,
            "units_received": 0,
            "units_shipped": 1,
            "return_rate_pct": 100.0,
        },
    ]
    assert report(history, "return-reasons") == [
        {"reason": "damaged", "returns": 1, "units": 1},
        {"reason": "doesnt_fit", "returns": 1, "units": 1},
    ]


def test_stock_outs_list_what_backordered_orders_wait_for(history: Database) -> None:
    assert report(history, "stock-outs") == [
        {"sku": "B", "name": "Product B", "orders_waiting": 1, "units_short": 4, "available": 0}
    ]


def test_replenishment_velocity_cover_and_a_smoothed_forecast(history: Database) -> None:
    rows = {r["sku"]: r for r in report(history, "replenishment")}
    a = rows["A"]
    # A sold 2 on the 24th and 2 on the 25th (o4's 3 were cancelled): 4 in the last 7 days.
    assert (a["velocity_7d"], a["velocity_30d"], a["velocity_90d"]) == (0.57, 0.13, 0.04)
    # Smoothing from zero: 0.3 x 2 = 0.6; 0.6 + 0.3 x 1.4 = 1.02; 1.02 - 0.3 x 1.02 = 0.714.
    assert a["forecast_per_day"] == 0.71
    assert a["available"] == 10 and a["days_of_cover"] == 14.0 and a["suggested_qty"] == 0
    b = rows["B"]
    assert b["available"] == 0 and b["suggested_qty"] > 0


def test_filters_narrow_every_count(history: Database) -> None:
    shop = ReportQuery(start=date(2026, 10, 24), end=date(2026, 10, 26), channel="shop")
    assert [r["received"] for r in report(history, "daily", shop)] == [0, 1, 0]
    with pytest.raises(NoData, match="no orders were shipped"):
        report(history, "cycle-times", shop)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            ReportQuery(start=date(2026, 10, 26), end=date(2026, 10, 20)),
            "starts on 2026-10-26, after it ends on 2026-10-20",
        ),
        (ReportQuery(start=date(2026, 11, 2)), "in the future"),
        (ReportQuery(warehouse="NOPE"), "no warehouse with the code 'NOPE' \\(known: MAIN\\)"),
        (ReportQuery(channel="ebay"), "no channel with the code 'ebay'"),
        (ReportQuery(start=date(2020, 1, 1)), "longer than 731 days"),
    ],
)
def test_bad_ranges_and_filters_are_refused_in_one_sentence(
    history: Database, query: ReportQuery, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        report(history, "daily", query)


def test_an_empty_range_says_so_instead_of_drawing_zeros(db: Database) -> None:
    with pytest.raises(NoData, match="no orders were placed, shipped, cancelled or open"):
        report(db, "daily")
    with pytest.raises(ValidationFailed, match="no report 'weekly'"):
        report(db, "weekly")


def test_reports_are_for_the_office_a_picker_is_refused(history: Database) -> None:

    def passwords(session: Session) -> dict[str, int]:
        users = {u.username: u for u in session.scalars(select(User))}
        for user in users.values():
            user.password_hash = "set"  # log-in is now required of everyone
        boss = User(username="boss", display_name="Boss", role="supervisor", password_hash="x")
        session.add(boss)
        session.flush()
        return {"anna": users["anna"].id, "boss": boss.id}

    ids = run_in_transaction(history, passwords)
    anna = Actor(username="anna", station="pick-1", user_id=ids["anna"])
    with pytest.raises(PermissionDenied, match="view reports"):
        run_report(history, anna, "daily", WEEK, now=NOW)
    boss = Actor(username="boss", station="office", user_id=ids["boss"])
    assert run_report(history, boss, "daily", WEEK, now=NOW).rows


def test_hourly_on_the_25_hour_day_shows_the_repeated_hour_twice(history: Database) -> None:
    rows = report(history, "hourly", ReportQuery(start=date(2026, 10, 25), end=date(2026, 10, 25)))
    assert len(rows) == 25
    assert [r["hour"] for r in rows[:4]] == ["00:00 BST", "01:00 BST", "01:00 GMT", "02:00 GMT"]
    busy = {r["hour"]: (r["received"], r["shipped"]) for r in rows if r["received"] or r["shipped"]}
    # o2 at 00:30 BST, o1 shipped at 09:00 GMT, o3 at 23:30 GMT.
    assert busy == {"00:00 BST": (1, 0), "09:00 GMT": (0, 1), "23:00 GMT": (1, 0)}


def test_every_bar_drills_down_to_exactly_the_orders_it_counts(history: Database) -> None:
    for kind, series in (
        ("daily", ("received", "shipped", "cancelled", "late")),
        ("hourly", ("received", "shipped")),
        ("backlog", ("total",)),
        ("late", ("late",)),
    ):
        found = run_report(history, ACTOR, kind, WEEK, now=NOW)
        for row, values in enumerate(found.rows):
            for key in series:
                chosen = found.selection(row, key)
                assert chosen is not None
                assert len(drill_orders(history, chosen)) == values[key], (kind, row, key)
    waiting = run_report(history, ACTOR, "stock-outs", WEEK, now=NOW).selection(0, "units_short")
    assert waiting is not None
    assert [r.number for r in drill_orders(history, waiting)] == ["SO-5"]


def test_a_bar_opens_in_the_orders_queue_when_its_filters_say_it_exactly(
    history: Database,
) -> None:
    daily = run_report(history, ACTOR, "daily", WEEK, now=NOW)
    received = daily.selection(1, "received")
    assert received is not None and received.placed is not None
    assert queue_query(received) == OrderQuery(
        placed_from=received.placed[0], placed_to=received.placed[1]
    )
    in_queue = order_queue.page(history, queue_query(received) or OrderQuery())
    assert sorted(r.number for r in in_queue) == ["SO-2", "SO-3"]
    shipped = daily.selection(1, "shipped")
    assert shipped is not None and queue_query(shipped) is None  # only the exact list
    backlog = run_report(history, ACTOR, "backlog", WEEK, now=NOW).selection(0, "total")
    assert backlog is not None and queue_query(backlog) == OrderQuery(queue=Queue.NEW)
