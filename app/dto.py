"""Plain, frozen views of the data that the UI and the CLI show. No ORM objects."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class OrderRow:
    id: int
    number: str
    external_ref: str
    channel: str
    status: str
    priority: int
    service_level: str
    ship_by: datetime | None
    placed_at: datetime
    customer: str
    country: str
    lines: int
    units: int
    total: Decimal
    currency: str
    hold_reason: str | None
    packing_station: str | None


@dataclass(frozen=True)
class LineView:
    sku: str
    name: str
    qty_ordered: int
    qty_allocated: int
    qty_picked: int
    qty_packed: int
    qty_shipped: int
    qty_returned: int
    unit_price: Decimal
    qty_handled_elsewhere: int = 0  # shipped, cancelled or refunded at the channel


@dataclass(frozen=True)
class EventView:
    occurred_at: datetime
    username: str
    station: str | None
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None


@dataclass(frozen=True)
class PackageView:
    seq: int
    sscc: str
    box: str | None
    weight_g: int | None


@dataclass(frozen=True)
class ShipmentView:
    carrier: str
    service_level: str
    tracking_number: str | None
    status: str
    packages: tuple[PackageView, ...]


@dataclass(frozen=True)
class PackingView:
    station: str
    user: str
    scanned: dict[str, int]


@dataclass(frozen=True)
class OrderDetail:
    id: int
    number: str
    external_ref: str
    channel: str
    status: str
    priority: int
    service_level: str
    hold_reason: str | None
    placed_at: datetime
    ship_by: datetime | None
    email: str | None
    customer: str
    ship_to: dict[str, str | None]
    currency: str
    grand_total: Decimal
    lines: tuple[LineView, ...]
    shipments: tuple[ShipmentView, ...]
    packing: PackingView | None
    events: tuple[EventView, ...]
    notes: tuple[str, ...]
    version: int
    returns: tuple[str, ...] = ()  # return numbers (RMA-100001), oldest first

    def to_json(self) -> dict[str, Any]:
        return dict(jsonable(asdict(self)))


@dataclass(frozen=True)
class StockTotals:
    on_hand: int
    reserved: int
    available: int


@dataclass(frozen=True)
class Stats:
    orders_total: int
    orders_by_status: dict[str, int]
    stock: StockTotals

    def to_json(self) -> dict[str, Any]:
        return dict(jsonable(asdict(self)))


def jsonable(value: Any) -> Any:
    """Turn dataclass dicts into JSON-ready values: Decimal as string, times as ISO."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class PackLine:
    line_id: int
    sku: str
    name: str
    gtin: str | None
    expected: int
    scanned: int
    image_path: str | None = None

    @property
    def done(self) -> bool:
        return self.scanned >= self.expected


@dataclass(frozen=True)
class PackState:
    """The order on a packing station's screen, with its scan progress."""

    order_id: int
    number: str
    external_ref: str
    status: str
    service_level: str
    ship_to_name: str
    ship_to_country: str
    station: str
    user: str
    lines: tuple[PackLine, ...]

    @property
    def complete(self) -> bool:
        return all(line.done for line in self.lines)

    @property
    def units_expected(self) -> int:
        return sum(line.expected for line in self.lines)

    @property
    def units_scanned(self) -> int:
        return sum(line.scanned for line in self.lines)


@dataclass(frozen=True)
class ScanOutcome:
    """What a scan did. `sound` names the feedback: ok, complete, error, opened."""

    accepted: bool
    message: str
    sound: str
    reading: str
    line: PackLine | None = None
    state: PackState | None = None


@dataclass(frozen=True)
class PackResult:
    order_number: str
    shipment_id: int
    tracking_number: str
    packages: tuple[PackageView, ...]
    print_job_ids: tuple[int, ...]
