"""Every scan at the pack station is logged, also those the station refuses itself."""

from __future__ import annotations

from sqlalchemy import select

from db.engine import Database
from db.models import ScanEvent
from db.uow import read
from tests.ui.station.conftest import MUG_GTIN, Station


def _log(db: Database) -> list[tuple[str, str, str]]:
    return [
        (raw, outcome, message)
        for raw, outcome, message in read(
            db,
            lambda s: s.execute(
                select(ScanEvent.raw, ScanEvent.outcome, ScanEvent.message).order_by(ScanEvent.id)
            ).all(),
        )
    ]


def test_an_item_scanned_with_no_order_open_is_refused_and_logged(
    station: Station, warehouse: Database
) -> None:
    message, _ = station.scan(MUG_GTIN)

    station.qtbot.waitUntil(lambda: len(_log(warehouse)) == 1, timeout=3000)
    assert _log(warehouse) == [(MUG_GTIN, "rejected", message)]


def test_a_bad_check_digit_at_idle_is_logged_with_its_message(
    station: Station, warehouse: Database
) -> None:
    station.scan("4006381333932")

    station.qtbot.waitUntil(lambda: len(_log(warehouse)) == 1, timeout=3000)
    assert _log(warehouse) == [
        ("4006381333932", "rejected", "Check digit wrong (expected 1) - rescan")
    ]
