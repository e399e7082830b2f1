"""Every customer e-mail renders its facts into both parts; HTML escapes customer text,
the text part keeps it as typed; the MIME message carries exactly the row's headers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.emails.addresses import HeaderRefused, checked_address, header_value
from app.emails.message import AttachmentData, OutgoingMessage, build_message
from app.emails.templates import TEMPLATES, RenderFailed, render
from app.services.customer_updates import tracking_link

HOSTILE = '<script>alert("x")</script> & Sons'
LINES = [{"sku": "MUG-1", "name": f"Mug {HOSTILE}", "qty": 2}]
EXTRA: dict[str, dict[str, Any]] = {
    "order_received": {},
    "shipped": {
        "carrier": "Demo Post",
        "tracking_number": "SS000000014GB",
        "tracking_url": "https://track.example/SS000000014GB?x=1&y=2",
        "shipped_lines": LINES,
    },
    "delayed": {"waiting_lines": LINES},
    "delivered": {
        "carrier": "Demo Post",
        "tracking_number": "SS000000014GB",
        "delivered_at": "29 Nov 2026 08:30",
        "location": "Berlin",
    },
    "return_authorised": {"return_number": "RMA-7", "return_lines": LINES, "has_label": True},
    "return_received": {"return_number": "RMA-7", "return_lines": LINES},
    "refund_issued": {"refund_amount": "24.90", "refund_currency": "EUR", "return_number": "RMA-7"},
}
FACTS = {
    "order_received": ["Thank you for your order", "Total: 19.80 EUR", "2 x Mug"],
    "shipped": ["Demo Post", "Tracking number: SS000000014GB", "2 x Mug"],
    "delayed": ["could not ship by 01 Dec 2026 17:00", "2 x Mug"],
    "delivered": ["parcel SS000000014GB delivered on 29 Nov 2026 08:30 (Berlin)"],
    "return_authorised": ["return RMA-7 is authorised", "attached return label", "2 x Mug"],
    "return_received": ["return RMA-7 has arrived", "2 x Mug"],
    "refund_issued": ["refund of 24.90 EUR for your return RMA-7"],
}


def _context(template: str) -> dict[str, Any]:
    return {
        "order": {
            "number": "SO-100001",
            "reference": "#1001",
            "placed_at": "28 Nov 2026 10:00",
            "ship_by": "01 Dec 2026 17:00",
            "currency": "EUR",
            "total": "19.80",
            "lines": LINES,
        },
        "customer": {"name": f"Zoë {HOSTILE}"},
        "ship_to": ["Zoë", "Torstraße 12", "10115 Berlin", "DE"],
        "company": {"name": "Shop", "address1": "1 Quay", "postcode": "BS1", "city": "Bristol"},
        "brand": {"name": "Nordic Shop", "email": "hello@nordic.example", "channel": "web"},
        **EXTRA[template],
    }


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_message_states_its_facts_in_text_and_escaped_html(template: str) -> None:
    mail = render(template, _context(template))

    assert mail.subject.startswith("Nordic Shop: ") and "\n" not in mail.subject
    for fact in FACTS[template]:
        assert fact in mail.text
    assert f"Hello Zoë {HOSTILE}," in mail.text  # plain text: as the customer typed it
    assert "<script>" not in mail.html
    assert "Hello Zoë &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons," in mail.html
    assert "Order #1001 (SO-100001)" in mail.text
    assert "hello@nordic.example" in mail.text and 'href="mailto:hello@nordic.example"' in mail.html


def test_the_tracking_link_is_an_escaped_attribute() -> None:
    html = render("shipped", _context("shipped")).html
    assert 'href="https://track.example/SS000000014GB?x=1&amp;y=2"' in html


def test_a_name_a_template_needs_but_was_not_given_is_an_error_not_a_blank() -> None:
    context = _context("shipped")
    del context["tracking_number"]
    with pytest.raises(RenderFailed, match=r"shipped\.txt: 'tracking_number' is undefined"):
        render("shipped", context)


def test_an_unknown_template_is_refused() -> None:
    with pytest.raises(RenderFailed, match="unknown e-mail template 'welcome'"):
        render("welcome", {})


@pytest.mark.parametrize(
    ("url", "tracking", "link"),
    [
        ("https://t.example/{tracking}", "AB 12/3", "https://t.example/AB%2012%2F3"),
        ("https://t.example/track?id={tracking}", "X1", "https://t.example/track?id=X1"),
        ("javascript:alert({tracking})", "X1", ""),
        ("https://t.example/", "X1", ""),  # no place for the number
        ("https://t.example/{tracking}", None, ""),
    ],
)
def test_tracking_links_come_from_the_carriers_url_and_only_over_the_web(
    url: str, tracking: str | None, link: str
) -> None:
    assert tracking_link(url, tracking) == link


@pytest.mark.parametrize(
    "value", ["Eve\r\nBcc: x@example.com", "Eve\nBcc: x", "Eve\rX", "tab\tname", "nul\x00"]
)
def test_header_values_with_line_breaks_or_control_characters_are_refused(value: str) -> None:
    with pytest.raises(HeaderRefused):
        header_value("subject", value)


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("zoe@example.de", "zoe@example.de"),
        ("  Zoë@Example.DE ", "Zoë@example.de"),
        ("", None),
        (None, None),
        ("zoe", None),
        ("zoe@localhost", None),
        ("a b@example.de", None),
        ("zoe@example.de\r\nBcc: x@y.z", None),
    ],
)
def test_customer_addresses_are_checked(given: str | None, normalised: str | None) -> None:
    assert checked_address(given) == normalised


def _outgoing(**changes: Any) -> OutgoingMessage:
    values: dict[str, Any] = {
        "id": 7,
        "message_id": "<abc.7@nordic.example>",
        "from_name": "Nordic Shop",
        "from_addr": "hello@nordic.example",
        "to_name": "Zoë Müller",
        "to_addr": "zoe@example.de",
        "subject": "Nordic Shop: your order #1001 is on its way",
        "text": "Hello",
        "html": "<p>Hello</p>",
        "created_at": datetime(2026, 11, 29, 9, 30, tzinfo=UTC),
        "attempts": 1,
        "interrupted": False,
    }
    values.update(changes)
    return OutgoingMessage(**values)


def test_the_mime_message_is_text_html_and_attachments_with_the_rows_headers() -> None:
    label = AttachmentData("label.pdf", "application/pdf", b"%PDF-1.4")
    mail = build_message(_outgoing(attachments=(label,)))

    assert mail["Message-ID"] == "<abc.7@nordic.example>"
    assert mail["Date"] == "Sun, 29 Nov 2026 09:30:00 +0000"
    assert mail["To"].addresses[0].display_name == "Zoë Müller"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_body(("plain",)).get_content() == "Hello\n"
    assert mail.get_body(("html",)).get_content() == "<p>Hello</p>\n"
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == "label.pdf" and attached.get_content() == b"%PDF-1.4"
    assert build_message(_outgoing()).as_bytes() == build_message(_outgoing()).as_bytes()


def test_a_line_break_that_reached_a_row_is_still_refused_when_the_message_is_built() -> None:
    with pytest.raises(ValueError, match="line break"):
        build_message(_outgoing(subject="Hi\r\nBcc: x@example.com"))
