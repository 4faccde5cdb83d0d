"""The build cache: unchanged work is skipped, changed inputs redo exactly what they affect."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kzbrief.build import BuildOptions, BuildReport, build_with_report
from kzbrief.cli import main
from kzbrief.progress import Progress

from .conftest import Project
from .importtime import imported, kzbrief_imports

AUDIENCES = ["press", "business"]
EDITIONS = ["press/en/pdf", "business/en/pdf"]


def _build(project: Project, templates: Path, **options: object) -> BuildReport:
    return build_with_report(
        BuildOptions(
            data=project.data,
            output=project.output,
            templates=templates,
            audiences=AUDIENCES,
            **options,
        )
    )


def change_press_template(templates: Path) -> None:
    """Override one block of the press audience's trade section in ``templates``."""
    override = templates / "audiences" / "press" / "sections" / "trade.html.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "base:sections/trade.html.j2" %}'
        "{% block trade_body %}<p>New.</p>{% endblock %}",
        encoding="utf-8",
    )


@pytest.fixture
def templates(project: Project) -> Path:
    folder = project.root / "my-templates"
    folder.mkdir()
    return folder


def test_nothing_changed_means_nothing_redone(project: Project, templates: Path) -> None:
    first = _build(project, templates)
    assert sorted(first.charts_drawn) == ["map", "railway", "trade", "visits"]
    assert first.typeset == EDITIONS
    pdf = project.output / "kazakhstan-iran-press-en.pdf"
    before = pdf.read_bytes()
    again = _build(project, templates)
    assert again.skipped and again.typeset == [] and again.charts_drawn == []
    assert again.written == first.written
    assert pdf.read_bytes() == before


def test_a_changed_audience_template_retypesets_only_that_audience(
    project: Project, templates: Path
) -> None:
    _build(project, templates)
    change_press_template(templates)
    report = _build(project, templates)
    assert report.typeset == ["press/en/pdf"] and report.charts_drawn == []
    assert not report.skipped


def test_a_changed_number_redraws_only_the_charts_that_use_it(
    project: Project, templates: Path
) -> None:
    _build(project, templates)
    project.edit(
        "transport.yaml", "{country: Kazakhstan, km: 146}", "{country: Kazakhstan, km: 150}"
    )
    report = _build(project, templates)
    assert sorted(report.charts_drawn) == ["map", "railway"]  # trade and visits are reused
    assert report.typeset == EDITIONS  # both show the railway length in their key facts
    project.edit("trade.yaml", "import: 34900000", "import: 35000000")
    assert _build(project, templates).charts_drawn == ["trade"]


def test_a_damaged_output_is_rebuilt_even_when_inputs_are_unchanged(
    project: Project, templates: Path
) -> None:
    _build(project, templates)
    pdf = project.output / "kazakhstan-iran-press-en.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(b"not a pdf")
    report = _build(project, templates)
    assert not report.skipped and report.typeset == []  # PDFs come from the cache
    assert pdf.read_bytes() == good


def test_no_cache_redoes_everything_and_gives_the_same_bytes(
    project: Project, templates: Path
) -> None:
    _build(project, templates)
    pdf = project.output / "kazakhstan-iran-press-en.pdf"
    cached = pdf.read_bytes()
    report = _build(project, templates, cache=False)
    assert report.typeset == EDITIONS and len(report.charts_drawn) == 4
    assert pdf.read_bytes() == cached


def test_parallel_and_serial_typesetting_agree(project: Project, templates: Path) -> None:
    _build(project, templates, cache=False, workers=1)
    serial = (project.output / "kazakhstan-iran-business-en.pdf").read_bytes()
    _build(project, templates, cache=False, workers=2)
    assert (project.output / "kazakhstan-iran-business-en.pdf").read_bytes() == serial


