"""Property tests: whatever YAML the loader is given, it loads or raises kzbrief's own error."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from kzbrief.cli import main
from kzbrief.errors import EXIT_DATA, EXIT_SUCCESS
from kzbrief.publish.manifest import MANIFEST_NAME, verify_folder

from .conftest import REPO, Project, copy_project

FILES = sorted(p.name for p in (REPO / "data").glob("*.yaml"))
# The seed: random where a person runs the tests (hypothesis keeps what it found in its
# example database), fixed in CI (the "ci" profile in conftest.py: derandomize), so a
# failure there fails every rerun, not one run in four.
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# file:line: or file:line:column:, then the field and the problem (errors.describe_failure)
LOCATED = re.compile(r"^(?P<file>[^\n:]+\.yaml):(?P<line>[1-9]\d*)(?::[1-9]\d*)?: \S")
SUMMARY = re.compile(r"^kzbrief: \d+ problems found; nothing was written$")


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Project]:
    """A project copy (English only: one cheap web edition) whose files the examples change."""
    with tempfile.TemporaryDirectory() as folder:
        yield copy_project(Path(folder))


_RUNS = itertools.count()


def _build_with(project: Project, name: str, content: str | bytes) -> None:
    """Replace one data file, build the press web edition through the CLI, restore the file.

    The build must end as a data error (exit 2, every line located in a YAML file,
    nothing written) or succeed (every file written whole, the manifest true to them);
    never an internal error (exit 1) or any other code."""
    path = project.data / name
    original = path.read_bytes()
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    # a new output folder each time (the build cache beside them is shared: it is fast)
    output = project.root / f"output-{next(_RUNS)}"
    args = ["build", "--data", str(project.data), "--output", str(output)]
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main([*args, "--format", "html", "--audience", "press"])
    finally:
        path.write_bytes(original)
    message = err.getvalue()
    event(f"exit {code}")  # --hypothesis-show-statistics: how many examples built
    assert code in (EXIT_SUCCESS, EXIT_DATA), message
    if code == EXIT_DATA:
        lines = message.splitlines()
        assert lines, "a data error says what is wrong"
        for line in lines:  # a missing section is in no file: it names the data folder
            folder = line.startswith(f"{project.data}: ")
            assert LOCATED.match(line) or SUMMARY.match(line) or folder, line
        written = sorted(output.iterdir()) if output.exists() else []
        assert written == [], "a failed build must write nothing"
    else:
        pages = sorted(output.glob("*.html"))
        assert pages, message
        for page in pages:
            assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), page
        assert json.loads((output / MANIFEST_NAME).read_text(encoding="utf-8"))
        assert verify_folder(output).problems == 0


@FUZZ
@given(name=st.sampled_from(FILES), content=st.text(max_size=400))
@example(name="meta.yaml", content="meta:\n  !x title: Kazakhstan\n")  # once escaped as exit 1
def test_random_text(fuzzed: Project, name: str, content: str) -> None:
    _build_with(fuzzed, name, content)


@FUZZ
@given(name=st.sampled_from(FILES), content=st.binary(max_size=200))
def test_random_bytes(fuzzed: Project, name: str, content: bytes) -> None:
    _build_with(fuzzed, name, content)


_EDITS = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.sampled_from(["insert", "delete", "replace"]),
        st.sampled_from(list(":-[]{}#&*!|>'\"\t\n ,?%@`0123456789abcxyz")),
    ),
    min_size=1,
    max_size=6,
)


@FUZZ
@given(name=st.sampled_from([*FILES, "audiences/press.yaml"]), edits=_EDITS)
def test_mutated_real_files(fuzzed: Project, name: str, edits: list) -> None:
    text = (fuzzed.data / name).read_text(encoding="utf-8")
    for where, action, char in edits:
        at = int(where * len(text))
        if action == "insert":
            text = text[:at] + char + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + char + text[at + 1 :]
    _build_with(fuzzed, name, text)


_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _leaves(value, (*path, key))] or [path]
    if isinstance(node, list):
        return [p for i, value in enumerate(node) for p in _leaves(value, (*path, i))] or [path]
    return [path]


@FUZZ
@given(name=st.sampled_from(FILES), pick=st.integers(min_value=0), value=_VALUES)
def test_structured_mutations(fuzzed: Project, name: str, pick: int, value: Any) -> None:
    """Put a random value (of any type) where a real field's value was."""
    tree = yaml.safe_load((fuzzed.data / name).read_text(encoding="utf-8"))
    leaves = [leaf for leaf in _leaves(tree) if leaf]
    path = leaves[pick % len(leaves)]
    node = tree
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    _build_with(fuzzed, name, yaml.safe_dump(tree, allow_unicode=True))
