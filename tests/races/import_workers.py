"""Child-process entry point for the import race: one `import-orders` per process.

Each child runs the command line in-process (as `main.py` would) once the barrier
releases everyone, and reports its exit status, what it printed, any exception that
escaped the command line, and when its import ran.
"""

from __future__ import annotations

import io
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any

BARRIER_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class ImportConfig:
    url: str
    path: str
    locking: bool = True  # False: intake's lock and receipt claims off (negative controls)
    command: tuple[str, ...] = ()  # another import's command line (after --db URL)


@dataclass
class ImportReport:
    worker: int
    code: int | None = None
    out: str = ""
    err: str = ""
    escaped: str | None = None  # a traceback that got past the command line
    started: float = 0.0
    finished: float = 0.0
    fatal: str | None = None  # the harness's contract: set only if the child itself broke


def _no_lock(session: object) -> None:
    """Intake's lock switched off."""


def _no_claim(*args: object) -> None:
    """Receipts not claimed: every receipt counts as new."""


def import_worker(cfg: ImportConfig, worker: int, barrier: Any, queue: Any) -> None:
    report = ImportReport(worker)
    try:
        import app.imports.orders as order_imports
        import app.services.intake as intake
        import app.services.inventory as inventory
        from app.cli import run

        if not cfg.locking:
            for module in (order_imports, intake):
                setattr(module, "lock_intake", _no_lock)  # noqa: B010
            setattr(inventory, "claim", _no_claim)  # noqa: B010
        out, err = io.StringIO(), io.StringIO()
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        report.started = time.time()
        try:
            with redirect_stdout(out), redirect_stderr(err):
                args = cfg.command or ("import-orders", cfg.path, "--channel", "web")
                report.code = run(["--db", cfg.url, *args])
        except BaseException:
            report.escaped = traceback.format_exc()
        report.finished = time.time()
        report.out, report.err = out.getvalue(), err.getvalue()
    except BaseException:
        report.fatal = traceback.format_exc()
    finally:
        queue.put(report)
