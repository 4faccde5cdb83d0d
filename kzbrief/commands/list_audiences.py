"""``kzbrief list``: the audiences, described, without paying for pydantic every time.

The description is cached in the build cache folder and reused while the audience
files keep their names, sizes and modification times; any edit re-reads and
re-validates them. Only json, binascii and pathlib are imported on the cached path
(a CRC-32 catches a damaged listing; hashlib's SHA-256 would cost more start-up
time than the rest of the command).
"""

from __future__ import annotations

import argparse
import binascii
import json
from pathlib import Path

from ..project import CACHE_NAME
from . import project_paths

LISTING_NAME = "audiences.json"


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    print(list_audiences(paths.data, paths.state / CACHE_NAME))
    return 0


def list_audiences(data_dir: Path, cache: Path) -> str:
    """The text ``kzbrief list`` prints for the audiences in ``data_dir``."""
    stamp = [
        [path.name, path.stat().st_size, path.stat().st_mtime_ns]
        for path in sorted((data_dir / "audiences").glob("*.yaml"))
    ]
    cached = cache / LISTING_NAME
    try:
        record = json.loads(cached.read_text(encoding="utf-8"))
        if record["stamp"] == stamp and record["crc32"] == _crc(record["text"]):
            return record["text"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no listing cached yet, or a damaged one: describe afresh
    from ..data.audiences import describe_audiences, load_audiences  # lazy: pydantic

    text = describe_audiences(load_audiences(data_dir))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        record = {"stamp": stamp, "text": text, "crc32": _crc(text)}
        cached.write_text(json.dumps(record), encoding="utf-8")
    except OSError:
        pass  # a listing that cannot be cached is only slower next time
    return text


def _crc(text: str) -> int:
    return binascii.crc32(text.encode("utf-8"))
