"""Shipshape: no arguments opens the GUI; sub-commands run headless jobs."""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    from app.cli import build_parser, run

    args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.launch import launch_gui

        return launch_gui(db_url=args.db, station=args.station)
    try:
        return run(argv)
    except BrokenPipeError:  # `show-order --json | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
