"""Where e-mails go: an SMTP server (smtplib) or a folder of .eml files.

SMTP comes from SHIPSHAPE_SMTP=smtp[s]://user:password@host:port when it is set,
else from the smtp.* settings. `smtp://` upgrades with STARTTLS when the server
offers it and refuses to log in without it; `smtps://` is implicit TLS. The password
is never part of what is shown (`describe`).

Failures come in three kinds, because the sender treats them differently:
TransportDown (nothing reached the server: every message waits), TemporaryRefusal
(4xx for this message: retried with back-off) and PermanentRefusal (5xx: failed).
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Protocol
from urllib.parse import unquote, urlsplit

from platformdirs import user_data_dir

from app.errors import ValidationFailed

SMTP_ENV_VAR = "SHIPSHAPE_SMTP"
TIMEOUT_S = 30.0


class TransportDown(Exception):
    """The server could not be reached, refused TLS or the log-in: nothing was sent."""


class TemporaryRefusal(Exception):
    """The server refused this message for now (4xx)."""


class PermanentRefusal(Exception):
    """The server refused this message for good (5xx)."""


class Transport(Protocol):
    def __enter__(self) -> Transport: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def already_delivered(self, message_id: str) -> bool:
        """Whether a message with this Message-ID provably went out already."""
        ...

    def send(self, message: EmailMessage, *, sender: str, recipient: str) -> None: ...


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # starttls | tls | none
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = TIMEOUT_S

    def describe(self) -> str:
        scheme = "smtps" if self.security == "tls" else "smtp"
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}"


@dataclass(frozen=True)
class FolderConfig:
    folder: Path

    def describe(self) -> str:
        return f"folder {self.folder}"


def default_mail_folder() -> Path:
    return Path(user_data_dir("shipshape", appauthor=False)) / "outbox"


def smtp_from_url(url: str) -> SmtpConfig:
    """SHIPSHAPE_SMTP's value; ValidationFailed names what is wrong (never the password)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise ValidationFailed(f"{SMTP_ENV_VAR} must start with smtp:// or smtps://")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 587)
    except ValueError:
        raise ValidationFailed(f"{SMTP_ENV_VAR}: the port must be a number 1-65535") from None
    if not parts.hostname:
        raise ValidationFailed(f"{SMTP_ENV_VAR} names no host (smtp://user:password@host:port)")
    return SmtpConfig(
        host=parts.hostname,
        port=port,
        security="tls" if parts.scheme == "smtps" else "starttls",
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def mail_config(
    settings: Mapping[str, str], environ: Mapping[str, str] = os.environ
) -> SmtpConfig | FolderConfig:
    """SHIPSHAPE_SMTP, else the e-mail settings (folder by default)."""
    if environ.get(SMTP_ENV_VAR):
        return smtp_from_url(environ[SMTP_ENV_VAR])
    if settings.get("email.transport", "folder") != "smtp":
        folder = settings.get("email.folder", "")
        return FolderConfig(Path(folder) if folder else default_mail_folder())
    if not settings.get("smtp.host"):
        raise ValidationFailed("email.transport is smtp but smtp.host is not set")
    return SmtpConfig(
        host=settings["smtp.host"],
        port=int(settings.get("smtp.port") or 587),
        security=settings.get("smtp.security") or "starttls",
        username=settings.get("smtp.username", ""),
        password=settings.get("smtp.password", ""),
    )


def open_transport(config: SmtpConfig | FolderConfig) -> Transport:
    if isinstance(config, FolderConfig):
        return FolderTransport(config.folder)
    return SmtpTransport(config)


class SmtpTransport:
    """One SMTP session for a batch of messages."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        config = self.config
        where = config.describe()
        try:
            if config.security == "tls":
                self._smtp = smtplib.SMTP_SSL(
                    config.host,
                    config.port,
                    timeout=config.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                self._smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            smtp = self._smtp
            smtp.ehlo()
            if config.security == "starttls" and smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            elif config.username and config.security != "tls":
                raise TransportDown(
                    f"{where} offers no STARTTLS: the password is not sent unencrypted"
                )
            if config.username:
                smtp.login(config.username, config.password)
        except smtplib.SMTPAuthenticationError as exc:
            self._close()
            raise TransportDown(f"{where} refused the log-in ({exc.smtp_code})") from None
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            self._close()
            raise TransportDown(f"cannot reach {where}: {_reason(exc)}") from None
        except TransportDown:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
        self._close()

    def _close(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def already_delivered(self, message_id: str) -> bool:
        return False  # an SMTP server cannot be asked what it accepted before

    def send(self, message: EmailMessage, *, sender: str, recipient: str) -> None:
        assert self._smtp is not None, "use the transport as a context manager"
        try:
            self._smtp.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (550, b"recipient refused"))
            raise _refusal(code, text) from None
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, ...
            raise _refusal(exc.smtp_code, exc.smtp_error) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise PermanentRefusal(f"the server cannot take this address: {exc}") from None
        except (smtplib.SMTPException, OSError) as exc:
            self._close()
            raise TransportDown(
                f"connection to {self.config.describe()} lost: {_reason(exc)}"
            ) from None


def _refusal(code: int, text: bytes | str) -> Exception:
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    reason = f"{code} {' '.join(shown.split())}"
    return PermanentRefusal(reason) if 500 <= code < 600 else TemporaryRefusal(reason)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def eml_name(message_id: str) -> str:
    """The file name for a Message-ID: the same message always lands in the same file."""
    return _UNSAFE.sub("_", message_id.strip("<>"))[:200] + ".eml"


class FolderTransport(contextlib.AbstractContextManager["FolderTransport"]):
    """Writes each message to `<folder>/<Message-ID>.eml`, atomically (whole or not at
    all). A Message-ID already in the folder was delivered: it is not written again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> FolderTransport:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TransportDown(f"cannot use {self.folder}: {_reason(exc)}") from None
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None  # nothing held open between messages

    def already_delivered(self, message_id: str) -> bool:
        return (self.folder / eml_name(message_id)).exists()

    def send(self, message: EmailMessage, *, sender: str, recipient: str) -> None:
        target = self.folder / eml_name(str(message["Message-ID"]))
        try:
            data = message.as_bytes(policy=policy.SMTP)
        except (UnicodeEncodeError, ValueError):
            data = message.as_bytes(policy=policy.SMTPUTF8)
        temp = target.with_name(f".{target.name}.part")
        try:
            with open(temp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise TransportDown(f"cannot write {target}: {_reason(exc)}") from None
