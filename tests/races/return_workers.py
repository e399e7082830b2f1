"""Child process of the returns race: one returns station receiving a list of parcels."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.context import Actor
from app.domain.returns import parse_receipt_item
from app.errors import OmsError
from db.engine import open_database
from tests.races.workers import BarrierLike, QueueLike

BARRIER_TIMEOUT_S = 120.0


@dataclass
class StationReport:
    station: str
    received: list[str] = field(default_factory=list)  # references received here
    refused: dict[str, str] = field(default_factory=dict)  # reference -> the message
    crashed: str = ""


def receive_parcels(
    url: str,
    station: str,
    parcels: list[tuple[str, list[str]]],
    barrier: BarrierLike,
    queue: QueueLike,
) -> None:
    """Receive every (reference, items) parcel, in order, as `station`'s clerk."""
    from app.services.returns import receive_return

    report = StationReport(station)
    db = open_database(url, station=station)
    actor = Actor(username=f"clerk-{station}", station=station)
    try:
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        for reference, texts in parcels:
            items = [parse_receipt_item(text, f"scan {i}") for i, text in enumerate(texts, 1)]
            try:
                receive_return(db, actor, reference, items)
                report.received.append(reference)
            except OmsError as exc:
                report.refused[reference] = str(exc)
    except Exception as exc:  # reported to the parent, which fails the test
        report.crashed = f"{type(exc).__name__}: {exc}"
    finally:
        db.dispose()
        queue.put(report)
