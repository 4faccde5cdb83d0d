"""``kzbrief changes``: what changed since an earlier edition (cli.py adds it). Like cli.py it
imports nothing but argparse, so ``--help`` stays instant."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .cli_distribution import REGISTER_HELP, Make


def add_changes_command(
    commands: argparse._SubParsersAction, make: Make, path: Callable[[str], object]
) -> None:
    changes = make(
        commands,
        "changes",
        "list what changed since the previous edition",
        "Compare the current data with an earlier edition's and print what changed: figures "
        "(old -> new, with their units), years, milestones, railway sections, dates, bodies, "
        "sources, and the sections whose text was revised; the list a later edition prints "
        "on its summary page. The earlier edition's data comes from the register (the edition "
        "issued before this one, by default, or --since ID) or from the YAML files attached "
        "to one of its PDFs (--since FILE.pdf); never from git. Nothing changed: says so, "
        "exit 0. An unknown edition id, no previous edition or an unreadable PDF: exit 64; "
        "invalid data in the earlier edition: exit 2.",
    )
    changes.add_argument(
        "--since",
        metavar="EDITION_ID|FILE.pdf",
        help="the earlier edition: its id in the register (2026-11-27, 2026-11-27.2) or one of "
        "its PDFs (default: the edition before this one in the register)",
    )
    changes.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or JSON"
    )
    changes.add_argument(
        "--language",
        default="en",
        metavar="LANG",
        help="the language to compare and write the list in (default: en); a PDF given to "
        "--since carries its own language's translations",
    )
    changes.add_argument("--register", type=path, metavar="FILE", help=REGISTER_HELP)
