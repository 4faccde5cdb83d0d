"""Every interface string the briefing prints that is not data: the seam for languages.

Templates use ``words.x`` for single words and ``t("key", name=value)`` for sentences;
charts use ``phrase("key", name=value)``. Each message is one whole English sentence (or
label) with ``str.format`` placeholders, so a translator can reorder it; a later step
turns this catalogue into gettext ``.po`` files with the English messages as msgids.
"""

from __future__ import annotations

from jinja2 import UndefinedError
from markupsafe import Markup, escape

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Single words: labels, table heads, headings; the first five are set by labels.css.j2.
WORDS = {
    "page": "Page",
    "of": "of",
    "distribution": "Distribution:",
    "figure": "Figure",
    "table": "Table",
    "contents": "Contents",
    "key_facts": "Key facts",
    "source": "Source:",
    "sources": "Sources:",
    "year": "Year",
    "turnover": "Turnover",
    "export": "Export",
    "import": "Import",
    "import_share": "Import share",
    "country": "Country",
    "length_km": "Length, km",
    "share": "Share",
    "total": "Total",
    "to_date": "To date",
    "agreements": "Agreements",
    "ferry": "Ferry",
    "railway": "Railway",
    "bilateral_visits": "Bilateral visits",
    "precedent": "The precedent",
    "assessment": "Assessment",
    "benefits": "Benefits",
    "risks": "Risks",
    "first_steps": "First steps",
    "what_is_traded": "What is traded",
    "what_we_recommend": "What we recommend",
    "business_meaning": "What it could mean for business",
    "join_and": " and ",  # between the last two names of a list: "Baku and Anzali"
    # the public site (kzbrief publish)
    "public_editions": "Public editions",
    "no_public_editions": "No edition is public yet.",
    "language": "Language",
    "pages": "Pages",
    "size": "Size",
    "sha256": "SHA-256",
    "download_pdf": "Download the PDF",
    "read_web_edition": "Read the web edition",
    "atom_feed": "Atom feed",
}

# Language names by primary subtag, for the site's edition details ("en-GB" -> "English").
LANGUAGE_NAMES = {"en": "English"}

