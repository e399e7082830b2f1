"""Returns on SQLite and PostgreSQL: authorise, receive by RMA / order / tracking, the
ledger per disposition, backorders served by a restock, refunds, exchanges, verify,
and every refusal leaving the database as it was."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.returns import Condition, Disposition, ReceiptItem
from app.errors import InvalidTransition, NotFound, OmsError, PermissionDenied, ValidationFailed
from app.services import integrity
from app.services.allocation import allocate
from app.services.orders import list_orders, order_detail
from app.services.pack_completion import pack_unverified
from app.services.refunds import issue_refund
from app.services.return_views import list_returns, return_detail
from app.services.returns import authorise_return, receive_return
from app.services.settings import set_settings
from app.services.shipping import ship_order
from db.engine import Database
from db.models import (
    EmailAttachment,
    EmailOutbox,
    Location,
    Order,
    Product,
    Return,
    StockLevel,
    StockMove,
    User,
)
from db.uow import read, run_in_transaction
from tests import factories

S, OPENED, D, W = Condition.SELLABLE, Condition.OPENED, Condition.DAMAGED, Condition.WRONG_ITEM
RESTOCK, QUAR, SCRAP, VENDOR = (
    Disposition.RESTOCK,
    Disposition.QUARANTINE,
    Disposition.SCRAP,
    Disposition.VENDOR,
)


def shipped(db: Database, actor: Actor, lines: dict[str, int], **kwargs: object) -> str:
    number = factories.place(db, actor, lines, **kwargs)
    allocate(db, actor)
    pack_unverified(db, actor, number)
    ship_order(db, actor, number)
    return number


def item(sku: str, qty: int, condition: Condition = S, disposition: Disposition = RESTOCK,
         location: str | None = None) -> ReceiptItem:  # fmt: skip
    return ReceiptItem(sku, qty, condition, disposition, location, f"--item {sku}")


def snapshot(db: Database) -> tuple[object, ...]:
    def work(s: Session) -> tuple[object, ...]:
        return (
            s.scalar(select(func.count()).select_from(Return)),
            s.scalar(select(func.count()).select_from(StockMove)),
            tuple(s.execute(select(StockLevel.id, StockLevel.on_hand).order_by(StockLevel.id))),
            s.scalar(select(func.count()).select_from(EmailOutbox)),
        )

    return read(db, work)


def on_hand(db: Database, sku: str, code: str) -> int:
    def work(s: Session) -> int:
        return int(
            s.scalar(
                select(func.coalesce(func.sum(StockLevel.on_hand), 0))
                .join(Product, Product.id == StockLevel.product_id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Product.sku == sku, Location.code == code)
            )
        )

    return read(db, work)


@pytest.fixture
def order(db: Database, actor: Actor) -> str:
    factories.stock(db, actor, {"TEE": 5, "MUG": 5})
    return shipped(db, actor, {"TEE": 2, "MUG": 1})


def test_authorise_then_receive_restocks_closes_and_owes_a_refund(
    db: Database, actor: Actor, order: str
) -> None:
    ret = authorise_return(db, actor, order, {"TEE": 2}, "damaged", "refund")
    assert ret.number == "RMA-100001" and ret.status == "authorised"
    assert [(line.sku, line.qty_authorised) for line in ret.lines] == [("TEE", 2)]

    first = receive_return(db, actor, f"R:{ret.number}", [item("TEE", 1)])
    assert first.ret.status == "received" and first.restocked == 1
    second = receive_return(db, actor, ret.number, [item("TEE", 1, D, QUAR)])
    view = second.ret
    assert view.status == "closed" and view.closed_at is not None
    line = view.lines[0]
    assert (line.qty_received, line.condition, line.disposition) == (2, "mixed", "mixed")
    assert [(r.quantity, r.condition, r.location) for r in line.receipts] == [
        (1, "sellable", "A-01-01-A"),
        (1, "damaged", "QUARANTINE"),
    ]
    assert on_hand(db, "TEE", "A-01-01-A") == 3 + 1  # 5 - 2 shipped + 1 restocked
    assert on_hand(db, "TEE", "QUARANTINE") == 1
    # Damaged is our fault: both units and the shipping come back, no fee by default.
    assert view.refund_status == "pending" and view.refund_total == Decimal("20.00")
    detail = order_detail(db, order).to_json()
    assert detail["returns"] == ["RMA-100001"]
    assert [line["qty_returned"] for line in detail["lines"]] == [2, 0]
    actions = [event["action"] for event in detail["events"]]
    assert "return authorised" in actions and "return received" in actions
    assert integrity.verify(db) == []

    issued = issue_refund(db, Actor("agent", "desk"), ret.number)
    assert issued.refund_status == "issued" and issued.refunds[0].issued_by == "agent"
    with pytest.raises(InvalidTransition, match="issued already by agent"):
        issue_refund(db, actor, ret.number)
    templates = read(
        db, lambda s: list(s.scalars(select(EmailOutbox.template).order_by(EmailOutbox.id)))
    )
    assert templates[-4:] == [
        "return_authorised",
        "return_received",
        "return_received",
        "refund_issued",
    ]


def test_a_restock_serves_the_backorder_waiting_for_it(db: Database, actor: Actor) -> None:
    factories.stock(db, actor, {"TEE": 1})
    first = shipped(db, actor, {"TEE": 1})
    waiting = factories.place(db, actor, {"TEE": 1})
    allocate(db, actor)
    assert order_detail(db, waiting).status == "backordered"
    result = receive_return(db, actor, first, [item("TEE", 1, location="A-01-01-A")])
    assert result.ret.unexpected and result.ret.status == "closed"
    assert result.allocated == [waiting]
    assert order_detail(db, waiting).status == "allocated"
    assert integrity.verify(db) == []


def test_receive_by_tracking_number_and_dispositions_land_in_their_bins(
    db: Database, actor: Actor, order: str
) -> None:
    tracking = order_detail(db, order).shipments[0].tracking_number
    assert tracking
    result = receive_return(
        db,
        actor,
        tracking,
        [item("TEE", 1, D, SCRAP), item("TEE", 1, W, VENDOR), item("MUG", 1, OPENED, QUAR)],
    )
    assert result.ret.unexpected and result.ret.status == "closed" and result.restocked == 0
    assert (
        on_hand(db, "TEE", "SCRAP"),
        on_hand(db, "TEE", "RTV"),
        on_hand(db, "MUG", "QUARANTINE"),
    ) == (1, 1, 1)
    # the wrong item earns nothing; no reason was given, so no fee and no shipping
    assert result.ret.refund_total == Decimal("20.00")
    assert integrity.verify(db) == []


def test_fee_and_shipping_follow_the_settings(db: Database, actor: Actor, order: str) -> None:
    set_settings(
        db,
        actor,
        {"returns.restocking_fee_percent": "10", "returns.refund_shipping": "always"},
    )
    run_in_transaction(
        db, lambda s: s.execute(update(Order).values(shipping_total=Decimal("4.95")))
    )
    ret = authorise_return(db, actor, order, {"TEE": 2}, "changed_mind")
    result = receive_return(db, actor, ret.number, [item("TEE", 2, OPENED)])
    refund = result.ret.refunds[0]
    assert (refund.goods, refund.fee, refund.shipping, refund.amount) == (
        Decimal("20.00"),
        Decimal("2.00"),
        Decimal("4.95"),
        Decimal("22.95"),
    )


def test_exchange_creates_a_linked_replacement_in_the_queue(
    db: Database, actor: Actor, order: str
) -> None:
    ret = authorise_return(db, actor, order, {"MUG": 1}, "doesnt_fit", "exchange")
    result = receive_return(db, actor, ret.number, [item("MUG", 1)])
    exchange = result.ret.exchange_order
    assert exchange and result.ret.refunds == ()
    detail = order_detail(db, exchange)
    assert [(line.sku, line.qty_ordered, line.unit_price) for line in detail.lines] == [
        ("MUG", 1, Decimal("0.00"))
    ]
    assert detail.status == "allocated"  # the restocked mug went to it
    found = {row.number for row in list_orders(db, search="Müller")}
    assert {order, exchange} <= found  # the desk finds the exchange as it finds the order
    assert integrity.verify(db) == []


def test_one_rma_spans_two_shipments(db: Database, actor: Actor) -> None:
    factories.stock(db, actor, {"TEE": 1, "CAP": 0})
    factories.channel(db, allow_partial=True)
    number = factories.place(db, actor, {"TEE": 1, "CAP": 1}, allow_partial=True)
    allocate(db, actor)
    pack_unverified(db, actor, number)
    ship_order(db, actor, number)
    factories.stock(db, actor, {"CAP": 1}, location="A-02-01-A")
    allocate(db, actor)
    pack_unverified(db, actor, number)
    ship_order(db, actor, number)
    assert len(order_detail(db, number).shipments) == 2
    ret = authorise_return(db, actor, number, {"TEE": 1, "CAP": 1}, "changed_mind")
    result = receive_return(db, actor, ret.number, [item("TEE", 1), item("CAP", 1)])
    assert result.ret.status == "closed"
    assert integrity.verify(db) == []


@pytest.mark.parametrize(
    ("items", "reason", "message"),
    [
        ({"TEE": 3}, "damaged", "3 asked but only 2 can be returned"),
        ({"HAT": 1}, "damaged", "HAT is not on order"),
        ({"TEE": 1}, "bored", "unknown return reason 'bored'"),
        ({}, "damaged", "name at least one item"),
    ],
)
def test_authorising_bad_input_changes_nothing(
    db: Database, actor: Actor, order: str, items: dict[str, int], reason: str, message: str
) -> None:
    before = snapshot(db)
    with pytest.raises(OmsError, match=message):
        authorise_return(db, actor, order, items, reason)
    assert snapshot(db) == before


def test_open_rmas_count_against_what_can_be_authorised(
    db: Database, actor: Actor, order: str
) -> None:
    authorise_return(db, actor, order, {"TEE": 2}, "damaged")
    with pytest.raises(ValidationFailed, match=r"only 0 can be returned .* 2 on open returns"):
        authorise_return(db, actor, order, {"TEE": 1}, "damaged")


def test_unshipped_and_cancelled_orders_cannot_be_returned(db: Database, actor: Actor) -> None:
    factories.stock(db, actor, {"TEE": 5})
    number = factories.place(db, actor, {"TEE": 1})
    allocate(db, actor)
    with pytest.raises(InvalidTransition, match=r"never shipped \(allocated\)"):
        authorise_return(db, actor, number, {"TEE": 1}, "damaged")
    with pytest.raises(InvalidTransition, match="never shipped"):
        receive_return(db, actor, number, [item("TEE", 1)])
    cancelled = update(Order).where(Order.number == number).values(status="cancelled")
    run_in_transaction(db, lambda s: s.execute(cancelled))
    with pytest.raises(InvalidTransition, match="was cancelled"):
        authorise_return(db, actor, number, {"TEE": 1}, "damaged")


@pytest.mark.parametrize(
    ("ref", "items", "error", "message"),
    [
        ("RMA-999999", [item("TEE", 1)], NotFound, "no return RMA-999999"),
        ("NOPE-1", [item("TEE", 1)], NotFound, "'NOPE-1' is no return, order"),
        ("{rma}", [item("TEE", 3)], ValidationFailed, "authorised 2, 0 received already; 3 more"),
        ("{rma}", [item("HAT", 1)], ValidationFailed, "HAT is not on RMA-100002"),
        ("{rma}", [item("TEE", 1, location="NOWHERE")], NotFound, "no location 'NOWHERE'"),
        ("{rma}", [item("TEE", 1, location="QUARANTINE")], ValidationFailed,
         "QUARANTINE is a quarantine location; restock goes to a pick or bulk"),
        ("{rma}", [], ValidationFailed, "name what came back"),
    ],
)  # fmt: skip
def test_receiving_bad_input_changes_nothing(
    db: Database,
    actor: Actor,
    order: str,
    ref: str,
    items: list[ReceiptItem],
    error: type[Exception],
    message: str,
) -> None:
    receive_return(db, actor, order, [item("MUG", 1, D, QUAR)])  # makes the QUARANTINE bin
    ret = authorise_return(db, actor, order, {"TEE": 2}, "damaged")
    before = snapshot(db)
    with pytest.raises(error, match=message):
        receive_return(db, actor, ref.format(rma=ret.number), items)
    assert snapshot(db) == before


def test_the_same_parcel_twice_names_who_received_it(
    db: Database, actor: Actor, order: str
) -> None:
    ret = authorise_return(db, actor, order, {"TEE": 2}, "damaged")
    receive_return(db, Actor("alice", "returns-1"), ret.number, [item("TEE", 2)])
    before = snapshot(db)
    with pytest.raises(InvalidTransition, match="received already, by alice at station returns-1"):
        receive_return(db, actor, ret.number, [item("TEE", 2)])
    assert snapshot(db) == before
    assert [r.number for r in list_returns(db, status="closed")] == [ret.number]


def test_show_return_json_keeps_the_contract(db: Database, actor: Actor, order: str) -> None:
    ret = authorise_return(db, actor, order, {"TEE": 1}, "damaged", "credit")
    receive_return(db, actor, ret.number, [item("TEE", 1)])
    data = return_detail(db, ret.number).to_json()
    assert {"number", "order", "status", "reason", "resolution", "lines", "refund",
            "exchange_order"} <= data.keys()  # fmt: skip
    assert data["lines"][0] | {"receipts": None} == {
        "sku": "TEE", "qty_authorised": 1, "qty_received": 1, "condition": "sellable",
        "disposition": "restock", "receipts": None,
    }  # fmt: skip
    assert data["refund"] == {"amount": "10.00", "currency": "EUR", "status": "pending"}
    assert data["refunds"][0]["method"] == "credit"


def test_verify_names_a_receipt_without_its_move_and_a_move_without_receipt(
    db: Database, actor: Actor, order: str
) -> None:
    ret = authorise_return(db, actor, order, {"TEE": 1}, "damaged")
    receive_return(db, actor, ret.number, [item("TEE", 1)])

    def tamper(s: Session) -> None:
        move = s.scalars(select(StockMove).where(StockMove.kind == "return")).one()
        s.add(
            StockMove(
                product_id=move.product_id,
                location_id=move.location_id,
                quantity=1,
                kind="return",
                order_id=move.order_id,
            )
        )
        s.execute(update(StockMove).where(StockMove.id == move.id).values(quantity=2))

    run_in_transaction(db, tamper)
    problems = "\n".join(integrity.verify(db))
    assert f"return {ret.number} TEE receipt 1: has no return move" in problems
    assert "is a return move that no return receipt explains [return-move-receipt]" in problems


def test_the_return_authorised_mail_carries_the_label(
    db: Database, actor: Actor, order: str
) -> None:
    ret = authorise_return(db, actor, order, {"TEE": 1}, "damaged")

    def attachments(s: Session) -> list[tuple[str, str, bytes]]:
        rows = s.execute(
            select(EmailAttachment.filename, EmailAttachment.content_type, EmailAttachment.data)
            .join(EmailOutbox, EmailOutbox.id == EmailAttachment.outbox_id)
            .where(EmailOutbox.template == "return_authorised")
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]

    ((name, kind, data),) = read(db, attachments)
    assert (name, kind) == (f"{ret.number}-label.pdf", "application/pdf")
    assert data.startswith(b"%PDF")


def test_each_role_does_only_its_part(db: Database, actor: Actor, order: str) -> None:
    def user(name: str, role: str) -> Actor:
        def add(s: Session) -> int:
            person = User(username=name, display_name=name, role=role, password_hash="x")
            s.add(person)
            s.flush()
            return person.id

        return Actor(name, "desk", user_id=run_in_transaction(db, add), role=role)

    packer, clerk, agent = user("pat", "packer"), user("rex", "returns"), user("sam", "service")
    with pytest.raises(PermissionDenied, match="a packer may not create returns"):
        authorise_return(db, packer, order, {"TEE": 1}, "damaged")
    ret = authorise_return(db, agent, order, {"TEE": 1}, "damaged")
    with pytest.raises(PermissionDenied, match="a customer service agent may not receive"):
        receive_return(db, agent, ret.number, [item("TEE", 1)])
    receive_return(db, clerk, ret.number, [item("TEE", 1)])
    with pytest.raises(PermissionDenied, match="a returns clerk may not issue refunds"):
        issue_refund(db, clerk, ret.number)
    assert issue_refund(db, agent, ret.number).refunds[0].issued_by == "sam"
