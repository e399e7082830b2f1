"""Settings a supervisor can change, stored in the database so every station agrees.

Values are checked against app.domain.site_settings' catalogue wherever they come
from (wizard, Settings screen, `settings set`, an imported settings document); a
change is all-or-nothing and audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.risk import RiskSettings
from app.domain.site_settings import (
    CATALOGUE,
    SECRET_KEYS,
    SPECS,
    check_setting,
    cross_check,
    shown_value,
)
from app.errors import ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from db.engine import Database
from db.models import Sequence, Setting
from db.uow import read, run_in_transaction

RISK_PREFIX = "risk."


@dataclass(frozen=True)
class SettingView:
    key: str
    label: str
    section: str
    value: str
    is_set: bool  # stored in the database, not the default
    required: bool  # no default: the site must set it
    help: str
    choices: tuple[str, ...] = ()  # when set, the only values accepted
    secret: bool = False  # the value is masked (a password)


def stored_settings(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Setting.key, Setting.value)).all())


def shareable_settings(session: Session) -> dict[str, str]:
    """The stored settings without secrets: what a settings document may carry."""
    return {k: v for k, v in stored_settings(session).items() if k not in SECRET_KEYS}


def effective_settings(session: Session) -> dict[str, str]:
    """Every catalogue key: the stored value, else its default ("" when it has none)."""
    stored = stored_settings(session)
    return {spec.key: stored.get(spec.key, spec.default or "") for spec in CATALOGUE}


def load_risk_settings(session: Session) -> RiskSettings:
    stored = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.startswith(RISK_PREFIX))
    ).all()
    return risk_settings_with(RiskSettings(), {k.removeprefix(RISK_PREFIX): v for k, v in stored})


def risk_settings_with(base: RiskSettings, values: Mapping[str, str]) -> RiskSettings:
    """`base` with the thresholds in `values` (field name -> checked text) replaced."""
    changes: dict[str, object] = {}
    for f in fields(RiskSettings):
        raw = values.get(f.name)
        if raw is not None:
            current = getattr(base, f.name)
            changes[f.name] = Decimal(raw) if isinstance(current, Decimal) else int(raw)
    return replace(base, **changes)  # type: ignore[arg-type]


def setting_value(session: Session, key: str) -> str:
    """One key's effective value."""
    stored = session.get(Setting, key)
    return stored.value if stored is not None else SPECS[key].default or ""


def site_zone(session: Session) -> ZoneInfo:
    """The warehouse's time zone (company.timezone): report days, dates in e-mails and
    on the timeline are its local days and clock times."""
    return ZoneInfo(setting_value(session, "company.timezone") or "UTC")


def list_settings(db: Database) -> list[SettingView]:
    def work(session: Session) -> list[SettingView]:
        stored = stored_settings(session)
        return [
            SettingView(
                spec.key,
                spec.label,
                spec.section,
                shown_value(spec.key, stored.get(spec.key, spec.default or "")),
                spec.key in stored,
                spec.default is None,
                spec.help,
                spec.choices,
                spec.secret,
            )
            for spec in CATALOGUE
        ]

    return read(db, work)


def get_setting(db: Database, key: str) -> str:
    if key not in SPECS:
        raise ValidationFailed(f"unknown setting {key!r}; `settings get` lists every key")
    return shown_value(key, read(db, lambda session: setting_value(session, key)))


def checked_values(changes: Mapping[str, object]) -> dict[str, str]:
    """Normalised values, or ValidationFailed listing every bad key."""
    problems, values = [], {}
    for key, value in changes.items():
        try:
            values[key] = check_setting(key, "" if value is None else str(value))
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ValidationFailed(
            f"{len(problems)} setting{'s' if len(problems) > 1 else ''} refused, nothing changed",
            problems,
        )
    return values


def apply_settings(session: Session, actor: Actor, values: Mapping[str, str]) -> list[str]:
    """Write checked `values`; the keys that changed. Refuses combinations that clash."""
    authorize(session, actor, "settings.change")
    current = effective_settings(session)
    merged = {**current, **values}
    problems = cross_check(merged)
    if problems:
        raise ValidationFailed("the settings do not fit together, nothing changed", problems)
    changed = [key for key, value in values.items() if current.get(key) != value]
    for key in changed:
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=values[key]))
        else:
            row.value = values[key]
    if "sscc.serial_start" in changed:
        _start_sequence_at(session, "sscc", int(values["sscc.serial_start"]))
    if changed:
        record(
            session,
            actor,
            "settings",
            0,
            "settings_changed",
            details={key: shown_value(key, values[key]) for key in changed},
        )
    return changed


def set_settings(db: Database, actor: Actor, changes: Mapping[str, object]) -> list[str]:
    """Check and store `changes` (key -> value) in one transaction; the keys changed."""
    values = checked_values(changes)
    return run_in_transaction(db, lambda session: apply_settings(session, actor, values))


def _start_sequence_at(session: Session, name: str, start: int) -> None:
    """Numbers already handed out stay used: the sequence only ever moves forward."""
    session.execute(
        update(Sequence)
        .where(Sequence.name == name, Sequence.next_value < start)
        .values(next_value=start)
    )
