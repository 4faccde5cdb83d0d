"""``kzbrief clean``: remove the build cache; with ``--all`` also the built files.

The removal itself lives in publish/files.py, beside the lock it takes: only
publish/ writes to (or deletes from) the output folder.
"""

from __future__ import annotations

import argparse

from ..publish.files import clean_output
from . import project_paths


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    for line in clean_output(paths.output, paths.state, everything=args.all):
        print(line)
    return 0
