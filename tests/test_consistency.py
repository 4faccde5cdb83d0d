"""A changed country pair (issue 27): the old pair's names left in the text warn, transport
countries outside the pair are errors, and the old pair's editions leave output/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kzbrief.cli import main
from kzbrief.data.consistency import pair_warnings
from kzbrief.data.load import read_yaml
from kzbrief.errors import EXIT_DATA, EXIT_STRICT

from .conftest import REPO, Project

SKELETON = REPO / "kzbrief" / "skeleton"


def _documents(folder: Path) -> list:
    return [read_yaml(path) for path in sorted(folder.glob("*.yaml"))]


def _rename_partner(project: Project) -> None:
    """meta.yaml says Azerbaijan where it said Iran; nothing else is rewritten."""
    project.edit("meta.yaml", "short: Iran", "short: Azerbaijan")
    project.edit("meta.yaml", '"Islamic Republic of Iran"', '"Republic of Azerbaijan"')


def test_the_shipped_pairs_warn_of_nothing() -> None:
    """The example data and the init skeleton each name only their own pair."""
    assert pair_warnings(_documents(REPO / "data")) == []
    assert pair_warnings(_documents(SKELETON)) == []


def test_a_renamed_pair_warns_where_the_text_still_names_the_old_one(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _rename_partner(project)
    monkeypatch.chdir(project.root)
    assert main(["build", "--audience", "press", "--strict"]) == EXIT_STRICT
    err = capsys.readouterr().err
    summary = (project.data / "narrative.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(summary, 1) if "Kazakhstan and Iran have" in text)
    column = summary[line - 1].index("Iran") + 1
    assert (
        f"data/narrative.yaml:{line}:{column}: narrative.summary[0]: still names 'Iran', of the "
        "pair the data started from, but meta.countries are Kazakhstan and Azerbaijan "
        "(rewrite it for the new pair)"
    ) in err
    assert "transport.ferry.destination: still names 'Iranian' (Iran)" in err
    assert "meta.title: still names 'Iran'" in err
    assert "Kazakhstan" not in err.split("meta.countries are")[0], "the pair is not warned of"
    assert not list(project.output.glob("*.pdf")), "--strict stops before anything is written"


def test_a_country_outside_the_pair_is_a_data_error(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both problems at once, each with its place: a segment's country and a place's."""
    segment = "{country: Turkmenistan, km: 700}"
    project.edit("transport.yaml", segment, segment.replace("Turkmenistan", "Turkey"))
    project.edit(
        "transport.yaml", "{name: Nowshahr, country: Iran,", "{name: Nowshahr, country: X,"
    )
    monkeypatch.chdir(project.root)
    assert main(["build", "--audience", "press"]) == EXIT_DATA
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "data/transport.yaml:20:19: transport.railway.segments[1].country: 'Turkey' is not "
        "Kazakhstan or Iran (meta.countries), nor a party to the railway "
        "(transport.railway.parties)",
        "data/transport.yaml:27:33: transport.places[1].country: 'X' is not Kazakhstan or Iran "
        "(meta.countries), nor a party to the railway (transport.railway.parties)",
        "kzbrief: 2 problems found; nothing was written",
    ]


