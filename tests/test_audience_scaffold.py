"""new-audience --from: a copy that builds at once in every language of its source, with its
readers' text marked for rewriting; templates that extend the packaged audience's; hints
that are commands that work (issue 27)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from kzbrief.cli import main

from .conftest import logged_warnings, pdf_text


@pytest.fixture
def initialised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project made by ``kzbrief init`` (the packaged example), the current folder."""
    root = tmp_path / "brief"
    assert main(["init", str(root)]) == 0
    monkeypatch.chdir(root)
    return root


def _config(root: Path, audience: str) -> dict:
    text = (root / "data" / "audiences" / f"{audience}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)["audience"]


@pytest.mark.parametrize(
    ("source", "printed_ru"),
    [  # an audience string each source prints: government's title, press's distribution
        ("government", "Записка для Министерства иностранных дел"),
        ("press", "БЕЗ ОГРАНИЧЕНИЙ"),
    ],
)
def test_a_copy_builds_at_once_in_every_language_of_its_source(
    initialised: Path, source: str, printed_ru: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["new-audience", "analysts", "--from", source]) == 0
    written = [Path(line).resolve() for line in capsys.readouterr().out.splitlines()]
    languages = _config(initialised, source)["languages"]
    translated = [lang for lang in languages if lang != "en"]
    assert written[2:] == [
        (initialised / "data" / "i18n" / lang / "audiences" / "analysts.yaml").resolve()
        for lang in sorted(translated)
    ]
    with logged_warnings() as warnings:
        assert main(["build", "--audience", "analysts"]) == 0
    pdfs = [Path(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(p.name for p in pdfs) == sorted(
        f"kazakhstan-iran-analysts-{lang}.pdf" for lang in languages
    )
    budget = _config(initialised, source).get("page_budget")
    for pdf in pdfs:
        assert budget is None or len(PdfReader(pdf).pages) <= budget, pdf
    [ru] = [p for p in pdfs if p.name.endswith("-ru.pdf")]
    assert printed_ru in pdf_text(ru)
    # The audience's strings are translated: no warning about English printed instead.
    assert not [w for w in warnings if "translation" in w], warnings
    config = initialised / "data" / "audiences" / "analysts.yaml"
    copied = [w.removeprefix(f"{config.relative_to(initialised)}:") for w in warnings]
    copied = [re.sub(r"^\d+:\d+: ", "", w) for w in copied if "copied" in w]
    assert copied == [
        f"audience.{field}: still the text copied from audience '{source}' "
        "(rewrite it for this audience's readers)"
        for field in ("title", "description", "lead")
    ]


def test_an_edited_copy_is_quiet_and_its_translation_stale(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-audience", "analysts", "--from", "government"]) == 0
    config = initialised / "data" / "audiences" / "analysts.yaml"
    text = config.read_text(encoding="utf-8")
    old = "Briefing for the Ministry of Foreign Affairs"
    config.write_text(text.replace(old, "Briefing for desk analysts"), encoding="utf-8")
    capsys.readouterr()
    with logged_warnings() as warnings:
        assert main(["build", "--audience", "analysts", "--language", "ru"]) == 0
    titles = [w for w in warnings if "audience.title" in w]
    assert len(titles) == 1 and "stale translation of audience.title" in titles[0]
    assert "data/i18n/ru/audiences/analysts.yaml" in titles[0]


def test_a_project_template_extends_the_packaged_override_of_its_audience(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    override = initialised / "templates" / "audiences" / "press" / "sections" / "trade.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "kzbrief:audiences/press/sections/trade.html.j2" %}\n'
        "{% block trade_body %}{{ super() }}<p>Desk line for the press.</p>{% endblock %}\n",
        encoding="utf-8",
    )
    assert main(["build", "--audience", "press", "--language", "en"]) == 0
    [pdf] = [Path(line) for line in capsys.readouterr().out.splitlines()]
    text = pdf_text(pdf)
    assert "Desk line for the press." in text
    # the packaged press override is kept: its chart, not the full briefing's trade table
    assert "Figure 1" in text and "Table 1" not in text
    assert len(PdfReader(pdf).pages) == 2


def test_a_copy_never_overwrites_a_translation_left_behind(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    left = initialised / "data" / "i18n" / "ru" / "audiences" / "analysts.yaml"
    left.write_text("language: ru\nstatus: draft\nstrings: {}\n", encoding="utf-8")
    assert main(["new-audience", "analysts", "--from", "press"]) == 64
    assert f"{left.relative_to(initialised)} already exists" in capsys.readouterr().err
    assert left.read_text(encoding="utf-8") == "language: ru\nstatus: draft\nstrings: {}\n"
    assert not (initialised / "data" / "audiences" / "analysts.yaml").exists()
