"""ui/ reaches data only through app/ services: no db or sqlalchemy outside launch.py."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"


def _imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_ui_module_but_the_launcher_imports_db_or_sqlalchemy() -> None:
    offenders = [
        str(path.relative_to(UI))
        for path in sorted(UI.rglob("*.py"))
        if path.name != "launch.py" and _imported_roots(path) & {"db", "sqlalchemy"}
    ]
    assert offenders == []
