"""Render the desk's E-mails page for the README: sent, failed and waiting messages,
and the preview of a "shipped" e-mail.

QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.backoffice.outbox_screenshot [OUT.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.emails.transport import smtp_from_url
from app.services.demo_data import load_demo
from app.services.email_sender import send_due
from app.services.intake import create_orders
from app.services.orders import list_orders
from app.services.outbox import list_outbox
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from db.engine import Database, open_database
from db.schema import upgrade
from tests.factories import ADDRESS, channel, new_order
from tests.smtp_server import SmtpServer
from tests.ui.backoffice.screenshots import SIZE, _wait_until
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import apply_theme

DEFAULT_OUT = Path(__file__).resolve().parents[3] / "docs" / "outbox.png"
CUSTOMERS = (
    ("Ingrid Bergström", "ingrid@bergstrom-cafe.se", "Göteborg", "SE"),
    ("Tomás O'Brien", "tomas.obrien@example.ie", "Cork", "IE"),
    ("Amélie Laurent", "amelie.laurent@example.fr", "Lyon", "FR"),
    ("Kenji Watanabe", "kenji@example.jp", "Osaka", "JP"),
)


def _new_orders(
    db: Database, actor: Actor, customers: tuple[tuple[str, str, str, str], ...], first: int
) -> None:
    channel(db, "web")
    orders = [
        replace(
            new_order({"SKU-00003": 1, "SKU-00011": 2}, ref=f"#48{first + i:02d}"),
            email=email,
            ship_to=replace(ADDRESS, name=name, city=city, country=country),
        )
        for i, (name, email, city, country) in enumerate(customers)
    ]
    create_orders(db, actor, orders)


def fill_outbox(db: Database, actor: Actor) -> int:
    """Messages of every kind a desk sees; the id of a "shipped" one to preview."""
    _new_orders(db, actor, CUSTOMERS[:1], 0)
    for row in list_orders(db, status="allocated", limit=2):
        pack_unverified(db, actor, row.number)
        ship_order(db, actor, row.number)
    server = SmtpServer().start()
    try:
        send_due(db, worker="desk", config=smtp_from_url(server.url))
        _new_orders(db, actor, CUSTOMERS[1:2], 1)
        server.reply_next("550 5.1.1 <tomas.obrien@example.ie>: mailbox unavailable")
        send_due(db, worker="desk", config=smtp_from_url(server.url))
    finally:
        server.stop()
    _new_orders(db, actor, CUSTOMERS[2:], 2)  # still waiting for the next pass
    return next(e.id for e in list_outbox(db) if e.template == "shipped")


def render_outbox(db: Database, actor: Actor, out: Path, size: tuple[int, int] = SIZE) -> Path:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    shipped = fill_outbox(db, actor)
    ctx = UiContext.open(db, actor, station=None)
    window = MainWindow(ctx)
    try:
        window.email_sender._timer.stop()  # the picture shows the waiting ones waiting
        window.resize(*size)
        window.show()
        window.sidebar_list.setCurrentRow(window.pages.indexOf(window.outbox_view))
        view = window.outbox_view
        _wait_until(lambda: view.model.rowCount() > 0)
        view.select_message(shipped)
        _wait_until(lambda: "Shipped for" in view.header_label.text())
        out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out))
    finally:
        window.close()
        ctx.tasks.shutdown()
    return out


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[0]) if argv else DEFAULT_OUT
    with tempfile.TemporaryDirectory() as temp:
        db = open_database(f"sqlite:///{Path(temp) / 'shipshape.db'}")
        try:
            upgrade(db)
            actor = Actor(username="cara", station="desk")
            load_demo(db, actor, orders=40)
            print(f"saved {render_outbox(db, actor, out)}")
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
