"""Property tests: whatever YAML the loader is given, it loads or raises kzbrief's own error."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzbrief.data.audiences import load_audiences
from kzbrief.data.briefing import load_briefing
from kzbrief.errors import KzbriefError

from .conftest import REPO

FILES = sorted(p.name for p in (REPO / "data").glob("*.yaml"))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "data"
        shutil.copytree(REPO / "data", target)
        yield target


def _load_with(data_dir: Path, name: str, content: str | bytes) -> None:
    """Replace one data file, load, and restore it; only KzbriefError may escape."""
    path = data_dir / name
    original = (REPO / "data" / name).read_bytes()
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    try:
        if name.startswith("audiences/"):
            load_audiences(data_dir)
        else:
            load_briefing(data_dir)
    except KzbriefError:
        pass
    finally:
        path.write_bytes(original)


@FUZZ
@given(name=st.sampled_from(FILES), content=st.text(max_size=400))
def test_random_text(data_dir: Path, name: str, content: str) -> None:
    _load_with(data_dir, name, content)


@FUZZ
@given(name=st.sampled_from(FILES), content=st.binary(max_size=200))
def test_random_bytes(data_dir: Path, name: str, content: bytes) -> None:
    _load_with(data_dir, name, content)


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
def test_mutated_real_files(data_dir: Path, name: str, edits: list) -> None:
    text = (REPO / "data" / name).read_text(encoding="utf-8")
    for where, action, char in edits:
        at = int(where * len(text))
        if action == "insert":
            text = text[:at] + char + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + 1 :]
        else:
            text = text[:at] + char + text[at + 1 :]
    _load_with(data_dir, name, text)


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
def test_structured_mutations(data_dir: Path, name: str, pick: int, value: Any) -> None:
    """Put a random value (of any type) where a real field's value was."""
    tree = yaml.safe_load((REPO / "data" / name).read_text(encoding="utf-8"))
    leaves = [leaf for leaf in _leaves(tree) if leaf]
    path = leaves[pick % len(leaves)]
    node = tree
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    _load_with(data_dir, name, yaml.safe_dump(tree, allow_unicode=True))
