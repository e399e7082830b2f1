"""The order search index: one document of search keys per order, kept by the services.

A document is the `search_key` of the order number, channel reference, e-mail, name,
postcode, every SKU and tracking number, and the `phone_key` of the phone, separated by
spaces (a key never holds one; their order means nothing). A typed entry, keyed the
same way, is looked for as a substring: `document LIKE '%key%'`, which the database's
own trigram index answers (db.models.search). Whatever changes one of those values
calls `refresh` for its orders in the same transaction: intake, address edits, lines
moved; packing only adds its tracking numbers (`add_tracking_numbers`, one statement
instead of a rewrite).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    column,
    delete,
    or_,
    select,
    table,
    union,
    update,
)
from sqlalchemy.orm import Session

from app.domain.search_terms import SearchTerms, phone_key, search_key
from db.bulk import insert_rows
from db.engine import Database
from db.models import (
    Order,
    OrderLine,
    OrderSearch,
    Package,
    Product,
    ProductBarcode,
    Shipment,
)
from db.models.search import SQLITE_FTS_TABLE
from db.uow import run_in_transaction

CHUNK = 1000
MIN_KEY = 3  # a trigram index needs three characters to narrow anything down
_NOT_ASCII_KEY = re.compile(r"[^0-9a-z]+")


def _key(value: str) -> str:
    """`search_key`, without its Unicode normalising for ASCII text (most values), which
    it leaves as it is: the same key, at a fraction of the cost in bulk."""
    if value.isascii():
        return _NOT_ASCII_KEY.sub("", value.lower())
    return search_key(value)


def document(values: Iterable[str | None], phone: str | None) -> str:
    """The search document of an order's values (None skipped)."""
    keys = {_key(v) for v in values if v}
    if phone:
        keys.add(phone_key(phone))
    keys.discard("")
    return " ".join(sorted(keys))


def order_document(order: Mapping[Any, Any], more: Iterable[str | None]) -> str:
    """The document of an order (an `orders` row, or its values by column name) and its
    SKUs and tracking numbers (`more`)."""
    values = [order["number"], order["external_ref"], order["email"], order["ship_name"]]
    return document([*values, order["ship_postcode"], *more], order["ship_phone"])


def add_new(session: Session, documents: Iterable[tuple[int, str]]) -> None:
    """The documents (order id, `order_document`) of orders just created, which have
    none yet: written as made, not read back from the rows just inserted."""
    insert_rows(session, OrderSearch, [{"order_id": i, "document": d} for i, d in documents])


def refresh(session: Session, order_ids: Collection[int]) -> None:
    """Rewrite the documents of these orders from their current rows."""
    ids = sorted(set(order_ids))
    for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
        extra: dict[int, list[str | None]] = defaultdict(list)
        for order_id, sku in session.execute(
            select(OrderLine.order_id, OrderLine.sku).where(OrderLine.order_id.in_(chunk))
        ):
            extra[order_id].append(sku)
        shipment_numbers = select(Shipment.order_id, Shipment.tracking_number).where(
            Shipment.order_id.in_(chunk), Shipment.tracking_number.is_not(None)
        )
        package_numbers = (
            select(Shipment.order_id, Package.tracking_number)
            .join(Package, Package.shipment_id == Shipment.id)
            .where(Shipment.order_id.in_(chunk), Package.tracking_number.is_not(None))
        )
        for stmt in (shipment_numbers, package_numbers):
            for order_id, tracking in session.execute(stmt):
                extra[order_id].append(tracking)
        rows = [
            {"order_id": order.id, "document": order_document(order._mapping, extra[order.id])}
            for order in session.execute(
                select(
                    Order.id,
                    Order.number,
                    Order.external_ref,
                    Order.email,
                    Order.ship_name,
                    Order.ship_postcode,
                    Order.ship_phone,
                ).where(Order.id.in_(chunk))
            )
        ]
        session.execute(delete(OrderSearch).where(OrderSearch.order_id.in_(chunk)))
        insert_rows(session, OrderSearch, rows)


