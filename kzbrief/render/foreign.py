"""Runs of another script in an edition's HTML, marked with the language they are in.

A Persian page cites English source titles and writes "USD" and "GSHHG" in Latin
letters; a Russian page does too. Marked ``<span lang="en">``, a browser's screen reader
switches voice for them, hyphenation follows English, and the PDF's structure tree gives
the span its own ``/Lang`` (formats/tagging.py), as PDF/UA asks of every change of
language. The pass works on the finished HTML, outside tags and outside the elements
whose text is not markup (``title``, ``style``, ``script``), so attribute values and
the document title are left alone.
"""

from __future__ import annotations

import re
from functools import cache

from ..language.scripts import FOREIGN_RUN, foreign_scripts, run_language

_TAG = re.compile(r"(<[^>]*>)")
_RAW_TEXT = re.compile(r"<(title|style|script|textarea)\b", re.IGNORECASE)
_ENTITY = r"&#?\w+;"
# A string isolated for a right-to-left page (scripts.isolate_latin) is marked whole, its
# isolating marks inside the span: split at its brackets into several inline boxes,
# "GeoNames (geonames.org)" would be laid out right to left, box by box.
_ISOLATE = "\u2068[^\u2068\u2069<]*\u2069"


def mark_foreign_runs(html: str, language: str) -> str:
    """``html`` with each run of a script other than ``language``'s in a ``lang`` span."""
    scripts = foreign_scripts(language)
    if not scripts:
        return html
    runs = _runs(scripts)
    pieces = _TAG.split(html)
    inside_raw: str | None = None
    # Even pieces are the text between tags, odd ones the tags.
    for index, piece in enumerate(pieces):
        if index % 2:
            if inside_raw is None and (raw := _RAW_TEXT.match(piece)):
                inside_raw = f"</{raw.group(1).lower()}"
            elif inside_raw is not None and piece.lower().startswith(inside_raw):
                inside_raw = None
        elif inside_raw is None:
            pieces[index] = runs.sub(lambda match: _marked(match, scripts), piece)
    return "".join(pieces)


@cache
def _runs(scripts: tuple[str, ...]) -> re.Pattern[str]:
    """Entities (kept whole), isolated strings, then a run of each script, in one pattern."""
    alternatives = "|".join(f"(?P<{s}>{FOREIGN_RUN[s].pattern})" for s in scripts)
    return re.compile(f"{_ENTITY}|(?P<isolate>{_ISOLATE})|{alternatives}")


def _marked(match: re.Match[str], scripts: tuple[str, ...]) -> str:
    script, text = match.lastgroup, match.group()
    if script == "isolate":
        script = next((s for s in scripts if FOREIGN_RUN[s].search(text)), None)
    if script is None:  # an entity, or an isolate without letters
        return text
    return f'<span lang="{run_language(script, text)}">{text}</span>'
