"""``kzbrief clean``: remove the build cache and the live preview's drafts; with ``--all``
also the built files.

The removal from the output folder lives in publish/files.py, beside the lock it takes:
only publish/ writes to (or deletes from) the output folder. The preview's folder is
the preview's own build output inside the state folder, removed here under that
folder's lock.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from ..publish.files import clean_output, lock_path, output_lock
from .arguments import folder_arguments, project_arguments, project_paths

# Where `kzbrief preview` builds, inside the state folder (preview/state.py,
# preview_options); tests/test_hints.py checks the two agree.
PREVIEW_FOLDER = "preview"

DESCRIPTION = (
    "Delete the build cache and the live preview's drafts (.kzbrief/cache/ and "
    ".kzbrief/preview/ beside kzbrief.toml or the output folder); with --all also the built "
    "files listed in OUTPUT/manifest.json and the manifest."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    folder_arguments(parser, "output")
    parser.add_argument("--all", action="store_true", help="also delete the built files")


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    # The preview goes first: clean_output then removes the state folder if it is empty.
    preview = remove_preview(paths.state)
    lines = clean_output(paths.output, paths.state, everything=args.all)
    removed = [line for line in lines if line.startswith("removed ")]
    if preview is not None:
        removed.append(f"removed {preview}")
    # "nothing to clean" only when neither the cache, the built files nor the preview went.
    for line in removed or lines:
        print(line)
    return 0


def remove_preview(state: Path) -> Path | None:
    """Remove the preview's build folder; return it if there was one to remove.

    A running preview publishes into it under the same lock as any build into that
    folder, so it is never removed half-way through a write; the preview rebuilds on
    its next change.
    """
    folder = state / PREVIEW_FOLDER
    if not folder.is_dir():
        return None
    with output_lock(lock_path(state, folder), folder):
        shutil.rmtree(folder, ignore_errors=True)
    return folder
