"""Warnings about the text a PDF will print, found before anything is typeset.

Two mistakes the typesetter would pass over in silence: characters no packaged
font has (they print as empty boxes), and the placeholder sentences
``new-audience`` writes, left unedited. Each warning names the file, line and
field; ``--strict`` turns them into errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..data.consistency import pair_warnings
from ..data.glyphs import describe_characters, missing_characters
from ..data.load import FieldPath, YamlDocument, format_field_path, strings_in
from ..data.translations import fingerprint
from ..errors import DataError

if TYPE_CHECKING:
    from ..data.audiences import Audience

# The sentences a scaffolded config starts with, and what to do instead. They must not
# reach a reader: the build warns about any field still holding one (below).
PLACEHOLDERS = {
    "description": ("Describe the readers of this briefing.", "say who reads this briefing"),
    "lead": (
        "One or two sentences that tell this reader why the briefing matters to them.",
        "write this reader's lead",
    ),
}

# The fields ``new-audience --from X`` copies that name X's readers. Each copied line is
# marked ``# copied from X (fingerprint)``; while the value still has that fingerprint the
# build warns, as for a placeholder. Editing the value ends the warning.
COPIED_FIELDS = ("title", "description", "lead")
COPIED_MARK = "# copied from {source} ({fingerprint}): rewrite it for the new readers"
_COPIED = re.compile(r"# copied from (\S+) \(([0-9a-f]{8})\)")

# The audience fields a reader sees; the others are settings (paper, colour, …).
PRINTED_AUDIENCE_FIELDS = ("title", "distribution", "lead", "notes")


def text_warnings(documents: Iterable[YamlDocument], audiences: Iterable[Audience]) -> list[str]:
    """Glyph, placeholder and old-pair warnings for the data files and the audiences built."""
    documents = list(documents)
    warnings = [w for document in documents for w in _glyph_warnings(document, document.data, ())]
    for audience in audiences:
        if audience.document is not None:
            warnings += _audience_warnings(audience.document)
    return warnings + pair_warnings(documents)


def _glyph_warnings(document: YamlDocument, value: Any, path: FieldPath) -> list[str]:
    """One warning per text field that holds characters no packaged font has."""
    warnings = []
    for where, text in strings_in(value, path):
        if missing := missing_characters(text):
            problem = f"no packaged font has {describe_characters(missing)}"
            location = document.find(where, missing[0])  # the line, in a long text
            warnings.append(str(DataError(problem, location, format_field_path(where))))
    return warnings


def _audience_warnings(document: YamlDocument) -> list[str]:
    config = document.data["audience"]
    warnings = []
    for field, (placeholder, advice) in PLACEHOLDERS.items():
        if " ".join(str(config.get(field, "")).split()) == placeholder:
            problem = f"still the placeholder text from new-audience ({advice})"
            warnings.append(_warning(document, ("audience", field), problem))
    warnings += _copied_warnings(document, config)
    printed = {key: config[key] for key in PRINTED_AUDIENCE_FIELDS if key in config}
    return warnings + _glyph_warnings(document, printed, ("audience",))


def copied_fingerprint(value: object) -> str:
    """The fingerprint a copied field is marked with: of its text, spaces folded."""
    return fingerprint(" ".join(str(value).split()))


def _copied_warnings(document: YamlDocument, config: dict[str, Any]) -> list[str]:
    """Fields still holding the text copied from another audience (see COPIED_MARK)."""
    lines = document.text.splitlines()
    warnings = []
    for field in COPIED_FIELDS:
        line = document.locate(("audience", field)).line
        if field not in config or line is None or line > len(lines):
            continue
        # the mark is on the field's line, or on the key's line above a block scalar
        mark = _COPIED.search(lines[line - 1]) or (line > 1 and _COPIED.search(lines[line - 2]))
        if mark and mark.group(2) == copied_fingerprint(config[field]):
            problem = (
                f"still the text copied from audience '{mark.group(1)}' "
                "(rewrite it for this audience's readers)"
            )
            warnings.append(_warning(document, ("audience", field), problem))
    return warnings


def _warning(document: YamlDocument, path: FieldPath, problem: str) -> str:
    return str(DataError(problem, document.locate(path), format_field_path(path)))
