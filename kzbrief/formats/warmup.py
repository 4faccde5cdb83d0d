"""A small document typeset once in the typesetting fork server, before any worker exists.

The first document a process typesets costs about a second more than the next: cffi
parses the C types WeasyPrint asks for, Pyphen loads its dictionaries, the SVG and PDF/A
code runs for the first time. Done once in the server (on another core, while the build
draws its charts), every worker forked from it starts warm.
"""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from ..language.fonts import edition_faces, font_folders
from .attachments import SourceFile
from .pdf import TypesetOptions, typeset_pdf
from .weasyprint_adapter import LOGGER as ADAPTER_LOGGER
from .weasyprint_adapter import weasyprint_tested

# Each kind of thing the briefings hold: hyphenated text in the languages Pyphen knows,
# a table, an SVG chart with text and paths, margin boxes, running strings, counters.
_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="40pt" viewBox="0 0 120 40">'
    '<path d="M 0 0 L 120 40 C 10 10 20 20 30 30 z" style="fill: #1f3a5f; stroke: #000"/>'
    '<text x="4" y="20" style="font-size: 8px; font-family: \'Source Sans 3\'">Warm 1992</text>'
    "</svg>"
)
_BODY = f"""
<h2 style="string-set: section content()">Warm-up</h2>
<p lang="en">Hyphenation of considerable international cooperation, transportation.</p>
<p lang="ru">Межгосударственное сотрудничество и транспортная инфраструктура.</p>
<p lang="fa" dir="rtl">همکاری‌های اقتصادی و ترانزیتی</p>
<table style="width: 100%"><tr><th>Year</th><td>1,000</td></tr></table>
<img style="width: 50%" src="data:image/svg+xml;base64,{base64.b64encode(_SVG.encode()).decode()}">
"""


def warm_up() -> None:
    """Typeset the small document with the options the build uses; nothing is kept."""
    # An untested WeasyPrint is reported by the build's own process (workers.py), where
    # --strict counts it: the server only takes note, for itself and the workers it forks.
    ADAPTER_LOGGER.disabled = True
    try:
        weasyprint_tested()
    finally:
        ADAPTER_LOGGER.disabled = False
    faces = {face.url: face for code in ("en", "ru", "fa") for face in edition_faces(code)}
    rules = "".join(
        f'@font-face {{ font-family: "{f.family}"; font-weight: {f.weight}; '
        f'font-style: {f.style}; src: url("{f.url}"); }}'
        for f in faces.values()
    )
    style = (
        f"{rules} html {{ font-family: 'Source Serif 4'; hyphens: auto; }}"
        "@page { @top-left { content: string(section) } @bottom-right { content: counter(page) } }"
    )
    html = f"<html lang='en'><head><style>{style}</style></head><body>{_BODY}</body></html>"
    options = TypesetOptions(
        base_url=Path(__file__).parent,
        allowed_roots=font_folders(),
        attachments=(SourceFile("warm-up.yaml", b"warm: up\n", "warm-up"),),
        timestamp=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    )
    typeset_pdf(html, options)
