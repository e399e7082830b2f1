"""Print jobs: a printer that is down loses no label; a reprint delivers it."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.context import Actor
from app.services.allocation import allocate
from app.services.pack_completion import pack_unverified
from app.services.printing import list_jobs, order_labels, print_job, print_pending
from db.engine import Database
from tests.factories import place, stock


class _ZplCollector(socketserver.BaseRequestHandler):
    received: list[bytes]

    def handle(self) -> None:
        chunks = []
        while data := self.request.recv(65536):
            chunks.append(data)
        self.server.received.append(b"".join(chunks))  # type: ignore[attr-defined]


@pytest.fixture
def zpl_printer() -> Iterator[socketserver.TCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _ZplCollector)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _jobs_received(server: socketserver.TCPServer, expected: int) -> list[bytes]:
    """The jobs the listener has finished reading (its handler runs on its own thread)."""
    deadline = time.monotonic() + 5
    while len(server.received) < expected and time.monotonic() < deadline:  # type: ignore[attr-defined]
        time.sleep(0.01)
    return list(server.received)  # type: ignore[attr-defined]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _packed_order(db: Database, actor: Actor, label_format: str = "zpl") -> tuple[str, int]:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    result = pack_unverified(db, actor, number, label_format=label_format)
    return number, result.print_job_ids[0]


def test_a_label_sent_to_a_network_printer_arrives_as_one_zpl_job(
    db: Database, actor: Actor, zpl_printer: socketserver.TCPServer
) -> None:
    number, job_id = _packed_order(db, actor)
    port = zpl_printer.server_address[1]

    outcome = print_job(db, job_id, printer=f"tcp://127.0.0.1:{port}")

    assert outcome.printed
    received = _jobs_received(zpl_printer, 1)
    assert len(received) == 1
    assert received[0].count(b"^XA") == 1 and received[0].count(b"^XZ") == 1
    assert number.encode() in received[0]
    assert [j.status for j in list_jobs(db) if j.id == job_id] == ["printed"]


def test_a_printer_that_is_down_keeps_the_job_pending_until_a_retry_succeeds(
    db: Database, actor: Actor, zpl_printer: socketserver.TCPServer
) -> None:
    _, job_id = _packed_order(db, actor)
    dead = f"tcp://127.0.0.1:{_free_port()}"

    failed = print_job(db, job_id, printer=dead)

    assert not failed.printed
    assert "NOT printed" in failed.message and "job kept" in failed.message
    job = next(j for j in list_jobs(db) if j.id == job_id)
    assert (job.status, job.attempts) == ("pending", 1)
    assert job.last_error

    live = f"tcp://127.0.0.1:{zpl_printer.server_address[1]}"
    assert print_job(db, job_id, printer=live).printed
    job = next(j for j in list_jobs(db) if j.id == job_id)
    assert (job.status, job.attempts, job.last_error) == ("printed", 2, None)


def test_a_one_off_printer_becomes_the_jobs_own_only_when_the_job_printed_there(
    db: Database, actor: Actor, zpl_printer: socketserver.TCPServer
) -> None:
    _, job_id = _packed_order(db, actor)
    configured = next(j.printer for j in list_jobs(db) if j.id == job_id)
    mistyped = f"tcp://127.0.0.1:{_free_port()}"
    live = f"tcp://127.0.0.1:{zpl_printer.server_address[1]}"

    assert not print_job(db, job_id, printer=mistyped).printed
    assert next(j.printer for j in list_jobs(db) if j.id == job_id) == configured
    assert print_job(db, job_id, printer=live).printed
    assert next(j.printer for j in list_jobs(db) if j.id == job_id) == live


def test_pending_labels_and_slips_print_to_the_default_folder(
    db: Database, actor: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "printed"
    monkeypatch.setenv("SHIPSHAPE_PRINT_DIR", str(folder))
    _packed_order(db, actor, label_format="pdf")

    outcomes = print_pending(db)

    assert [o.printed for o in outcomes] == [True, True]
    files = sorted(folder.iterdir())
    assert [f.name.split("-")[0] for f in files] == ["label", "packing_slip"]
    assert all(f.suffix == ".pdf" and f.read_bytes().startswith(b"%PDF") for f in files)


def test_order_labels_render_for_the_cli_in_both_formats(db: Database, actor: Actor) -> None:
    number, _ = _packed_order(db, actor)

    assert order_labels(db, number, "pdf").startswith(b"%PDF")
    zpl = order_labels(db, number, "zpl")
    assert zpl.count(b"^XA") == 1 and number.encode() in zpl
