"""A damaged cache entry is never used: it is redone, reported once, and the PDF is right."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from kzbrief.build import BuildOptions, BuildReport, build_with_report
from kzbrief.cache import BuildCache, entry_key
from kzbrief.charts.registry import CHARTS
from kzbrief.cli import main
from kzbrief.formats.attachments import SourceFile
from kzbrief.formats.pdf import TypesetOptions, typeset_key
from kzbrief.publish.manifest import verify_folder

from .conftest import Project, logged_warnings
from .test_cache import change_press_template

PRESS = "kazakhstan-iran-press-en.pdf"
BUSINESS = "kazakhstan-iran-business-en.pdf"


@pytest.fixture(autouse=True)
def reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typesetting twice gives the same bytes, so 'published == freshly typeset' can be
    checked byte for byte. (Without HarfBuzz-subset, fontTools stamps each font subset
    with the current time unless $SOURCE_DATE_EPOCH is set.)"""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _entries(project: Project, kind: str) -> list[Path]:
    """The cache's entries of one kind ('pdf', 'charts', 'last-build'); never none."""
    cache = project.root / ".kzbrief" / "cache"
    found = sorted(p for p in cache.glob(f"{kind}/*") if p.is_file())
    found += [cache / kind] if (cache / kind).is_file() else []
    assert found, f"no {kind} entries in {cache}"
    return found


def _assert_published_as_fresh(project: Project, name: str, fresh: bytes) -> None:
    """The file in output/ is the freshly typeset PDF, and the manifest says so."""
    path = project.output / name
    assert path.read_bytes() == fresh
    assert len(PdfReader(path).pages) >= 1
    entry = next(
        e
        for e in json.loads((project.output / "manifest.json").read_text())["files"]
        if e["file"] == name
    )
    assert entry["sha256"] == hashlib.sha256(fresh).hexdigest()
    assert verify_folder(project.output).problems == 0


def test_a_corrupt_pdf_entry_is_typeset_again_not_published(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: damage every cached PDF, change one audience's template, build."""
    templates = project.root / "my-templates"
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    args += ["--templates", str(templates), "--audience", "press", "--audience", "business"]
    templates.mkdir()
    assert main(args) == 0
    fresh = (project.output / BUSINESS).read_bytes()
    for entry in _entries(project, "pdf"):
        _flip_a_byte(entry)
    change_press_template(templates)
    capsys.readouterr()
    assert main(args) == 0
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "cache" in line] == [
        "kzbrief: warning: cache entry for the business/en/pdf PDF was corrupt; typeset again"
    ]
    _assert_published_as_fresh(project, BUSINESS, fresh)


def test_every_kind_of_damaged_entry_is_redone_and_reported_once(project: Project) -> None:
    warnings: list[str] = []

    def press_build() -> BuildReport:
        options = BuildOptions(data=project.data, output=project.output, audiences=["press"])
        with logged_warnings() as logged:
            report = build_with_report(options)
        warnings.extend(logged)
        return report

    press_build()
    fresh = (project.output / PRESS).read_bytes()
    for damage in (_flip_a_byte, _truncate):
        for kind in ("pdf", "charts", "last-build"):
            for entry in _entries(project, kind):
                damage(entry)
        warnings.clear()
        report = press_build()
        charts = list(CHARTS)
        assert [w for w in warnings if w.startswith("cache")] == [
            "cache entry for the last build was corrupt; checking every input",
            *(f"cache entry for the {chart} chart was corrupt; drawn again" for chart in charts),
            "cache entry for the press/en/pdf PDF was corrupt; typeset again",
        ], damage.__name__
        assert sorted(report.charts_drawn) == sorted(charts) and report.typeset == ["press/en/pdf"]
        _assert_published_as_fresh(project, PRESS, fresh)
    # The entries were written afresh: the next build uses them and warns no more.
    warnings.clear()
    assert press_build().skipped and warnings == []


def test_memo_computes_once_and_redoes_a_damaged_entry_with_one_warning(tmp_path: Path) -> None:
    """The generic memo every stage uses: stored after the first call, checked on each read."""
    cache = BuildCache(tmp_path)
    calls: list[int] = []

    def answer() -> int:
        calls.append(1)
        return 42

    key = entry_key("numbers", "the answer", [6, 7])

    def ask() -> int:
        return cache.memo(key, answer, lambda n: str(n).encode(), int, "the answer", "asked again")

    assert (ask(), ask(), len(calls)) == (42, 42, 1)
    _flip_a_byte(tmp_path / key)
    with logged_warnings() as warnings:
        assert (ask(), ask(), len(calls)) == (42, 42, 2)
    assert warnings == ["cache entry for the answer was corrupt; asked again"]


def test_the_pdf_key_is_built_from_each_named_input(tmp_path: Path) -> None:
    """Equal inputs give equal keys; changing any one of them gives another key."""

    def options(**changes: object) -> TypesetOptions:
        fields: dict = {
            "base_url": tmp_path / "templates",
            "allowed_roots": (tmp_path / "templates", tmp_path / "data"),
            "attachments": (SourceFile("trade.yaml", b"trade: []", "kzbrief source data"),),
            "font_families": ("Source Serif Pro",),
        }
        return TypesetOptions(**{**fields, **changes})

    same = typeset_key("<p>x</p>", options())
    assert typeset_key("<p>x</p>", options()) == same
    others = [
        typeset_key("<p>y</p>", options()),
        typeset_key("<p>x</p>", options(pdf_variant="none")),
        typeset_key("<p>x</p>", options(base_url=tmp_path)),
        typeset_key("<p>x</p>", options(allowed_roots=(tmp_path,))),
        typeset_key("<p>x</p>", options(font_families=())),
        typeset_key(
            "<p>x</p>",
            options(attachments=(SourceFile("trade.yaml", b"trade: [1]", "kzbrief source data"),)),
        ),
    ]
    assert same not in others and len(set(others)) == len(others)