def test_a_renamed_pair_leaves_no_stale_edition(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build that makes kazakhstan-azerbaijan-press-en.pdf removes the kazakhstan-iran
    one it replaces, and the other audience's kazakhstan-iran edition it did not rebuild,
    from output/ and from the manifest; the user's own files stay."""
    monkeypatch.chdir(project.root)
    assert main(["build", "--audience", "press", "--format", "pdf"]) == 0
    assert main(["build", "--audience", "business", "--format", "html"]) == 0
    assert (project.output / "kazakhstan-iran-business-en.html").is_file()
    old = project.output / "kazakhstan-iran-press-en.pdf"
    assert old.is_file()
    (project.output / "notes.txt").write_text("mine\n", encoding="utf-8")
    copies = project.output / "copies" / "press"
    copies.mkdir(parents=True)
    (copies / "kazakhstan-iran-press-en-0001.pdf").write_bytes(old.read_bytes())

    _rename_partner(project)
    assert main(["build", "--audience", "press", "--format", "pdf"]) == 0
    new = project.output / "kazakhstan-azerbaijan-press-en.pdf"
    assert new.is_file() and not old.exists()
    assert not (project.output / "kazakhstan-iran-business-en.html").exists()
    manifest = json.loads((project.output / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in manifest["files"]] == [new.name]
    assert manifest["files"][0]["pair"] == "kazakhstan-azerbaijan"
    assert (project.output / "notes.txt").read_text(encoding="utf-8") == "mine\n"
    assert (copies / "kazakhstan-iran-press-en-0001.pdf").is_file(), "copies are not editions"
    capsys.readouterr()
    assert main(["verify", str(project.output)]) == 7  # the copy was never listed
    out = capsys.readouterr().out
    assert f"ok        {new.name}" in out
    assert "kazakhstan-iran-press-en.pdf" not in out


def test_other_audiences_editions_are_kept(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building one audience replaces only that audience's files: the others' stay listed."""
    monkeypatch.chdir(project.root)
    assert main(["build", "--audience", "press", "--format", "html"]) == 0
    assert main(["build", "--audience", "business", "--format", "html"]) == 0
    manifest = json.loads((project.output / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in manifest["files"]] == [
        "kazakhstan-iran-business-en.html",
        "kazakhstan-iran-press-en.html",
    ]


def test_renaming_the_blank_projects_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 27 as reported: init --blank, build, rename the countries in meta.yaml, build.
    The railway still between Country A and B is an error; once transport.yaml is renamed
    too, the new edition replaces the old one and verify knows only the new one."""
    folder = tmp_path / "blank"
    assert main(["init", str(folder), "--blank"]) == 0
    monkeypatch.chdir(folder)
    assert main(["build"]) == 0
    old = folder / "output" / "country-a-country-b-readers-en.pdf"
    assert old.is_file()
    meta = folder / "data" / "meta.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(
        text.replace("short: Country A", "short: Kazakhstan").replace(
            "short: Country B", "short: Azerbaijan"
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["build"]) == EXIT_DATA
    err = capsys.readouterr().err
    # line numbers count the yaml-language-server line init writes above the skeleton's text
    assert (
        "data/transport.yaml:19:14: transport.railway.parties: the railway's parties "
        "(Country A, Country B) name neither Kazakhstan nor Azerbaijan (meta.countries)"
    ) in err
    transport = folder / "data" / "transport.yaml"
    text = transport.read_text(encoding="utf-8")
    transport.write_text(
        text.replace("Country A", "Kazakhstan").replace("Country B", "Azerbaijan"),
        encoding="utf-8",
    )
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert "data/meta.yaml:5:20: meta.title: still names 'Country A'" in err
    new = folder / "output" / "kazakhstan-azerbaijan-readers-en.pdf"
    assert new.is_file() and not old.exists()
    assert main(["verify", str(folder / "output")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"ok        {new.name}" and old.name not in out


def test_from_a_wheel_a_renamed_pair_leaves_no_stale_pdf(
    installed: Path,
    tmp_path: Path,
) -> None:
    """The same, as a new user has it: a non-editable install, kzbrief run as a command."""
    environment = {**os.environ, "PYTHONPATH": str(installed), "PYTHONDONTWRITEBYTECODE": "1"}
    folder = tmp_path / "brief"
    folder.mkdir()

    def kzbrief(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kzbrief", *args]
        return subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True)

    assert kzbrief("init", ".", "--blank").returncode == 0
    assert kzbrief("build").returncode == 0
    for name in ("meta.yaml", "transport.yaml"):
        path = folder / "data" / name
        text = path.read_text(encoding="utf-8")
        renamed = text.replace("Country A", "Kazakhstan").replace("Country B", "Azerbaijan")
        path.write_text(renamed, encoding="utf-8")
    built = kzbrief("build")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (folder / "output").iterdir()) == [
        "kazakhstan-azerbaijan-readers-en.pdf",
        "manifest.json",
    ]
    verified = kzbrief("verify", "output")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.splitlines() == ["ok        kazakhstan-azerbaijan-readers-en.pdf"]
