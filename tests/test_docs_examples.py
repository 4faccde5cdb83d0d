"""The docs' worked examples, run as a reader follows them (issue 30): Getting started from
an empty folder, and each guide's "## Worked example" in a fresh project made by
``kzbrief init``. A command the docs show that fails, or a file they say to edit that is not
as they say, fails here, so the docs cannot go stale.

What a page may ask (docs/guides/*.md follow it): a paragraph ending "Create `PATH`:" before
a fenced block (the block becomes the file), one starting "In `PATH`, " before a one-line
block (that line replaces the file's line with the same indentation and key), one ending
"Add to the end of `PATH`:" (the block is appended), and ```sh blocks, whose lines run in
bash one by one and must succeed, or end with the code a trailing ``# exit N`` names.
``cd DIR`` and ``export NAME=VALUE`` lines carry over to the lines after them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzbrief.cli import main

from .conftest import REPO
from .postgres import postgres  # noqa: F401 (the fixture, found by its name)

DOCS = REPO / "docs"
PLACEHOLDER_DATABASE = "postgresql://kzbrief@127.0.0.1:5432/briefings"
BLOCK = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
# own-sections-and-charts.md has two worked examples of its own: tests/test_own_sections.py
GUIDES = sorted(
    p.stem for p in (DOCS / "guides").glob("*.md") if p.stem != "own-sections-and-charts"
)


def section(page: Path, heading: str) -> str:
    text = page.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def steps(part: str) -> Iterator[tuple[str, str, str]]:
    """(action, path or "", block text) for each fenced block, in reading order."""
    end = 0
    for match in BLOCK.finditer(part):
        before = part[end : match.start()].strip().split("\n\n")[-1]
        end = match.end()
        language, body = match[1], match[2]
        if language in ("sh", "bash"):
            yield "run", "", body
        elif found := re.search(r"Create `([^`]+)`:$", before):
            yield "create", found[1], body
        elif found := re.match(r"(?:\d+\.\s+)?In `([^`]+)`, [^\n]*:$", before, re.DOTALL):
            yield "replace", found[1], body
        elif found := re.search(r"Add to the end of `([^`]+)`:$", before):
            yield "append", found[1], body
        else:  # "Now, in `data/x.yaml`, ..." would be skipped without a word: refuse it
            instruction = re.search(r"\b(in `[^`]+`,|create `|add to the end of `)", before, re.I)
            assert instruction is None, f"a step the test cannot follow: {before}"


class Reader:
    """Someone following the page: a current folder, an environment, a shell."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.cwd = folder
        self.env = {**os.environ, **env}
        # the kzbrief this interpreter runs, first on PATH, as after activating the venv
        self.env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{self.env['PATH']}"
        self.log: list[str] = []

    def follow(self, part: str, substitutions: dict[str, str]) -> None:
        done = 0
        for action, name, body in steps(part):
            for old, new in substitutions.items():
                body = body.replace(old, new)
            path = self.cwd / name
            if action == "run":
                for line in body.splitlines():
                    if line.strip() and not line.lstrip().startswith("#"):
                        self.run(line.strip())
            elif action == "create":
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(body, encoding="utf-8")
            elif action == "append":
                with path.open("a", encoding="utf-8") as file:
                    file.write("\n" + body)
            else:
                self.replace(path, body)
            done += 1
        assert done, "the part has no step a reader could follow"

    def replace(self, path: Path, body: str) -> None:
        line = body.rstrip("\n")
        assert "\n" not in line, f"{path}: one line replaces one line"
        key = line.split(":")[0]
        old = path.read_text(encoding="utf-8")
        matches = [x for x in old.splitlines() if x.startswith(key + ":")]
        assert len(matches) == 1, f"{path}: the docs name '{key.strip()}:', found {len(matches)}"
        path.write_text(old.replace(matches[0], line), encoding="utf-8")

    def run(self, line: str) -> None:
        expected = 0
        if found := re.search(r"\s+# exit (\d+)$", line):
            expected, line = int(found[1]), line[: found.start()]
        words = shlex.split(line, comments=True)
        if words[0] == "cd":
            self.cwd = (self.cwd / words[1]).resolve()
            return
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            self.env[name] = value
            return
        if words[:2] == ["kzbrief", "preview"]:
            self.preview(words)
            return
        result = subprocess.run(
            ["bash", "-c", line],
            cwd=self.cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        self.log.append(f"$ {line}\n{result.stdout}{result.stderr}")
        assert result.returncode == expected, "\n".join(self.log)

    def preview(self, words: list[str]) -> None:
        """The preview serves until stopped: open the address it prints, then stop it."""
        process = subprocess.Popen(
            words, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE, text=True
        )
        try:
            assert process.stdout is not None
            for line in process.stdout:
                if found := re.search(r"(http://127\.0\.0\.1:\d+/)", line):
                    with urllib.request.urlopen(found[1], timeout=60) as response:
                        assert response.status == 200
                        assert b"<html" in response.read().lower()
                    return
            pytest.fail(f"kzbrief preview printed no address (exit {process.wait()})")
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_getting_started_from_an_empty_folder(tmp_path: Path) -> None:
    reader = Reader(tmp_path, {})
    reader.follow(section(DOCS / "getting-started.md", "Your first briefing"), {})
    project = tmp_path / "my-brief"
    assert (project / "kzbrief.toml").is_file()
    built = sorted(p.name for p in (project / "output").glob("*.pdf"))
    assert "kazakhstan-iran-government-en.pdf" in built and len(built) == 10
    assert not any((project / "output").glob("*preview*"))  # the preview never writes there


@pytest.fixture
def project(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "project")]) == 0
    return tmp_path / "project"


@pytest.mark.parametrize("guide", [g for g in GUIDES if g != "sharing-the-register"])
def test_a_guide_worked_example(guide: str, project: Path) -> None:
    Reader(project, {}).follow(section(DOCS / "guides" / f"{guide}.md", "Worked example"), {})


def test_sharing_the_register_worked_example(project: Path, request: pytest.FixtureRequest) -> None:
    """Against a real PostgreSQL server (tests/postgres.py) in place of the docs' address."""
    server = request.getfixturevalue("postgres")
    url = server.new_database("docs_example")
    reader = Reader(project, {"PGPASSWORD": server.password})
    part = section(DOCS / "guides" / "sharing-the-register.md", "Worked example")
    assert PLACEHOLDER_DATABASE in part
    reader.follow(part, {PLACEHOLDER_DATABASE: url})
