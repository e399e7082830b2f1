"""The settings document: one YAML or JSON file holding a site's settings, box types,
carriers and channel branding, so a second site starts from the first one's.

    shipshape_settings: 1          # format version; a newer one is refused
    settings: {company.name: ..., gs1.company_prefix: "1234567", ...}
    box_types: [{code, name, length_mm, width_mm, height_mm, tare_g, max_weight_g}]
    carriers: [{code, name, tracking_scheme, tracking_prefix, tracking_suffix,
                tracking_width, range_start, range_end, tracking_url, label_layout,
                services: [{code, name, service_level, default}]}]
    channels: [{code, name, sender_name, sender_email, packing_slip, safety_buffer,
                risk_overrides: {first_order_value_limit: "250", ...}}]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.errors import ValidationFailed
from app.imports.boxes import box_of
from app.imports.common import Fields, Where, fail_if, file_text, read_json
from app.output_file import write_text_file
from app.services.master_data import (
    CarrierInput,
    ChannelBranding,
    MasterData,
    ServiceInput,
)

FORMAT_KEY = "shipshape_settings"
FORMAT_VERSION = 1
TOP_KEYS = (FORMAT_KEY, "settings", "box_types", "carriers", "channels")
BOX_KEYS = ("code", "name", "length_mm", "width_mm", "height_mm", "tare_g", "max_weight_g")
CARRIER_KEYS = (
    "code",
    "name",
    "tracking_scheme",
    "tracking_prefix",
    "tracking_suffix",
    "tracking_width",
    "range_start",
    "range_end",
    "tracking_url",
    "label_layout",
    "services",
)
SERVICE_KEYS = ("code", "name", "service_level", "default")
CHANNEL_KEYS = (
    "code",
    "name",
    "sender_name",
    "sender_email",
    "packing_slip",
    "safety_buffer",
    "risk_overrides",
)


@dataclass(frozen=True)
class SettingsDocument:
    settings: dict[str, str]
    master: MasterData


def _parse(path: Path) -> object:
    if path.suffix.lower() == ".json":
        return read_json(path)
    try:
        return yaml.safe_load(file_text(path))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise ValidationFailed(f"{path.name}:{line}: not valid YAML: {exc.problem}") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ValidationFailed(f"{path.name}: not valid YAML: {exc}") from None


def read_settings_file(path: Path) -> SettingsDocument:
    """The document, checked for shape; every problem at once, or none."""
    data = _parse(path)
    where = Where(path.name)
    if not isinstance(data, dict) or FORMAT_KEY not in data:
        raise ValidationFailed(
            f"{path.name}: not a Shipshape settings document (no {FORMAT_KEY} key at the top)"
        )
    version = data[FORMAT_KEY]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValidationFailed(f"{path.name}: {FORMAT_KEY}: must be a format number such as 1")
    if version > FORMAT_VERSION:
        raise ValidationFailed(
            f"{path.name} was written by a newer Shipshape (format {version}); this version "
            f"reads format {FORMAT_VERSION} - upgrade Shipshape to import it"
        )
    problems: list[str] = []
    top = Fields(data, where, problems)
    top.unknown_keys(TOP_KEYS)
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        problems.append(f"{where}: settings: must be a mapping of key: value")
        settings = {}
    values = {}
    for key, value in settings.items():
        if isinstance(value, dict | list) or value is None:
            problems.append(f"{where.at('settings')}.{key}: must be a single value")
        else:
            values[str(key)] = _scalar(value)
    boxes = [box_of(f) for f in _list(top, "box_types", BOX_KEYS)]
    carriers = [_carrier(f) for f in _list(top, "carriers", CARRIER_KEYS)]
    channels = [_channel(f) for f in _list(top, "channels", CHANNEL_KEYS)]
    fail_if(problems)
    return SettingsDocument(values, MasterData(boxes, carriers, channels))


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _list(top: Fields, key: str, known: tuple[str, ...]) -> list[Fields]:
    if top.values.get(key) is None:
        return []
    found = top.children(key)
    for record in found:
        record.unknown_keys(known)
    return found


def _carrier(f: Fields) -> CarrierInput:
    services = tuple(
        ServiceInput(
            code=s.text("code", limit=32, required=True),
            name=s.text("name", limit=100, required=True),
            service_level=s.word("service_level") or "standard",
            is_default=s.flag("default", default=False),
        )
        for s in f.children("services")
    )
    return CarrierInput(
        code=f.text("code", limit=32, required=True),
        name=f.text("name", limit=100, required=True),
        tracking_scheme=f.word("tracking_scheme"),
        range_start=f.whole("range_start", minimum=0),
        range_end=f.whole("range_end", minimum=0),
        tracking_prefix=f.text("tracking_prefix", limit=8),
        tracking_suffix=f.text("tracking_suffix", limit=8),
        tracking_width=f.optional_whole("tracking_width", minimum=1) or 8,
        tracking_url=f.text("tracking_url", limit=500),
        label_layout=f.text("label_layout", limit=32) or "standard",
        services=services,
        where=str(f.where),
    )


def _channel(f: Fields) -> ChannelBranding:
    return ChannelBranding(
        code=f.text("code", limit=32, required=True),
        name=f.optional("name", limit=100),
        sender_name=f.optional("sender_name", limit=200),
        sender_email=f.optional("sender_email", limit=255),
        packing_slip=f.flag("packing_slip", default=True) if f.has("packing_slip") else None,
        safety_buffer=f.optional_whole("safety_buffer"),
        risk_overrides=_overrides(f),
        where=str(f.where),
    )


def _overrides(f: Fields) -> dict[str, str] | None:
    """Risk thresholds by field name; the values are checked when the channel is saved."""
    if f.values.get("risk_overrides") is None:
        return None
    given = f.child("risk_overrides").values
    plain = {str(k): v for k, v in given.items() if not isinstance(v, dict | list)}
    if len(plain) != len(given):
        f.add("risk_overrides", "each threshold must be a single value")
    return {k: _scalar(v) for k, v in plain.items()}


def document_dict(settings: dict[str, str], master: MasterData) -> dict[str, Any]:
    return {
        FORMAT_KEY: FORMAT_VERSION,
        "settings": dict(sorted(settings.items())),
        "box_types": [
            {k: getattr(b, k) for k in BOX_KEYS if getattr(b, k) is not None} for b in master.boxes
        ],
        "carriers": [
            {
                **{k: getattr(c, k) for k in CARRIER_KEYS if k != "services"},
                "services": [
                    {
                        "code": s.code,
                        "name": s.name,
                        "service_level": s.service_level,
                        "default": s.is_default,
                    }
                    for s in c.services
                ],
            }
            for c in master.carriers
        ],
        "channels": [
            {k: getattr(c, k) for k in CHANNEL_KEYS if getattr(c, k) is not None}
            for c in master.channels
        ],
    }


def write_settings_file(path: Path, document: dict[str, Any]) -> None:
    """YAML unless the file name ends in .json; written whole or not at all."""
    if path.suffix.lower() == ".json":
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    write_text_file(path, text)
