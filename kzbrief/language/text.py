"""Every number, amount, percentage and date the briefing prints, in one place.

Tables (through the Jinja filters in ``render.html``) and charts (captions, alt
text, bar labels) both format with these functions, so an amount reads the same
wherever it appears. The rule for amounts: billions as "bn" and millions as "m",
and a million is the smallest unit named: 500,000 is "0.5 m" in a table and on a
chart. Below 100,000 an amount is written out in full ("24,000"), never in "k".
Imports nothing heavy: the charts' words can be built without matplotlib. The
words themselves (month names too) live in ``render.words``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

import jdatetime
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, get_currency_name, get_currency_symbol
from babel.numbers import format_percent as babel_percent

from . import primary_language
from .current import N_, NATIVE_DIGITS, Language, active
from .scripts import FOREIGN_RUN

DASH = "\u2013"  # en dash, for ranges: 2009-2011 reads "2009\u20132011"
Scale = tuple[float, str, str]  # divisor, short unit ("bn"), long unit ("billion")
# Each scale and the smallest amount written in it: 0.1 m and up in millions.
_SCALES: tuple[tuple[float, Scale], ...] = (
    (1e9, (1e9, N_("bn"), N_("billion"))),
    (1e5, (1e6, N_("m"), N_("million"))),
)
_UNITS: Scale = (1.0, "", "")
# Russian writes a currency's noun abbreviated beside an amount (GOST 7.12: "млрд долл.
# США"); CLDR has the full name only ("долларов США").
_ABBREVIATED = {"ru": (re.compile(r"\bдоллар\w*"), "долл.")}
# A number in running text: digits with "." or "," between them (0.1, 1,000).
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def plain(value: float, decimals: int = 3) -> str:
    """1279.0 -> "1,279"; 34.90 -> "34.9" (Russian "34,9", Persian "۳۴٫۹"): no trailing
    zeros, no float noise; separators and digits are the active language's."""
    language = active()
    pattern = "#,##0." + "#" * decimals if decimals else "#,##0"
    text = format_decimal(
        round(value, decimals), pattern, locale=language.locale, numbering_system=language.numbers
    )
    return language.digits(text)


def pick_scale(values: Sequence[float]) -> Scale:
    """The unit the largest amount is written in: bn, m, or none (see the module's rule)."""
    top = max((abs(value) for value in values), default=0.0)
    return next((scale for least, scale in _SCALES if top >= least), _UNITS)


def compact(value: float, scale: Scale, long: bool = False) -> str:
    """1.279e9 -> "1.279 bn" ("1.279 billion" for alt text); never rounds a real value to 0."""
    factor, short, word = scale
    text = plain(value / factor)
    if value > 0 and round(value / factor, 3) == 0:
        text = "<" + plain(0.001)
    unit = word if long else short
    return f"{text} {active().gettext(unit)}" if unit else text


def format_money(value: float, currency: str = "") -> str:
    """One amount in its own unit: 1.279 bn, 24 m, 0.2 m, 24,000 (the ``money`` filter); with
    a currency, as the language writes it: "US$1.279 bn", "1,279 млрд долл. США"."""
    scale = pick_scale([value])
    amount = compact(value, scale)
    if not currency:
        return amount
    symbol = _currency_symbol(currency)
    if symbol:  # the locale's currency pattern places it ("¤#,##0.00": before, no space)
        pattern = active().locale.currency_formats["standard"]
        before, after = (side[0].replace("¤", symbol) for side in (pattern.prefix, pattern.suffix))
        return f"{before}{amount}{after}"
    count = scale[0] if scale[1] else value  # "1.3 million" counts a million of them
    return _currency_pattern(count).format(amount, currency_name(currency, count))


def money_unit(currency: str, scale: Scale, long: bool = False) -> str:
    """The unit an axis or caption names: "US$ bn" ("billion US dollars" in full), "млрд долл.
    США", "میلیارد دلار آمریکا"; currency names and signs are CLDR's (Babel)."""
    language = active()
    unit = language.gettext(scale[2] if long else scale[1]) if scale[1] else ""
    symbol = "" if long else _currency_symbol(currency)
    if symbol:
        return f"{symbol} {unit}".strip()
    count = scale[0] if scale[1] else 1e6
    return " ".join(_currency_pattern(count).format(unit, currency_name(currency, count)).split())


def currency_name(currency: str, count: float = 1e6) -> str:
    """The currency's CLDR name in the form ``count`` of it takes ("US dollars", "долларов
    США", "АҚШ доллары", "دلار آمریکا"): a caption's unit is the form for a million."""
    language = active()
    name = get_currency_name(currency, count=count, locale=language.locale)
    if language.primary in _ABBREVIATED:
        word, short = _ABBREVIATED[language.primary]
        name = word.sub(short, name)
    return name


def _currency_symbol(currency: str) -> str:
    """The locale's sign for the currency when it says which currency it is ("US$"); a bare
    "$" could be any dollar, and the name is written instead."""
    symbol = get_currency_symbol(currency, locale=active().locale)
    return symbol if any(c.isalpha() for c in symbol) and symbol != currency else ""


def _currency_pattern(count: float) -> str:
    """The locale's "{0} {1}" (amount, then currency name) for the plural form of ``count``."""
    locale = active().locale
    patterns = locale._data["currency_unit_patterns"]  # Babel has no public accessor
    return patterns.get(locale.plural_form(count)) or patterns["other"]