def test_clean_removes_the_cache(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--data", str(project.data), "--output", str(project.output)]
    (project.output / ".kzbrief-cache" / "pdf").mkdir(parents=True)  # where earlier versions kept
    (project.output / ".kzbrief.lock").touch()  # its cache and lock: the build removes them
    assert main(["build", *args, "--audience", "press"]) == 0
    state = project.root / ".kzbrief"  # beside the output folder: no kzbrief.toml here
    assert (state / "cache" / "pdf").is_dir()
    assert sorted(p.name for p in project.output.iterdir()) == [
        "kazakhstan-iran-press-en.pdf",
        "manifest.json",
    ]
    capsys.readouterr()
    assert main(["clean", "--output", str(project.output)]) == 0
    assert capsys.readouterr().out == f"removed {state / 'cache'}\n"
    assert not state.exists()
    assert (project.output / "kazakhstan-iran-press-en.pdf").is_file()
    assert main(["clean", "--all", "--output", str(project.output)]) == 0
    assert sorted(project.output.iterdir()) == []


@pytest.mark.parametrize(("setting", "state"), [("", ".kzbrief"), ('state = "var/kz"\n', "var/kz")])
def test_the_state_folder_sits_beside_kzbrief_toml(
    project: Project, capsys: pytest.CaptureFixture[str], setting: str, state: str
) -> None:
    config = project.root / "kzbrief.toml"
    config.write_text(f'[build]\noutput = "site/briefings"\n{setting}', encoding="utf-8")
    assert main(["list", "--config", str(config), "--data", str(project.data)]) == 0
    assert len(list((project.root / state / "cache" / "listing").iterdir())) == 1
    assert not (project.root / "site").exists()  # not beside the output folder
    assert main(["clean", "--config", str(config)]) == 0
    assert capsys.readouterr().out.endswith(f"removed {project.root / state / 'cache'}\n")


def test_a_state_folder_that_cannot_be_made_stops_the_build_early(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.root / ".kzbrief").write_text("a file where the state folder goes")
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    assert main([*args, "--audience", "press"]) == 4
    assert capsys.readouterr().err == (
        f"{project.root / '.kzbrief'}: cannot create the folder for the build's cache and lock "
        "(Not a directory); [build] state in kzbrief.toml moves it\n"
    )
    assert list(project.output.iterdir()) == []


def test_progress_shows_each_audience_on_a_terminal(project: Project, templates: Path) -> None:
    stream = io.StringIO()
    _build(project, templates, progress=Progress(enabled=True, stream=stream))
    lines = stream.getvalue().splitlines()
    assert any("charts" in line and "drawing map" in line for line in lines)
    for audience in AUDIENCES:
        assert any(audience in line and "typesetting" in line for line in lines)
        assert any(
            f"kazakhstan-iran-{audience}-en.pdf" in line and "written" in line for line in lines
        )


def test_progress_is_silent_when_not_a_terminal(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    assert main([*args, "--audience", "press"]) == 0
    assert capsys.readouterr().err == ""  # pytest's stderr is not a terminal
    assert Progress(stream=io.StringIO()).enabled is False


@pytest.mark.parametrize("command", [["build", "--help"], ["list"]])
def test_help_and_list_import_no_heavy_library(command: list[str], project: Project) -> None:
    """Start-up stays quick: no matplotlib, WeasyPrint, pydantic or PyYAML for these (and
    none for ``kzbrief --help``, which imports no command: test_cli.py)."""
    if command == ["list"]:
        command = [*command, "--data", str(project.data)]
        kzbrief_imports(*command, cwd=project.root)  # fills the cache
    modules = kzbrief_imports(*command, cwd=project.root)
    assert not modules & {"matplotlib", "weasyprint", "pydantic", "yaml", "jinja2"}


def test_a_rebuild_with_nothing_changed_imports_no_stage_library(project: Project) -> None:
    """Nothing to redo: the build keys its inputs and stops, without the libraries the
    stages need (0.06 s in all against 0.10 s when it imported them)."""
    import subprocess
    import sys

    args = [sys.executable, "-X", "importtime", "-m", "kzbrief", "build", "--audience", "press"]
    args += ["--format", "html", "--data", str(project.data), "--output", str(project.output)]
    subprocess.run(args, capture_output=True, check=True, cwd=project.root)
    again = subprocess.run(args, capture_output=True, text=True, check=True, cwd=project.root)
    assert again.stdout.strip().endswith("kazakhstan-iran-press-en.html")
    heavy = {"matplotlib", "weasyprint", "pydantic", "yaml", "jinja2", "babel", "multiprocessing"}
    assert not imported(again.stderr) & heavy


def _listing_entries(project: Project) -> list[Path]:
    """The memo entries ``list`` keeps in ./.kzbrief/cache (beside ./output)."""
    return sorted((project.root / ".kzbrief" / "cache" / "listing").iterdir())


def test_list_follows_edits_to_the_audience_files(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.root)
    args = ["list", "--data", str(project.data)]
    assert main(args) == 0
    [first] = _listing_entries(project)
    assert "Press summary" in capsys.readouterr().out
    project.edit("audiences/press.yaml", 'title: "Press summary"', 'title: "Press brief"')
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Press brief" in out and "Press summary" not in out
    assert len(_listing_entries(project)) == 2  # the edit is a new key, not a rewritten entry
    project.edit("audiences/press.yaml", 'title: "Press brief"', 'title: "Press summary"')
    assert main(args) == 0  # back to the first text: the first entry serves it
    assert "Press summary" in capsys.readouterr().out
    assert first in _listing_entries(project) and len(_listing_entries(project)) == 2


@pytest.mark.parametrize("damage", ["flip", "truncate", "tamper"])
def test_list_does_not_trust_a_damaged_listing(
    project: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    monkeypatch.chdir(project.root)
    args = ["list", "--data", str(project.data)]
    assert main(args) == 0
    good = capsys.readouterr().out
    assert good.startswith("business  (A4) - ")
    [entry] = _listing_entries(project)
    sealed = entry.read_bytes()
    if damage == "flip":  # one bit of the description
        entry.write_bytes(sealed[:-3] + bytes([sealed[-3] ^ 1]) + sealed[-2:])
    elif damage == "truncate":
        entry.write_bytes(sealed[: len(sealed) // 2])
    else:  # a plausible listing whose checksum was not updated
        entry.write_bytes(sealed.replace(b"Press summary", b"Tampered"))
    assert entry.read_bytes() != sealed
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out == good
    assert captured.err == (
        "kzbrief: warning: cache entry for the audience list was corrupt; described again\n"
    )
    assert entry.read_bytes() == sealed  # described again and stored whole
    assert main(args) == 0
    assert capsys.readouterr() == (good, "")  # the repaired entry is trusted again


def test_list_reports_an_audience_file_it_cannot_read(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.root)
    (project.data / "audiences" / "zz.yaml").mkdir()  # no key can be made of its text
    assert main(["list", "--data", str(project.data)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "data/audiences/zz.yaml: cannot read file (Is a directory)\n"
