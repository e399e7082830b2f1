"""`--station` windows fill the screen and take the keyboard on a real X server with no
window manager (Xvfb), where the full-screen state alone does nothing useful."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCREEN = (1024, 600)  # the smallest screen a station supports
NOT_SET_UP = "This station cannot pack yet: "


@pytest.fixture
def x_server() -> Iterator[str]:
    """A bare Xvfb display (no window manager); its DISPLAY name."""
    missing = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
    if missing:
        message = f"{' and '.join(missing)} not installed (apt-get install xvfb xdotool)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    read_end, write_end = os.pipe()
    size = f"{SCREEN[0]}x{SCREEN[1]}x24"
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)


def _probe(display: str, *options: str) -> dict[str, object]:
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.station.kiosk_probe", *options],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_without_a_window_manager_the_station_fills_the_screen_and_grabs_the_keyboard(
    x_server: str,
) -> None:
    report = _probe(x_server)

    assert report["window_manager"] is False
    assert report["window"] == report["screen"] == [0, 0, *SCREEN]
    assert report["qt_focus"] is True
    assert report["x_focus_is_window"] is True
    assert report["keyboard_grabbed"] is True
    answers = report["answers"]
    assert isinstance(answers, list) and answers[0].startswith(NOT_SET_UP)  # the key got there
    assert report["typed_into_f2_dialog"] == "folder:/tmp"


def test_with_a_window_manager_it_fills_the_screen_but_leaves_the_keyboard_alone(
    x_server: str,
) -> None:
    report = _probe(x_server, "--fake-wm")

    assert report["window_manager"] is True
    assert report["window"] == [0, 0, *SCREEN]
    assert report["keyboard_grabbed"] is False
