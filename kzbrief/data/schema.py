"""JSON Schemas of the data files, from the pydantic models, for editors and the docs.

The schemas ship in the package (``kzbrief/schemas/*.schema.json``) so that the
``# yaml-language-server: $schema=…`` line ``init`` writes at the top of each data file
points at a file that exists wherever kzbrief is installed: VS Code and other editors with
the YAML language server then complete and check fields as the user types. They are
written by ``python -m kzbrief.data.schema`` and a test fails when they differ from the
models (the same models validate a build, so an editor's check and kzbrief's agree).

Each field's description is the comment the model gives it in the code: the docs' data
reference and an editor's hover text say what the code says.
"""

from __future__ import annotations

import ast
import inspect
import json
import sys
import textwrap
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from ..data.audiences import Audience
from ..data.models import Briefing
from ..data.recipients import Recipient
from ..data.translations import TranslationFile

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


class FileKind(NamedTuple):
    name: str  # the schema's file name: NAME.schema.json
    title: str
    files: str  # which data files it describes, as the reference says it
    model: type[BaseModel]
    key: str | None  # the top-level key holding the model (None: the file is the model)
    many: bool = False  # the key holds a list of models


FILE_KINDS = (
    FileKind(
        "briefing",
        "kzbrief briefing data",
        "every `*.yaml` in `data/` (but `recipients.yaml`): its top-level keys, each in one "
        "file (`sections:` and `charts:` may be split over several)",
        Briefing,
        None,
    ),
    FileKind("audience", "kzbrief audience", "`data/audiences/*.yaml`", Audience, "audience"),
    FileKind(
        "recipients",
        "kzbrief recipients",
        "`data/recipients.yaml`",
        Recipient,
        "recipients",
        many=True,
    ),
    FileKind(
        "translation",
        "kzbrief translation",
        "`data/i18n/<language>/*.yaml` and `data/i18n/<language>/audiences/*.yaml`",
        TranslationFile,
        None,
    ),
)


def kind_of(relative: Path) -> FileKind:
    """The kind of a data file, from its path inside the data folder."""
    names = {kind.name: kind for kind in FILE_KINDS}
    if relative.parts[0] == "i18n":
        return names["translation"]
    if relative.parts[0] == "audiences":
        return names["audience"]
    return names["recipients" if relative.as_posix() == "recipients.yaml" else "briefing"]


SCHEMA_LINE = "# yaml-language-server: $schema="


def schema_comment(relative: Path) -> str:
    """The first line of a data file that kzbrief writes: its schema, for the editor."""
    schema = SCHEMA_DIR / f"{kind_of(relative).name}.schema.json"
    return f"{SCHEMA_LINE}{schema.as_uri()}\n"


def schema_for(kind: FileKind) -> dict[str, Any]:
    """The JSON Schema of one kind of data file, with each field's comment as description."""
    models = _models_by_name(kind.model)
    model = kind.model.model_json_schema(ref_template="#/$defs/{model}")
    definitions = model.pop("$defs", {})
    _describe(model, kind.model)
    for name, definition in definitions.items():
        _describe(definition, models.get(name))
    if kind.model is Briefing:
        model.pop("required", None)  # the files together hold every key; each file some
    if kind.key is not None:
        definitions[kind.model.__name__] = model
        item = {"$ref": f"#/$defs/{kind.model.__name__}"}
        value = {"type": "array", "minItems": 1, "items": item} if kind.many else item
        model = {
            "type": "object",
            "properties": {kind.key: value},
            "required": [kind.key],
            "additionalProperties": False,
        }
    return {"$schema": DIALECT, "title": kind.title, **model, "$defs": definitions}


def _describe(definition: dict[str, Any], model: type[BaseModel] | None) -> None:
    """Titles out (pydantic's are the field names again), comments in."""
    definition.pop("title", None)
    comments = field_comments(model) if model else {}
    for name, field in definition.get("properties", {}).items():
        field.pop("title", None)
        if name in comments:
            field["description"] = comments[name]
        if "patternProperties" in field:  # ids that do not match are refused, as by kzbrief
            field.setdefault("additionalProperties", False)


def _models_by_name(
    model: type[BaseModel], found: dict[str, type[BaseModel]] | None = None
) -> dict[str, type[BaseModel]]:
    """Every model reachable from ``model``, by the name its schema definition gets."""
    found = {} if found is None else found
    if model.__name__ not in found:
        found[model.__name__] = model
        for field in model.model_fields.values():
            for argument in _types_in(field.annotation):
                if isinstance(argument, type) and issubclass(argument, BaseModel):
                    _models_by_name(argument, found)
    return found


def _types_in(annotation: object) -> list[object]:
    arguments = getattr(annotation, "__args__", ())
    return [annotation, *(t for a in arguments for t in _types_in(a))]


@cache
def field_comments(model: type[BaseModel]) -> dict[str, str]:
    """Each field's comment in the model's code: the ``# …`` at the end of its line, else
    the comment lines just above it; inherited fields from the base classes. Keyed as the
    data file spells the field: by its alias when it has one (``from_`` is ``from``)."""
    comments: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if issubclass(cls, BaseModel) and cls is not BaseModel and "model_fields" in dir(cls):
            comments.update(_class_comments(cls))
    fields = model.model_fields
    return {
        (fields[name].alias or name) if name in fields else name: text
        for name, text in comments.items()
    }


def _class_comments(cls: type) -> dict[str, str]:
    try:
        lines, _ = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return {}
    source = textwrap.dedent("".join(lines)).splitlines()
    tree = ast.parse("\n".join(source))
    comments: dict[str, str] = {}
    for node in tree.body[0].body:  # type: ignore[attr-defined]
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        line = source[node.lineno - 1]
        text = line.split("  # ", 1)[1] if "  # " in line else ""
        above = []
        number = node.lineno - 2
        # a comment above a field is its own only when the line after that comment is it
        while number >= 0 and source[number].strip().startswith("# ") and not text:
            above.insert(0, source[number].strip().lstrip("#").strip())
            number -= 1
        comments[node.target.id] = " ".join([*above, text]).strip()
    return {name: text for name, text in comments.items() if text}


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every kind of data file."""
    return {f"{kind.name}.schema.json": schema_for(kind) for kind in FILE_KINDS}


def schema_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    """Write the schemas into the package (run after changing a model)."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, schema in all_schemas().items():
        (SCHEMA_DIR / name).write_text(schema_text(schema), encoding="utf-8")
        print(SCHEMA_DIR / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