def semicolon() -> str:
    """The separator of list items that hold commas themselves: Persian's is «؛», as its comma
    is «،» (read from the language's CLDR list pattern)."""
    arabic = "\u060c" in active().locale.list_patterns["standard"]["middle"]
    return "\u061b " if arabic else "; "


def semicolon_list(items: Sequence[str]) -> str:
    return semicolon().join(items)


def native_digits(text: str, language: str) -> str:
    """Translated prose with its ASCII numbers in the language's digits and separators
    ("دهه 1990" -> "دهه ۱۹۹۰", "0.1" -> "۰٫۱"); a Latin run keeps its own ("GSHHG 2.3.6")."""
    if primary_language(language) not in NATIVE_DIGITS:
        return text
    own = Language(language)
    symbols = own.locale.number_symbols[own.numbers]
    marks = {".": symbols["decimal"], ",": symbols["group"]}

    def numbers(prose: str) -> str:
        converted = _NUMBER.sub(lambda m: "".join(marks.get(c, c) for c in m.group()), prose)
        return own.digits(converted)

    pieces, start = [], 0
    for run in FOREIGN_RUN["Latn"].finditer(text):
        pieces += [numbers(text[start : run.start()]), run.group()]
        start = run.end()
    return "".join([*pieces, numbers(text[start:])])


def format_percent(share: float) -> str:
    """0.031 -> 3.1%; tiny shares keep two significant digits (0.00018 -> 0.018%)."""
    percent = 100 * share
    decimals = 1 if percent == 0 or percent >= 0.1 else 1 - math.floor(math.log10(percent))
    language = active()
    # The locale's own pattern ("#,##0 %" in Russian), with the decimals this share needs.
    pattern = language.locale.percent_formats[None].pattern.replace("0", "0." + "0" * decimals, 1)
    text = babel_percent(share, pattern, locale=language.locale, numbering_system=language.numbers)
    return language.digits(text)


def number(value: int) -> str:
    """A year, a count or a citation number as the language writes it (no separators)."""
    return active().digits(str(value))


def year_span(years: Sequence[int]) -> str:
    """[2009, 2010, 2011] -> "2009\u20132011"; a single year stands alone."""
    first, last = number(years[0]), number(years[-1])
    return f"{first}{DASH}{last}" if years[-1] != years[0] else first


# Where CLDR's form is not what the language's editors write: CLDR's Kazakh abbreviates the
# year ("2026 ж. 27 қараша"), a Kazakh text writes it out ("2026 жылғы 27 қараша").
_DATE_PATTERNS = {"kk": {"long": "y 'жылғы' d MMMM", "yMMMM": "y 'жылғы' MMMM"}}


def describe_partial_date(value: str) -> str:
    """ "2007-12" -> "December 2007"; "1999-01-29" -> "29 January 1999" (Russian "29 января
    1999 г."); in Persian the Solar Hijri date comes first, the Gregorian beside it with its
    era (CLDR's «م.»), so a reader knows which calendar each is: "۱۳۷۷ (۱۹۹۹م.)"."""
    parts = [int(part) for part in value.split("-")]
    language = active()
    if len(parts) == 1:
        gregorian = number(parts[0])
    elif len(parts) == 2:
        month = dt.date(parts[0], parts[1], 1)
        own = _DATE_PATTERNS.get(language.primary, {}).get("yMMMM")
        gregorian = (
            format_date(month, own, locale=language.locale)
            if own
            else format_skeleton("yMMMM", month, locale=language.locale)
        )
    else:
        own = _DATE_PATTERNS.get(language.primary, {}).get("long")
        gregorian = format_date(dt.date(*parts), own or "long", locale=language.locale)
    gregorian = language.digits(gregorian)
    if language.primary != "fa":
        return gregorian
    era = language.locale.eras["abbreviated"][1]
    # Joined to the year, as Persian often writes it ("۱۹۹۹م."): the era never wraps alone
    # in a narrow column; a no-break space would (pdfium's copy-and-paste moves it).
    return f"{language.digits(solar_hijri(parts))} ({gregorian}{era})"


def solar_hijri(parts: list[int]) -> str:
    """The Solar Hijri (Jalali) date of a Gregorian year, month or day, in Persian words.

    A Gregorian month or year spans two Jalali ones, so a partial date gives the span:
    December 2007 is "آذر–دی ۱۳۸۶", the year 1992 "۱۳۷۰–۱۳۷۱".
    """
    months = jdatetime.date.j_months_fa
    if len(parts) == 3:
        day = jdatetime.date.fromgregorian(date=dt.date(*parts))
        return f"{day.day} {months[day.month - 1]} {day.year}"
    first_month = parts[1] if len(parts) == 2 else 1
    last_month = parts[1] if len(parts) == 2 else 12
    start = jdatetime.date.fromgregorian(date=dt.date(parts[0], first_month, 1))
    next_start = dt.date(parts[0] + (last_month == 12), last_month % 12 + 1, 1)
    end = jdatetime.date.fromgregorian(date=next_start - dt.timedelta(days=1))
    if len(parts) == 1:
        return f"{start.year}{DASH}{end.year}"
    if start.year == end.year:
        return f"{months[start.month - 1]}{DASH}{months[end.month - 1]} {start.year}"
    return f"{months[start.month - 1]} {start.year}{DASH}{months[end.month - 1]} {end.year}"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: quotes and backslashes escaped, no line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
