"""The order rows of a chunk of demo orders: customers, orders with their lines and
milestones, the audit trail at plausible times by plausible people and stations, and
the search documents; app.services.demo_fulfilment adds what the warehouse did."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.new_order import SERVICE_PRIORITY
from app.domain.site_settings import format_order_number
from app.services.demo_facts import Site
from app.services.demo_fulfilment import Fulfilment, Line, Who
from app.services.demo_people import Customer as Person
from app.services.demo_people import customer
from app.services.demo_plan import (
    CURRENCY_RATE,
    PIPELINE,
    SHIP_WITHIN,
    SHIPPING_CENTS,
    Plan,
    customer_count,
    plan,
)
from app.services.demo_rows import MILESTONES, Rows, money_pg, stamp_pg, stamp_sqlite
from app.services.numbering import take_numbers
from app.services.search_index import document
from db.bulk import reserve_ids
from db.models import Customer, Order, OrderLine


@dataclass(frozen=True)
class Drawn:
    """A chunk's orders as drawn, and every customer who placed one of them, by number:
    pure, so the next chunk's are drawn in a thread while one is written."""

    plans: list[Plan]
    people: dict[int, Person]


def draw(site: Site, start: int, stop: int) -> Drawn:
    """Orders `start` to `stop - 1` and the people who placed them."""
    plans = [plan(site, i) for i in range(start, stop)]
    return Drawn(plans, {n: customer(site.seed, n) for n in {p.customer for p in plans}})


