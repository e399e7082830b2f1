"""Settings a supervisor can change, stored in the database so every station agrees."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.risk import RiskSettings
from db.models import Setting

RISK_PREFIX = "risk."


def load_risk_settings(session: Session) -> RiskSettings:
    stored = dict(
        session.execute(
            select(Setting.key, Setting.value).where(Setting.key.startswith(RISK_PREFIX))
        ).all()
    )
    defaults = RiskSettings()
    values: dict[str, object] = {}
    for f in fields(RiskSettings):
        raw = stored.get(RISK_PREFIX + f.name)
        if raw is None:
            continue
        current = getattr(defaults, f.name)
        values[f.name] = Decimal(raw) if isinstance(current, Decimal) else int(raw)
    return RiskSettings(**values)  # type: ignore[arg-type]


def save_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
