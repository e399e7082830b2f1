"""`make doctor`: the real check against this machine's Qt, and ldd's output read right."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ui.platform_check import (
    ALL_PRESENT,
    DEBIAN_PACKAGES,
    CheckFailed,
    MissingLibrary,
    missing_libraries,
    not_found,
    report,
    xcb_files,
)

ROOT = Path(__file__).resolve().parents[2]

# ldd on libqxcb.so of PySide6 6.8 on a Debian 12 without libxcb-icccm4 and libxcb-keysyms1.
LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007fda24ec0000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x7fda)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007fda24d62000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007fda24d0f000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fda241f9000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007fda241f1000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-randr.so.0 => /lib/x86_64-linux-gnu/libxcb-randr.so.0 (0x00007fda241da000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fda2301e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007fda24ec2000)
"""


def run_check(env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.platform_check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_this_machine_has_every_library_the_xcb_plugin_needs() -> None:
    files = xcb_files()
    assert [f.name for f in files] == ["libqxcb.so", "libQt6XcbQpa.so.6"]

    assert missing_libraries(files) == []
    done = run_check()

    assert (done.returncode, done.stdout, done.stderr) == (0, ALL_PRESENT + "\n", "")


def test_ldd_output_names_each_missing_library_once_with_its_package() -> None:
    assert not_found(LDD_MISSING) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    missing = [MissingLibrary(s, DEBIAN_PACKAGES.get(s)) for s in not_found(LDD_MISSING)]

    assert report(missing) == [
        "Qt platform plugin xcb: libxcb-icccm.so.4 not found (Debian/Ubuntu package libxcb-icccm4)",
        "Qt platform plugin xcb: libxcb-keysyms.so.1 not found "
        "(Debian/Ubuntu package libxcb-keysyms1)",
        "install them with: sudo apt-get install libxcb-icccm4 libxcb-keysyms1",
    ]


def test_a_library_without_a_known_package_is_named_and_left_out_of_apt_get() -> None:
    lines = report([MissingLibrary("libexotic.so.9", None), MissingLibrary("libGL.so.1", "libgl1")])
    assert lines == [
        "Qt platform plugin xcb: libexotic.so.9 not found "
        "(find its package with: apt-file search libexotic.so.9)",
        "Qt platform plugin xcb: libGL.so.1 not found (Debian/Ubuntu package libgl1)",
        "install them with: sudo apt-get install libgl1",
    ]
    assert report([]) == [ALL_PRESENT]


def test_missing_libraries_make_the_check_fail_with_one_line_each_and_apt_get(
    tmp_path: Path,
) -> None:
    """A fake `ldd` first on PATH answers as on a fresh Debian."""
    fake = tmp_path / "bin" / "ldd"
    fake.parent.mkdir()
    (tmp_path / "output.txt").write_text(LDD_MISSING)
    fake.write_text(f"#!/bin/sh\ncat {tmp_path / 'output.txt'}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}

    done = run_check(env)

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "Qt platform plugin xcb: libxcb-icccm.so.4 not found (Debian/Ubuntu package libxcb-icccm4)",
        "Qt platform plugin xcb: libxcb-keysyms.so.1 not found "
        "(Debian/Ubuntu package libxcb-keysyms1)",
        "install them with: sudo apt-get install libxcb-icccm4 libxcb-keysyms1",
    ]


def test_a_pyside_without_the_xcb_plugin_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CheckFailed, match="no xcb platform plugin"):
        xcb_files(tmp_path)


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg: Debian and Ubuntu only")
def test_the_package_table_agrees_with_dpkg_for_the_libraries_qt_uses_here() -> None:
    """Each system library the plugin resolves, looked up by its path (under /lib and
    /usr/lib: merged-/usr systems register either)."""
    resolved: dict[str, str] = {}
    for path in xcb_files():
        ldd = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True)
        resolved.update(re.findall(r"^\s*(\S+) => (/\S+)", ldd.stdout, re.MULTILINE))
    paths = {
        variant: soname
        for soname, where in resolved.items()
        if soname in DEBIAN_PACKAGES
        for variant in (where, where.removeprefix("/usr"), "/usr" + where.removeprefix("/usr"))
    }
    found = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True)
    owners: dict[str, set[str]] = {}
    for line in found.stdout.splitlines():  # "libxcb1:amd64: /usr/lib/x86_64-linux-gnu/libxcb.so.1"
        package, file = line.split(": ", 1)
        owners.setdefault(paths[file], set()).add(package.split(":")[0])

    assert len(owners) >= 20, owners
    for soname, packages in owners.items():
        assert DEBIAN_PACKAGES[soname] in packages, f"{soname}: dpkg says {packages}"
