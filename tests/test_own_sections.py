"""Sections and charts of the project's own (issue 27): the worked examples of the guide
docs/guides/own-sections-and-charts.md, run as written in a project made by ``kzbrief init``,
and what the tool does with them."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from matplotlib.figure import Figure
from pypdf import PdfReader

from kzbrief.charts.script import display_text
from kzbrief.charts.style import chart_style, to_svg
from kzbrief.cli import main
from kzbrief.data.briefing import load_briefing
from kzbrief.data.change_texts import sources_and_texts, unclaimed
from kzbrief.data.own import DeclaredChart, OwnSection
from kzbrief.language.current import load_language, use_language

from .conftest import REPO, logged_warnings, pdf_text, run_kzbrief

PAGE = (REPO / "docs" / "guides" / "own-sections-and-charts.md").read_text(encoding="utf-8")


def _part(heading: str) -> str:
    """One of the page's two worked examples: its h2 heading to the next h2, or the end."""
    start = PAGE.index(f"\n## {heading}\n")
    end = PAGE.find("\n## ", start + 1)
    return PAGE[start : end if end > 0 else len(PAGE)]


SECTION, CHART = _part("Adding a section"), _part("Adding a chart")
PART = SECTION + CHART
BLOCK = re.compile(r"(Create|In) `([^`]+)`[^\n]*:\n\n```(\w+)\n(.*?)```", re.DOTALL)


def _outline(pdf: Path) -> list[str]:
    return [item.title for item in PdfReader(pdf).outline if not isinstance(item, list)]


