"""The command registry: each command module registers its handlers here."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.cli.terminal import json_text
from app.context import Actor
from db.engine import Database

Handler = Callable[[Database, Actor, argparse.Namespace], int]
Configure = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    handler: Handler
    help: str
    configure: Configure | None
    needs_schema: bool


COMMANDS: dict[str, Command] = {}


def command(
    name: str, help: str, *, configure: Configure | None = None, needs_schema: bool = True
) -> Callable[[Handler], Handler]:
    """Register `name`; `configure` adds its arguments to its sub-parser."""

    def register(fn: Handler) -> Handler:
        COMMANDS[name] = Command(fn, help, configure, needs_schema)
        return fn

    return register


# The largest INTEGER PostgreSQL stores (ids, quantities, grams), and far below the 64
# bits SQLite binds: a bigger number could never match or fit anything anyway.
LARGEST_WHOLE = 2**31 - 1


def at_least(minimum: int, maximum: int = LARGEST_WHOLE) -> Callable[[str], int]:
    """An argparse type: a whole number from `minimum` to `maximum`."""

    def parse(text: str) -> int:
        if len(text) > 24:
            raise argparse.ArgumentTypeError(f"{text[:20]!r}... is too long for a number")
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below {minimum}")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"{value} is above {maximum:,}")
        return value

    return parse


def emit_json(value: Any) -> None:
    """`value` as JSON on stdout, printed line by line: the terminal filter of the CLI
    keeps only the newline that ends each write."""
    for line in json_text(value).split("\n"):
        print(line)


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
