"""One module per CLI command, each with ``run(args) -> int`` (0, or a KzbriefError raised).

cli.py imports a command's module only once the command line is parsed, so
``--help`` pays for none of them.
"""

from __future__ import annotations

import argparse

from ..project import ProjectPaths, resolve_paths


def project_paths(args: argparse.Namespace) -> ProjectPaths:
    """The folders this command works on: flags, then kzbrief.toml, then the defaults."""
    return resolve_paths(
        args.data,
        getattr(args, "templates", None),
        getattr(args, "output", None),
        args.config,
        getattr(args, "register", None),
    )
