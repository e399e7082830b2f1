"""Render the order detail after a day at the desk, for docs/order-detail.png.

QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.service_desk_screenshot [DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.domain.contact_details import ContactDetails
from app.services.demo_data import load_demo
from app.services.order_actions import add_note
from app.services.order_contact import current_contact, edit_contact
from app.services.orders import list_orders
from db.engine import open_database
from db.schema import upgrade
from tests.ui.backoffice.screenshots import DOCS, SIZE, _wait_until
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import apply_theme


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(argv[0]) if argv else DOCS
    with tempfile.TemporaryDirectory() as temp:
        db = open_database(f"sqlite:///{Path(temp) / 'shipshape.db'}")
        try:
            upgrade(db)
            actor = Actor(username="cara", station="desk-2")
            load_demo(db, actor, orders=300)
            number = list_orders(db, status="allocated", limit=1)[0].number
            details, version = current_contact(db, number)
            moved = ContactDetails(
                **{**details.__dict__, "address1": "Kastanienallee 7", "postcode": "10435"}
            )
            edit_contact(db, actor, number, version, moved)
            add_note(db, actor, number, "Customer rang: moved house, new address confirmed.")
            app = QApplication.instance() or QApplication([])
            assert isinstance(app, QApplication)
            apply_theme(app)
            ctx = UiContext.open(db, actor, station=None)
            window = MainWindow(ctx)
            try:
                window.resize(*SIZE)
                window.show()
                view = window.orders_view
                view.search_edit.setText(number)
                view.search_edit.returnPressed.emit()
                _wait_until(lambda: view.detail_panel.current_number() == number)
                _wait_until(lambda: view.desk_actions.address_action.isEnabled())
                folder.mkdir(parents=True, exist_ok=True)
                out = folder / "order-detail.png"
                window.grab().save(str(out))
                print(f"saved {out}")
            finally:
                window.close()
                ctx.tasks.shutdown()
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