# Sentences and phrases with placeholders, keyed by a short stable id.
MESSAGES = {
    # templates: trade
    "trade_figures_in": "The figures are in {table} and {figure}.",
    "trade_table_caption": (
        "Trade between {own} and {partner}, {currency}; export and import as seen from {own}"
    ),
    "source_for_years": "{publisher} {cite} for {years}",
    "import_share_computed": "Import share is computed from the two columns.",
    "exports_to": "{own} exports to {partner}",
    "imports_from": "{own} imports from {partner}",
    # templates: transport
    "ferry_opened": "On {date} a {description} opened from {origin} to {ports} {cite}.",
    "ferry_opened_to_destination": (
        "On {date} a {description} opened from {origin} to {destination} of {ports} {cite}."
    ),
    "cargo_between": "Cargo moves between {between}: {goods} and other goods {cite}.",
    "railway_heading": "The {start} – {end} railway",
    "railway_agreed": (
        "{parties} and {last} signed an intergovernmental agreement in {place} in {date}"
        " to build a new railway along the route {route} {cite}."
    ),
    "section_finished": "The {country} section was finished in {year}.",
    "route_drawn_in": (
        "The route is drawn in {map}; lengths by country are in {table} and {figure}."
    ),
    "railway_table_caption": "Length of the {start} – {end} railway by country",
    "total_computed": "Total and shares computed from the lengths.",
    # templates: summary (key facts) and diplomacy
    "fact_agreements": "More than {minimum} signed {cite}",
    "fact_trade_label": "Trade {year}",
    "fact_trade": "Turnover {turnover}; {country}'s exports {export}, imports {import_} {cite}",
    "fact_ferry": "{origin} – {ports} since {date} {cite}",
    "fact_railway": "{start} – {end}: {total} km, of which {segments} {cite}",
    "km_in_country": "{km} km in {country}",
    "agreements_signed": (
        "More than {minimum} {description} signed, forming the contractual basis"
        " of cooperation {cite}"
    ),
    "years_with_visits": "Years with visits: {years} {cite}.",
    "visit_counts_unknown": "Number of visits per year: not given in the source.",
    "see_figure": "See {figure}.",
    "set_out_in_section": "Each is set out in section {section}, page {page}.",
    "set_out_in_section_web": "Each is set out in section {section}.",
    # charts: trade
    "trade_caption": "Trade, {years} ({currency}).",
    "trade_caption_between": (
        "Trade between {own} and {partner}, {years} ({currency});"
        " export and import as seen from {own}."
    ),
    "trade_caption_scale": "Import is drawn on its own scale, in {unit}.",
    "trade_alt_bars": "Bar charts of trade in {currency}, by year.",
    "trade_alt_bars_between": (
        "Bar charts of trade between {own} and {partner} in {currency}, by year."
    ),
    "trade_alt_lines": "Line charts of trade in {currency}, by year.",
    "trade_alt_lines_between": (
        "Line charts of trade between {own} and {partner} in {currency}, by year."
    ),
    "trade_alt_year": "{year}: turnover {turnover}, export {export}, import {import_}",
    "trade_title_big": "Turnover and export, {unit}",
    "trade_title_small": "Import, {unit} (own scale)",
    # charts: railway
    "railway_title": "{line} railway, {ends}: {total} km in all",
    "railway_part": "{country} {km} km",
    "railway_completed": "{country} section completed {year}.",
    "railway_caption": (
        "Length of the {line} railway ({ends}) by country: {parts}; {total} km in all."
    ),
    "railway_alt": (
        "Stacked bar of the {line} railway from {start} to {end}, {total} km in all: {parts}."
    ),
    "segment_completed": "completed {year}",
    # charts: visits
    "visits_caption": "Years with bilateral visits, {years}: {count} years with visits.",
    "visits_alt": "Timeline from {first} to {last} marking the {count} years with visits: {years}.",
    "visits_alt_gaps": "No visits are listed for {gaps}.",
    "visits_caption_unknown": (
        "The number of visits per year is not given in the source, nor which side made them."
    ),
    "visits_alt_unknown": (
        "The number of visits per year is not given in the source; it names the two sides,"
        " {sides}, but not which side visited when."
    ),
    "visits_caption_counts": "Number of visits per year as given in the source; sides: {sides}.",
    "visits_alt_counts": "Visits per year, as given in the source: {numbers}.",
    "visits_side": "{code} ({name})",
    "visits_listed": "Visits listed",
    "visits_none_listed": "No visits listed",
    "visits_title": "Years in which visits took place",
    "visits_note_counts": "Number of visits per year not given in the source.",
    "visits_note_sides": (
        "The two sides, {sides}, are named in the source but not attributed per year."
    ),
    "visits_title_counts": "Number of visits per year",
    # charts: corridor map
    "map_note": "Positions approximate; coastlines and borders simplified.",
    "map_ferry_link": "Ferry link",
    "map_railway": "Railway",
    "map_port": "Port",
    "map_station": "Railway station",
    "map_capital": "Capital",
    "map_ports": "Ports: {places}.",
    "map_stations": "Railway stations: {places}.",
    "map_capitals": "Capitals: {places}.",
    "map_place": "{name} ({country})",
    "map_caption": (
        "Ferry and rail links: {description} from {origin} to {ports} (opened {date});"
        " {parties} railway via {route}."
    ),
    "map_alt": (
        "Map. Dashed ferry lines run from {origin} to {ports}. A solid line shows the {total} km"
        " {parties} railway through {route}, in that order. {places} Positions are approximate."
    ),
    "list_and": "{names} and {last}",
    # The line `kzbrief issue` stamps at the foot of every page of a recipient's copy.
    "copy_line": "Copy {number} \u00b7 Issued to {name}, {organisation} \u00b7 {date}",
    # The covering e-mail of `kzbrief send` (templates/base/email/).
    "email_subject": "{title}: your copy {number}, edition of {edition}",
    "email_greeting": "Dear {name},",
    "email_body": (
        "Attached is copy {number} of the briefing \u201c{title}\u201d, edition of {edition},"
        " issued to you at {organisation}."
    ),
    "email_personal": (
        "The copy is numbered and registered to you. Please do not forward it: ask us if a"
        " colleague needs one of their own."
    ),
    "email_signoff": "With regards,",
    # the public site and its feed (kzbrief publish)
    "site_edition_of": "Edition of {date}",
    "cover_alt": "First page of the {title}",
    "size_kb": "{number} kB",
    "size_mb": "{number} MB",
    "feed_entry_title": "{title}: {edition}, {date}",
}


def phrase(key: str, **values: object) -> str:
    """The message ``key`` as plain text, its placeholders filled (for charts)."""
    return MESSAGES[key].format(**values)


def markup(key: str, **values: object) -> Markup:
    """The message ``key`` as HTML: the ``t()`` of the templates.

    The message and plain values are escaped, Markup values (citations, cross-references,
    Markdown) go in as they are. An apostrophe stays literal, as it was in the templates:
    it is safe in text and in the double-quoted attributes the templates use.
    """
    if key not in MESSAGES:
        raise UndefinedError(f"t({key!r}): no such message in kzbrief/render/words.py")
    message = str(escape(MESSAGES[key])).replace("&#39;", "'")
    return Markup(message).format(**values)
