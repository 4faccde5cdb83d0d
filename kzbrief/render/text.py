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

from collections.abc import Sequence

from .words import MONTHS

DASH = "\u2013"  # en dash, for ranges: 2009-2011 reads "2009\u20132011"
Scale = tuple[float, str, str]  # divisor, short unit ("bn"), long unit ("billion")
# Each scale and the smallest amount written in it: 0.1 m and up in millions.
_SCALES: tuple[tuple[float, Scale], ...] = (
    (1e9, (1e9, "bn", "billion")),
    (1e5, (1e6, "m", "million")),
)
_UNITS: Scale = (1.0, "", "")


def plain(value: float, decimals: int = 3) -> str:
    """1279.0 -> "1,279"; 34.90 -> "34.9": no trailing zeros, no float noise."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pick_scale(values: Sequence[float]) -> Scale:
    """The unit the largest amount is written in: bn, m, or none (see the module's rule)."""
    top = max((abs(value) for value in values), default=0.0)
    return next((scale for least, scale in _SCALES if top >= least), _UNITS)


def compact(value: float, scale: Scale, long: bool = False) -> str:
    """1.279e9 -> "1.279 bn" ("1.279 billion" for alt text); never rounds a real value to 0."""
    factor, short, word = scale
    text = plain(value / factor)
    text = "<0.001" if value > 0 and text == "0" else text
    return f"{text} {word if long else short}".rstrip()


def format_money(value: float, currency: str = "") -> str:
    """One amount in its own unit: 1.279 bn, 24 m, 0.2 m, 24,000 (the ``money`` filter)."""
    prefix = f"{currency} " if currency else ""
    return prefix + compact(value, pick_scale([value]))


def format_percent(share: float) -> str:
    """0.031 -> 3.1%; tiny shares keep two significant digits (0.00018 -> 0.018%)."""
    percent = 100 * share
    if percent == 0 or percent >= 0.1:
        return f"{percent:.1f}%"
    return f"{percent:.2g}%"


def year_span(years: Sequence[int]) -> str:
    """[2009, 2010, 2011] -> "2009\u20132011"; a single year stands alone."""
    return f"{years[0]}{DASH}{years[-1]}" if years[-1] != years[0] else str(years[0])


def describe_partial_date(value: str) -> str:
    """ "2007-12" -> "December 2007"; "1999-01-29" -> "29 January 1999"."""
    parts = value.split("-")
    month = MONTHS[int(parts[1]) - 1] if len(parts) > 1 else ""
    if len(parts) == 3:
        return f"{int(parts[2])} {month} {parts[0]}"
    return f"{month} {parts[0]}".strip()


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: quotes and backslashes escaped, no line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
