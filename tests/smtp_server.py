"""A real SMTP server on 127.0.0.1 (aiosmtpd) for tests and benchmarks.

It keeps every message it accepted and answers DATA from a script of replies
("451 ...", "550 ...") before falling back to 250; it can require STARTTLS and a
log-in, or speak implicit TLS, with a self-signed certificate made by openssl.
"""

from __future__ import annotations

import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from tests.loopback_printer import free_port

USER = "shop"
PASSWORD = "s3cret-pa55"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class _Handler:
    replies: list[str] = field(default_factory=list)  # answers to DATA, first one first
    refused: dict[str, str] = field(default_factory=dict)  # recipient -> answer to DATA
    received: list[Received] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        with self.changed:
            refusal = next((self.refused[r] for r in envelope.rcpt_tos if r in self.refused), None)
            reply = refusal or (self.replies.pop(0) if self.replies else "250 2.0.0 OK")
            if reply.startswith("250"):
                assert isinstance(envelope.content, bytes)
                self.received.append(
                    Received(str(envelope.mail_from), list(envelope.rcpt_tos), envelope.content)
                )
            self.changed.notify_all()
        return reply


def _authenticate(
    server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)  # failure: the server says 535


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class SmtpServer:
    """`url` is what SHIPSHAPE_SMTP would say. tls: None (plain), "starttls" (required,
    with log-in) or "implicit"."""

    def __init__(self, *, tls: str | None = None, certificate: tuple[Path, Path] | None = None):
        self.port = free_port()
        self.handler = _Handler()
        self.tls = tls
        kwargs: dict[str, Any] = {}
        if tls:
            assert certificate is not None
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(certificate[0]), str(certificate[1]))
            if tls == "implicit":
                kwargs["ssl_context"] = context
            else:
                kwargs.update(
                    tls_context=context,
                    require_starttls=True,
                    authenticator=_authenticate,
                    auth_required=True,
                )
        self._controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            server_hostname="localhost",
            **kwargs,
        )

    @property
    def url(self) -> str:
        if self.tls == "implicit":
            return f"smtps://127.0.0.1:{self.port}"
        if self.tls == "starttls":
            return f"smtp://{USER}:{PASSWORD}@127.0.0.1:{self.port}"
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def reply_next(self, *replies: str) -> None:
        """Answer the next DATA commands with these replies, then 250 again."""
        with self.handler.changed:
            self.handler.replies.extend(replies)

    def refuse(self, recipient: str, reply: str) -> None:
        """Answer every message to `recipient` with `reply` (e.g. "550 ...")."""
        with self.handler.changed:
            self.handler.refused[recipient] = reply

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        with self.handler.changed:
            self.handler.changed.wait_for(lambda: len(self.received) >= count, timeout)
        return list(self.received)

    def start(self) -> SmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()
