"""kzbrief init, and finding the project from any folder inside it (issue 13)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from kzbrief import project
from kzbrief.cli import main

from .conftest import REPO, pdf_text

NO_PROJECT = "kzbrief: error: no kzbrief project here: run kzbrief init DIR first"
PROJECT_FILES = [
    ".gitignore",
    "README.md",
    "data",
    "kzbrief.toml",
    "output",
    "templates",
]


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_init_example_writes_a_project_and_prints_the_next_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "my-brief"
    assert main(["init", str(folder), "--example"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-3:] == [
        f"  cd {folder}",
        "  kzbrief build    # one PDF per audience and language, into output/",
        "  kzbrief preview  # the editions in your browser, rebuilt as you edit",
    ]
    assert sorted(p.name for p in folder.iterdir()) == PROJECT_FILES
    assert _listing(folder / "data") == _listing(REPO / "data")
    # each file as shipped, after the line naming its JSON Schema for the editor
    schema, rest = (folder / "data" / "trade.yaml").read_bytes().split(b"\n", 1)
    assert schema.startswith(b"# yaml-language-server: $schema=file://")
    assert schema.endswith(b"/schemas/briefing.schema.json")
    assert rest == (REPO / "data/trade.yaml").read_bytes()
    assert _listing(folder / "templates") == ["README.md"]
    assert list((folder / "output").iterdir()) == []
    config = (folder / "kzbrief.toml").read_text(encoding="utf-8")
    for table in ("[build]", "[distribute]", "[send]", "[smtp]"):
        assert table in config
    assert "/output/" in (folder / ".gitignore").read_text(encoding="utf-8")


def test_the_project_is_found_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["init", str(tmp_path / "p")]) == 0
    root = (tmp_path / "p").resolve()
    monkeypatch.chdir(root / "data" / "audiences")
    assert project.find_config() == root / "kzbrief.toml"
    paths = project.resolve_paths(None, None, None)
    assert (paths.data, paths.templates, paths.output) == (
        root / "data",
        root / "templates",
        root / "output",
    )
    assert paths.state == root / ".kzbrief"
    assert paths.root == root


def test_new_audience_from_a_subfolder_writes_into_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "p")]) == 0
    root = (tmp_path / "p").resolve()
    monkeypatch.chdir(root / "templates")
    capsys.readouterr()
    assert main(["new-audience", "analysts"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        str(root / "data" / "audiences" / "analysts.yaml"),
        str(root / "templates" / "audiences" / "analysts"),
    ]
    assert (root / "templates" / "audiences" / "analysts" / "briefing.html.j2").is_file()


def test_init_blank_builds_a_placeholder_briefing_from_a_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The one real build of this file: the skeleton is valid, and the build says what to edit."""
    folder = tmp_path / "blank"
    assert main(["init", str(folder), "--blank"]) == 0
    for path in (folder / "data").rglob("*.yaml"):  # every file explains its fields
        name = path.relative_to(folder / "data").as_posix()
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# yaml-language-server: $schema=") and lines[1].startswith(
            f"# {name}:"
        ), path
    monkeypatch.chdir(folder / "data")
    capsys.readouterr()
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    [pdf] = [Path(line) for line in out.splitlines()]
    assert pdf.resolve() == (folder / "output" / "country-a-country-b-readers-en.pdf").resolve()
    assert "REPLACE: Country A and Country B" in pdf_text(pdf)
    assert "audience.lead: still the placeholder text from new-audience" in err


def test_init_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 64
    assert capsys.readouterr().err == (
        f"kzbrief: error: DIR: {tmp_path} is not empty: choose a new or empty folder, or add "
        "--force (which adds the missing files and overwrites none)\n"
    )
    assert _listing(tmp_path) == ["notes.txt"]


def test_init_force_overwrites_nothing_the_user_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = {
        "data/trade.yaml": "trade: my own figures\n",
        "kzbrief.toml": "# my settings\n",
        "README.md": "my readme\n",
        "templates/README.md": "my notes\n",
    }
    for name, text in mine.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["init", str(tmp_path), "--force"]) == 0
    for name, text in mine.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text, name
    written = capsys.readouterr().out.split("\n\n")[0].splitlines()
    assert str(tmp_path / "data" / "meta.yaml") in written  # what was missing is added
    assert str(tmp_path / "data" / "trade.yaml") not in written
    assert str(tmp_path / "kzbrief.toml") not in written


def test_new_audience_outside_any_project_refuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["new-audience", "analysts"]) == 64
    assert capsys.readouterr().err == NO_PROJECT + "\n"


