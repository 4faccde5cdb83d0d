"""The data files: each model's fields as a table (type, required or default, meaning),
from the same pydantic models and code comments as the JSON Schemas (kzbrief/data/schema.py)."""

from __future__ import annotations

from typing import Any

from kzbrief.data.schema import FILE_KINDS, schema_for


def page() -> str:
    lines: list[str] = []
    for kind in FILE_KINDS:
        schema = schema_for(kind)
        definitions = schema["$defs"]
        lines += [f"## {kind.title.removeprefix('kzbrief ').capitalize()} files", ""]
        link = f"[`{kind.name}.schema.json`](schemas/{kind.name}.schema.json)"
        lines += [f"Files: {kind.files}. JSON Schema: {link}.", ""]
        tables = {"Top level": schema}
        if kind.model.__name__ in definitions:  # the model under a key: right after it
            tables[kind.model.__name__] = definitions[kind.model.__name__]
        tables.update(definitions)
        for name, definition in tables.items():
            lines += _table(kind.name, name, definition)
    return "\n".join(lines)


def _table(prefix: str, name: str, definition: dict[str, Any]) -> list[str]:
    from . import cell

    properties = definition.get("properties", {})
    if not properties:
        return []
    required = set(definition.get("required", ()))
    lines = [f"### {name} {{ #{_anchor(prefix, name)} }}", ""]
    lines += ["| field | type | required / default | meaning |", "|---|---|---|---|"]
    for field, spec in properties.items():
        need = "required" if field in required else _default(spec)
        shown = cell(_type(spec, prefix))
        lines.append(f"| `{field}` | {shown} | {cell(need)} | {cell(_meaning(spec))} |")
    return [*lines, ""]


def _anchor(prefix: str, name: str) -> str:
    return f"{prefix}-{name.lower().replace(' ', '-')}"


def _default(spec: dict[str, Any]) -> str:
    if "default" not in spec:
        return "optional"
    value = spec["default"]
    shown = "none" if value is None else repr(value) if not isinstance(value, str) else value
    return f"default: {shown or '(empty)'}"


def _type(spec: dict[str, Any], prefix: str) -> str:
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[1]
        return f"[{name}](#{_anchor(prefix, name)})"
    if "anyOf" in spec:
        options = [o for o in spec["anyOf"] if o.get("type") != "null"]
        kinds = [_type(option, prefix) for option in options]
        return " or ".join(dict.fromkeys(kinds))
    if "enum" in spec:
        return " or ".join(f"`{value}`" for value in spec["enum"])
    if "const" in spec:
        return f"`{spec['const']}`"
    if "patternProperties" in spec:
        value = next(iter(spec["patternProperties"].values()))
        return f"mapping of ids to {_type(value, prefix)}"
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}), prefix)}"
    if kind == "object" and "additionalProperties" in spec:
        value = spec["additionalProperties"]
        return (
            f"mapping of names to {_type(value, prefix)}" if isinstance(value, dict) else "mapping"
        )
    return {"string": "text", "integer": "whole number", "number": "number"}.get(
        kind, str(kind)
    ) + _limits(spec)


def _limits(spec: dict[str, Any]) -> str:
    parts = []
    if "pattern" in spec:
        parts.append(f"matching `{spec['pattern']}`")
    if "format" in spec:
        parts.append(spec["format"].replace("-", " "))
    for key, word in (("minimum", "≥"), ("maximum", "≤")):
        if key in spec:
            parts.append(f"{word} {spec[key]}")
    if "maxLength" in spec:
        parts.append(f"at most {spec['maxLength']} characters")
    return f" ({', '.join(parts)})" if parts else ""


def _meaning(spec: dict[str, Any]) -> str:
    extra = []
    if spec.get("type") == "array" and "minItems" in spec:
        extra.append(f"at least {spec['minItems']}")
    if spec.get("type") == "array" and "maxItems" in spec:
        extra.append(f"at most {spec['maxItems']}")
    text = spec.get("description", "").replace("``", "`")
    return "; ".join([text, *extra]) if extra and text else text or "; ".join(extra)
