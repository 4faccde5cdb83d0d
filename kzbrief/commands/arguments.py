"""The arguments several commands share, and the project folders they resolve to.

Every command but ``init`` takes ``--data``, ``--config`` and ``--debug``
(``project_arguments``); most distribution commands take some of ``--templates``,
``--output`` and ``--register`` (``folder_arguments``). ``project_paths`` turns them, with
kzbrief.toml and the defaults, into the folders a command works on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..project import ProjectPaths, resolve_paths
from ..register_address import RegisterURL, register_address

REGISTER_HELP = (
    "the copy register: a SQLite file (default: distribution/register.sqlite beside "
    "kzbrief.toml) or a PostgreSQL address, postgresql://USER@HOST:PORT/DB (password from "
    "$KZBRIEF_REGISTER_PASSWORD, PGPASSWORD or ~/.pgpass)"
)
# The folders several commands take with the same meaning: option -> (metavar, help).
FOLDERS = {
    "templates": ("DIR", "your own template folder"),
    "output": ("DIR", "the output folder"),
    "register": ("FILE|URL", REGISTER_HELP),
}


def project_arguments(parser: argparse.ArgumentParser) -> None:
    """``--data``, ``--config`` and ``--debug``: where the project is, and how to fail."""
    parser.add_argument("--data", type=Path, metavar="DIR", help="folder of YAML data")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="project config (default: the nearest kzbrief.toml here or above)",
    )
    debug_argument(parser)


def debug_argument(parser: argparse.ArgumentParser) -> None:
    """``--debug`` after the command name too. Suppressed as a default, so that it never
    undoes ``kzbrief --debug COMMAND``."""
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )


def folder_arguments(parser: argparse.ArgumentParser, *names: str) -> None:
    """The options of ``FOLDERS`` named, in that order."""
    for name in names:
        metavar, text = FOLDERS[name]
        kind = _register if name == "register" else Path
        parser.add_argument(f"--{name}", type=kind, metavar=metavar, help=text)


def _register(text: str) -> Path | RegisterURL:
    """--register: a file's path, or a PostgreSQL address (checked: exit 64 if malformed)."""
    return register_address(text)


def project_paths(args: argparse.Namespace) -> ProjectPaths:
    """The folders this command works on: flags, then kzbrief.toml, then the defaults."""
    return resolve_paths(
        args.data,
        getattr(args, "templates", None),
        getattr(args, "output", None),
        args.config,
        getattr(args, "register", None),
    )
