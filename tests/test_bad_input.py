"""The bad-input corpus: each case in tests/bad/<case>/ breaks a copy of the project in
one way and must produce exactly the message in its expected.txt and its exit code.

case.yaml keys: ``edit`` (exact replacements: file, old, new), ``write`` (files to
write, path -> text), ``remove`` (files to delete), ``args`` (command line, default:
build the press audience), ``exit`` (the exit code). Files under ``files/`` are
copied over the project as they are (for bytes YAML cannot hold, e.g. Latin-1).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kzbrief.cli import main
from kzbrief.errors import EXIT_CODES, EXIT_INTERNAL, EXIT_SUCCESS

from .conftest import Project, copy_project

CASES = Path(__file__).parent / "bad"
DEFAULT_ARGS = ["build", "--audience", "press"]


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "case.yaml").is_file())


def _apply(case: Path, spec: dict, project: Project) -> None:
    for edit in spec.get("edit", []):
        path = project.root / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert text.count(edit["old"]) == 1, f"{case.name}: {edit['old']!r} not found once"
        path.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")
    for relative, text in spec.get("write", {}).items():
        path = project.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for relative in spec.get("remove", []):
        (project.root / relative).unlink()
    if (case / "files").is_dir():
        shutil.copytree(case / "files", project.root, dirs_exist_ok=True)


KEYS = {"description", "edit", "write", "remove", "args", "exit"}


def test_every_folder_is_a_case_that_breaks_something() -> None:
    """A folder without case.yaml would be skipped without a word, and a misspelt key
    (``edits:``) would leave the project whole: each must say what it breaks, expect an
    error's exit code, and its message, different from every other case's."""
    folders = sorted(p for p in CASES.iterdir() if p.is_dir())
    assert folders == _cases(), "every folder under tests/bad/ is run"
    messages: dict[str, str] = {}
    for case in folders:
        spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
        assert set(spec) <= KEYS, (case.name, set(spec) - KEYS)
        changes = [spec.get(key) for key in ("edit", "write", "remove", "args")]
        assert any(changes) or (case / "files").is_dir(), f"{case.name} changes nothing"
        assert spec["exit"] in EXIT_CODES and spec["exit"] not in (EXIT_SUCCESS, EXIT_INTERNAL)
        expected = (case / "expected.txt").read_text(encoding="utf-8")
        assert expected.strip() and expected.endswith("\n"), case.name
        assert "internal error" not in expected, case.name
        assert messages.setdefault(expected, case.name) == case.name, (case.name, messages)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_bad_input_gives_its_exact_message(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    project = copy_project(tmp_path)
    _apply(case, spec, project)
    monkeypatch.chdir(project.root)
    code = main(spec.get("args", DEFAULT_ARGS))
    captured = capsys.readouterr()
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    assert captured.err == expected
    assert code == spec["exit"]
    assert "Traceback" not in captured.err
    # The build cache (a hidden folder) may keep charts drawn before the failure.
    built = [p for p in project.output.iterdir() if not p.name.startswith(".")]
    assert not built, "a failed build must write nothing"