# Appends one key unless the document already holds it whole (keys hold no space, so
# " key " inside " document " is a whole key and nothing in a key is a LIKE wildcard).
_APPEND_KEY = (
    update(OrderSearch)
    .where(
        OrderSearch.order_id == bindparam("b_order_id"),
        (" " + OrderSearch.document + " ").not_like(bindparam("b_whole")),
    )
    .values(document=OrderSearch.document + " " + bindparam("b_key"))
)


def add_tracking_numbers(session: Session, order_id: int, numbers: Iterable[str]) -> None:
    """Add a just-packed order's tracking numbers to its document: packing changes
    nothing else the document holds, so it is not re-read and rewritten."""
    keys = sorted({search_key(n) for n in numbers} - {""})
    if keys:
        session.connection().execute(
            _APPEND_KEY,
            [{"b_order_id": order_id, "b_key": k, "b_whole": f"% {k} %"} for k in keys],
        )


def index_missing(db: Database, *, batch: int = 20_000) -> int:
    """Documents for orders that have none (after the upgrade that made the index, or
    an interrupted fill); batch by batch, so it can be stopped and run again."""
    done = 0
    while True:

        def work(session: Session) -> int:
            ids = session.scalars(
                select(Order.id)
                .outerjoin(OrderSearch, OrderSearch.order_id == Order.id)
                .where(OrderSearch.order_id.is_(None))
                .order_by(Order.id)
                .limit(batch)
            ).all()
            refresh(session, ids)
            return len(ids)

        count = run_in_transaction(db, work)
        done += count
        if count < batch:
            return done


def matching(session: Session, terms: SearchTerms) -> ColumnElement[bool] | None:
    """A condition on Order for the orders whose document holds what was typed, or
    None when the entry is too short for the index (fewer than three letters or digits)
    and names no order number."""
    keys = {terms.key} if len(terms.key) >= MIN_KEY else set()
    if terms.phone and not any(ch.isalpha() for ch in terms.text):
        keys.add(terms.phone)  # "SS000333334GB" is a tracking number, not a phone
    if terms.barcode:
        keys.update(
            search_key(sku)
            for sku in session.scalars(
                select(Product.sku)
                .join(ProductBarcode, ProductBarcode.product_id == Product.id)
                .where(ProductBarcode.code == terms.barcode)
            )
        )
    exact = _exact_ids(session, terms)
    if exact:  # a whole order number, tracking number or channel reference: that order
        return Order.id.in_(exact)
    return Order.id.in_(_ids_containing(session, keys)) if keys else None


def _exact_ids(session: Session, terms: SearchTerms) -> list[int]:
    """Orders named exactly by what was typed, from the columns' own indexes."""
    typed = {terms.text, terms.key.upper()} - {""}
    named = [
        select(Order.id).where(Order.external_ref.in_(typed)),
        select(Shipment.order_id).where(Shipment.tracking_number.in_(typed)),
    ]
    if terms.order_number:
        named.append(select(Order.id).where(Order.number == terms.order_number))
    return list(session.scalars(union(*named)))


def _ids_containing(session: Session, keys: Collection[str]) -> Select[Any]:
    # Keys are letters and digits only: nothing in them is a wildcard or FTS syntax.
    if session.get_bind().dialect.name == "sqlite":
        # A phrase of trigrams: the same substring match as LIKE, from the index alone.
        fts = table(SQLITE_FTS_TABLE, column("rowid"))
        phrase = " OR ".join(f'"{k}"' for k in sorted(keys))
        return select(fts.c.rowid).where(column(SQLITE_FTS_TABLE).match(phrase))
    return select(OrderSearch.order_id).where(
        or_(*(OrderSearch.document.like(f"%{k}%") for k in sorted(keys)))
    )
