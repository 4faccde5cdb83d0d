"""``kzbrief editions``: every edition recorded, with what was built and issued of it."""

from __future__ import annotations

import argparse
import json

from ..distribute.register import Register
from .arguments import folder_arguments, project_arguments, project_paths

_COUNTED = ("issued", "sent", "superseded", "revoked")
DESCRIPTION = (
    "Print each edition recorded in the register, oldest first: its id, date, the checksum of "
    "the data it was built from, the editions built of it (audience x language), and its "
    "copies issued, sent, superseded and revoked. The current edition (meta.edition in "
    "data/meta.yaml) is marked; with --json, one JSON document."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    folder_arguments(parser, "register")


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    current = _current_id(paths.data)
    with Register(paths.register, create=False) as register:
        rows = []
        for edition in register.editions():
            built = register.edition_files(edition.edition_id)
            counts = register.status_counts(edition.edition_id)
            rows.append(
                {
                    "edition": edition.edition_id,
                    "date": edition.date,
                    "data_sha256": edition.data_sha256,
                    "built": sorted({f"{a}-{lang}" for a, lang, _, _ in built}),
                    "formats": sorted({kind for _, _, kind, _ in built}),
                    # every copy ever issued; the other counts are their statuses now
                    "copies": sum(counts.values()),
                    **{status: counts.get(status, 0) for status in _COUNTED[1:]},
                    "unsent": counts.get("issued", 0) + counts.get("failed", 0),
                    "fixed_since": edition.issued_at,
                    "current": edition.edition_id == current,
                }
            )
    if args.json:
        print(json.dumps({"current": current, "editions": rows}, indent=2, ensure_ascii=False))
        return 0
    _table(rows)
    if current and current not in {row["edition"] for row in rows}:
        print(f"current: {current} (data/meta.yaml), not built yet")
    return 0


def _table(rows: list[dict]) -> None:
    head = ["", "edition", "date", "data", "built", "issued", "sent", "superseded", "revoked"]
    table = [head] + [
        [
            "*" if row["current"] else "",
            row["edition"],
            row["date"],
            row["data_sha256"][:12],
            f"{len(row['built'])} ({', '.join(row['built'])})" if row["built"] else "0",
            *(str(row[key]) for key in ("copies", "sent", "superseded", "revoked")),
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(len(head))]
    for line in table:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    print(f"{len(rows)} edition{'' if len(rows) == 1 else 's'}; * the current one (data/meta.yaml)")


def _current_id(data: object) -> str:
    """The edition the data describes now, or '' if it cannot be read."""
    from ..data.briefing import load_briefing  # lazy: pydantic
    from ..errors import KzbriefError

    try:
        return load_briefing(data).meta.edition_id
    except KzbriefError:
        return ""
