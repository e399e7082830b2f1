"""An outbox row as the MIME message that goes on the wire (or into a .eml file).

Everything comes from the row, including Date and Message-ID, so a message sent
again after an interrupted attempt is the same message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from app.emails.addresses import header_value


@dataclass(frozen=True)
class AttachmentData:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class OutgoingMessage:
    """What the sender needs of one claimed outbox row."""

    id: int
    message_id: str
    from_name: str
    from_addr: str
    to_name: str
    to_addr: str
    subject: str
    text: str
    html: str | None
    created_at: datetime
    attempts: int
    interrupted: bool  # an earlier claim ended without a verdict (a sender crashed)
    attachments: tuple[AttachmentData, ...] = ()


def _address(name: str, addr: str) -> Address:
    local, _, domain = addr.rpartition("@")
    return Address(display_name=header_value("name", name), username=local, domain=domain)


def build_message(message: OutgoingMessage) -> EmailMessage:
    """The MIME message: text, HTML alternative, attachments; ValueError on a bad header."""
    mail = EmailMessage()
    mail["From"] = _address(message.from_name, message.from_addr)
    mail["To"] = _address(message.to_name, message.to_addr)
    mail["Subject"] = header_value("subject", message.subject)
    mail["Date"] = format_datetime(message.created_at)
    mail["Message-ID"] = message.message_id
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to order mail
    mail.set_content(message.text)
    if message.html:
        mail.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        mail.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    _fixed_boundaries(mail, message.message_id)
    return mail


def _fixed_boundaries(mail: EmailMessage, message_id: str) -> None:
    """MIME boundaries from the Message-ID instead of random ones: a message sent again
    is byte for byte the same."""
    seed = hashlib.sha256(message_id.encode()).hexdigest()[:24]
    for index, part in enumerate(p for p in mail.walk() if p.is_multipart()):
        part.set_boundary(f"=_shipshape_{seed}_{index}")
