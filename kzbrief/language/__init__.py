"""Everything that depends on the language an edition is written in: its interface words and
their catalogues (``locale/``), how numbers and dates are written, the writing system and its
direction (``scripts.py``) and the typefaces that cover it (``fonts.py``, ``typefaces/``).

It sits below every stage of the pipeline (data, charts, render, formats, publish, distribute
all read it) and imports none of them. This module itself stays light: a build keys its cache
on ``CATALOGUES`` without importing Babel.
"""

from pathlib import Path

CATALOGUES = Path(__file__).parent / "locale"


def primary_language(code: str) -> str:
    """The primary subtag, which names catalogues and translation folders: ``"kk-Latn"`` ->
    ``"kk"``, ``"en_GB"`` -> ``"en"``. The one place a language tag is taken apart this way."""
    return code.replace("_", "-").split("-")[0].lower()
