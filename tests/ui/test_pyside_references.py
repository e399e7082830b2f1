"""PySide6 6.12.0 on Python 3.11 drops a reference to None/True on every void Qt call
and every signal emit, until the interpreter aborts mid-shift. pyproject.toml excludes
it; this test fails loudly if a build with that bug is ever installed again."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(2000):
    label.setText("x")
    label.objectNameChanged.emit("scan")
after = sys.getrefcount(None), sys.getrefcount(True)
print(before[0] - after[0], before[1] - after[1])
"""


def test_qt_calls_and_signal_emits_do_not_leak_references_to_none_or_true() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-500:]
    lost_none, lost_true = (int(n) for n in result.stdout.split())
    assert lost_none < 100 and lost_true < 100, f"lost {lost_none} None, {lost_true} True refs"
