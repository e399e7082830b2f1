"""A network label printer's raw port (JetDirect / port 9100): ZPL straight to the printer."""

from __future__ import annotations

import socket

from app.printing.base import PrinterError, require_format


class RawTcpPrinter:
    """Connects, sends the whole job, closes. `timeout` (seconds) bounds the connect and,
    separately, the whole send."""

    def __init__(self, host: str, port: int = 9100, *, timeout: float = 5.0,
                 formats: tuple[str, ...] = ("zpl",)) -> None:
        self.host, self.port, self.timeout, self.formats = host, port, timeout, formats

    def send(self, document: bytes, *, fmt: str, job_name: str) -> None:
        """Send `document` as one job; PrinterError if the printer cannot be reached or
        does not take it in time. (`job_name` has no place in a raw job.)"""
        require_format(fmt, self.formats)
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as error:
            raise self._error(error, "accept the connection") from error
        with sock:
            try:
                sock.sendall(document)
                sock.shutdown(socket.SHUT_WR)
            except OSError as error:
                raise self._error(error, "take the whole job") from error

    def _error(self, error: OSError, step: str) -> PrinterError:
        where = f"{self.host}:{self.port}"
        if isinstance(error, ConnectionRefusedError):
            return PrinterError(f"Printer {where} refused the connection: is it switched on "
                                f"and is {self.port} its raw printing port?")
        if isinstance(error, TimeoutError):
            return PrinterError(f"Printer {where} did not {step} within {self.timeout:g} s: "
                                "check that it is on, online (not paused, labels loaded) "
                                "and reachable")
        return PrinterError(f"Cannot print to {where}: {error.strerror or error}")
