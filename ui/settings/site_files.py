"""Files the Settings area reads and writes, each read and stored in one worker call, the
same way the `import-boxes`, `import-locations` and `settings export|import` commands do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.context import Actor
from app.imports.boxes import read_boxes
from app.imports.locations import read_locations
from app.imports.settings_file import document_dict, read_settings_file, write_settings_file
from app.services.database_setup import Database
from app.services.locations import LocationImport, import_locations
from app.services.master_data import import_boxes
from app.services.site_document import SiteImport, export_site, import_site


@dataclass(frozen=True)
class SiteExport:
    path: Path
    settings: int
    boxes: int
    carriers: int
    channels: int


def import_boxes_file(db: Database, actor: Actor, path: Path) -> int:
    return import_boxes(db, actor, read_boxes(path))


def import_locations_file(
    db: Database, actor: Actor, path: Path, warehouse: str | None
) -> LocationImport:
    return import_locations(db, actor, read_locations(path, warehouse=warehouse))


def export_site_file(db: Database, path: Path) -> SiteExport:
    """The stored set-up as YAML, or JSON when `path` ends in .json."""
    settings, master = export_site(db)
    write_settings_file(path, document_dict(settings, master))
    counts = (len(settings), len(master.boxes), len(master.carriers), len(master.channels))
    return SiteExport(path, *counts)


def import_site_file(db: Database, actor: Actor, path: Path) -> SiteImport:
    document = read_settings_file(path)
    return import_site(db, actor, document.settings, document.master, source=path.name)
