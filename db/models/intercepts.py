"""Units of an intercepted order waiting to be unpacked and put away."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import utcnow

UNPACK_TASK_STATUSES = ("open", "done")


class UnpackTask(Base):
    """Units of one order line that left their bin and must be put back.

    When an order is cancelled after picking (an intercept), its picked units are in a
    tote or a sealed box, not in the bin: they leave the stock ledger then, and each
    put-away scan brings them back at the location scanned.
    """

    __tablename__ = "unpack_tasks"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive"),
        CheckConstraint("qty_put_away BETWEEN 0 AND quantity", name="put_away"),
        CheckConstraint(f"status IN {UNPACK_TASK_STATUSES!r}", name="status"),
        Index("ix_unpack_tasks_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    # Where the units were picked from: the put-away location suggested first.
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    quantity: Mapped[int]
    qty_put_away: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
