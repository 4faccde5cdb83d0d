"""``kzbrief list``: the audiences, described, without paying for pydantic every time.

The description is one entry of the build cache's memo, like a chart or a PDF: its
key names every input, the text of each audience file (by name), the data folder
and kzbrief's own code, so any edit re-reads and re-validates the files, and a
damaged entry is described afresh. The key leaves out the library versions that
``entry_key`` adds: reading them needs importlib.metadata, which would double the
command's start-up time, and the listing only repeats the audience files' words.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import __version__
from ..cache import PACKAGE_DIR, BuildCache, digest, tree_digest
from ..project import CACHE_NAME
from .arguments import project_arguments, project_paths

KIND = "listing"  # the cache folder its entries live in
DESCRIPTION = "Show each audience with its description, paper size and sections."


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    print(list_audiences(paths.data, BuildCache(paths.state / CACHE_NAME)))
    return 0


def list_audiences(data_dir: Path, cache: BuildCache) -> str:
    """The text ``kzbrief list`` prints for the audiences in ``data_dir``."""
    key = listing_key(data_dir)
    if key is None:
        return _describe(data_dir)  # an unreadable file: loading it says what is wrong
    return cache.memo(
        key,
        lambda: _describe(data_dir),
        str.encode,
        bytes.decode,
        "the audience list",
        "described again",
    )


def listing_key(data_dir: Path) -> str | None:
    """The memo key of the listing, or None when an audience file cannot be read."""
    try:
        files = [
            [path.name, digest(path.read_bytes())]
            for path in sorted((data_dir / "audiences").glob("*.yaml"))
        ]
    except OSError:
        return None
    inputs = (__version__, tree_digest(PACKAGE_DIR), str(data_dir.resolve()), files)
    return f"{KIND}/{digest(KIND, *inputs)}"


def _describe(data_dir: Path) -> str:
    from ..data.audiences import describe_audiences, load_audiences  # lazy: pydantic

    return describe_audiences(load_audiences(data_dir))
