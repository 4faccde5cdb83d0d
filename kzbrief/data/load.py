"""Read YAML files safely, remembering where every value came from.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two
duplicate keys; composing the node tree ourselves keeps line/column for every
field so later checks can point at the exact spot.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataError, Location
from .yaml_errors import read_text, yaml_error

FieldPath = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file plus the position of each value, keyed by field path."""

    path: Path
    data: Any
    positions: dict[FieldPath, Location] = field(default_factory=dict)
    text: str = ""  # the file as read, to point inside a long value

    def find(self, path: FieldPath, character: str) -> Location:
        """Where ``character`` first appears in the value at ``path`` (else the value's start)."""
        start = self.locate(path)
        lines = self.text.splitlines(keepends=True)
        if start.line is None or start.column is None or start.line > len(lines):
            return start
        # The value ends where the next positioned value starts.
        after = [(p.line, p.column) for p in self.positions.values() if p.line is not None]
        end = min((p for p in after if p > (start.line, start.column)), default=None)
        for number in range(start.line, (end[0] if end else len(lines)) + 1):
            line = lines[number - 1]
            first = start.column - 1 if number == start.line else 0
            last = end[1] - 1 if end and number == end[0] else len(line)
            column = line.find(character, first, last)
            if column >= 0:
                return Location(self.path, number, column + 1)
        return start

    def locate(self, path: FieldPath) -> Location:
        """The position of ``path``, or of its nearest ancestor that has one."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Location(self.path))


def strings_in(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every text value below ``value`` with its path (not the keys: they name fields)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, (*path, index))


def format_field_path(path: FieldPath) -> str:
    """``("trade", "years", 2, "export")`` -> ``trade.years[2].export``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_yaml(path: Path) -> YamlDocument:
    """Parse one YAML file into plain Python values with positions."""
    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise yaml_error(exc, path, text) from None
    if node is None:
        raise DataError("the file is empty (expected a YAML mapping)", Location(path, 1, 1))
    document = YamlDocument(path, None, text=text)
    document.data = _construct(node, (), document)
    return document


_SCALARS = yaml.SafeLoader("")
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}


def _construct(node: yaml.Node, path: FieldPath, document: YamlDocument) -> Any:
    document.positions[path] = _position(document, node)
    if node.tag not in _PLAIN_TAGS:
        # Tags such as !!python/object could build arbitrary objects: data never needs them.
        raise DataError(
            f"YAML tags are not allowed in briefing data (found '{node.tag}')",
            document.positions[path],
            format_field_path(path),
        )
    if isinstance(node, yaml.MappingNode):
        return _construct_mapping(node, path, document)
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), document) for i, item in enumerate(node.value)]
    try:
        return _SCALARS.construct_object(node, deep=True)
    except ValueError as exc:  # e.g. 2001-13-07 looks like a date but is none
        raise DataError(
            f"got '{node.value}' (expected a valid date, YYYY-MM-DD: {exc})",
            document.positions[path],
            format_field_path(path),
        ) from None


_THOUSANDS = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+)(\.\d+)?$")


def thousands_problem(text: str) -> str | None:
    """The message for '40,000,000' (a number with thousands separators), else None."""
    match = _THOUSANDS.match(text)
    if match is None:
        return None
    sign, whole, fraction = match[1], match[2].replace(",", ""), match[3] or ""
    digits = (whole + fraction[1:]).rstrip("0") or "0"
    scientific = f"{sign}{digits[0]}.{digits[1:] or '0'}e{len(whole) - 1}"
    return (
        f"'{text}' is a number written with thousands separators "
        f"(expected a plain number such as {sign}{whole}{fraction} or {scientific})"
    )


def _split_number(node: yaml.MappingNode, index: int) -> str | None:
    """The text of a number that the commas of a flow mapping split into several entries.

    In ``{import: 40,000,000}`` the commas end the entry: YAML reads ``import: 40``
    plus keys ``000`` and ``000`` without values, and would report a duplicate key.
    """
    value = node.value[index][1]
    if not (isinstance(value, yaml.ScalarNode) and re.fullmatch(r"[+-]?\d{1,3}", value.value)):
        return None
    groups = []
    for key, rest in node.value[index + 1 :]:
        plain = isinstance(key, yaml.ScalarNode) and key.style is None
        if not (plain and re.fullmatch(r"\d{3}(\.\d+)?", key.value) and rest.value == ""):
            break
        groups.append(key.value)
        if "." in key.value:
            break
    return ",".join([value.value, *groups]) if groups else None


def _construct_mapping(node: yaml.MappingNode, path: FieldPath, document: YamlDocument) -> dict:
    result: dict[str, Any] = {}
    for index, (key_node, value_node) in enumerate(node.value):
        key = _construct_key(key_node, path, document)
        split = _split_number(node, index) if node.flow_style else None
        if split is not None:
            raise DataError(
                thousands_problem(split) or split,
                _position(document, value_node),
                format_field_path((*path, key)),
            )
        if key in result:
            raise DataError(
                f"duplicate key '{key}' (each key may appear once)",
                _position(document, key_node),
                format_field_path((*path, key)),
            )
        result[key] = _construct(value_node, (*path, key), document)
    return result


def _construct_key(node: yaml.Node, path: FieldPath, document: YamlDocument) -> str:
    """A mapping's key as text; a key is data too, so it gets the checks a value gets
    (a tag on a key, ``!x title:``, had reached PyYAML's constructor and escaped as an
    internal error)."""
    where = _position(document, node)
    if not isinstance(node, yaml.ScalarNode):
        problem = "a key must be a plain name or number, not a list or mapping"
        raise DataError(problem, where, format_field_path(path))
    field_path = format_field_path((*path, node.value))
    if node.tag not in _PLAIN_TAGS:
        problem = f"YAML tags are not allowed in briefing data (found '{node.tag}')"
        raise DataError(problem, where, field_path)
    try:
        return str(_SCALARS.construct_object(node))
    except ValueError as exc:  # e.g. 2001-13-07 looks like a date but is none
        problem = f"got '{node.value}' (expected a valid date, YYYY-MM-DD: {exc})"
        raise DataError(problem, where, field_path) from None


def _position(document: YamlDocument, node: yaml.Node) -> Location:
    return Location(document.path, node.start_mark.line + 1, node.start_mark.column + 1)
