"""Carriers, their services, and the stations' own devices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.types import utcnow

TRACKING_SCHEMES = ("s10", "mod10", "mod11", "mod7", "none")


class Carrier(Base):
    """A carrier and the tracking-number range it handed out to this site.

    `next_value` is taken with one UPDATE ... RETURNING (a row lock until commit), so two
    stations never print the same number; the CHECK stops a range from running over.
    """

    __tablename__ = "carriers"
    __table_args__ = (
        CheckConstraint(f"tracking_scheme IN {TRACKING_SCHEMES!r}", name="scheme"),
        CheckConstraint(
            "range_start >= 0 AND range_start <= next_value AND next_value <= range_end + 1",
            name="range",
        ),
        CheckConstraint("tracking_width BETWEEN 1 AND 20", name="width"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    tracking_scheme: Mapped[str] = mapped_column(String(8), default="s10")
    tracking_prefix: Mapped[str] = mapped_column(String(8), default="")
    tracking_suffix: Mapped[str] = mapped_column(String(8), default="")
    tracking_width: Mapped[int] = mapped_column(default=8)
    range_start: Mapped[int] = mapped_column(BigInteger)
    range_end: Mapped[int] = mapped_column(BigInteger)
    next_value: Mapped[int] = mapped_column(BigInteger)
    # {tracking} is replaced by the tracking number, e.g. https://track.example/{tracking}
    tracking_url: Mapped[str] = mapped_column(String(500), default="")
    label_layout: Mapped[str] = mapped_column(String(32), default="standard")
    active: Mapped[bool] = mapped_column(default=True)

    services: Mapped[list[CarrierService]] = relationship(
        back_populates="carrier", order_by="CarrierService.id", cascade="all, delete-orphan"
    )


class CarrierService(Base):
    """A service of a carrier; orders of `service_level` ship with it."""

    __tablename__ = "carrier_services"
    __table_args__ = (UniqueConstraint("carrier_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    service_level: Mapped[str] = mapped_column(String(20), default="standard", index=True)
    is_default: Mapped[bool] = mapped_column(default=False)

    carrier: Mapped[Carrier] = relationship(back_populates="services")


class Station(Base):
    """A named work place and its devices, chosen on the station itself.

    Printers are specs (`folder`, `folder:/path`, `tcp://host:9100`, `cups:QUEUE`);
    the scale is a serial/HID device path, or empty for typed weights.
    """

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    label_printer: Mapped[str] = mapped_column(String(200), default="")
    document_printer: Mapped[str] = mapped_column(String(200), default="")
    scale: Mapped[str] = mapped_column(String(200), default="")
    # Packing here also dispatches, in the same transaction (the packer hands over the parcel).
    dispatch_on_pack: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
