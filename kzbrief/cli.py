"""Command line: parse arguments, call the pipeline, turn errors into messages.

Heavy libraries (matplotlib, WeasyPrint) are imported only by the commands
that need them, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import EXIT_USAGE, KzbriefError

EXIT_CODES = """exit codes:
  0   success
  1   unexpected internal error (run again with --debug and report it)
  2   the data is invalid (file:line:column: field: problem)
  3   a template is missing or broken
  4   the output folder cannot be written
  5   a PDF exceeds its audience's page budget
  64  bad command-line usage (e.g. an unknown audience)
"""


def _default_data() -> Path:
    """``./data`` when run inside a project folder, else the packaged example data."""
    local = Path("data")
    if local.is_dir():
        return local
    from .build import DEFAULT_DATA

    return DEFAULT_DATA


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzbrief",
        description="Turn YAML data into publication-grade policy briefing PDFs.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kzbrief {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = commands.add_parser(
        "build",
        help="build the briefing PDFs",
        description="Build one PDF per audience from the data and templates; "
        "print the path of each file written.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="folder of YAML data (default: ./data, else the packaged example)",
    )
    build.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="your own template folder; its files win over the packaged ones",
    )
    build.add_argument(
        "--output",
        type=Path,
        default=Path("output"),
        metavar="DIR",
        help="where to write the PDFs (default: ./output)",
    )
    build.add_argument(
        "--audience",
        action="append",
        default=[],
        metavar="ID",
        help="build only this audience (repeatable; default: all)",
    )
    build.add_argument(
        "--html", action="store_true", help="also write the rendered HTML beside each PDF"
    )
    build.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors; keep 2 for bad data
        return EXIT_USAGE if exc.code else 0
    try:
        return _run(args)
    except KzbriefError as exc:
        if args.debug:
            raise
        print(f"kzbrief: error: {exc}" if "\n" not in str(exc) else f"{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kzbrief: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: keep the message short unless asked
        if args.debug:
            raise
        print(f"kzbrief: internal error: {exc!r} (run with --debug for details)", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    from .build import BuildOptions, build

    options = BuildOptions(
        data=args.data or _default_data(),
        output=args.output,
        templates=args.templates,
        audiences=args.audience,
        html=args.html,
    )
    for path in build(options):
        print(path)
    return 0
