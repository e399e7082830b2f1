"""A port-9100 label printer on 127.0.0.1 for tests and benchmarks: a real socket server
thread that keeps each job's bytes and the moment its last byte arrived."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ReceivedJob:
    data: bytes
    done_at: float  # time.perf_counter() when the sender closed the connection


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        chunks = []
        while data := self.request.recv(65536):
            chunks.append(data)
        server = self.server
        assert isinstance(server, _Server)
        server.received(ReceivedJob(b"".join(chunks), time.perf_counter()))


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, received: _Jobs) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.received = received


class _Jobs:
    def __init__(self) -> None:
        self.jobs: list[ReceivedJob] = []
        self.arrived = threading.Condition()

    def __call__(self, job: ReceivedJob) -> None:
        with self.arrived:
            self.jobs.append(job)
            self.arrived.notify_all()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LoopbackPrinter:
    """`spec` is its printer spec; `start()` makes it answer (it may start switched off)."""

    def __init__(self, port: int = 0) -> None:
        self.port = port or free_port()
        self.spec = f"tcp://127.0.0.1:{self.port}"
        self._jobs = _Jobs()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def jobs(self) -> list[ReceivedJob]:
        with self._jobs.arrived:
            return list(self._jobs.jobs)

    def start(self) -> LoopbackPrinter:
        self._server = _Server(self.port, self._jobs)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedJob]:
        """The jobs received once there are `count` of them (or `timeout` seconds passed)."""
        with self._jobs.arrived:
            self._jobs.arrived.wait_for(lambda: len(self._jobs.jobs) >= count, timeout)
            return list(self._jobs.jobs)
