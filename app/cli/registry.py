"""The command registry: each command module registers its handlers here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least `minimum`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below {minimum}")
        return value

    return parse


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")
