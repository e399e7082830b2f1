"""Commands that set a site up: settings, box types, locations."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.registry import command, emit_json, json_flag
from app.context import Actor
from app.errors import ValidationFailed
from app.imports.boxes import read_boxes
from app.imports.locations import generate_locations, read_locations
from app.imports.settings_file import document_dict, read_settings_file, write_settings_file
from app.services.locations import import_locations
from app.services.master_data import import_boxes
from app.services.settings import get_setting, list_settings, set_settings
from app.services.site_document import export_site, import_site
from db.engine import Database
from db.models import LOCATION_KINDS


def _settings_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["get", "set", "export", "import"])
    p.add_argument("key", nargs="?", help="get/set: the key; export/import: the file")
    p.add_argument("value", nargs="?", help="set: the new value")
    json_flag(p)


@command("settings", "show, change, export or import the site's settings", configure=_settings_args)
def cmd_settings(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.action == "get":
        return _get(db, args.key, as_json=args.json)
    if not args.key:
        raise ValidationFailed(
            f"settings {args.action} needs a {'KEY' if args.action == 'set' else 'FILE'}"
        )
    if args.action == "set":
        if args.value is None:
            raise ValidationFailed(f'settings set {args.key} needs a VALUE ("" to clear it)')
        changed = set_settings(db, actor, {args.key: args.value})
        print(f"{args.key} = {get_setting(db, args.key)}" + ("" if changed else " (unchanged)"))
        return 0
    path = Path(args.key)
    if args.action == "export":
        settings, master = export_site(db)
        write_settings_file(path, document_dict(settings, master))
        print(
            f"wrote {len(settings)} settings, {len(master.boxes)} box types, "
            f"{len(master.carriers)} carriers and {len(master.channels)} channels to {path}"
        )
        return 0
    document = read_settings_file(path)
    done = import_site(db, actor, document.settings, document.master, source=path.name)
    print(
        f"imported {path.name}: {done.settings_changed} settings changed, {done.boxes} box types, "
        f"{done.carriers} carriers, {done.channels} channels"
    )
    return 0


def _get(db: Database, key: str | None, *, as_json: bool) -> int:
    if key:
        print(get_setting(db, key))
        return 0
    views = list_settings(db)
    if as_json:
        emit_json({v.key: v.value for v in views})
        return 0
    for view in views:
        flag = "  (required, not set)" if view.required and not view.value else ""
        print(f"{view.key} = {view.value}{flag}")
    return 0


def _boxes_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "file", type=Path, help="CSV: code,name,length_mm,width_mm,height_mm,tare_g,max_weight_g"
    )


@command("import-boxes", "box types with inner size, tare and max weight", configure=_boxes_args)
def cmd_import_boxes(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    count = import_boxes(db, actor, read_boxes(args.file))
    print(f"imported {count} box types from {args.file.name}")
    return 0


def _locations_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, nargs="?", help="CSV: code,kind,pick_sequence,warehouse")
    p.add_argument("--generate", metavar="AISLES:RACKS[:LEVELS]", help="e.g. A-F:1-20:1-4")
    p.add_argument("--kind", choices=LOCATION_KINDS, default="pick", help="for --generate")
    p.add_argument("--warehouse", help="warehouse code (default: the first warehouse)")


@command("import-locations", "bins and areas, from a file or generated", configure=_locations_args)
def cmd_import_locations(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if bool(args.file) == bool(args.generate):
        raise ValidationFailed("give either a FILE or --generate AISLES:RACKS[:LEVELS]")
    warehouse = args.warehouse.upper() if args.warehouse else None
    if args.generate:
        try:
            found = generate_locations(args.generate, kind=args.kind, warehouse=warehouse)
        except ValueError as exc:
            raise ValidationFailed(str(exc)) from None
    else:
        found = read_locations(args.file, warehouse=warehouse)
    done = import_locations(db, actor, found)
    extra = (
        f"; new warehouses {', '.join(done.warehouses_created)}" if done.warehouses_created else ""
    )
    print(f"locations: {done.created} created, {done.updated} updated{extra}")
    return 0
