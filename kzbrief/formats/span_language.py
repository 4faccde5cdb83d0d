"""``/Lang`` on the structure elements of HTML elements with their own ``lang``.

WeasyPrint 70 writes the document's language into the catalogue but drops an element's
``lang`` attribute when it builds the structure tree, so a screen reader would read an
English source title in a Persian edition with Persian rules. PDF/UA-1 (7.2) asks for
every change of natural language to be declared. Once the PDF is written, a Span is a Span,
whatever HTML element it came from, so this has to happen while the tree is built: the
tree builder (``weasyprint.pdf.tags._build_box_tree``, called recursively through its
module global) is wrapped, and each element it yields for a box whose HTML element carries
``lang`` gets that language. ``pyproject.toml`` pins WeasyPrint below 71; a test reads the
``/Lang`` back, so a WeasyPrint that renames the builder fails the tests, not the readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

_WRAPPED = "_kzbrief_span_language"
_DOCUMENT_LEVEL = frozenset({"html", "body"})  # their lang is already the catalogue's


def tag_span_languages() -> None:
    """Install the wrapper once per process (idempotent)."""
    import pydyf
    from weasyprint.pdf import tags

    original: Callable[..., Iterator[Any]] = tags._build_box_tree
    if getattr(original, _WRAPPED, False):
        return

    def build(box: Any, parent: Any, *rest: Any) -> Iterator[Any]:
        language = _own_language(box)
        for element in original(box, parent, *rest):
            if language:
                element["Lang"] = pydyf.String(language)
            yield element

    setattr(build, _WRAPPED, True)
    tags._build_box_tree = build


def _own_language(box: Any) -> str | None:
    box = getattr(box, "_box", box)  # an absolutely positioned box's placeholder
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in _DOCUMENT_LEVEL:
        return None
    language = element.get("lang")
    return language.strip() if isinstance(language, str) and language.strip() else None