class Chunk:
    """Orders `plans` as rows, with their ids, numbers and customers taken up front:
    `head` holds the chunk's new customers and its goods in, to be written first, then
    `build` makes the rows of the orders a batch at a time."""

    def __init__(self, session: Session, site: Site, drawn: Drawn) -> None:
        self.session, self.site, self.people = session, site, drawn.people
        plans = self.plans = drawn.plans
        self.stamp: Callable[[datetime], Any] = stamp_sqlite if site.sqlite else stamp_pg
        self.money: Callable[[int], Any] = (lambda cents: cents) if site.sqlite else money_pg
        self.order_ids = reserve_ids(session, Order, len(plans))
        numbers = take_numbers(session, "order", len(plans))
        self.numbers = [format_order_number(site.number_format, n) for n in numbers]
        self.line_ids = iter(reserve_ids(session, OrderLine, sum(len(p.lines) for p in plans)))
        self.head = Rows()
        self.fulfilment = Fulfilment(session, site, plans, self.head, self.stamp)
        self.customer_ids = self._customers()
        self.levels = self.fulfilment.receipts(plans)  # stock level changes, for the end
        self.statuses: Counter[str] = Counter()  # orders built, per status

    def build(self, start: int, stop: int) -> Rows:
        """The rows of orders `plans[start:stop]`, built in order after those before
        them. Reads nothing from the database, so it can run beside the writes of the
        batch before."""
        rows = self.fulfilment.rows = Rows()
        for k in range(start, stop):
            p = self.plans[k]
            self._order(rows, p, self.order_ids[k], self.numbers[k], self.customer_ids[p.customer])
        return rows

    def _customers(self) -> array[int]:
        """Customer id per customer number, adding rows for those not in the database
        yet."""
        site, known = self.site, self.site.customer_ids
        if not known:
            known.frombytes(bytes(known.itemsize * customer_count(site.total)))  # zeros
        wanted = {p.customer for p in self.plans if not known[p.customer]}
        people = {number: self.people[number] for number in wanted}
        emails: dict[str, list[int]] = defaultdict(list)
        for number, person in people.items():
            emails[person.email].append(number)
        found: dict[str, int] = {}
        listed = sorted(emails)
        for start in range(0, len(listed), 900):
            chunk = listed[start : start + 900]
            found.update(
                (str(email), customer_id)
                for email, customer_id in self.session.execute(
                    select(Customer.email, Customer.id)
                    .where(Customer.email.in_(chunk))
                    .order_by(Customer.id.desc())
                ).all()
            )
        new = [e for e in listed if e not in found]
        ids = reserve_ids(self.session, Customer, len(new)) if new else []
        created = self.stamp(site.now)
        rows = self.head.tables["customers"]
        for email, customer_id in zip(new, ids, strict=True):
            person = people[emails[email][0]]
            rows.append((customer_id, email, person.name, person.phone, created))
            found[email] = customer_id
        for email, numbers in emails.items():
            for number in numbers:
                known[number] = found[email]
        return known

    def _order(self, rows: Rows, p: Plan, order_id: int, number: str, customer_id: int) -> None:
        site, stamp, money, t = self.site, self.stamp, self.money, rows.tables
        person = self.people[p.customer]
        at = {step: stamp(when) for step, when in p.times.items()}
        rate = CURRENCY_RATE[person.currency]
        state = p.held_from or p.status
        reached = PIPELINE.index(state) if state in PIPELINE else -1
        half = len(p.lines) // 2 if state == "picking" else -1  # lines picked so far
        lines: list[Line] = []
        order_lines = t["order_lines"]
        subtotal = 0
        for line_no, (index, qty) in enumerate(p.lines, 1):
            product = site.products[index]
            picked = qty if reached >= 2 else 0
            if half >= 0:
                picked = qty if line_no <= half else 0
            cents = int(product.cents * rate)
            cents -= cents % 5
            subtotal += cents * qty
            line_id = next(self.line_ids)
            lines.append((line_id, product, qty, picked, index))
            order_lines.append(
                (
                    line_id,
                    order_id,
                    line_no,
                    product.id,
                    product.sku,
                    product.name,
                    money(cents),
                    qty,
                    qty if reached >= 0 else 0,
                    picked,
                    qty if reached >= 3 else 0,
                    qty if reached >= 4 else 0,
                    0,
                    0,
                )
            )
        shipping = 0 if subtotal >= 5000 * rate else int(SHIPPING_CENTS[p.service] * rate)
        who = self.fulfilment.who(p)
        events = self._events(t["audit_events"], p, order_id, lines, who, at)
        t["orders"].append(
            (
                order_id,
                number,
                site.channels[p.channel],
                p.ref,
                customer_id,
                p.status,
                p.held_from,
                p.reason if p.status == "on_hold" else None,
                SERVICE_PRIORITY[p.service],
                p.service,
                None,
                stamp(p.placed),
                stamp(p.placed + timedelta(days=SHIP_WITHIN[p.service])),
                person.currency,
                "pending" if p.reason and "Payment" in p.reason else "paid",
                money(subtotal),
                money(shipping),
                money(0),
                money(subtotal + shipping),
                person.email,
                person.name,
                person.address1,
                person.address2,
                person.city,
                person.postcode,
                person.region,
                person.country,
                person.phone,
                person.country,
                site.warehouse_id,
                at["created"],
                at[next(reversed(at))],  # the last step: times only move on
                1 + events,
                *(at.get(milestone) for milestone in MILESTONES),
            )
        )
        self.fulfilment.order(p, order_id, number, lines, who, at)
        tracking = who.parcel[2] if who.parcel else None
        values = [number, p.ref, person.email, person.name, person.postcode, tracking]
        values += [product.sku for _, product, _, _, _ in lines]
        t["order_search"].append((order_id, document(values, person.phone)))
        self.statuses[p.status] += 1

    def _events(
        self,
        audit: list[tuple[Any, ...]],
        p: Plan,
        order_id: int,
        lines: list[Line],
        who: Who,
        at: dict[str, Any],
    ) -> int:
        """The order's audit trail, added to `audit`; how many status changes it holds."""
        users = self.site.users
        units = sum(qty for _, _, qty, _, _ in lines)
        creator = ("cara", "desk") if p.channel == "phone" else ("import", "server")
        audit.append(
            (
                at["created"],
                users.get(creator[0]),
                *creator,
                "order",
                order_id,
                "created",
                None,
                "new",
                None,
                f'{{"channel": "{p.channel}", "external_ref": "{p.ref}"}}',
            )
        )
        changes, previous = 0, "new"
        for step in p.times:
            if step == "created":
                continue
            user, station = who.of(step)
            action, reason, details = step, None, None
            if step == "allocated":
                action, details = "reserved", f'{{"units": {units}, "complete": true}}'
            elif step == "backordered":
                details = '{"units": 0, "complete": false}'
            elif step in ("picking", "picked") and who.pick_list:
                details = f'{{"pick_list": "{who.pick_list[1]}"}}'
            elif step == "packed" and who.parcel:
                carrier, service, tracking = who.parcel
                details = (
                    f'{{"verified": true, "packages": 1, "tracking": "{tracking}", '
                    f'"carrier": "{carrier}", "service": "{service}"}}'
                )
            elif step == "on_hold" or step == "cancelled":
                reason = p.reason
            elif step == "delivered":
                reason = "carrier reports delivery"
            audit.append(
                (
                    at[step],
                    users.get(user),
                    user,
                    station,
                    "order",
                    order_id,
                    action,
                    previous,
                    step,
                    reason,
                    details,
                )
            )
            previous, changes = step, changes + 1
        return changes
