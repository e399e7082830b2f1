"""Child-process entry points for the e-mail sender tests (spawned: top-level, picklable).

`race_sender` drains the outbox against a shared SMTP server; `sender_killed_after_accept`
sends one batch and is SIGKILLed the moment the server has accepted a message, before
the row is marked sent.
"""

from __future__ import annotations

import os
import signal
import time
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import app.services.email_sender as email_sender
from app.emails.transport import smtp_from_url
from app.services.email_sender import SenderPolicy, send_due
from db.engine import open_database
from tests.races.workers import BarrierLike, QueueLike


@dataclass(frozen=True)
class SenderConfig:
    db_url: str
    smtp_url: str
    batch: int = 5


@dataclass
class SenderReport:
    worker: int
    sent: int = 0
    passes: int = 0
    fatal: str | None = None
    elapsed_s: float = 0.0
    errors: list[str] = field(default_factory=list)


def race_sender(cfg: SenderConfig, n: int, barrier: BarrierLike, queue: QueueLike) -> None:
    report = SenderReport(worker=n)
    db = open_database(cfg.db_url, station=f"sender-{n}")
    policy = SenderPolicy(batch=cfg.batch)
    try:
        barrier.wait(timeout=120)
        start = time.perf_counter()
        while True:
            result = send_due(
                db, worker=f"sender-{n}", policy=policy, config=smtp_from_url(cfg.smtp_url)
            )
            report.passes += 1
            report.sent += result.sent
            if result.server_down:
                report.errors.append(result.server_down)
            if result.sent == 0 and result.retrying == 0:
                break
        report.elapsed_s = time.perf_counter() - start
    except Exception:
        report.fatal = traceback.format_exc()
    finally:
        db.dispose()
        queue.put(report)


def sender_killed_after_accept(db_url: str, smtp_url: str | None, folder: str | None) -> None:
    """Send with a short lease; die by SIGKILL right after the first message is accepted."""
    from pathlib import Path

    from app.emails.transport import FolderConfig

    def die(*args: Any, **kwargs: Any) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    email_sender._finish = die  # type: ignore[assignment]  # the crash window, exactly
    db = open_database(db_url, station="doomed")
    config = smtp_from_url(smtp_url) if smtp_url else FolderConfig(Path(folder or "."))
    send_due(db, worker="doomed", policy=SenderPolicy(lease=timedelta(seconds=1)), config=config)
