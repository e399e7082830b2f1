"""What the CLI prints is shown as text, never obeyed by the terminal.

Customer names, addresses, notes and file names come from outside; an ANSI escape
sequence among them could recolour, rewrite or hijack the user's terminal, and a
newline could forge an output line. Control characters (C0, DEL, C1), Unicode line
separators, bidirectional overrides and lone surrogates are therefore printed as
escapes (`\\x1b`, `\\u202e`). JSON keeps its exact meaning: the same characters
become JSON's own `\\uXXXX` escapes.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

_CONTROL = "\x00-\x1f\x7f-\x9f"
_INVISIBLE = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE = re.compile(f"[{_CONTROL}{_INVISIBLE}]")
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_INVISIBLE}]")  # json.dumps escapes C0 itself


def shown(text: str) -> str:
    """`text` with every character a terminal could act on written as an escape."""
    return _UNSAFE.sub(_escape, text)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def json_text(value: Any) -> str:
    """`value` as indented JSON with nothing a terminal could act on, and the same meaning."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TerminalText(io.TextIOBase, TextIO):
    """A stream that shows each write as text; only the newline ending a write stays."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        body, end = (text[:-1], "\n") if text.endswith("\n") else (text, "")
        return self._stream.write(shown(body) + end)

    def flush(self) -> None:
        self._stream.flush()


@contextmanager
def shown_as_text() -> Iterator[None]:
    """Within the block, everything printed to stdout and stderr goes through `shown`."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalText(out), TerminalText(err)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout, sys.stderr = out, err
