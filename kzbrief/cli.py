"""Command line: the list of commands, the parser of the one named, and its run; errors
become messages and exit codes here.

Each command is a module in commands/ that declares its arguments beside the run() they
feed. Only the module of the command named is imported (to parse its arguments), so heavy
libraries (matplotlib, WeasyPrint) come with the commands that need them, and ``--help``
loads no command at all.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

# Only what --help needs is imported here (not even typing or pathlib): start-up time is
# part of the interface.
from . import __version__
from .errors import (
    EXIT_CLOSED_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    KzbriefError,
    describe_failure,
    exit_codes_text,
)

# Every command, in the order --help lists them: name -> (its module in commands/, the line
# --help shows). The line is here, not in the module, so that --help imports no command.
COMMANDS = {
    "build": ("build", "build the briefing: PDFs, and web pages if asked"),
    "verify": ("verify", "check built files against output/manifest.json"),
    "clean": ("clean", "remove the build cache"),
    "list": ("list_audiences", "list the audiences"),
    "new-audience": ("new_audience", "scaffold a new audience"),
    "issue": ("issue", "write a numbered copy of the current edition for each recipient"),
    "register": ("show_register", "show the register of issued copies"),
    "editions": ("editions", "list every edition: id, date, data, files built, copies"),
    "trace": ("trace", "say whose copy a PDF is, page by page"),
    "send": ("send", "e-mail each issued copy to its recipient"),
    "publish": ("publish", "write the public web site: index page, feed and public editions"),
    "preview": ("preview", "show the editions in the browser, rebuilt as you edit"),
    "init": ("init", "start a new project folder"),
    "translate": ("translate", "see and update the kk, ru and fa translations"),
    "changes": ("changes", "list what changed since the previous edition"),
}
DESCRIPTION = """\
Turn YAML data into publication-grade policy briefings (PDF and web editions per
audience), and distribute them: numbered copies, e-mail, a public page.
kzbrief COMMAND --help describes a command and its options.
"""
FOLDERS = """\
folders: flags win over the project's kzbrief.toml, the nearest one in the
current folder or its parents ([build] data, templates, output, state;
[distribute] register), which wins over data/, templates/ and output/ beside
it. Outside any project: ./data, ./templates, ./output, else the packaged
example data, read-only (kzbrief init DIR makes a project). The cache and lock
live in .kzbrief/ beside kzbrief.toml, else beside the output folder; the copy
register in distribution/register.sqlite, likewise.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` and return its exit code. Without ``argv``, this
    process's own: the program (``kzbrief``, ``python -m kzbrief``), which ends on return."""
    try:
        code = _run(sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()  # a reader that went away shows here, not in Python's flush at exit
    except BrokenPipeError:  # kzbrief list | head -1, and head has its line: stop, quietly
        # Python flushes stdout once more at exit: what is left goes nowhere, unreported.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        code = EXIT_CLOSED_PIPE
    if argv is None:
        # Python's last garbage collections at exit walk every object the command left
        # (matplotlib's, WeasyPrint's): about 0.3 s after a cold build, 0.05 s once frozen.
        gc.freeze()
    return code


def _run(argv: list[str]) -> int:
    debug = "--debug" in argv  # until parsed: the command's module is imported first
    try:
        parser = _parser(argv)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on usage errors; 2 means bad data here
            return EXIT_USAGE if exc.code else 0
        debug = args.debug
        from .log import show_warnings  # lazy: not for --help

        show_warnings()  # every command's warnings, on stderr as "kzbrief: warning: ..."
        return args.run(args)
    except KzbriefError as exc:
        if debug:
            raise
        print(describe_failure(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kzbrief: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise  # not a bug: main() ends quietly
    except Exception as exc:  # a bug: keep the message short unless asked
        if debug:
            raise
        print(f"kzbrief: internal error: {exc!r} (run with --debug for details)", file=sys.stderr)
        return EXIT_INTERNAL


def full_parser() -> argparse.ArgumentParser:
    """The parser with every command's arguments: the docs' command-line reference is
    generated from it (tools/docs_reference/), so it says what --help says."""
    return _parser([], every=True)


def _parser(argv: list[str], every: bool = False) -> argparse.ArgumentParser:
    """kzbrief's parser, with the arguments of the command ``argv`` names (none for --help)."""
    parser = argparse.ArgumentParser(
        prog="kzbrief",
        description=DESCRIPTION,
        epilog=FOLDERS + "\n" + exit_codes_text(),  # the exit codes: errors.py's table
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kzbrief {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    # kzbrief's own options take no value: the first word that is not one is the command.
    named = next((word for word in argv if not word.startswith("-")), None)
    for name, (module_name, summary) in COMMANDS.items():
        if name != named and not every:
            commands.add_parser(name, help=summary)
            continue
        module = importlib.import_module(f".commands.{module_name}", __package__)
        command = commands.add_parser(name, help=summary, description=module.DESCRIPTION)
        module.arguments(command)
        command.set_defaults(run=module.run)
    return parser
