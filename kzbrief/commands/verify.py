"""``kzbrief verify``: compare the built files with the output folder's manifest."""

from __future__ import annotations

import argparse

from ..errors import VerifyError
from ..publish.manifest import verify_folder
from . import project_paths


def run(args: argparse.Namespace) -> int:
    """Print one line per file; any changed, missing or unlisted file is a VerifyError."""
    report = verify_folder(args.folder or project_paths(args).output)
    print("\n".join(report.lines()))
    if report.problems:
        raise VerifyError(f"{report.problems} file(s) do not match the manifest")
    return 0