def _follow_the_page(root: Path, part: str) -> list[str]:
    """Write or edit each file the part names, as a reader would; the shell commands to run."""
    for verb, name, _, text in BLOCK.findall(part):
        path = root / name
        if verb == "Create":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        else:  # "In FILE, ...": the block's line replaces the file's line with the same key
            key = text.split(":")[0]
            old = path.read_text(encoding="utf-8")
            lines = [line for line in old.splitlines() if line.startswith(key + ":")]
            assert len(lines) == 1, (name, key)
            path.write_text(old.replace(lines[0], text.rstrip("\n")), encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)```", part, re.DOTALL)
    return [line for block in commands for line in block.splitlines() if line.strip()]


def _follow_both(root: Path) -> None:
    """Both worked examples: the section with its declared chart, then the Python chart
    named in kzbrief.toml and added to the section's charts, as the guide says."""
    _follow_the_page(root, SECTION)
    toml = re.search(r"```toml\n(.*?)```", CHART, re.DOTALL)
    assert toml is not None
    with (root / "kzbrief.toml").open("a", encoding="utf-8") as config:
        config.write("\n" + toml[1])
    _follow_the_page(root, CHART)
    listed = re.search(r"\(`(charts: \[balance, import_share\])`\)", CHART)
    assert listed is not None
    section = root / "data" / "balance.yaml"
    section.write_text(section.read_text().replace("charts: [balance]", listed[1]))


def _run(command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    words = command.split()
    assert words[0] == "kzbrief", command
    capsys.readouterr()
    code = main(words[1:])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def initialised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert main(["init", str(tmp_path / "p")]) == 0
    monkeypatch.chdir(tmp_path / "p")
    return tmp_path / "p"


def test_adding_a_section_as_the_guide_says(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build, update = _follow_the_page(initialised, SECTION)
    code, out, err = _run(build, capsys)
    assert code == 0, err
    en, ru = (initialised / line for line in out.splitlines())
    assert en.name.endswith("-en.pdf") and ru.name.endswith("-ru.pdf")
    # in the contents, the bookmarks (after trade, as sections: says) and the running heads
    outline = _outline(en)
    assert outline[outline.index("Trade dynamics") + 1] == "The trade balance"
    text = pdf_text(en)
    assert re.search(r"Contents .*\d The trade balance \d", text)
    assert "1,080 million US dollars (2011)" in text and "34.9 million US dollars (2011)" in text
    assert "Kazakhstan's export to Iran and import from Iran, 2009–2011" in text
    # the running head (a page's second-last line) names the section a page continues
    heads = [page.extract_text().splitlines()[-2] for page in PdfReader(en).pages]
    assert "Kazakhstan and Iran The trade balance" in heads
    # Russian: the numbers in Russian, the words in English until translated, with a warning
    assert re.search(r"1\s080 million US dollars", pdf_text(ru))
    assert "data/i18n/ru/balance.yaml: no translation file: 11 string(s)" in err
    code, out, err = _run(update, capsys)
    assert code == 0, err
    translation = initialised / "data" / "i18n" / "ru" / "balance.yaml"
    strings = yaml.safe_load(translation.read_text(encoding="utf-8"))["strings"]
    assert strings["sections.balance.heading"]["text"] == ""
    assert strings["charts.balance.series.0.name"]["english"] == "Export"
    strings["sections.balance.heading"]["text"] = "Торговый баланс"
    document = yaml.safe_load(translation.read_text(encoding="utf-8"))
    document["strings"] = strings
    translation.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with logged_warnings() as warnings:
        code, out, err = _run("kzbrief build --audience business --language ru", capsys)
    assert code == 0, err
    assert "Торговый баланс" in _outline(ru)
    # the ten strings left untranslated, each with its line in the translation file
    left = [w for w in warnings if "data/i18n/ru/balance.yaml:" in w]
    assert len(left) == 10 and all(
        "no translation of sections." in w or "no translation of charts." in w for w in left
    )
    assert not any("sections.balance.heading" in w for w in left)
    # the template of its own, extending the generic one: the chart before the text
    template = re.search(r"```jinja\n(\{% extends \"base:sections/_own.*?)```", PART, re.DOTALL)
    assert template is not None
    (initialised / "templates" / "sections").mkdir()
    (initialised / "templates" / "sections" / "balance.html.j2").write_text(template[1])
    code, out, err = _run("kzbrief build --audience business --language en", capsys)
    assert code == 0, err
    text = pdf_text(en)
    assert text.index("Kazakhstan's export to Iran and import") < text.index("Nearly all of")


def test_adding_a_python_chart_as_the_guide_says(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _follow_both(initialised)
    code, out, err = _run("kzbrief build --audience business", capsys)
    assert code == 0, err
    en, ru = (initialised / line for line in out.splitlines())
    assert "Import as a share of turnover (per cent)" in pdf_text(en)
    assert "Доля импорта в товарообороте (в процентах)" in pdf_text(ru)
    # an error in the project's code: its file and line, exit 3, earlier PDFs kept
    code_file = initialised / "charts" / "import_share.py"
    code_file.write_text(code_file.read_text().replace("/ row.turnover", "/ 0"))
    before = en.read_bytes()
    code, out, err = _run("kzbrief build --audience business", capsys)
    line = next(n for n, text in enumerate(code_file.read_text().splitlines(), 1) if "/ 0" in text)
    assert code == 3
    assert err.splitlines()[-1] == (
        f"charts/import_share.py:{line}: chart 'import_share' failed: "
        "ZeroDivisionError: float division by zero"
    )
    assert en.read_bytes() == before


def test_python_in_the_project_runs_only_when_kzbrief_toml_names_it(
    initialised: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = initialised / "ran"
    (initialised / "charts").mkdir()
    (initialised / "charts" / "sneaky.py").write_text(
        f"open({str(marker)!r}, 'w').close()\ndef draw(briefing, language):\n    raise SystemExit\n"
    )
    # a data file or a section naming the chart does not make kzbrief run the file
    (initialised / "data" / "extra.yaml").write_text(
        "sections:\n  extra:\n    heading: Extra\n    charts: [sneaky]\n"
    )
    press = initialised / "data" / "audiences" / "press.yaml"
    press.write_text(press.read_text().replace("[summary, trade,", "[summary, extra, trade,"))
    code, _, err = _run("kzbrief build --audience press --language en", capsys)
    assert code == 2 and "unknown chart 'sneaky'" in err
    assert "named in kzbrief.toml [charts]" in err
    assert not marker.exists()
    # named in kzbrief.toml, with a key of a built-in chart: refused before anything runs
    with (initialised / "kzbrief.toml").open("a") as config:
        config.write('\n[charts]\ntrade = "charts/sneaky.py:draw"\n')
    code, _, err = _run("kzbrief build --audience press --language en", capsys)
    assert code == 64 and "[charts] trade: is a built-in chart" in err
    assert not marker.exists()


def test_changes_in_own_sections_and_charts_read_as_sections_and_figures() -> None:
    """What a new edition's box says of the project's own sections and charts: a fact's new
    value, a rewritten section, a figure added or removed; never a bare field path."""
    briefing = load_briefing(REPO / "data")
    section = {
        "heading": "The trade balance",
        "paragraphs": ["Most of the trade runs one way."],
        "facts": [{"label": "Export to Iran", "value": 1080, "unit": "million US dollars",
                   "year": 2011, "source": "seed-trade"}],
    }  # fmt: skip
    chart = {"kind": "bar", "title": "Export", "units": "million US dollars", "alt": "Export.",
             "source": "seed-trade", "categories": [2011], "series": [{"name": "Export",
             "values": [1080]}]}  # fmt: skip
    old = briefing.model_copy(
        update={
            "sections": {"balance": OwnSection.model_validate(section)},
            "charts": {"balance": DeclaredChart.model_validate(chart)},
        }
    )
    section["facts"][0]["value"] = 1100  # type: ignore[index]
    new = briefing.model_copy(
        update={
            "sections": {
                "balance": OwnSection.model_validate(section),
                "energy": OwnSection.model_validate({"heading": "Energy"}),
            }
        }
    )
    lines = [c.text for c in [*sources_and_texts(old, new), *unclaimed(old, new)]]
    assert lines == [
        "Export to Iran (2011): 1,080 million US dollars \u2192 1,100 million US dollars",
        "Section added: Energy",
        "Figure removed: Export",
    ]
    section["paragraphs"] = ["Nearly all of the trade runs one way."]
    again = new.model_copy(
        update={"sections": {**new.sections, "balance": OwnSection.model_validate(section)}}
    )
    lines = [c.text for c in [*sources_and_texts(new, again), *unclaimed(new, again)]]
    assert lines == ["Section \u2018The trade balance\u2019: text revised"]


def test_from_a_wheel_a_section_a_declared_chart_and_a_python_chart_build(
    installed: Path, tmp_path: Path
) -> None:
    """As a new user has it: a non-editable install, a project made by init, the guide's
    section with its declared chart and the Python chart, in English and Russian."""
    environment = {"PYTHONPATH": str(installed), "PYTHONDONTWRITEBYTECODE": "1"}
    root = tmp_path / "brief"

    def kzbrief(*args: str) -> subprocess.CompletedProcess[str]:
        return run_kzbrief(root, *args, env=environment)

    root.mkdir()
    assert kzbrief("init", ".").returncode == 0
    _follow_both(root)
    built = kzbrief("build", "--audience", "business")
    assert built.returncode == 0, built.stderr
    en, ru = (root / line for line in built.stdout.splitlines())
    text = pdf_text(en)
    assert "The trade balance" in _outline(en)
    assert "Kazakhstan's export to Iran and import from Iran, 2009–2011" in text
    assert "Import as a share of turnover (per cent)" in text
    assert "Доля импорта в товарообороте (в процентах)" in pdf_text(ru)
    assert re.search(r"1\s090", pdf_text(ru))  # the chart's value label, in Russian


def test_a_project_charts_persian_category_names_reach_the_svg_in_display_order() -> None:
    """A project's chart labels its bars as matplotlib does by default (a category axis, or
    set_xticks with labels): those labels too are put in display order for Persian."""
    names = ["قزاقستان", "ترکمنستان", "ایران"]
    with use_language(load_language("fa")), chart_style():
        figure = Figure(figsize=(6.3, 2))
        figure.add_subplot().bar(names, [146, 700, 83])
        other = Figure(figsize=(6.3, 2))
        axes = other.add_subplot()
        axes.set_xticks([0, 1, 2], names)
        svgs = [to_svg(figure), to_svg(other)]
    for svg in svgs:
        for name in names:
            assert display_text(name, "fa") in svg and name not in svg


def test_untranslated_english_on_a_persian_chart_is_drawn_not_refused() -> None:
    """A chart of the project's own whose words are not yet translated reaches a Persian
    chart isolated (FSI ... PDI), which python-bidi cannot resolve: the marks are dropped."""
    isolated = "\u2068Export to Iran\u2069 \u06f1\u06f2"
    assert display_text(isolated, "fa") == display_text("Export to Iran \u06f1\u06f2", "fa")
