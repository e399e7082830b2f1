"""JSON columns are written by orjson (db.engine.json_text): what goes in comes back,
on both databases, with text keys where json.dumps would have made them."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.services.catalogue import ensure_channel
from db.engine import Database, json_text
from db.models import Channel
from db.uow import read, run_in_transaction


def test_a_document_comes_back_as_written_with_int_keys_as_text(db: Database) -> None:
    document = {"Straße": "München ✓", 7: [1, 2.5, None, True], "nested": {"é": ["ü"]}}

    def write(session: Session) -> None:
        ensure_channel(session, "web", "csv").risk_overrides = document  # type: ignore[assignment]

    run_in_transaction(db, write)

    stored = read(db, lambda s: s.scalar(select(Channel.risk_overrides)))
    assert stored == {"Straße": "München ✓", "7": [1, 2.5, None, True], "nested": {"é": ["ü"]}}
    raw = read(db, lambda s: s.scalar(text("SELECT CAST(risk_overrides AS TEXT) FROM channels")))
    assert "München ✓" in raw  # UTF-8, not \\u escapes


def test_json_text_is_compact_utf8() -> None:
    assert json_text({1: "ü", "a": [1, {"b": None}]}) == '{"1":"ü","a":[1,{"b":null}]}'
