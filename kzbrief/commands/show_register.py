"""``kzbrief register``: the copies issued, as a table or as CSV."""

from __future__ import annotations

import argparse
import csv
import sys

from ..data.edition_id import EDITION_ID
from ..distribute.register import COLUMNS, Register
from ..errors import UsageError
from ..register_address import RegisterURL, register_address
from .arguments import folder_arguments, project_arguments, project_paths

DESCRIPTION = (
    "Print every copy issued: number, edition, audience, language, recipient, organisation, "
    "issue time, status and file; as a table, or as CSV with --csv. 'kzbrief register migrate "
    "--to postgresql://USER@HOST/DB' copies this project's SQLite register into a PostgreSQL "
    "database a team shares (idempotent; the SQLite file is not changed); then set "
    "[distribute] register to that address in kzbrief.toml."
)
# Column heading and field, in the order printed; the CSV has every field.
_TABLE = (
    ("copy", "number"),
    ("edition", "edition_id"),
    ("audience", "audience"),
    ("lang", "language"),
    ("recipient", "recipient_id"),
    ("name", "recipient_name"),
    ("organisation", "organisation"),
    ("issued at", "issued_at"),
    ("status", "status"),
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument(
        "action",
        nargs="?",
        choices=["migrate"],
        help="migrate: copy the SQLite register into the PostgreSQL register given by --to",
    )
    parser.add_argument(
        "--to",
        type=_address,
        metavar="URL",
        help="with migrate: the PostgreSQL register, postgresql://USER@HOST:PORT/DB",
    )
    parser.add_argument(
        "--edition",
        metavar="ID",
        help="only copies of this edition, by its id (2026-11-27 is the first edition of "
        "that day, 2026-11-27.2 the second; kzbrief editions lists them)",
    )
    parser.add_argument("--csv", action="store_true", help="CSV for the office's own records")
    folder_arguments(parser, "register", "output")


def _address(text: str) -> RegisterURL:
    address = register_address(text, where="--to")
    if not isinstance(address, RegisterURL):
        raise UsageError(
            "expected a PostgreSQL address, postgresql://USER@HOST:PORT/DB", field="--to"
        )
    return address


def run(args: argparse.Namespace) -> int:
    if args.action == "migrate":
        return _migrate(args)
    if args.to is not None:
        raise UsageError("--to goes with migrate: kzbrief register migrate --to URL", field="--to")
    if args.edition is not None and not EDITION_ID.match(args.edition):
        raise UsageError(
            f"expected an edition id (2026-11-27 or 2026-11-27.2; got {args.edition!r})",
            field="--edition",
        )
    with Register(project_paths(args).register, create=False) as register:
        copies = register.copies(edition=args.edition)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([getattr(c, name) for name in COLUMNS] for c in copies)
        return 0
    rows = [[h for h, _ in _TABLE]] + [[str(getattr(c, f)) for _, f in _TABLE] for c in copies]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_TABLE))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    print(f"{len(copies)} cop{'y' if len(copies) == 1 else 'ies'}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from ..distribute.register_migrate import migrate_register  # lazy: only migrate needs it

    if args.to is None:
        raise UsageError("migrate needs --to postgresql://USER@HOST:PORT/DB", field="--to")
    source = project_paths(args).register
    if isinstance(source, RegisterURL):
        raise UsageError(
            "the project's register is already a PostgreSQL database; migrate copies a SQLite "
            "register (give it with --register FILE)",
            field="--register",
        )
    report = migrate_register(source, args.to)
    for table in report:
        print(f"{table.table:<18} {table.rows:>6} rows, {table.added:>6} copied now")
    print(
        f"migrated {source} -> {args.to.shown}: row counts and every copy's SHA-256 checked; "
        f'the SQLite file is unchanged. Set [distribute] register = "{args.to}" in '
        "kzbrief.toml to use it."
    )
    return 0
