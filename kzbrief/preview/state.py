"""What the preview shows, and the thread that keeps it current.

A watcher (watchfiles) notices changes to the data, the template folders and
kzbrief.toml; the builder then runs the normal build with its cache, so editing the
press template re-typesets only press. Each edition's pages are drawn with pypdfium2
at twice screen resolution (crisp on a high-DPI screen) and named by their content
hash, so a reloaded page fetches only the images that changed. A failed build keeps
the last good pages and shows the CLI's own error lines; an edition over its page budget
is shown all the same, below its budget error.

The preview never writes into the output folder nor records its drafts in the register:
it builds into ``preview/`` inside the state folder (``.kzbrief/``). The page's language
switch rebuilds in another language.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KzbriefError
from ..options import BuildOptions
from ..publish.manifest import listed_entries

SCALE = 2 * 96 / 72  # PDF points -> pixels at 96 dpi, doubled for high-DPI screens


@dataclass(frozen=True)
class Page:
    png: bytes
    digest: str  # of the PNG: part of its URL, so an unchanged page is not fetched again
    width: int
    height: int
    text: str


@dataclass
class Edition:
    audience: str
    name: str  # the PDF's file name
    language: str = ""
    pdf: bytes = b""
    pages: list[Page] = field(default_factory=list)


@dataclass
class PreviewState:
    """Shared by the builder thread and the request threads, under ``changed``."""

    editions: dict[str, Edition] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # the failed build's, as the CLI prints them
    over_budget: list[str] = field(default_factory=list)  # shown with the pages, not instead
    language: str = ""  # asked for (--language or the page's switch); "": each first one
    languages: dict[str, list[str]] = field(default_factory=dict)  # audience -> its languages
    building: bool = False
    version: int = 0  # +1 whenever anything a page shows has changed
    changed: threading.Condition = field(default_factory=threading.Condition)
    one_build: threading.Lock = field(default_factory=threading.Lock)  # watcher's or switch's

    def publish(self, **changes: object) -> None:
        with self.changed:
            for name, value in changes.items():
                setattr(self, name, value)
            self.version += 1
            self.changed.notify_all()

    def snapshot(self) -> dict:
        with self.changed:
            return {
                "version": self.version,
                "building": self.building,
                "errors": list(self.errors),
                "over_budget": list(self.over_budget),
                "language": self.language,
                "editions": {
                    key: {
                        "language": e.language,
                        "languages": self.languages.get(key, []),
                        "pdf": f"/pdf/{key}/{e.name}",
                        "pages": [
                            {
                                "url": f"/page/{key}/{n}.png?v={p.digest}",
                                "width": p.width,
                                "height": p.height,
                            }
                            for n, p in enumerate(e.pages, 1)
                        ],
                    }
                    for key, e in self.editions.items()
                },
            }


def render_pages(pdf: bytes) -> list[Page]:
    """Every page of ``pdf`` as a PNG, with its text; the same PDF gives the same pages."""
    import pypdfium2  # lazy: PDFium, only the preview draws pages

    document = pypdfium2.PdfDocument(pdf)
    pages = []
    try:
        for page in document:
            image = page.render(scale=SCALE).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            png = buffer.getvalue()
            digest = hashlib.sha256(png).hexdigest()[:16]
            text = page.get_textpage().get_text_range()
            pages.append(Page(png, digest, image.width, image.height, text))
    finally:
        document.close()
    return pages


def preview_options(options: BuildOptions) -> BuildOptions:
    """The build the preview runs: into the state folder, never the output folder; a
    draft, so never recorded in the register; page budgets reported rather than enforced."""
    state = options.state_folder
    return dataclasses.replace(
        options, output=state / "preview", state=state, record=False, enforce_budgets=False
    )


def rebuild(
    state: PreviewState, options: BuildOptions, describe: Callable[[KzbriefError], str]
) -> None:
    """One build at a time, in the language asked for last."""
    with state.one_build:
        language = state.language
        if language:
            options = dataclasses.replace(options, languages=(language,), first_language_only=False)
        _build_once(state, options, describe)


def _build_once(
    state: PreviewState, options: BuildOptions, describe: Callable[[KzbriefError], str]
) -> None:
    """On success the changed editions are drawn again, on failure the errors shown."""
    from ..build import build_with_report  # lazy: the build pulls in the whole pipeline

    state.publish(building=True)
    try:
        report = build_with_report(options)
        languages = _languages(options)
    except KzbriefError as exc:
        state.publish(building=False, errors=describe(exc).splitlines())
        return
    editions = dict(state.editions)
    entries = _entries_by_file(options.output)
    for path in report.written:
        if path.suffix != ".pdf":
            continue
        audience, language = entries.get(path.name, (path.stem, ""))
        pdf = path.read_bytes()
        old = editions.get(audience)
        if old is None or old.pdf != pdf:  # an unchanged edition keeps its pages and URLs
            editions[audience] = Edition(audience, path.name, language, pdf, render_pages(pdf))
    over = state.over_budget  # a build with nothing to redo reports none: the last still hold
    if not report.skipped:
        over = [line for error in report.over_budget for line in describe(error).splitlines()]
    state.publish(
        building=False, errors=[], over_budget=over, editions=editions, languages=languages
    )


def _languages(options: BuildOptions) -> dict[str, list[str]]:
    """Each previewed audience's languages, for the page's switch."""
    from ..data.audiences import load_audiences, select_audiences  # lazy: pydantic

    audiences = select_audiences(load_audiences(options.data), options.audiences)
    return {audience.id: list(audience.languages) for audience in audiences}


def _entries_by_file(output: Path) -> dict[str, tuple[str, str]]:
    """File name -> (audience, language), from the manifest the build just wrote."""
    return {
        entry["file"]: (str(entry["audience"]), str(entry.get("language", "")))
        for entry in listed_entries(output)
    }
