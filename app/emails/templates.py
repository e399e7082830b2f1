"""The e-mail templates in resources/emails: a subject, a plain-text part and an
autoescaped HTML part per message kind, sharing one branded layout.

Undefined names are errors (StrictUndefined), so a template that asks for something
the service did not supply fails loudly instead of mailing a blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "resources" / "emails"
TEMPLATES = (
    "order_received",
    "shipped",
    "delayed",
    "delivered",
    "return_authorised",
    "return_received",
    "refund_issued",
)


class RenderFailed(Exception):
    """A template could not be rendered; the sentence says which and why."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # shipped with the app: no stat() per message
    )


def render(template: str, context: Mapping[str, Any]) -> RenderedEmail:
    """Subject, text and HTML of `template`; RenderFailed names the part that failed."""
    if template not in TEMPLATES:
        raise RenderFailed(f"unknown e-mail template {template!r}")
    env = environment()
    parts: dict[str, str] = {}
    for part, suffix in (("subject", "subject.txt"), ("text", "txt"), ("html", "html")):
        name = f"{template}.{suffix}"
        try:
            parts[part] = env.get_template(name).render(context)
        except TemplateError as exc:
            line = getattr(exc, "lineno", None)  # syntax errors know their line
            where = f" line {line}" if line else ""
            raise RenderFailed(f"template {name}{where}: {exc.message or exc}") from None
        except Exception as exc:  # an expression that fails as it runs (1 / 0, "a" + 1)
            raise RenderFailed(f"template {name}: {type(exc).__name__}: {exc}") from None
    return RenderedEmail(parts["subject"].strip(), parts["text"], parts["html"])
