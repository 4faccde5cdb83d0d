"""Every interface string the briefing prints that is not data, in English: the msgids.

Templates use ``words.x`` for single words and ``t("key", name=value)`` for sentences;
charts use ``phrase("key", name=value)``. Each message is one whole English sentence (or
label) with ``str.format`` placeholders, so a translator can reorder it. ``N_()`` marks each
for Babel's extractor (``kzbrief translate extract``); the lookup translates it through the
language being rendered (render/language.py), so the same call prints Russian in a Russian
edition. Numbers passed in are written in that language's digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from jinja2 import UndefinedError
from markupsafe import Markup, escape

from .change_words import CHANGE_MESSAGES
from .chart_words import CHART_MESSAGES
from .current import N_, active
from .label_words import LABEL_MESSAGES

# Single words: labels, table heads, headings (numbered labels: label_words.py).
_WORDS = {
    "contents": N_("Contents"),
    "key_facts": N_("Key facts"),
    "source": N_("Source:"),
    "sources": N_("Sources:"),
    "year": N_("Year"),
    "turnover": N_("Turnover"),
    "export": N_("Export"),
    "import": N_("Import"),
    "import_share": N_("Import share"),
    "country": N_("Country"),
    "length_km": N_("Length, km"),
    "share": N_("Share"),
    "total": N_("Total"),
    "to_date": N_("To date"),
    "agreements": N_("Agreements"),
    "ferry": N_("Ferry"),
    "railway": N_("Railway"),
    "bilateral_visits": N_("Bilateral visits"),
    "precedent": N_("The precedent"),
    "assessment": N_("Assessment"),
    "benefits": N_("Benefits"),
    "risks": N_("Risks"),
    "first_steps": N_("First steps"),
    "what_is_traded": N_("What is traded"),
    "what_we_recommend": N_("What we recommend"),
    "business_meaning": N_("What it could mean for business"),
    "join_and": N_(" and "),
    "list_separator": N_(", "),  # between names of a list: Persian writes "، "
    "change_separator": N_("; "),  # between changes in a sentence: Persian writes "؛ "
    # what kind of source an entry of the Sources list is (sources.yaml "kind")
    "kind_primary": N_("primary"),
    "kind_reference": N_("reference"),
    "kind_analysis": N_("analysis"),  # between the last two names of a list: "Baku and Anzali"
    # the public site (kzbrief publish)
    "public_editions": N_("Public editions"),
    "no_public_editions": N_("No edition is public yet."),
    "language": N_("Language"),
    "pages": N_("Pages"),
    "size": N_("Size"),
    "sha256": N_("SHA-256"),
    "download_pdf": N_("Download the PDF"),
    "read_web_edition": N_("Read the web edition"),
    "atom_feed": N_("Atom feed"),
}

# Language names by primary subtag, for the site's edition details ("en-GB" -> "English"),
# each in its own language: a reader looks for their language under its own name.
LANGUAGE_NAMES = {"en": "English", "kk": "Қазақша", "ru": "Русский", "fa": "فارسی"}

# Sentences and phrases with placeholders, keyed by a short stable id.
MESSAGES: dict[str, str] = {
    # templates: trade
    "trade_figures_in": N_("The figures are in {table} and {figure}."),
    "trade_table_caption": N_(
        "Trade between {own} and {partner}, {currency}; export and import as seen from {own}"
    ),
    "source_for_years": N_("{publisher} {cite} for {years}"),
    "import_share_computed": N_("Import share is computed from the two columns."),
    "exports_to": N_("{own} exports to {partner}"),
    "imports_from": N_("{own} imports from {partner}"),
    # templates: transport
    "ferry_opened": N_("On {date} a {description} opened from {origin} to {ports} {cite}."),
    "ferry_opened_to_destination": N_(
        "On {date} a {description} opened from {origin} to {destination} of {ports} {cite}."
    ),
    "cargo_between": N_("Cargo moves between {between}: {goods} and other goods {cite}."),
    "railway_heading": N_("The {start} – {end} railway"),
    "railway_agreed": N_(
        "{parties} and {last} signed an intergovernmental agreement in {place} in {date}"
        " to build a new railway along the route {route} {cite}."
    ),
    "section_finished": N_("The {country} section was finished in {year}."),
    "route_drawn_in": N_(
        "The route is drawn in {map}; lengths by country are in {table} and {figure}."
    ),
    "railway_table_caption": N_("Length of the {start} – {end} railway by country"),
    "total_computed": N_("Total and shares computed from the lengths."),
    # templates: summary (key facts) and diplomacy
    "fact_agreements": N_("More than {minimum} signed {cite}"),
    "fact_trade_label": N_("Trade {year}"),
    "fact_trade": N_("Turnover {turnover}; {country}'s exports {export}, imports {import_} {cite}"),
    "fact_ferry": N_("{origin} – {ports} since {date} {cite}"),
    "fact_railway": N_("{start} – {end}: {total} km, of which {segments} {cite}"),
    "km_in_country": N_("{km} km in {country}"),
    "km": N_("{km} km"),
    "agreements_signed": N_(
        "More than {minimum} {description} signed, forming the contractual basis"
        " of cooperation {cite}"
    ),
    "years_with_visits": N_("Years with visits: {years} {cite}."),
    "visit_counts_unknown": N_("Number of visits per year: not given in the source."),
    "see_figure": N_("See {figure}."),
    "set_out_in_section": N_("Each is set out in section {section}, page {page}."),
    "set_out_in_section_web": N_("Each is set out in section {section}."),
    # The line `kzbrief issue` stamps at the foot of every page of a recipient's copy.
    "copy_line": N_(
        "Copy {number} \u00b7 Edition {edition} \u00b7 Issued to {name}, {organisation}"
        " \u00b7 {date}"
    ),
    # The covering e-mail of `kzbrief send` (templates/base/email/).
    "email_subject": N_("{title}: your copy {number}, edition {edition}"),  # the edition's id
    "email_greeting": N_("Dear {name},"),
    "email_body": N_(
        "Attached is copy {number} of the briefing \u201c{title}\u201d, edition of {edition},"
        " issued to you at {organisation}."
    ),
    "email_personal": N_(
        "The copy is numbered and registered to you. Please do not forward it: ask us if a"
        " colleague needs one of their own."
    ),
    "email_signoff": N_("With regards,"),
    # the public site and its feed (kzbrief publish)
    "site_edition_of": N_("Edition of {date}"),
    "cover_alt": N_("First page of the {title}"),
    "size_kb": N_("{number} kB"),
    "size_mb": N_("{number} MB"),
    "feed_entry_title": N_("{title}: {edition}, {date}"),
    # on the cover and in the PDF's metadata of an edition whose translation is a draft
    "unreviewed_translation": N_("Unreviewed draft translation"),
    **CHART_MESSAGES,
    **LABEL_MESSAGES,
    **CHANGE_MESSAGES,
}


class _Words(Mapping[str, str]):
    """The single words, translated into the active language when looked up."""

    def __getitem__(self, key: str) -> str:
        return active().gettext(_WORDS[key])

    def __iter__(self) -> Iterator[str]:
        return iter(_WORDS)

    def __len__(self) -> int:
        return len(_WORDS)


WORDS: Mapping[str, str] = _Words()
# A placeholder and the full stop after it: "{unit}." ("{unit}" is group 1, "unit" group 2).
_STOP_AFTER = re.compile(r"(\{(\w+)\})\.")
_SENTENCE_ENDS = (".", "!", "?", "\u2026", "\u061f")  # … and the Arabic-script ؟


def english(key: str) -> str:
    """The English msgid of a single word or a message (for the catalogue tools)."""
    return _WORDS.get(key) or MESSAGES[key]


def _localised(values: dict[str, object]) -> dict[str, object]:
    """Whole numbers in the active language's digits (a year, a count, a citation number)."""
    language = active()
    return {
        name: language.digits(str(value)) if isinstance(value, int) else value
        for name, value in values.items()
    }


