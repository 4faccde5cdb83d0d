"""Audiences: one build makes every reader's PDF, each configured in data and templates."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from kzbrief.build import BuildOptions, build
from kzbrief.charts.registry import CHARTS
from kzbrief.cli import main
from kzbrief.data.audiences import load_audiences
from kzbrief.data.briefing import load_briefing
from kzbrief.data.checks import text_warnings
from kzbrief.errors import BudgetError
from kzbrief.project import PACKAGED_TEMPLATES
from kzbrief.render.html import TemplateStack, render_html

from .conftest import REPO, BuiltBriefing, Project, logged_warnings, pdf_text

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def _sizes(pdf: Path) -> set[tuple[float, float]]:
    return {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in PdfReader(pdf).pages
    }


def _outline(pdf: Path) -> list[str]:
    return [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]


def test_every_audience_builds(built: BuiltBriefing) -> None:
    assert sorted(built.pdfs) == ["business", "government", "press", "us-policy"]
    for pdf in built.pdfs.values():
        assert pdf.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("audience", "size"),
    [("government", A4), ("business", A4), ("press", A4), ("us-policy", LETTER)],
)
def test_paper_size_follows_the_audience(built: BuiltBriefing, audience: str, size: tuple) -> None:
    assert _sizes(built.pdfs[audience]) == {size}


def test_sections_appear_in_the_configured_order(built: BuiltBriefing) -> None:
    for audience in load_audiences(REPO / "data").values():
        outline = _outline(built.pdfs[audience.id])
        briefing = load_briefing(REPO / "data")
        expected = [briefing.narrative.headings[s] for s in audience.sections]
        assert outline == expected, audience.id


def test_dropped_sections_are_absent(built: BuiltBriefing) -> None:
    assert "Multilateral coordination" not in built.texts["business"]
    assert "Multilateral coordination" not in built.texts["us-policy"]
    assert "Diplomatic foundations" not in built.texts["press"]
    assert "Multilateral coordination" in built.texts["government"]


def test_each_audience_has_its_own_marking_lead_and_angle(built: BuiltBriefing) -> None:
    texts = built.texts
    assert "FOR OFFICIAL USE" in texts["government"]
    assert "PUBLIC" in texts["press"] and "FOR OFFICIAL USE" not in texts["press"]
    assert "For logistics:" in texts["business"]
    assert "What it could mean for business" in texts["business"]
    assert "The Swiss precedent, and what would change" in texts["us-policy"]
    assert "Foreign Interests Section" in texts["us-policy"]
    assert "Embassy of Pakistan" in texts["us-policy"]
    # business keeps the mediator section short: no precedent, no risk list
    assert "The precedent" not in texts["business"] and "Risks" not in texts["business"]


def test_government_summary_puts_recommendations_first(built: BuiltBriefing) -> None:
    text = built.texts["government"]
    summary = text.index("1 Summary and key facts", text.index("Contents") + 200)
    assert summary < text.index("What we recommend") < text.index("Key facts", summary)


def test_press_is_two_pages_with_key_facts_and_charts(built: BuiltBriefing) -> None:
    pdf = built.pdfs["press"]
    assert len(PdfReader(pdf).pages) == 2
    text = built.texts["press"]
    assert "Key facts" in text and "Figure 1." in text and "Figure 2." in text
    assert "Contents" not in text


def test_page_budget_fails_the_build_and_keeps_the_old_pdf(project: Project) -> None:
    [old] = project.build(audiences=["press"])
    before = old.read_bytes()
    project.edit("audiences/press.yaml", "page_budget: 2", "page_budget: 1")
    with pytest.raises(BudgetError) as caught:
        project.build(audiences=["press"])
    assert str(caught.value) == (
        f"{project.data / 'audiences' / 'press.yaml'}: audience.page_budget: "
        "the press/en/pdf edition has 2 pages, over its page budget of 1 "
        "(shorten the content or raise page_budget)"
    )
    assert caught.value.exit_code == 5
    assert old.read_bytes() == before


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _trade_override(marker: str) -> str:
    return (
        '{% extends "base:sections/trade.html.j2" %}'
        "{% block trade_body %}<p>" + marker + "</p>{% endblock %}"
    )


def _render(audience_id: str, user: Path | None, edition_format: str = "pdf") -> str:
    briefing = load_briefing(REPO / "data")
    audience = load_audiences(REPO / "data")[audience_id]
    charts = {k: _FakeChart(k) for k in CHARTS}
    stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, audience_id, user)
    return render_html(briefing, audience, charts, stack, edition_format=edition_format)


class _FakeChart:
    def __init__(self, key: str) -> None:
        self.key, self.svg, self.caption, self.alt = key, "<svg/>", key, key
        self.source_ids = ("seed",)


def test_template_precedence_user_over_audience_over_base(tmp_path: Path) -> None:
    # base: the trade table; press's own override drops it
    assert 'id="table-trade"' in _render("business", None)
    assert 'id="table-trade"' not in _render("press", None)
    # a user's general override beats the packaged audience override
    _write(tmp_path / "sections" / "trade.html.j2", _trade_override("USER-GENERAL"))
    assert "USER-GENERAL" in _render("press", tmp_path)
    assert "USER-GENERAL" in _render("business", tmp_path)
    # and a user's per-audience override beats the user's general one
    _write(
        tmp_path / "audiences" / "press" / "sections" / "trade.html.j2",
        _trade_override("USER-PRESS"),
    )
    assert "USER-PRESS" in _render("press", tmp_path)
    assert "USER-GENERAL" in _render("business", tmp_path)


def test_user_override_reaches_the_pdf(project: Project) -> None:
    user = project.root / "my-templates"
    _write(user / "sections" / "trade.html.j2", _trade_override("Overridden by the press office."))
    [pdf] = project.build(audiences=["business"], templates=user)
    assert "Overridden by the press office." in pdf_text(pdf)


def test_project_config_sets_the_template_folder(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(
        project.root / "brand" / "sections" / "trade.html.j2", _trade_override("From kzbrief.toml.")
    )
    _write(project.root / "kzbrief.toml", '[build]\ntemplates = "brand"\n')
    monkeypatch.chdir(project.root)
    assert main(["build", "--audience", "business"]) == 0
    [pdf] = [Path(line) for line in capsys.readouterr().out.splitlines()]
    assert pdf.resolve() == (project.output / "kazakhstan-iran-business-en.pdf").resolve()
    assert "From kzbrief.toml." in pdf_text(pdf)


def test_list_shows_every_audience(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # list caches its description beside ./output: not in the repo
    assert main(["list", "--data", str(REPO / "data")]) == 0
    assert (tmp_path / ".kzbrief").is_dir()
    out = capsys.readouterr().out
    assert "us-policy  (Letter) - Briefing for US policy readers" in out
    assert "press  (A4, at most 2 pages) - Press summary" in out
    assert "sections: summary, trade, transport, sources" in out


def test_new_audience_scaffolds_something_that_builds(project: Project) -> None:
    templates = project.root / "templates"
    code = main(
        ["new-audience", "analysts", "--data", str(project.data), "--templates", str(templates)]
    )
    assert code == 0
    config = project.data / "audiences" / "analysts.yaml"
    example = templates / "audiences" / "analysts" / "briefing.html.j2"
    assert config.is_file() and example.is_file()
    assert '{% extends "base:briefing.html.j2" %}' in example.read_text(encoding="utf-8")
    options = BuildOptions(
        data=project.data, output=project.output, templates=templates, audiences=["analysts"]
    )
    with logged_warnings() as warnings:
        [pdf] = build(options)
    assert pdf.name == "kazakhstan-iran-analysts-en.pdf"
    assert "Briefing for analysts" in pdf_text(pdf)
    # It builds, but the placeholder sentences are not passed over in silence.
    assert [w.removeprefix(f"{config}:") for w in warnings if "placeholder" in w] == [
        "6:16: audience.description: still the placeholder text from new-audience "
        "(say who reads this briefing)",
        "14:9: audience.lead: still the placeholder text from new-audience "
        "(write this reader's lead)",
    ]


def test_strict_refuses_an_unedited_scaffold_and_an_edited_one_is_quiet(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project.root)
    assert main(["new-audience", "analysts"]) == 0
    capsys.readouterr()
    assert main(["build", "--audience", "analysts", "--strict"]) == 6
    err = capsys.readouterr().err.splitlines()
    assert err[1] == (
        "kzbrief: warning: data/audiences/analysts.yaml:14:9: audience.lead: still the "
        "placeholder text from new-audience (write this reader's lead)"
    )
    assert err[2] == "output: 2 warning(s) and --strict is on; nothing was written"
    assert list(project.output.iterdir()) == []
    project.edit("audiences/analysts.yaml", "Describe the readers", "Desk analysts read")
    project.edit("audiences/analysts.yaml", "One or two sentences that tell", "Words for")
    assert text_warnings([], load_audiences(project.data).values()) == []


def test_new_audience_from_an_existing_one_keeps_its_look(project: Project) -> None:
    templates = project.root / "templates"
    args = ["new-audience", "press-kz", "--from", "press", "--data", str(project.data)]
    assert main([*args, "--templates", str(templates)]) == 0
    assert (templates / "audiences" / "press-kz" / "sections" / "trade.html.j2").is_file()
    [pdf] = build(
        BuildOptions(
            data=project.data, output=project.output, templates=templates, audiences=["press-kz"]
        )
    )
    assert len(PdfReader(pdf).pages) == 2


def test_new_audience_refuses_an_existing_id(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new-audience", "press", "--data", str(project.data)]) == 64
    assert "audience 'press' already exists" in capsys.readouterr().err


def test_a_supported_language_may_carry_a_region(project: Project) -> None:
    # Only the primary language needs a translation; en-GB changes hyphenation alone.
    project.edit("audiences/press.yaml", "  languages: [en]", "  languages: [en-GB]")
    assert load_audiences(project.data)["press"].language == "en-GB"


def test_the_example_data_is_never_the_data_stage_package() -> None:
    """kzbrief/data is the data stage's code: the example data must be found elsewhere,
    both in a checkout and in a wheel (pyproject's force-include)."""
    from kzbrief.project import PACKAGED_DATA

    assert (PACKAGED_DATA / "audiences").is_dir() and (PACKAGED_DATA / "meta.yaml").is_file()
    wheel = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    included = wheel["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["data"] != "kzbrief/data"
