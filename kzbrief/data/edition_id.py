"""Edition ids: ``2026-11-27``, and ``2026-11-27.2`` for a second edition of that day.

Its own module without pydantic: the build's quick path (nothing to redo) and the
register read ids without loading the data models.
"""

from __future__ import annotations

import re

EDITION_ID = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d{0,2}))?$")


def edition_order(edition_id: str) -> tuple[str, int]:
    """Sort key of an edition id: its date, then its revision (…, 2026-11-27, …27.2)."""
    match = EDITION_ID.match(edition_id)
    if match is None:
        return (edition_id, 0)
    return (match[1], int(match[2] or 1))
