"""Box types as CSV: `code,name,length_mm,width_mm,height_mm,tare_g,max_weight_g`
(inner dimensions; `max_weight_g` may be blank for no limit)."""

from __future__ import annotations

from pathlib import Path

from app.imports.common import Fields, Where, check_columns, fail_if, read_csv
from app.services.master_data import BoxInput

COLUMNS = ("code", "name", "length_mm", "width_mm", "height_mm", "tare_g", "max_weight_g")
REQUIRED = COLUMNS[:5]


def read_boxes(path: Path) -> list[BoxInput]:
    """The box types of the file; every problem at once, or none."""
    table = read_csv(path, fold=True)
    check_columns(table, REQUIRED, COLUMNS)
    problems: list[str] = []
    boxes = []
    for row in table.rows:
        boxes.append(box_of(Fields(row.values, Where(table.name, row.line), problems)))
    fail_if(problems)
    return boxes


def box_of(f: Fields) -> BoxInput:
    """One box type from a CSV row or a settings document's entry."""
    return BoxInput(
        code=f.text("code", limit=32, required=True).upper(),
        name=f.text("name", limit=100, required=True),
        length_mm=f.whole("length_mm"),
        width_mm=f.whole("width_mm"),
        height_mm=f.whole("height_mm"),
        tare_g=f.optional_whole("tare_g") or 0,
        max_weight_g=f.optional_whole("max_weight_g", minimum=1),
        where=str(f.where),
    )
