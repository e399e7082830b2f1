"""The rules for a channel's later export of an order already here, without a database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.domain.channel_changes import (
    ChannelClosure,
    LineHere,
    OrderHere,
    Verdict,
    decide,
)
from app.domain.new_order import Address, NewLine, NewOrder
from app.domain.order_workflow import OrderStatus as S

ADDRESS = Address(
    name="Zoë Müller", address1="Torstraße 12", city="Berlin", postcode="10115", country="DE"
)
HERE = OrderHere(
    status=S.ALLOCATED,
    picking_started=False,
    ship_to=ADDRESS,
    service_level="standard",
    lines=(LineHere("MUG", 2, 0), LineHere("TEA", 1, 0)),
)
EXPORT = NewOrder(
    channel="web",
    external_ref="A-1",
    placed_at=datetime(2024, 3, 5, tzinfo=UTC),
    ship_to=ADDRESS,
    lines=(NewLine("MUG", 2), NewLine("TEA", 1)),
    source="o.csv:2",
)
CANCELLED = ChannelClosure("web", "A-1", "cancelled in Shopify", "o.csv:2")


def test_the_same_order_again_is_unchanged_whatever_the_spacing_and_case() -> None:
    respelled = replace(EXPORT.ship_to, address1=" torstraße  12 ", city="BERLIN")

    assert decide(HERE, replace(EXPORT, ship_to=respelled)).verdict is Verdict.UNCHANGED


def test_changes_are_named_as_a_desk_user_reads_them() -> None:
    export = replace(
        EXPORT,
        ship_to=replace(ADDRESS, address1="Torstraße 14", postcode="10119"),
        service_level="express",
        lines=(NewLine("MUG", 3), NewLine("POT", 1)),
    )

    decision = decide(HERE, export)

    assert decision.verdict is Verdict.UPDATE and decision.lines_changed
    assert decision.changes == (
        "street",
        "postcode",
        "service level standard -> express",
        "MUG 2 -> 3",
        "POT added (1)",
        "TEA removed",
    )


def test_an_address_change_alone_keeps_the_reservations() -> None:
    export = replace(EXPORT, ship_to=replace(ADDRESS, city="Potsdam"))

    assert not decide(HERE, export).lines_changed


@pytest.mark.parametrize("status", [S.NEW, S.BACKORDERED, S.ALLOCATED])
def test_cancelled_before_picking_cancels(status: S) -> None:
    decision = decide(replace(HERE, status=status), CANCELLED)

    assert (decision.verdict, decision.reason) == (Verdict.CANCEL, "cancelled in Shopify")


@pytest.mark.parametrize(
    "here", [replace(HERE, picking_started=True), replace(HERE, status=S.PACKED)]
)
def test_once_picking_started_a_cancellation_holds(here: OrderHere) -> None:
    decision = decide(here, CANCELLED)

    assert (decision.verdict, decision.reason) == (
        Verdict.HOLD,
        "cancelled in Shopify after picking started",
    )


def test_a_change_after_picking_started_holds_once() -> None:
    here = replace(HERE, status=S.PICKED)
    export = replace(EXPORT, ship_to=replace(ADDRESS, address1="Torstraße 14"))

    first = decide(here, export)

    assert (first.verdict, first.reason) == (
        Verdict.HOLD,
        "changed at the channel after picking started: street",
    )
    assert decide(replace(here, held_for=frozenset({first.reason})), export).verdict is (
        Verdict.UNCHANGED
    )


def test_every_unit_handled_at_the_channel_cancels_before_picking() -> None:
    export = replace(
        EXPORT,
        lines=(NewLine("MUG", 2, handled_elsewhere=2), NewLine("TEA", 1, handled_elsewhere=1)),
    )

    decision = decide(HERE, export)

    assert (decision.verdict, decision.reason) == (
        Verdict.CANCEL,
        "every unit handled at the channel",
    )
    assert decision.changes == ("MUG 2 handled elsewhere", "TEA 1 handled elsewhere")


def test_shipped_here_cannot_be_changed_and_says_so() -> None:
    decision = decide(replace(HERE, status=S.SHIPPED), CANCELLED)

    assert (decision.verdict, decision.reason) == (
        Verdict.TOO_LATE,
        "cancelled in Shopify, but it is shipped here",
    )


def test_cancelled_here_and_at_the_channel_is_unchanged() -> None:
    assert decide(replace(HERE, status=S.CANCELLED), CANCELLED).verdict is Verdict.UNCHANGED


def test_what_the_export_leaves_open_holds_the_order_once() -> None:
    export = replace(EXPORT, hold_reasons=("line 1 (MUG) partly fulfilled in Shopify",))

    first = decide(HERE, export)

    assert (first.verdict, first.reason) == (
        Verdict.HOLD,
        "line 1 (MUG) partly fulfilled in Shopify",
    )
    assert decide(replace(HERE, held_for=frozenset({first.reason})), export).verdict is (
        Verdict.UNCHANGED
    )
