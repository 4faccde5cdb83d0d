"""``kzbrief clean``: remove the build cache; with ``--all`` also the built files.

The removal itself lives in publish/files.py, beside the lock it takes: only
publish/ writes to (or deletes from) the output folder.
"""

from __future__ import annotations

import argparse

from ..publish.files import clean_output
from .arguments import folder_arguments, project_arguments, project_paths

DESCRIPTION = (
    "Delete the build cache (.kzbrief/cache/ beside kzbrief.toml or the output folder); with "
    "--all also the built files listed in OUTPUT/manifest.json and the manifest."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    folder_arguments(parser, "output")
    parser.add_argument("--all", action="store_true", help="also delete the built files")


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    for line in clean_output(paths.output, paths.state, everything=args.all):
        print(line)
    return 0
