"""Does Qt's X11 (xcb) platform plugin find every system library it needs?

PySide6's wheels bring Qt but not the X11 helper libraries, and a missing one makes
the first window abort inside Qt with a message about plugins. This check runs `ldd`
on the plugin and on Qt's xcb integration library, and names each library that is
not found with the Debian/Ubuntu package that provides it:

    python -m ui.platform_check        # `make doctor`; `make run` runs it first

It imports nothing from Qt, so it works exactly when Qt would not.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ALL_PRESENT = "Qt platform plugin xcb: all system libraries present"

# soname -> Debian/Ubuntu package (checked with `dpkg -S` on Debian 12).
DEBIAN_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


class CheckFailed(Exception):
    """The check itself could not run; the message says why."""


@dataclass(frozen=True)
class MissingLibrary:
    soname: str
    package: str | None  # None: not in DEBIAN_PACKAGES


def xcb_files(pyside: Path | None = None) -> list[Path]:
    """The xcb platform plugin and Qt's xcb integration library inside PySide6."""
    qt = (pyside or _pyside_folder()) / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        raise CheckFailed(f"PySide6 has no xcb platform plugin at {plugin}: reinstall PySide6")
    return [plugin, *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))[:1]]


def not_found(ldd_output: str) -> list[str]:
    """The libraries `ldd` reports as `not found`, in its order, each once."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def missing_libraries(files: Iterable[Path]) -> list[MissingLibrary]:
    """Every library that one of `files` links to and the dynamic loader cannot find."""
    sonames: dict[str, None] = {}
    for path in files:
        for soname in not_found(_ldd(path)):
            sonames[soname] = None
    return [MissingLibrary(s, DEBIAN_PACKAGES.get(s)) for s in sonames]


def report(missing: Sequence[MissingLibrary]) -> list[str]:
    """One line per missing library, then the one command that installs them all."""
    if not missing:
        return [ALL_PRESENT]
    lines = [
        f"Qt platform plugin xcb: {m.soname} not found "
        + (
            f"(Debian/Ubuntu package {m.package})"
            if m.package
            else f"(find its package with: apt-file search {m.soname})"
        )
        for m in missing
    ]
    packages = sorted({m.package for m in missing if m.package})
    if packages:
        lines.append(f"install them with: sudo apt-get install {' '.join(packages)}")
    return lines


def main() -> int:
    if not sys.platform.startswith("linux"):
        print("Qt platform plugin xcb: not used on this system, nothing to check")
        return 0
    try:
        missing = missing_libraries(xcb_files())
    except CheckFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in report(missing):
        print(line, file=sys.stderr if missing else sys.stdout)
    return 1 if missing else 0


def _pyside_folder() -> Path:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        raise CheckFailed("PySide6 is not installed in this Python: run make")
    return Path(spec.origin).parent


def _ldd(path: Path) -> str:
    try:
        done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise CheckFailed(f"cannot run ldd on {path}: {exc}") from None
    if done.returncode != 0:
        raise CheckFailed(f"ldd {path} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


if __name__ == "__main__":
    sys.exit(main())
