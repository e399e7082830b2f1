"""The layering `ui -> app -> db`, read from the source with `ast` (no imports run).

Every import statement counts, including those under `if TYPE_CHECKING:` and inside
functions: a lazy import still ties the layers together.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


@dataclass(frozen=True)
class Import:
    path: str  # relative to the repository root, with forward slashes
    line: int
    module: str  # absolute dotted name

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.module}"


def _package_of(relative: Path) -> list[str]:
    parts = list(relative.with_suffix("").parts)
    return parts if relative.name == "__init__.py" else parts[:-1]


def imports_in(root: Path, folder: str) -> Iterator[Import]:
    """Every module imported by the .py files under `root/folder`, resolved to absolute."""
    for path in sorted((root / folder).rglob("*.py")):
        relative = path.relative_to(root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(relative.as_posix(), node.lineno, alias.name)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    package = _package_of(relative)
                    base = package[: len(package) - node.level + 1]
                    module = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                yield Import(relative.as_posix(), node.lineno, module)


def _is(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(root: Path) -> list[str]:
    found: list[Import] = []
    for folder in ("app", "db"):
        found += [i for i in imports_in(root, folder) if _is(i.module, *QT)]
    found += [i for i in imports_in(root, "app") if _is(i.module, "ui")]
    found += [i for i in imports_in(root, "db") if _is(i.module, "app", "ui")]
    found += [i for i in imports_in(root, "ui") if _is(i.module, "db", "sqlalchemy")]
    return [str(i) for i in found]


def test_the_layers_import_only_downwards() -> None:
    """app/ and db/ never import Qt, db/ never imports app/ or ui/, and no ui/ module -
    not even the launcher - imports db/ or sqlalchemy: only main.py sees all three."""
    assert violations(ROOT) == []


@pytest.mark.parametrize("folder", ["app", "db", "ui"])
def test_the_checker_reads_every_layer(folder: str) -> None:
    """Guard against a vacuous pass: each layer has files and imports to check."""
    assert len(list(imports_in(ROOT, folder))) > 20


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        ("app/services/x.py", "from PySide6.QtCore import QObject\n", "imports PySide6.QtCore"),
        ("app/x.py", "import ui.hub\n", "imports ui.hub"),
        ("db/x.py", "\n\nfrom app.errors import OmsError\n", "db/x.py:3: imports app.errors"),
        ("db/models/x.py", "from ...app import errors\n", "imports app"),
        ("db/x.py", "def f():\n    import shiboken6\n", "db/x.py:2: imports shiboken6"),
        ("ui/views/x.py", "from sqlalchemy import select\n", "imports sqlalchemy"),
        ("ui/views/x.py", "from db.models import Order\n", "imports db.models"),
        ("ui/launch.py", "from db.models import Order\n", "ui/launch.py:1: imports db.models"),
        ("ui/launch.py", "import sqlalchemy\n", "ui/launch.py:1: imports sqlalchemy"),
        ("ui/launch.py", "from db.engine import open_database\n", "imports db.engine"),
    ],
)
def test_the_checker_names_the_file_and_line_of_a_forbidden_import(
    tmp_path: Path, path: str, source: str, expected: str
) -> None:
    for folder in ("app", "db", "ui"):
        (tmp_path / folder).mkdir()
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")

    found = violations(tmp_path)

    assert len(found) == 1
    assert found[0].startswith(path + ":")
    assert expected in found[0]


def test_the_checker_lets_ui_reach_the_database_through_app(tmp_path: Path) -> None:
    for folder in ("app", "db", "ui"):
        (tmp_path / folder).mkdir()
    (tmp_path / "ui" / "launch.py").write_text(
        "from app.services.database_setup import open_database\n", encoding="utf-8"
    )
    (tmp_path / "app" / "x.py").write_text("from db.models import Order\n", encoding="utf-8")
    (tmp_path / "ui" / "y.py").write_text("from app.services import orders\n", encoding="utf-8")

    assert violations(tmp_path) == []
