"""Turn the YAML files of a data folder into a checked ``Briefing``.

All problems found are collected and raised together, each pointing at the
file, line and field it concerns, so an analyst can fix them in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..data.fields import Sourced
from ..data.load import FieldPath, YamlDocument, format_field_path, read_yaml
from ..data.messages import explain, fold_misspellings
from ..data.models import Briefing
from ..data.own import BUILT_IN_CHARTS, BUILT_IN_SECTIONS, MERGED_KEYS
from ..errors import DataError, DataErrors, Location
from ..project import briefing_files


def load_briefing(data_dir: Path) -> Briefing:
    """Read every ``*.yaml`` in ``data_dir`` and validate it as one briefing."""
    return load_briefing_documents(data_dir)[0]


def load_briefing_documents(data_dir: Path) -> tuple[Briefing, list[YamlDocument]]:
    """The validated briefing, and the files it came from with every value's position."""
    documents = _read_documents(data_dir)
    merged, owners = merge_documents(documents)
    try:
        briefing = Briefing.model_validate(merged)
    except ValidationError as exc:
        errors = fold_misspellings(exc.errors(), Briefing)
        raise DataErrors([_to_data_error(err, owners, data_dir) for err in errors]) from None
    problems = list(_cross_check(briefing, owners, data_dir))
    if problems:
        raise DataErrors(problems)
    return briefing, documents


def _read_documents(data_dir: Path) -> list[YamlDocument]:
    if not data_dir.is_dir():
        raise DataError(
            "data folder not found (expected a folder of YAML files)", Location(data_dir)
        )
    paths = briefing_files(data_dir)
    if not paths:
        raise DataError("no *.yaml files in the data folder", Location(data_dir))
    documents: list[YamlDocument] = []
    errors: list[DataError] = []
    for path in paths:
        try:
            documents.append(read_yaml(path))
        except DataError as exc:
            errors.append(exc)
    if errors:
        raise DataErrors(errors)
    return documents


def merge_documents(
    documents: list[YamlDocument],
) -> tuple[dict[str, Any], dict[str, YamlDocument]]:
    """One mapping of all files' top-level keys, and which file owns each key."""
    merged: dict[str, Any] = {}
    owners: dict[str, YamlDocument] = {}
    errors: list[DataError] = []
    for document in documents:
        if not isinstance(document.data, dict):
            errors.append(
                DataError("expected a mapping of sections at the top", document.locate(()))
            )
            continue
        for key, value in document.data.items():
            if key in MERGED_KEYS and isinstance(value, dict):
                errors += _merge_entries(key, value, document, merged, owners)
                continue
            if key in owners:
                errors.append(
                    DataError(
                        f"section '{key}' is also defined in {owners[key].path.name}",
                        document.locate((key,)),
                        key,
                    )
                )
            merged[key], owners[key] = value, document
    if errors:
        raise DataErrors(errors)
    return merged, owners


def _merge_entries(
    key: str,
    entries: dict[str, Any],
    document: YamlDocument,
    merged: dict[str, Any],
    owners: dict[str, YamlDocument],
) -> list[DataError]:
    """A file's ``sections:`` or ``charts:`` added to those of the files before it: each entry
    is owned by its file (``owners["sections.energy"]``), and an id may be defined once."""
    errors = []
    merged.setdefault(key, {})
    owners.setdefault(key, document)
    what = key.removesuffix("s")
    built_in = BUILT_IN_SECTIONS if key == "sections" else BUILT_IN_CHARTS
    for entry, value in entries.items():
        if entry in built_in:  # said here, where the entry's line is known
            problem = f"'{entry}' is the id of a built-in {what}; give yours another id"
            errors.append(DataError(problem, document.locate((key, entry)), f"{key}.{entry}"))
            continue
        owner = owners.get(f"{key}.{entry}")
        if owner is not None:
            problem = f"{what} '{entry}' is also defined in {owner.path.name}"
            errors.append(DataError(problem, document.locate((key, entry)), f"{key}.{entry}"))
            continue
        merged[key][entry], owners[f"{key}.{entry}"] = value, document
    return errors


