"""Running `python main.py` as a user would, and judging what it printed."""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]

# Capabilities that let root ignore file permissions; dropped from the bounding set
# of the CLI process so that a chmod bites even when the tests run as root.
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_LINUX_IMMUTABLE = 1, 2, 3, 9


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    code: int
    out: str
    err: str
    seconds: float

    def __str__(self) -> str:
        command = " ".join(self.args)
        return (
            f"main.py --db {command} -> exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}"
        )


Cli = Callable[..., Result]


@dataclass(frozen=True)
class DemoTemplate:
    path: Path
    init_db: Result
    demo_data: Result


def drop_file_override() -> None:
    """preexec_fn: this process (and what it execs) obeys file permissions, even as root."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_LINUX_IMMUTABLE):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def run_cli(
    db_url: str,
    *args: str,
    home: Path,
    timeout: float = 120,
    obey_permissions: bool = False,
    stdin: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> Result:
    """`stdin` is what the command reads (passwords); without it stdin is empty."""
    env = {k: v for k, v in os.environ.items() if k not in ("SHIPSHAPE_DB", "SHIPSHAPE_USER")}
    env.pop("SHIPSHAPE_PASSWORD", None)
    env.update(extra_env or {})
    env["XDG_DATA_HOME"] = str(home)  # a missing --db must never reach the user's data
    env["HOME"] = str(home)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "main.py", "--db", db_url, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input=stdin or "",
        timeout=timeout,
        preexec_fn=drop_file_override if obey_permissions and os.geteuid() == 0 else None,
    )
    return Result(
        (db_url, *args), proc.returncode, proc.stdout, proc.stderr, time.monotonic() - start
    )


def still_writable(path: Path) -> str:
    """'' if a process started as `run_cli(obey_permissions=True)` cannot write `path`,
    else why it still could."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", f"open({str(path)!r}, 'r+b').close()"],
            capture_output=True,
            preexec_fn=drop_file_override if os.geteuid() == 0 else None,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError) as exc:  # e.g. no CAP_SETPCAP here
        return f"could not drop root's file capabilities ({exc})"
    return "" if proc.returncode != 0 else "a process like the CLI could still write it"


def assert_refused(result: Result) -> None:
    """Non-zero exit and exactly one human line on stderr (plus indented detail lines)."""
    assert result.code != 0, str(result)
    lines = result.err.splitlines()
    assert lines, str(result)
    assert lines[0].startswith("error: "), str(result)
    assert len(lines[0]) > len("error: ") + 10, str(result)
    assert all(line.startswith((" ", "\t")) for line in lines[1:]), str(result)
    assert "Traceback" not in result.err, str(result)


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in `folder` with a hash of its bytes: any change shows."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def stamp_newer(url: str) -> None:
    """Make the database look as if a future Shipshape had migrated it."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    finally:
        engine.dispose()
