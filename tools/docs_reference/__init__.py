"""The docs' Reference pages, generated from the code when the site is built.

A page holds a marker line ``<!-- reference: NAME -->`` where the generated Markdown goes
(tools/docs_hooks.py replaces it), so the words around it are written by hand and the
tables under it cannot drift from the parsers, models and tables they come from.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import cli, codes, data, errors, settings

GENERATORS: dict[str, Callable[[], str]] = {
    "cli": cli.page,
    "exit-codes": codes.page,
    "data": data.page,
    "settings": settings.page,
    "errors": errors.page,
}
MARKER = re.compile(r"^<!-- reference: ([a-z-]+) -->$", re.MULTILINE)


def expand(markdown: str) -> str:
    """``markdown`` with each marker replaced by its generated Markdown."""
    return MARKER.sub(lambda match: GENERATORS[match[1]](), markdown)


def cell(text: object) -> str:
    """Text for a Markdown table cell: pipes escaped, lines joined."""
    return " ".join(str(text).split()).replace("|", "\\|")
