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
from collections.abc import Sequence

import jdatetime
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent

from .current import N_, active

DASH = "\u2013"  # en dash, for ranges: 2009-2011 reads "2009\u20132011"
Scale = tuple[float, str, str]  # divisor, short unit ("bn"), long unit ("billion")
# Each scale and the smallest amount written in it: 0.1 m and up in millions.
_SCALES: tuple[tuple[float, Scale], ...] = (
    (1e9, (1e9, N_("bn"), N_("billion"))),
    (1e5, (1e6, N_("m"), N_("million"))),
)
_UNITS: Scale = (1.0, "", "")
# An amount with its currency: the order and spacing differ by language ("USD 1.3 bn",
# "1,3 млрд долл. США"), so the catalogue holds the pattern; the currency code is a msgid too.
_MONEY = N_("{currency} {amount}")
_CURRENCIES = (N_("USD"),)  # the codes the catalogues translate; others print as the code


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
    """One amount in its own unit: 1.279 bn, 24 m, 0.2 m, 24,000 (the ``money`` filter)."""
    amount = compact(value, pick_scale([value]))
    if not currency:
        return amount
    language = active()
    return language.gettext(_MONEY).format(currency=language.gettext(currency), amount=amount)


def money_unit(currency: str, scale: Scale, long: bool = False) -> str:
    """The unit an axis or caption names: "USD bn" ("млрд долл. США", "میلیارد دلار آمریکا")."""
    language = active()
    unit = language.gettext(scale[2] if long else scale[1]) if scale[1] else ""
    text = language.gettext(_MONEY).format(currency=language.gettext(currency), amount=unit)
    return " ".join(text.split())


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


def describe_partial_date(value: str) -> str:
    """ "2007-12" -> "December 2007"; "1999-01-29" -> "29 January 1999" (Russian "29 января
    1999 г."); in Persian the Solar Hijri date is given too, the Gregorian beside it."""
    parts = [int(part) for part in value.split("-")]
    language = active()
    if len(parts) == 1:
        gregorian = number(parts[0])
    elif len(parts) == 2:
        gregorian = format_skeleton("yMMMM", dt.date(parts[0], parts[1], 1), locale=language.locale)
    else:
        gregorian = format_date(dt.date(*parts), "long", locale=language.locale)
    gregorian = language.digits(gregorian)
    if language.primary != "fa":
        return gregorian
    return f"{language.digits(solar_hijri(parts))} ({gregorian})"


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
