"""A CUPS queue, through the `lp` command (Linux and macOS)."""

from __future__ import annotations

import subprocess

from app.printing.base import PrinterError, require_format, safe_job_name


class CupsPrinter:
    """`lp -d QUEUE`; ZPL goes raw (`-o raw`) so the driver does not touch it."""

    def __init__(self, queue: str, *, lp_command: str = "lp", timeout: float = 30.0) -> None:
        self.queue, self.lp_command, self.timeout = queue, lp_command, timeout

    def send(self, document: bytes, *, fmt: str, job_name: str) -> None:
        """Hand `document` to CUPS; PrinterError with lp's own message if it refuses."""
        require_format(fmt)
        command = [self.lp_command, "-d", self.queue, "-t", safe_job_name(job_name)]
        if fmt == "zpl":
            command += ["-o", "raw"]
        try:
            result = subprocess.run(
                command, input=document, capture_output=True, timeout=self.timeout, check=False
            )
        except FileNotFoundError as error:
            raise PrinterError(
                f"'{self.lp_command}' not found: install the CUPS client to print to "
                f"queue {self.queue}"
            ) from error
        except subprocess.TimeoutExpired as error:
            raise PrinterError(
                f"CUPS did not take the job for {self.queue} within {self.timeout:g} s"
            ) from error
        except OSError as error:
            raise PrinterError(f"Cannot run '{self.lp_command}': {error}") from error
        if result.returncode != 0:
            reason = result.stderr.decode(errors="replace").strip() or (
                f"lp exited with status {result.returncode}"
            )
            raise PrinterError(f"CUPS queue {self.queue} refused the job: {reason}")
