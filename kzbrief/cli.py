"""Command line: parse arguments, run the command, turn errors into messages.

Each command is a module in commands/, imported only once the command line is
parsed: heavy libraries (matplotlib, WeasyPrint) come with the commands that
need them, so ``--help`` and ``list`` stay instant.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import sys
from collections.abc import Sequence

# Only what --help needs is imported here (not even typing): start-up time is part
# of the interface.
from . import __version__
from .cli_build import add_build_command
from .cli_changes import add_changes_command
from .cli_distribution import COMMANDS as DISTRIBUTION_COMMANDS
from .cli_distribution import add_distribution_commands, add_init_command
from .cli_translate import add_translate_command
from .errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    KzbriefError,
    describe_failure,
    exit_codes_text,
)

EXIT_CODES = exit_codes_text()  # the table lives in errors.py, with the error classes
FOLDERS = """folders: flags win over the project's kzbrief.toml, the nearest one in the current
folder or its parents ([build] data, templates, output, state; [distribute] register), which wins
over data/, templates/ and output/ beside it. Outside any project: ./data, ./templates, ./output,
else the packaged example data, read-only (kzbrief init DIR makes a project). The cache and lock
live in .kzbrief/ beside kzbrief.toml, else beside the output folder; the copy register in
distribution/register.sqlite, likewise.
"""


def _command(
    commands: argparse._SubParsersAction, name: str, summary: str, text: str
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=summary,
        description=text,
        epilog=FOLDERS + "\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", type=_path, metavar="DIR", help="folder of YAML data")
    parser.add_argument(
        "--config",
        type=_path,
        metavar="FILE",
        help="project config (default: the nearest kzbrief.toml here or above)",
    )
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )
    return parser


def _path(text: str) -> object:
    from pathlib import Path  # lazy: runs only for a path given; --help never loads pathlib

    return Path(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzbrief",
        description="Turn YAML data into publication-grade policy briefings (PDF and web "
        "editions per audience), and distribute them: numbered copies, e-mail, a public page.",
        epilog=FOLDERS + "\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kzbrief {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    add_build_command(commands, _command, _path)

    verify = _command(
        commands,
        "verify",
        "check built files against output/manifest.json",
        "Compare the size and SHA-256 of every file listed in DIR/manifest.json with the "
        "file on disk; report changed, missing and unlisted files (exit 7 if any).",
    )
    verify.add_argument(
        "folder", nargs="?", type=_path, metavar="DIR", help="the output folder (default: ./output)"
    )

    clean = _command(
        commands,
        "clean",
        "remove the build cache",
        "Delete the build cache (.kzbrief/cache/ beside kzbrief.toml or the output folder); "
        "with --all also the built files listed in OUTPUT/manifest.json and the manifest.",
    )
    clean.add_argument("--output", type=_path, metavar="DIR", help="the output folder")
    clean.add_argument("--all", action="store_true", help="also delete the built files")

    _command(
        commands,
        "list",
        "list the audiences",
        "Show each audience with its description, paper size and sections.",
    )

    new = _command(
        commands,
        "new-audience",
        "scaffold a new audience",
        "Write data/audiences/ID.yaml and templates/audiences/ID/ (with a commented "
        "example override). The new audience builds at once.",
    )
    new.add_argument("id", metavar="ID", help="the new audience's id (lower-case, digits, '-')")
    new.add_argument(
        "--from",
        dest="copy_from",
        metavar="EXISTING",
        help="start from a copy of this audience's config and overrides",
    )
    new.add_argument(
        "--templates",
        type=_path,
        metavar="DIR",
        help="template folder to write the override folder into",
    )
    add_distribution_commands(commands, _command, _path)
    add_init_command(commands, _path, EXIT_CODES)
    add_translate_command(commands, _command, _path)
    add_changes_command(commands, _command, _path)
    return parser


# The module in commands/ that runs each command.
COMMANDS = {
    "build": "build",
    "verify": "verify",
    "clean": "clean",
    "list": "list_audiences",
    "new-audience": "new_audience",
    "init": "init",
    "translate": "translate",
    "changes": "changes",
    **DISTRIBUTION_COMMANDS,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors; 2 means bad data here
        return EXIT_USAGE if exc.code else 0
    try:
        from .log import show_warnings  # lazy: not for --help

        show_warnings()  # every command's warnings, on stderr as "kzbrief: warning: ..."
        # lazy: a command's module (and the libraries it needs) loads only when it runs
        command = importlib.import_module(f".commands.{COMMANDS[args.command]}", __package__)
        return command.run(args)
    except KzbriefError as exc:
        if args.debug:
            raise
        print(describe_failure(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kzbrief: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: keep the message short unless asked
        if args.debug:
            raise
        print(f"kzbrief: internal error: {exc!r} (run with --debug for details)", file=sys.stderr)
        return EXIT_INTERNAL


def exit_quickly(code: int) -> None:  # never returns (NoReturn would import typing)
    """End ``python -m kzbrief`` with ``code``, without tearing the interpreter down.

    At exit Python frees every module and object one by one. After a build, with
    matplotlib, pydantic and WeasyPrint's results loaded, that took 0.12 s of a 2.6 s
    cold build and changed nothing on disk. The atexit handlers still run (logging,
    multiprocessing) and the standard streams are flushed; if another thread is still
    running, the ordinary exit waits for it.
    """
    threading = sys.modules.get("threading")  # not imported: no other thread can exist
    if threading is not None and threading.active_count() > 1:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: Python's own exit reports it with 120
        os._exit(code or 120)
    os._exit(code)
