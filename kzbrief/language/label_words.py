"""The labels that carry a number or frame a marking: figure and table captions, references
to them in the text, the page count in the foot and the cover's marking. Part of the words
catalogue (words.MESSAGES), kept apart from it like the charts' words.

Each is a whole message with its number as a placeholder, because the order is the
language's: English "Table 1", Kazakh "1-кесте", Russian in the text "табл. 1". The PDF's
stylesheet numbers them with CSS counters, so ``css_message`` writes a message as CSS
``content``: its text as quoted strings, each placeholder as the counter given for it. The
web edition fills the same messages with the numbers (formats/html.py).
"""

from __future__ import annotations

import string

from .current import N_, active
from .text import css_string

LABEL_MESSAGES: dict[str, str] = {
    # before a caption: "Table 1. Trade between…" (a space follows)
    "table_caption": N_("Table {number}."),
    "figure_caption": N_("Figure {number}."),
    # a cross-reference in a sentence: "The figures are in Table 1 and Figure 2."
    "table_reference": N_("Table {number}"),
    "figure_reference": N_("Figure {number}"),
    # the foot of every page but the cover
    "page_of_pages": N_("Page {page} of {pages}"),
    # the cover's foot: the audience's marking ("For official use") and its label, if any
    "distribution_marking": N_("Distribution: {marking}"),
    # a separator between the names of a route's stops: "Uzen – Kyzylkaya – Bereket"
    "route_separator": N_(" – "),
    # a dash joining names into one: "the Kazakhstan–Turkmenistan–Iran railway"
    "names_dash": N_("–"),
    # the document's title (the PDF's metadata, the browser's tab)
    "document_title": N_("{title}: {subtitle}"),
}

# Languages whose typography writes a lower-case letter after a colon in a title, where
# English capitalises ("Казахстан и Иран: торговля…").
_LOWER_AFTER_COLON = frozenset({"ru", "kk"})


def css_content(message: str, **values: str) -> str:
    """``message`` as a CSS ``content`` value: each run of its text a quoted string, each
    placeholder the CSS value given for it (``counter(page)``, ``string(marking)``)."""
    parts = []
    for text, name, _, _ in string.Formatter().parse(message):
        if text:
            parts.append(css_string(text))
        if name is not None:
            parts.append(values[name])
    return " ".join(parts) or '""'


def css_message(key: str, **values: str) -> str:
    """The label ``key`` in the active language as CSS ``content`` (the stylesheet's filter)."""
    return css_content(active().gettext(LABEL_MESSAGES[key]), **values)


def document_title(title: str, subtitle: str) -> str:
    """The title and subtitle as one title: "Kazakhstan and Iran: Trade, transport…";
    in Russian and Kazakh the subtitle goes on in lower case, unless it opens with an
    abbreviation ("США", "ЕАЭС")."""
    language = active()
    first = subtitle.split(maxsplit=1)[0] if subtitle.strip() else ""
    if language.primary in _LOWER_AFTER_COLON and first[:1].isupper() and not first.isupper():
        subtitle = subtitle[0].lower() + subtitle[1:]
    return language.gettext(LABEL_MESSAGES["document_title"]).format(title=title, subtitle=subtitle)
