"""RawTcpPrinter against a real loopback listener playing a port-9100 label printer."""

from __future__ import annotations

import re
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from app.documents.render import render_label_zpl
from app.documents.samples import sample_label
from app.printing import Printer, PrinterError, RawTcpPrinter


class _JobHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        chunks = []
        while data := self.request.recv(65536):
            chunks.append(data)
        self.server.jobs.append(b"".join(chunks))  # type: ignore[attr-defined]


class _Printer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _JobHandler)
        self.jobs: list[bytes] = []

    def wait_for(self, count: int) -> list[bytes]:
        deadline = time.monotonic() + 5
        while len(self.jobs) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.jobs


@contextmanager
def label_printer(port: int = 0) -> Iterator[_Printer]:
    server = _Printer(port)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_each_label_arrives_as_one_complete_job() -> None:
    labels = [sample_label(n) for n in range(3)]
    with label_printer() as server:
        printer: Printer = RawTcpPrinter("127.0.0.1", server.server_address[1], timeout=2)
        for label in labels:
            printer.send(render_label_zpl([label]), fmt="zpl", job_name=label.order_number)
        jobs = server.wait_for(3)
    assert len(jobs) == 3
    for job, label in zip(sorted(jobs), labels, strict=True):
        assert job == render_label_zpl([label])
        assert re.fullmatch(rb"\^XA[^\n]*\^XZ\n", job)


def test_a_batch_is_one_job_with_one_format_per_label() -> None:
    document = render_label_zpl([sample_label(n) for n in range(50)])
    with label_printer() as server:
        RawTcpPrinter("127.0.0.1", server.server_address[1]).send(document, fmt="zpl",
                                                                   job_name="batch")
        (job,) = server.wait_for(1)
    assert job == document
    assert job.count(b"^XA") == job.count(b"^XZ") == 50


def test_nothing_listening_fails_fast_then_a_live_printer_takes_the_job() -> None:
    port = free_port()
    printer = RawTcpPrinter("127.0.0.1", port, timeout=2)
    started = time.monotonic()
    with pytest.raises(PrinterError, match="refused the connection"):
        printer.send(b"^XA^XZ\n", fmt="zpl", job_name="x")
    assert time.monotonic() - started < 1
    with label_printer(port) as server:
        printer.send(b"^XA^FDok^FS^XZ\n", fmt="zpl", job_name="x")
        assert server.wait_for(1) == [b"^XA^FDok^FS^XZ\n"]


def test_printer_that_stops_reading_times_out_with_a_clear_message() -> None:
    with socket.socket() as stalled:
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stalled.bind(("127.0.0.1", 0))
        stalled.listen(1)
        printer = RawTcpPrinter("127.0.0.1", stalled.getsockname()[1], timeout=0.3)
        started = time.monotonic()
        with pytest.raises(PrinterError, match=r"did not take the whole job within 0\.3 s"):
            printer.send(b"^XA" + b"x" * (32 << 20) + b"^XZ", fmt="zpl", job_name="big")
        assert time.monotonic() - started < 2


def test_printer_that_never_accepts_times_out_on_connect() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(0)
        address = busy.getsockname()
        waiting = []
        for _ in range(4):
            filler = socket.socket()
            filler.settimeout(0.2)
            waiting.append(filler)
            try:
                filler.connect(address)
            except TimeoutError:
                break
        try:
            printer = RawTcpPrinter(*address, timeout=0.3)
            with pytest.raises(PrinterError, match=r"did not accept the connection within 0\.3"):
                printer.send(b"^XA^XZ\n", fmt="zpl", job_name="x")
        finally:
            for filler in waiting:
                filler.close()


def test_unknown_host_and_wrong_format_are_printer_errors() -> None:
    with pytest.raises(PrinterError, match=r"Cannot print to no-such-printer\.invalid:9100"):
        RawTcpPrinter("no-such-printer.invalid", timeout=1).send(b"x", fmt="zpl", job_name="x")
    with pytest.raises(PrinterError, match="takes zpl, not 'pdf'"):
        RawTcpPrinter("127.0.0.1").send(b"%PDF", fmt="pdf", job_name="x")
