"""An interface catalogue a translator edited is data: its mistakes are errors at their line.

A misspelt placeholder used to crash the build with ``internal error: KeyError('partnr')``
and an unterminated string built with exit 0, silently dropping text; both now stop the
build with the .po file's line, naming the message, exit 3."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kzbrief.language.current as current
from kzbrief.cli import main
from kzbrief.language import CATALOGUES

from .conftest import Project, copy_project

CHANGES = 'msgid "Changes since the edition of {date} ({edition})"'


@pytest.fixture
def catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the packaged catalogues that the build reads instead."""
    folder = tmp_path / "locale"
    shutil.copytree(CATALOGUES, folder)
    monkeypatch.setattr(current, "CATALOGUES", folder)
    return folder


def _break(po: Path, old: str, new: str) -> int:
    """Replace the msgstr after ``CHANGES`` and return that msgstr's line number."""
    lines = po.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith(CHANGES))
    target = next(n for n in range(start, len(lines)) if lines[n].startswith("msgstr"))
    if not lines[target].startswith('msgstr ""'):  # one-line msgstr
        assert old in lines[target], lines[target]
        lines[target] = lines[target].replace(old, new)
    else:  # continued on the lines after
        target = next(n for n in range(target, len(lines)) if old in lines[n])
        lines[target] = lines[target].replace(old, new)
    po.write_text("".join(lines), encoding="utf-8")
    return target + 1


@pytest.fixture
def translated(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project", languages=True)


def _build_ru(project: Project) -> list[str]:
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    return [*args, "--audience", "press", "--language", "ru", "--no-cache"]


def test_a_misspelt_placeholder_is_an_error_at_its_line(
    translated: Project, catalogues: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = translated
    po = catalogues / "ru.po"
    line = _break(po, "{edition}", "{editon}")
    assert main(_build_ru(project)) == 3
    err = capsys.readouterr().err
    assert f"ru.po:{line}: the translation of " in err
    assert "'Changes since the edition of {date} ({edition})' uses {editon}" in err
    assert "(it has {date}, {edition})" in err
    assert "internal error" not in err and "KeyError" not in err
    assert [p for p in project.output.iterdir() if not p.name.startswith(".")] == []


def test_an_unterminated_string_is_an_error_at_its_line(
    translated: Project, catalogues: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = translated
    po = catalogues / "ru.po"
    line = _break(po, '"\n', "\n")  # the closing quote of the translation's last line removed
    assert main(_build_ru(project)) == 3
    err = capsys.readouterr().err
    assert f"ru.po:{line}: an unterminated or malformed string" in err
    assert [p for p in project.output.iterdir() if not p.name.startswith(".")] == []


def test_the_packaged_catalogues_are_well_formed() -> None:
    for code in ("ru", "kk", "fa"):
        current._compiled(code, current.catalogue_path(code).read_bytes())
