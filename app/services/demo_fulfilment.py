"""What the warehouse did for a chunk of demo orders: allocations, pick lists and their
tasks, parcels with tracking numbers from the carrier's own range, ship moves, and for
the last week the stations' scans and print jobs; then goods-in receipts of what the
chunk ships and reserves, so balances always equal the ledger."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.domain.gtin import make_sscc
from app.services.carrier_booking import book_tracking_numbers
from app.services.demo_facts import Box, Site, Stocked
from app.services.demo_people import mix
from app.services.demo_plan import RESERVING, SHIPPED, Plan, at_station
from app.services.demo_rows import Rows
from app.services.numbering import pick_list_number, take_numbers
from db.bulk import reserve_ids
from db.models import Allocation, Package, PickList, Shipment

# One line of an order: (line id, product, quantity, units picked, product index).
Line = tuple[int, Stocked, int, int, int]
PICK_GAP = timedelta(seconds=6)  # between a picker's scans of the units of a line
PACK_GAP = timedelta(seconds=5)  # between a packer's scans of an order's units


class Who:
    """Who did each step of an order, and at which station: a person and a station per
    order, the same for all its steps of a kind."""

    PICKERS = (("pia", "pick-1"), ("pia", "pick-2"))
    PACKERS = (("pat", "pack-1"), ("pat", "pack-2"))

    def __init__(self, p: Plan, site: Site) -> None:
        self.pick_list: tuple[int, str] | None = None  # id, number
        self.parcel: tuple[str, str, str] | None = None  # carrier, its service, tracking
        self._n = mix(site.seed, p.i, 0x57)

    def of(self, step: str) -> tuple[str, str]:
        if step in ("picking", "picked"):
            return self.PICKERS[self._n % 2]
        if step == "packed":
            return self.PACKERS[(self._n >> 8) % 2]
        if step == "shipped":
            return ("sam", "dispatch")
        if step in ("on_hold", "cancelled"):
            return ("cara", "desk")
        if step == "delivered":
            return ("tracking-import", "server")
        return ("import", "server")


class Fulfilment:
    """The fulfilment rows of one chunk's orders, with every id and number they need
    taken for the whole chunk at once."""

    def __init__(
        self,
        session: Session,
        site: Site,
        plans: list[Plan],
        rows: Rows,
        stamp: Callable[[datetime], Any],
    ) -> None:
        self.site, self.rows, self.stamp = site, rows, stamp
        allocating = [p for p in plans if (p.held_from or p.status) in RESERVING | SHIPPED]
        self.allocation_ids = iter(
            reserve_ids(session, Allocation, sum(len(p.lines) for p in allocating))
        )
        shipping = [p for p in plans if p.status in SHIPPED or p.status == "packed"]
        self.shipment_ids = iter(reserve_ids(session, Shipment, len(shipping)))
        self.package_ids = iter(reserve_ids(session, Package, len(shipping)))
        self.sscc = iter(take_numbers(session, "sscc", len(shipping)) if shipping else ())
        self.tracking: dict[str, tuple[str, str, Iterator[str]]] = {}
        for service, count in sorted(Counter(p.service for p in shipping).items()):
            booking = book_tracking_numbers(session, service, count)
            self.tracking[service] = (booking.carrier, booking.service, iter(booking.numbers))
        listed = [p for p in plans if at_station(p, "picking", site.now)]
        self.pick_list_ids = iter(reserve_ids(session, PickList, len(listed)))
        numbers = take_numbers(session, "pick_list", len(listed)) if listed else ()
        self.pick_list_numbers = iter([pick_list_number(v) for v in numbers])

    def who(self, p: Plan) -> Who:
        """Who handled order `p`, with its pick list and parcel number, if it has them."""
        who = Who(p, self.site)
        if at_station(p, "picking", self.site.now):
            who.pick_list = (next(self.pick_list_ids), next(self.pick_list_numbers))
        if "packed" in p.times:
            carrier, service, numbers = self.tracking[p.service]
            who.parcel = (carrier, service, next(numbers))
        return who

    def order(
        self, p: Plan, order_id: int, number: str, lines: list[Line], who: Who, at: dict[str, Any]
    ) -> None:
        """Allocations, pick list, parcel, ship moves, scans and prints of order `p`,
        whose steps were stamped `at`."""
        state = p.held_from or p.status
        if state not in RESERVING | SHIPPED:
            return
        shipped = state in SHIPPED
        allocated_at = at["allocated"]
        allocations = self.rows.tables["allocations"]
        allocation_ids = []
        for line_id, product, qty, _, _ in lines:
            allocation_id = next(self.allocation_ids)
            allocation_ids.append(allocation_id)
            allocations.append(
                (
                    allocation_id,
                    line_id,
                    product.level_id,
                    qty,
                    "consumed" if shipped else "active",
                    allocated_at,
                )
            )
        if who.pick_list:
            self._pick_list(p, order_id, lines, allocation_ids, who, at)
        if state in ("packed", *SHIPPED):
            self._parcel(p, order_id, number, lines, who, at)

    def _pick_list(
        self,
        p: Plan,
        order_id: int,
        lines: list[Line],
        allocation_ids: list[int],
        who: Who,
        at: dict[str, Any],
    ) -> None:
        stamp, t, users = self.stamp, self.rows.tables, self.site.users
        assert who.pick_list is not None
        list_id, list_number = who.pick_list
        picker, station = who.of("picking")
        started = p.times["picking"]
        done = "picked" in p.times
        lease = self.site.now + timedelta(minutes=10)  # the picker is still at it
        t["pick_lists"].append(
            (
                list_id,
                list_number,
                "done" if done else "claimed",
                "single",
                station,
                users.get(picker),
                at["picking"],
                None if done else stamp(lease),
                stamp(started - timedelta(minutes=3)),
                at["picked"] if done else None,
                3 if done else 2,
            )
        )
        ordered = sorted(zip(lines, allocation_ids, strict=True), key=lambda x: x[0][1].bin)
        moment = started
        for sequence, ((line_id, product, qty, picked, _), allocation_id) in enumerate(ordered, 1):
            t["pick_tasks"].append(
                (
                    list_id,
                    line_id,
                    allocation_id,
                    product.location_id,
                    product.id,
                    sequence,
                    qty,
                    picked,
                    "done" if picked == qty else "open",
                )
            )
            if not picked:
                continue
            moment += timedelta(seconds=40)
            self._scan(
                moment,
                station,
                picker,
                f"L:{product.bin}",
                "document",
                order_id,
                f"{product.bin}: pick {qty} × {product.sku}",
            )
            moment = self._unit_scans(moment, PICK_GAP, station, picker, order_id, product, qty)

    def _unit_scans(
        self,
        moment: datetime,
        gap: timedelta,
        station: str,
        user: str,
        order_id: int,
        product: Stocked,
        qty: int,
    ) -> datetime:
        """One accepted scan of `product` per unit ("SKU 1 of 3", ...), `gap` apart
        after `moment`; the time of the last."""
        for unit in range(1, qty + 1):
            moment += gap
            self._scan(
                moment,
                station,
                user,
                product.gtin,
                "product_gtin",
                order_id,
                f"{product.sku} {unit} of {qty}",
            )
        return moment

    def _scan(
        self,
        moment: datetime,
        station: str,
        user: str,
        raw: str,
        reading: str,
        order_id: int,
        message: str,
    ) -> None:
        self.rows.tables["scan_events"].append(
            (
                self.stamp(moment),
                station,
                self.site.users.get(user),
                raw,
                reading,
                raw,
                "accepted",
                message,
                False,
                order_id,
            )
        )

    def _parcel(
        self, p: Plan, order_id: int, number: str, lines: list[Line], who: Who, at: dict[str, Any]
    ) -> None:
        site, t = self.site, self.rows.tables
        assert who.parcel is not None
        carrier, _, tracking = who.parcel
        packer, station = who.of("packed")
        shipped_at = at.get("shipped")
        delivered_at = at.get("delivered")
        status = "delivered" if delivered_at else "shipped" if shipped_at else "packed"
        shipment_id, package_id = next(self.shipment_ids), next(self.package_ids)
        t["shipments"].append(
            (
                shipment_id,
                order_id,
                carrier,
                p.service,
                tracking,
                status,
                True,
                packer,
                station,
                at["packed"],
                shipped_at,
                delivered_at,
            )
        )
        grams = volume = 0
        for _, product, qty, _, _ in lines:
            grams += product.weight_g * qty
            volume += product.volume * qty
        box = _box_for(site.boxes, grams, volume)
        weight = grams + (box.tare_g if box else 0)
        weight += (mix(order_id, 0x3E) % 41 - 20) * weight // 1000  # the scale's reading
        sscc = make_sscc(site.sscc_extension, site.gs1_prefix, next(self.sscc))
        t["packages"].append(
            (package_id, shipment_id, 1, sscc, box.code if box else None, max(weight, 1), tracking)
        )
        package_items, moves = t["package_items"], t["stock_moves"]
        dispatcher = site.users.get("sam")
        for line_id, product, qty, _, _ in lines:
            package_items.append((package_id, line_id, qty))
            if shipped_at:
                moves.append(
                    (
                        product.id,
                        product.location_id,
                        -qty,
                        "ship",
                        None,
                        order_id,
                        dispatcher,
                        "dispatch",
                        shipped_at,
                    )
                )
        if at_station(p, "packed", site.now):
            self._at_pack_station(p, order_id, number, lines, station, packer, shipment_id, at)

    def _at_pack_station(
        self,
        p: Plan,
        order_id: int,
        number: str,
        lines: list[Line],
        station: str,
        packer: str,
        shipment_id: int,
        at: dict[str, Any],
    ) -> None:
        """The packer's scans and the label and packing slip printed at the station."""
        packed_at = p.times["packed"]
        moment = packed_at - timedelta(minutes=2)
        self._scan(moment, station, packer, number, "order_number", order_id, f"Opened {number}")
        for _, product, qty, _, _ in lines:
            moment = self._unit_scans(moment, PACK_GAP, station, packer, order_id, product, qty)
        printed = self.stamp(packed_at + timedelta(seconds=8))
        for document_kind in ("label", "packing_slip"):
            self.rows.tables["print_jobs"].append(
                (
                    order_id,
                    shipment_id,
                    document_kind,
                    "pdf",
                    "folder",
                    station,
                    "printed",
                    1,
                    at["packed"],
                    printed,
                )
            )

    def receipts(self, plans: list[Plan]) -> list[tuple[int, int, int]]:
        """Goods in for what the orders `plans` ship and reserve, dated before the first,
        as the chunk's first moves: balances move by what was reserved, and never below
        what is reserved. The stock level changes: (on hand added, reserved added, id)."""
        site, first = self.site, plans[0]
        shipped: Counter[int] = Counter()  # product index -> units
        reserved: Counter[int] = Counter()
        for p in plans:
            state = p.held_from or p.status
            if state in RESERVING | SHIPPED:
                for index, qty in p.lines:
                    (shipped if state in SHIPPED else reserved)[index] += qty
        arrived = self.stamp(first.placed - timedelta(hours=20))
        delivery = f"goods in: delivery DN-{site.seed}-{first.i:07d}"
        receiver = site.users.get("rex")
        moves, levels = self.rows.tables["stock_moves"], []
        for index in sorted(shipped.keys() | reserved.keys()):
            product = site.products[index]
            moves.append(
                (
                    product.id,
                    product.location_id,
                    shipped[index] + reserved[index],
                    "receipt",
                    delivery,
                    None,
                    receiver,
                    "goods-in",
                    arrived,
                )
            )
            levels.append((reserved[index], reserved[index], product.level_id))
        return levels


def _box_for(boxes: Iterable[Box], grams: int, volume: int) -> Box | None:
    """The smallest box that takes the units with room to spare (a third for packing)."""
    last = None
    for box in boxes:
        last = box
        if box.max_g >= grams and box.volume * 2 >= volume * 3:
            return box
    return last