def locate_field(path: FieldPath, owners: dict[str, YamlDocument], data_dir: Path) -> Location:
    owner = owners.get(f"{path[0]}.{path[1]}") if len(path) > 1 else None
    owner = owner or (owners.get(str(path[0])) if path else None)
    return owner.locate(path) if owner else Location(data_dir)


def _to_data_error(error: Any, owners: dict[str, YamlDocument], data_dir: Path) -> DataError:
    path = tuple(error["loc"])
    if len(path) == 1 and error["type"] == "missing":
        return DataError(
            f"required section is missing (expected a *.yaml file with a top-level '{path[0]}:')",
            Location(data_dir),
            str(path[0]),
        )
    return DataError(explain(error), locate_field(path, owners, data_dir), format_field_path(path))


def describe_validation_error(error: Any, document: YamlDocument, prefix: FieldPath) -> DataError:
    """One pydantic error inside ``document`` (below ``prefix``) as a located DataError."""
    path = (*prefix, *error["loc"])
    return DataError(explain(error), document.locate(path), format_field_path(path))


def _cross_check(
    briefing: Briefing, owners: dict[str, YamlDocument], data_dir: Path
) -> Iterator[DataError]:
    """Checks that span several fields: references resolve, sums add up."""
    ids = [source.id for source in briefing.sources]
    for path, item in _sourced_items(briefing, ()):
        if item.source not in ids:
            yield DataError(
                f"unknown source '{item.source}' (known: {', '.join(ids)})",
                locate_field((*path, "source"), owners, data_dir),
                format_field_path((*path, "source")),
            )
    trade = briefing.trade
    for index, row in trade.inconsistent_years():
        path: FieldPath = ("trade", "years", index, "turnover")
        yield DataError(
            f"turnover {row.turnover:,.0f} differs from export + import "
            f"{row.export + row.import_:,.0f} by more than the tolerance {trade.tolerance:,.0f}",
            locate_field(path, owners, data_dir),
            format_field_path(path),
        )
    yield from _check_places(briefing, owners, data_dir)
    yield from _check_transport_countries(briefing, owners, data_dir)


def _check_transport_countries(
    briefing: Briefing, owners: dict[str, YamlDocument], data_dir: Path
) -> Iterator[DataError]:
    """transport.yaml's countries are the pair of meta.countries, or a railway party."""
    countries = briefing.meta.countries
    pair = {name for c in countries for name in (c.short, c.name)}
    shown, neither = (f" {word} ".join(c.short for c in countries) for word in ("or", "nor"))
    for path, name in briefing.transport.countries_outside(pair):
        full: FieldPath = ("transport", *path)
        if path == ("railway", "parties"):
            problem = f"the railway's parties ({name}) name neither {neither} (meta.countries)"
        else:
            problem = (
                f"'{name}' is not {shown} (meta.countries), "
                "nor a party to the railway (transport.railway.parties)"
            )
        yield DataError(problem, locate_field(full, owners, data_dir), format_field_path(full))


def _check_places(
    briefing: Briefing, owners: dict[str, YamlDocument], data_dir: Path
) -> Iterator[DataError]:
    """Every port and station the map draws must have coordinates."""
    transport = briefing.transport
    named = [("ferry", "from"), *((("ferry", "to", i)) for i in range(len(transport.ferry.to)))]
    names = [transport.ferry.from_, *transport.ferry.to]
    named += [("railway", "route", i) for i in range(len(transport.railway.route))]
    names += transport.railway.route
    for path, name in zip(named, names, strict=True):
        if transport.place(name) is None:
            full: FieldPath = ("transport", *path)
            yield DataError(
                f"no coordinates for '{name}' (add it to transport.places)",
                locate_field(full, owners, data_dir),
                format_field_path(full),
            )


def _sourced_items(model: BaseModel, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    """Every model below ``model`` that names a source: a ``Sourced`` fact, or one whose
    source is optional (a trade year's own, a point of a section) and given."""
    if isinstance(model, Sourced) or isinstance(getattr(model, "source", None), str):
        yield path, model
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _sourced_items(value, (*path, key))
        elif isinstance(value, (list, dict)):  # a dict: the project's own sections, charts
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for i, item in items:
                if isinstance(item, BaseModel):
                    yield from _sourced_items(item, (*path, key, i))
