"""The documentation site (issue 30): it builds with --strict (no broken link or anchor),
and its command-line reference names every command and option and says what --help says."""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kzbrief.cli import COMMANDS, full_parser, main
from kzbrief.errors import EXIT_CODES
from kzbrief.settings import SETTINGS

from .conftest import REPO

pytest.importorskip("mkdocs", reason="needs the docs extra: pip install -e '.[docs]'")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs-site")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return folder


def _text(page: Path) -> str:
    """A built page's words: tags out, entities decoded, whitespace folded."""
    body = page.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _commands(
    parser: argparse.ArgumentParser, path: str = "kzbrief"
) -> dict[str, argparse.ArgumentParser]:
    found = {path: parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_commands(sub, f"{path} {name}"))
    return found


def test_the_site_builds_strict_with_every_page_of_the_four_parts(site: Path) -> None:
    for page in (
        "index",
        "getting-started",
        "guides/copies",
        "reference/cli",
        "reference/data",
        "explanation/security",
    ):
        assert (site / f"{page}.html").is_file(), page
    schema = site / "reference" / "schemas" / "briefing.schema.json"
    assert schema.read_bytes() == (REPO / "kzbrief/schemas/briefing.schema.json").read_bytes()


def test_every_command_and_option_is_in_the_reference(site: Path) -> None:
    text = _text(site / "reference" / "cli.html")
    commands = _commands(full_parser())
    assert len(commands) > len(COMMANDS)  # translate's and register's subcommands too
    for name, parser in commands.items():
        assert f"{name} " in text or text.endswith(name), name
        for action in parser._actions:
            for option in action.option_strings:
                # each option in its command's usage line (its row: the --help test below)
                assert re.search(rf"{re.escape(name)} \[-h\].*?{re.escape(option)}\b", text), (
                    name,
                    option,
                )


def _help_rows(text: str) -> list[tuple[str, str]]:
    """(``--audience ID``, its help) for each argument ``--help`` lists."""
    rows: list[list[str]] = []
    for line in text.splitlines():
        if re.match(r"^  \S", line):
            invocation, _, help_text = line.strip().partition("  ")
            rows.append([invocation, help_text.strip()])
        elif line.startswith("    ") and rows:
            rows[-1][1] += " " + line.strip()
    return [(i, " ".join(h.split())) for i, h in rows]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_help_agrees_with_the_reference(
    command: str, site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What `kzbrief COMMAND --help` prints is what the reference says, row by row."""
    monkeypatch.setenv("COLUMNS", "100")
    text = _text(site / "reference" / "cli.html")
    section = text[text.index(f"kzbrief {command} ¶") :]
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    rows = [(i, h) for i, h in _help_rows(out.split("options:", 1)[-1]) if i.startswith("-")]
    assert any(i == "-h, --help" for i, _ in rows), out
    for invocation, help_text in rows:
        assert f"{invocation} {help_text}" in section, (command, invocation)


def test_exit_codes_and_settings_are_in_the_reference(site: Path) -> None:
    codes = _text(site / "reference" / "exit-codes.html")
    for code, meaning in EXIT_CODES.items():
        assert f"{code} {' '.join(meaning.split())}" in codes
    settings = _text(site / "reference" / "settings.html")
    for setting in SETTINGS:
        value = setting.value.replace("`", "")
        assert f"[{setting.table}]" in settings and f"{setting.key} {value}" in settings


def test_the_error_catalogue_shows_each_bad_input_message(site: Path) -> None:
    text = _text(site / "reference" / "errors.html")
    cases = sorted((REPO / "tests" / "bad").glob("*/expected.txt"))
    assert len(cases) > 40
    for expected in cases:
        for line in expected.read_text(encoding="utf-8").splitlines():
            assert " ".join(line.split()) in text, expected.parent.name


def test_the_data_reference_has_each_model_and_field(site: Path) -> None:
    text = _text(site / "reference" / "data.html")
    for field in ("edition_revision", "page_budget", "watermark", "categories", "status"):
        assert field in text
    assert "the date part of the edition id" in text  # the field's comment in the model


README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_is_one_screen_and_its_test_command_is_what_ci_runs() -> None:
    assert len(README.splitlines()) <= 200
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_command = ci.split("# The README's test command:\n", 1)[1].strip()
    assert f"```sh\n. .venv/bin/activate && {test_command}\n```" in README
    assert "mkdocs serve" in README
    assert "pip install kzbrief " not in README  # not on an index: from a checkout or a wheel


def test_the_readme_command_table_lists_every_command() -> None:
    table = README[README.index("## Commands") :]
    for command in COMMANDS:
        assert f"| `kzbrief {command}" in table, command
