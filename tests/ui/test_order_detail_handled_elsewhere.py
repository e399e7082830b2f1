"""The desk's order detail shows the units the shop handled itself, beside the others."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.orders import order_detail
from db.engine import Database
from tests.factories import stock
from tests.imports.files import cli, write
from ui.views.order_detail_panel import OrderDetailPanel

ORDER = (
    "external_ref,placed_at,name,address1,city,postcode,country,sku,quantity,shipped_quantity\n"
    "A,2024-03-05T10:00:00Z,Zoë Müller,Torstraße 12,Berlin,10115,DE,MUG,3,1\n"
    "A,,,,,,,TEA,2,\n"
)


def test_the_lines_table_has_an_elsewhere_column_with_the_shops_units(
    qtbot: QtBot, sqlite_db: Database, actor: Actor, tmp_path: Path
) -> None:
    stock(sqlite_db, actor, {"MUG": 10, "TEA": 10})
    path = write(tmp_path / "o.csv", ORDER)
    assert cli(sqlite_db, "import-orders", str(path), "--channel", "web") == 0
    assert cli(sqlite_db, "allocate") == 0
    panel = OrderDetailPanel()
    qtbot.addWidget(panel)
    panel.resize(640, 560)

    panel.show_detail(order_detail(sqlite_db, "A"))

    table = panel.lines_table
    header = table.horizontalHeaderItem(8)
    assert header is not None and header.text() == "Elsewhere"
    assert "never picked or shipped here" in header.toolTip()
    assert [[table.cell_text(row, column) for column in (0, 2, 3, 8)] for row in range(2)] == [
        ["MUG", "3", "2", "1"],
        ["TEA", "2", "2", "0"],
    ]