def test_a_non_editable_install_makes_a_project_and_never_writes_into_itself(
    installed: Path, tmp_path: Path
) -> None:
    package = installed / "kzbrief"
    before = _listing(package)
    environment = {**os.environ, "PYTHONPATH": str(installed), "PYTHONDONTWRITEBYTECODE": "1"}

    def python(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=cwd, env=environment, capture_output=True, text=True
        )

    def kzbrief(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return python(cwd, "-m", "kzbrief", *args)

    # The installed copy runs, not this checkout (which the test environment has editable).
    where = python(tmp_path, "-c", "import kzbrief.project as p; print(p.PACKAGED_DATA)")
    assert where.stdout == f"{package / 'example-data'}\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = kzbrief(empty, "new-audience", "analysts")
    assert (refused.returncode, refused.stderr) == (64, NO_PROJECT + "\n")
    assert kzbrief(empty, "init", "my-brief").returncode == 0
    inside = empty / "my-brief" / "templates"
    built = kzbrief(inside, "build", "--audience", "press", "--format", "html", "--language", "en")
    assert built.returncode == 0, built.stderr
    page = empty / "my-brief" / "output" / "kazakhstan-iran-press-en.html"
    assert [Path(line).resolve() for line in built.stdout.splitlines()] == [page.resolve()]
    assert kzbrief(inside, "new-audience", "analysts").returncode == 0
    assert (empty / "my-brief" / "data" / "audiences" / "analysts.yaml").is_file()
    assert _listing(package) == before
    assert sorted(p.name for p in empty.iterdir()) == ["my-brief"]


def test_the_templates_readme_example_builds_verbatim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The worked example in the templates/README.md that init writes, as a reader follows it."""
    assert main(["init", str(tmp_path / "p")]) == 0
    root = tmp_path / "p"
    readme = (root / "templates" / "README.md").read_text(encoding="utf-8")
    found = re.search(r"Create `([^`]+)` with:\n\n((?:    .*\n|\n)+)", readme)
    assert found, "the README has no worked example"
    name, block = found.groups()
    example = root / name
    example.parent.mkdir(parents=True, exist_ok=True)
    example.write_text("".join(line[4:] + "\n" for line in block.strip("\n").splitlines()))
    [command] = re.findall(r"Run\s+`(kzbrief build --audience [a-z-]+)`", readme)
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(command.split()[1:]) == 0
    pdfs = [Path(line) for line in capsys.readouterr().out.splitlines()]
    assert len(pdfs) == 2  # business: en and ru
    added = re.search(r"<p>(.*)</p>", block).group(1)
    for pdf in pdfs:
        text = pdf_text(pdf)
        assert added in text, pdf
    # the packaged business override is kept: what the mediator idea means for business
    assert "What it could mean for business" in pdf_text(pdfs[0])


def test_from_a_wheel_a_copy_of_press_and_the_readme_example_build(
    installed: Path, tmp_path: Path
) -> None:
    """As a new user has it (issue 27): a non-editable install, a project made by init."""
    environment = {**os.environ, "PYTHONPATH": str(installed), "PYTHONDONTWRITEBYTECODE": "1"}

    def kzbrief(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kzbrief", *args],
            cwd=tmp_path / "brief",
            env=environment,
            capture_output=True,
            text=True,
        )

    (tmp_path / "brief").mkdir()
    assert kzbrief("init", ".").returncode == 0
    assert kzbrief("new-audience", "analysts", "--from", "press").returncode == 0
    built = kzbrief("build", "--audience", "analysts")
    assert built.returncode == 0, built.stderr
    pdfs = [tmp_path / "brief" / line for line in built.stdout.splitlines()]
    assert sorted(p.name[-6:-4] for p in pdfs) == ["en", "fa", "kk", "ru"]
    for pdf in pdfs:
        assert len(PdfReader(pdf).pages) == 2, pdf  # press's page budget
    assert "БЕЗ ОГРАНИЧЕНИЙ" in pdf_text(next(p for p in pdfs if p.name.endswith("-ru.pdf")))
    readme = (tmp_path / "brief" / "templates" / "README.md").read_text(encoding="utf-8")
    name, block = re.search(r"Create `([^`]+)` with:\n\n((?:    .*\n|\n)+)", readme).groups()
    example = tmp_path / "brief" / name
    example.parent.mkdir(parents=True, exist_ok=True)
    example.write_text("".join(line[4:] + "\n" for line in block.strip("\n").splitlines()))
    built = kzbrief("build", "--audience", "business", "--language", "en")
    assert built.returncode == 0, built.stderr
    [pdf] = [tmp_path / "brief" / line for line in built.stdout.splitlines()]
    text = pdf_text(pdf)
    assert "Our trade desk can be reached at trade@example.org." in text
    assert "What it could mean for business" in text
