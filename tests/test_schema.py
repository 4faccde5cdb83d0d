"""The JSON Schemas editors use (kzbrief/schemas/, issue 30): the same as the models say,
accepting the shipped data, refusing a broken file, and named by each file init writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
import yaml

from kzbrief.data.schema import SCHEMA_DIR, all_schemas, kind_of, schema_text

from .conftest import REPO, copy_project
from .test_bad_input import CASES, _apply

SCHEMA_LINE = "# yaml-language-server: $schema="


class EditorLoader(yaml.SafeLoader):
    """YAML as the editor's language server reads it (YAML 1.2): 2001-10-07 is text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [pair for pair in resolvers if pair[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _problems(data_dir: Path) -> list[str]:
    """Every schema error in a data folder's files, as 'FILE: field.path: message'."""
    schemas = {
        name: json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")) for name in all_schemas()
    }
    problems = []
    for path in sorted(data_dir.rglob("*.yaml")):
        relative = path.relative_to(data_dir)
        schema = schemas[f"{kind_of(relative).name}.schema.json"]
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.FormatChecker()
        )
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=EditorLoader)
        for error in validator.iter_errors(document):
            where = ".".join(map(str, error.absolute_path))
            problems.append(f"{relative}: {where}: {error.message}")
    return problems


def test_the_shipped_schemas_are_what_the_models_say() -> None:
    """A model changed without `python -m kzbrief.data.schema` would leave editors checking
    against the old fields."""
    expected = all_schemas()
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(expected)
    for name, schema in expected.items():
        shipped = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert shipped == schema_text(schema), f"run: python -m kzbrief.data.schema ({name})"


def test_the_schemas_describe_fields_from_the_code_comments() -> None:
    briefing = json.loads((SCHEMA_DIR / "briefing.schema.json").read_text(encoding="utf-8"))
    edition = briefing["$defs"]["Meta"]["properties"]["edition"]
    assert "edition id" in edition["description"]
    audience = json.loads((SCHEMA_DIR / "audience.schema.json").read_text(encoding="utf-8"))
    fields = audience["$defs"]["Audience"]["properties"]
    assert "publish" in fields["public"]["description"]
    assert fields["paper"]["enum"] == ["A4", "Letter"]
    assert audience["required"] == ["audience"] and audience["additionalProperties"] is False


@pytest.mark.parametrize("folder", ["data", "kzbrief/skeleton"])
def test_the_schemas_accept_the_shipped_data(folder: str) -> None:
    assert _problems(REPO / folder) == []


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("unknown-field-suggest", "Additional properties are not allowed ('turnovr' was"),
        ("type-text-for-number", "'about a billion' is not of type 'number'"),
        ("audience-bad-paper", "is not one of ['A4', 'Letter']"),
    ],
)
def test_the_schemas_refuse_a_broken_file(case: str, expected: str, tmp_path: Path) -> None:
    """The files of tests/bad/ an editor could flag before kzbrief reads them."""
    project = copy_project(tmp_path)
    spec = yaml.safe_load((CASES / case / "case.yaml").read_text(encoding="utf-8"))
    _apply(CASES / case, spec, project)
    problems = _problems(project.data)
    assert problems and any(expected in problem for problem in problems), problems


def _schema_of(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(SCHEMA_LINE), path
    uri = urlsplit(first.removeprefix(SCHEMA_LINE))
    assert uri.scheme == "file"
    return Path(unquote(uri.path))


def test_init_points_every_data_file_at_its_schema(installed: Path, tmp_path: Path) -> None:
    """As a user installs it: the line names the schema inside the installed package, the
    right one for the file, and the project builds with it (it is a comment)."""
    env = {**os.environ, "PYTHONPATH": str(installed)}
    for kind in ("--example", "--blank"):
        folder = tmp_path / kind.strip("-")
        command = [sys.executable, "-m", "kzbrief", "init", str(folder), kind]
        subprocess.run(command, check=True, capture_output=True, env=env, cwd=tmp_path)
        files = sorted((folder / "data").rglob("*.yaml"))
        assert len(files) > 8
        for path in files:
            schema = _schema_of(path)
            assert schema.is_file() and schema.is_relative_to(installed), (path, schema)
            assert schema.name == f"{kind_of(path.relative_to(folder / 'data')).name}.schema.json"
        assert _problems(folder / "data") == []
