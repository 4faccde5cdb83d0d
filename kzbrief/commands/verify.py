"""``kzbrief verify``: compare the built files with the output folder's manifest."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import VerifyError
from ..publish.manifest import verify_folder
from .arguments import project_arguments, project_paths

DESCRIPTION = (
    "Compare the size and SHA-256 of every file listed in DIR/manifest.json with the file on "
    "disk; report changed, missing and unlisted files (exit 7 if any)."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument(
        "folder", nargs="?", type=Path, metavar="DIR", help="the output folder (default: ./output)"
    )


def run(args: argparse.Namespace) -> int:
    """Print one line per file; any changed, missing or unlisted file is a VerifyError."""
    report = verify_folder(args.folder or project_paths(args).output)
    print("\n".join(report.lines()))
    if report.problems:
        raise VerifyError(f"{report.problems} file(s) do not match the manifest")
    return 0
