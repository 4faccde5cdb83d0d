"""``kzbrief list``: the audiences, described, without paying for pydantic every time.

The description is cached in the build cache folder and reused while the audience
files keep their names, sizes and modification times; any edit re-reads and
re-validates them. Only json and pathlib are imported on the cached path.
"""

from __future__ import annotations

import json
from pathlib import Path

from .project import CACHE_NAME

LISTING_NAME = "audiences.json"


def list_audiences(data_dir: Path, output: Path) -> str:
    """The text ``kzbrief list`` prints for the audiences in ``data_dir``."""
    stamp = [
        [path.name, path.stat().st_size, path.stat().st_mtime_ns]
        for path in sorted((data_dir / "audiences").glob("*.yaml"))
    ]
    cached = output / CACHE_NAME / LISTING_NAME
    try:
        record = json.loads(cached.read_text(encoding="utf-8"))
        if record["stamp"] == stamp:
            return record["text"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no listing cached yet, or an unreadable one: describe afresh
    from .audiences import describe_audiences, load_audiences

    text = describe_audiences(load_audiences(data_dir))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({"stamp": stamp, "text": text}), encoding="utf-8")
    except OSError:
        pass  # a listing that cannot be cached is only slower next time
    return text