def _ends_sentence(text: object) -> bool:
    """Whether ``text`` ends in a stop, inside a bidi isolate too ("\u2068Acme Inc.\u2069")."""
    return str(text).rstrip().rstrip("\u2069\u202c").endswith(_SENTENCE_ENDS)


def full_stop(text: str) -> str:
    """``text`` ended with a full stop, unless it ends in one already ("долл.", "Inc."), or in
    a question or exclamation mark: the ``full_stop`` filter."""
    return text if _ends_sentence(text) else text + "."


def _one_full_stop(message: str, values: Mapping[str, object]) -> str:
    """``message`` without the full stop after a placeholder whose value ends a sentence: a
    sentence that ends in an abbreviation ("долл.", "etc.") takes no second stop."""
    return _STOP_AFTER.sub(
        lambda m: m.group(1) if _ends_sentence(values.get(m.group(2), "")) else m.group(0),
        message,
    )


def phrase(key: str, **values: object) -> str:
    """The message ``key`` as plain text, its placeholders filled (for charts)."""
    return _one_full_stop(active().gettext(MESSAGES[key]), values).format(**_localised(values))


def markup(key: str, **values: object) -> Markup:
    """The message ``key`` as HTML: the ``t()`` of the templates.

    The message and plain values are escaped, Markup values (citations, cross-references,
    Markdown) go in as they are. An apostrophe stays literal, as it was in the templates:
    it is safe in text and in the double-quoted attributes the templates use.
    """
    if key not in MESSAGES:
        raise UndefinedError(f"t({key!r}): no such message in kzbrief/render/words.py")
    message = str(escape(active().gettext(MESSAGES[key]))).replace("&#39;", "'")
    return Markup(_one_full_stop(message, values)).format(**_localised(values))
