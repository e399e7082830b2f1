"""The desk's history of an order: one timeline from every source in time order, the
customer's other orders, and the payment with its refunds."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.returns import Condition, Disposition, ReceiptItem
from app.printing import PrinterError
from app.services.allocation import allocate
from app.services.bulk_printing import queue_documents
from app.services.intake import create_orders
from app.services.order_actions import add_note
from app.services.order_timeline import EntryKind, desk_order
from app.services.orders import order_detail
from app.services.pack_completion import pack_unverified
from app.services.printing import PRINT_DIR_VAR, print_job, print_pending
from app.services.refunds import issue_refund
from app.services.returns import authorise_return, receive_return
from app.services.scan_log import record_scan
from app.services.shipping import ship_order
from db.engine import Database
from db.models import EmailOutbox
from db.uow import run_in_transaction
from tests.factories import channel, new_order, stock


@pytest.fixture
def print_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(PRINT_DIR_VAR, str(tmp_path))
    return tmp_path


def test_the_timeline_merges_prints_e_mails_notes_and_scans_in_time_order(
    db: Database, actor: Actor, print_dir: Path
) -> None:
    stock(db, actor, {"MUG": 5})
    channel(db)
    number = create_orders(db, actor, [new_order({"MUG": 1})]).created[0]
    allocate(db, actor)
    pack_unverified(db, actor, number)  # queues the label (and the slip)
    ship_order(db, actor, number)  # queues the "shipped" e-mail
    add_note(db, actor, number, "Customer rang: leave at the door")
    record_scan(
        db, actor, "SO-WRONG", message="not this order", order_id=order_detail(db, number).id
    )
    print_pending(db)  # the label prints last of all

    history = desk_order(db, number).history
    texts = [entry.text for entry in history.timeline]

    def first(kind: EntryKind, words: str) -> int:
        return next(i for i, e in enumerate(history.timeline) if e.kind is kind and words in e.text)

    queued = first(EntryKind.PRINT, "Label (PDF) queued for folder")
    mailed = max(  # the "shipped" e-mail, after the "received" one
        i
        for i, e in enumerate(history.timeline)
        if e.kind is EntryKind.EMAIL and e.text.endswith("to zoe@example.de queued")
    )
    noted = first(EntryKind.NOTE, "Note: Customer rang: leave at the door")
    scanned = first(EntryKind.SCAN, "Scanned 'SO-WRONG': refused - not this order")
    printed = first(EntryKind.PRINT, "Label printed on folder")
    assert queued < mailed < noted < scanned < printed, "\n".join(texts)
    assert texts[0].startswith("Created")
    assert [e.at for e in history.timeline] == sorted(e.at for e in history.timeline)
    assert not any(
        e.kind is EntryKind.AUDIT and e.text.startswith("Note") for e in history.timeline
    )
    note = history.timeline[noted]
    assert (note.who, history.zone) == (actor.username, "Europe/London")
    assert history.timeline[scanned].station == actor.station


def test_the_customers_other_orders_and_the_payment_come_with_the_order(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    channel(db)
    mine = [new_order({"MUG": 1}, placed_minutes_ago=minutes) for minutes in (300, 200, 100)]
    stranger = replace(new_order({"MUG": 1}), email="someone.else@example.com")
    numbers = create_orders(db, actor, [*mine, stranger]).created

    history = desk_order(db, numbers[1]).history

    assert [o.number for o in history.customer_orders] == [numbers[2], numbers[0]]
    assert history.customer_orders[0].status == "new"
    assert history.customer_orders[0].total == order_detail(db, numbers[2]).grand_total
    (payment,) = history.payments
    assert payment.kind == "payment"
    assert payment.amount == order_detail(db, numbers[1]).grand_total > Decimal(0)
    assert payment.text.startswith(f"Paid: {payment.amount:,.2f} EUR")
    assert desk_order(db, numbers[3]).history.customer_orders == ()


def test_a_refund_for_a_return_follows_the_payment_and_the_return_is_on_the_timeline(
    db: Database, actor: Actor, print_dir: Path
) -> None:
    stock(db, actor, {"TEE": 5})
    channel(db)
    number = create_orders(db, actor, [new_order({"TEE": 2})]).created[0]
    allocate(db, actor)
    pack_unverified(db, actor, number)
    ship_order(db, actor, number)
    ret = authorise_return(db, actor, number, {"TEE": 1}, "damaged", "refund")
    receive_return(
        db,
        actor,
        ret.number,
        [ReceiptItem("TEE", 1, Condition.SELLABLE, Disposition.RESTOCK, None, "--item TEE")],
    )
    issue_refund(db, Actor("agent", "desk"), ret.number)

    history = desk_order(db, number).history

    paid, refund = history.payments
    assert paid.kind == "payment" and (refund.kind, refund.status) == ("refund", "issued")
    assert refund.text == (f"Refund {refund.amount:,.2f} EUR for {ret.number}, issued by agent")
    returns = [e.text for e in history.timeline if e.kind is EntryKind.RETURN]
    assert [text.split(" - ")[0] for text in returns] == [
        "Return authorised",
        "Return received",
        "Refund issued",
    ]
    assert all(ret.number in text for text in returns)


class _JammedPrinter:
    def send(self, document: bytes, *, fmt: str, job_name: str) -> None:
        raise PrinterError("paper jam")


def test_a_print_that_failed_and_an_e_mail_that_failed_say_why(
    db: Database, actor: Actor, print_dir: Path
) -> None:
    stock(db, actor, {"MUG": 5})
    channel(db)
    number = create_orders(db, actor, [new_order({"MUG": 1})]).created[0]
    allocate(db, actor)
    order_id = order_detail(db, number).id
    queued = queue_documents(db, actor, "packing_slip", [order_id])
    print_job(db, queued[number], make_printer=lambda _spec: _JammedPrinter())

    def bounce(session: Session) -> None:
        mail = session.scalars(select(EmailOutbox).where(EmailOutbox.order_id == order_id)).one()
        mail.status, mail.attempts, mail.last_error = "failed", 1, "550 no such mailbox"

    run_in_transaction(db, bounce)

    texts = [e.text for e in desk_order(db, number).history.timeline]
    assert "Packing slip NOT printed on folder (1 attempt): paper jam" in texts
    assert any(
        t.startswith("E-mail") and t.endswith("failed after 1 attempt: 550 no such mailbox")
        for t in texts
    ), texts
