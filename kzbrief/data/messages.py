"""Pydantic's validation errors, reworded for analysts: what is wrong, what was expected.

A misspelt field shows up to pydantic as two errors (an unknown field and a
missing one); they are folded into one "did you mean" message.
"""

from __future__ import annotations

import difflib
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from ..data.load import thousands_problem

# What a pattern-checked text field should look like, by field name.
_PATTERN_HINTS = {
    "accent": "a colour as #rrggbb, e.g. '#1f3a5f'",
    "id": "lower-case letters, digits and '-', e.g. 'press-kz'",
    "language": "a language code such as 'en' or 'en-GB'",
    "currency": "a three-letter currency code such as 'USD'",
    "filename": "a file name ending in .pdf, e.g. '{slug}-{audience}-{language}.pdf'",
}
_EXPECTED = {
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of names to values",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "date_type": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
}


def explain(error: ErrorDetails) -> str:
    """One sentence: the problem, what was given, what was expected."""
    kind, ctx, got = error["type"], error.get("ctx", {}), _show(error.get("input"))
    field = str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("float_parsing", "int_parsing") and isinstance(error.get("input"), str):
        problem = thousands_problem(error["input"].strip())
        if problem:
            return problem
    if kind in _EXPECTED:
        return f"got {got} (expected {_EXPECTED[kind]})"
    if kind == "string_pattern_mismatch":
        return (
            f"got {got} (expected {_PATTERN_HINTS.get(field, 'text matching ' + ctx['pattern'])})"
        )
    if kind == "literal_error":
        return f"got {got} (expected one of: {ctx['expected']})"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind]
        limit = next(iter(ctx.values()))
        limit = int(limit) if float(limit).is_integer() else limit
        return f"got {got} (expected a value {bound} {limit})"
    if kind in ("too_short", "too_long"):
        return f"{error['msg'][0].lower()}{error['msg'][1:]}"
    return f"{error['msg'][0].lower()}{error['msg'][1:]} (got {got})"


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def fold_misspellings(errors: list[ErrorDetails], root: type[BaseModel]) -> list[ErrorDetails]:
    """Turn 'unknown X' + 'missing Y' in one mapping into 'unknown X (did you mean Y?)'."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    folded: list[ErrorDetails] = []
    absorbed: set[tuple] = set()
    for error in errors:
        if error["type"] != "extra_forbidden":
            continue
        loc = tuple(error["loc"])
        known = field_names(root, loc[:-1])
        match = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean '{match[0]}'?" if match else f"known fields: {', '.join(known)}"
        message = f"unknown field '{loc[-1]}' ({hint})"
        folded.append({**error, "type": "value_error", "ctx": {"error": message}})
        if match and (*loc[:-1], match[0]) in missing:
            absorbed.add((*loc[:-1], match[0]))
    kept = [e for e in errors if e["type"] != "extra_forbidden" and tuple(e["loc"]) not in absorbed]
    return sorted(kept + folded, key=lambda e: [str(part) for part in e["loc"]])


def field_names(root: type[BaseModel], path: tuple) -> list[str]:
    """The field names (as written in YAML) of the model found at ``path`` below ``root``."""
    model: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        fields = {info.alias or name: info.annotation for name, info in model.model_fields.items()}
        model = _inner_model(fields.get(str(part)))
        if model is None:
            return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``list[M]``, ``M | None`` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (list, Union, types.UnionType):
        for arg in get_args(annotation):
            if (inner := _inner_model(arg)) is not None:
                return inner
    return None
