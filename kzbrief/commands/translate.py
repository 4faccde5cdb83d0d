"""``kzbrief translate status|update|export|import``: the translator's workflow."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from ..data.audiences import languages_of, load_audiences
from ..data.briefing import load_briefing_documents
from ..data.localise import SOURCE_LANGUAGE, all_units
from ..data.translatable import Unit
from ..data.translation_io import (
    export_po,
    export_xliff,
    import_entries,
    read_po_rows,
    read_xliff_rows,
    update,
)
from ..data.translations import load_texts, statuses
from ..errors import DataError, Location, UsageError
from ..language.catalogues import extract, merge_catalogue, message_status
from ..language.current import catalogue_path
from .arguments import project_arguments, project_paths

DESCRIPTION = (
    "The data's translations live in data/i18n/LANG/ (one file per English file, each string "
    "with a fingerprint of the English it translates); the interface words in kzbrief's "
    "gettext catalogues. These commands show what is stale or missing, start and refresh the "
    "files, and exchange them with translators as PO or XLIFF."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status",
        help="per language: ok / stale / missing counts, then each stale or missing string",
        description="Print per language the counts of translated (ok), stale (the English "
        "changed) and missing strings, for the data and the interface, then list each one "
        "that is not ok with the file and line to fix.",
    )
    status.add_argument("languages", nargs="*", metavar="LANG", help="default: every language")
    update = actions.add_parser(
        "update",
        help="add missing entries, mark stale ones (like msgmerge)",
        description="Add an empty entry for each missing string (with the English beside it), "
        "mark each stale one fuzzy with the new English next to the old translation, and drop "
        "entries whose English is gone. The interface catalogue is merged with the messages "
        "extracted from the code and templates too, where it is writable.",
    )
    update.add_argument("language", metavar="LANG")
    export = actions.add_parser(
        "export",
        help="write a language's data strings as one PO or XLIFF file",
        description="Write every data string of LANG for a translator: the English, the "
        "current translation, stale ones marked fuzzy. The interface words are already a PO "
        "file: kzbrief/language/locale/LANG.po.",
    )
    export.add_argument("language", metavar="LANG")
    export.add_argument(
        "--format", choices=("po", "xliff"), default="po", help="PO (default) or XLIFF 1.2"
    )
    export.add_argument(
        "--output", type=Path, metavar="FILE", help="default: LANG.po or LANG.xlf here"
    )
    imported = actions.add_parser(
        "import",
        help="read a translator's PO or XLIFF file back into data/i18n/LANG/",
        description="Lay the translations of a PO (.po) or XLIFF (.xlf, .xliff) file over "
        "data/i18n/LANG/. A string translated from an older English is kept, marked fuzzy.",
    )
    imported.add_argument("language", metavar="LANG")
    imported.add_argument("file", type=Path, metavar="FILE")
    for action in (status, update, export, imported):  # also after the action, as users type it
        action.add_argument(
            "--data",
            type=Path,
            metavar="DIR",
            default=argparse.SUPPRESS,
            help="folder of YAML data",
        )


def run(args: argparse.Namespace) -> int:
    data = project_paths(args).data
    _, documents = load_briefing_documents(data)
    audiences = list(load_audiences(data).values())
    known = [c for c in languages_of(audiences) if c != SOURCE_LANGUAGE]
    asked = args.languages if args.action == "status" else [args.language]
    for code in asked:
        if code not in known:
            raise UsageError(
                f"no audience is read in {code!r} (translated languages: {', '.join(known)})",
                field="LANG",
            )
    languages = asked or known

    def units(code: str) -> list[Unit]:
        return all_units(data, documents, audiences, code)

    if args.action == "status":
        _status(data, languages, units)
    elif args.action == "update":
        _update(data, args.language, units(args.language))
    elif args.action == "export":
        texts = load_texts(data, args.language)
        exporter = export_po if args.format == "po" else export_xliff
        suffix = "po" if args.format == "po" else "xlf"
        target = args.output or Path(f"{args.language}.{suffix}")
        target.write_bytes(exporter(units(args.language), texts))
        print(f"wrote {target}: {len(units(args.language))} strings")
    else:
        _import(data, args.language, args.file, units(args.language))
    return 0


def _status(data: Path, languages: list[str], units: Callable[[str], list[Unit]]) -> None:
    template = extract()
    details = []
    for code in languages:
        texts = load_texts(data, code)
        found = statuses(units(code), texts)
        counts = {
            state: [s for s in found if s.state == state] for state in ("ok", "stale", "missing")
        }
        messages = message_status(code, template)
        kind = "reviewed" if texts.reviewed else "draft"
        print(
            f"{code}  data: {len(counts['ok'])} ok, {len(counts['stale'])} stale, "
            f"{len(counts['missing'])} missing   interface: {len(messages.ok)} ok, "
            f"{len(messages.stale)} stale, {len(messages.missing)} missing   ({kind})"
        )
        for state in ("stale", "missing"):
            details += [f"{code}  {state:<8}{s.where}  {s.unit.key}" for s in counts[state]]
        where = Location(catalogue_path(code))
        details += [f"{code}  stale   {where}  {m!r}" for m in messages.stale]
        details += [f"{code}  missing {where}  {m!r}" for m in messages.missing]
    if details:
        print()
        print("\n".join(details))


def _update(data: Path, language: str, units: list[Unit]) -> None:
    counts = update(units, load_texts(data, language))
    print(
        f"{language}: {counts.added} entries added, {counts.marked} marked stale, "
        f"{counts.removed} removed, in {data / 'i18n' / language}"
    )
    path = catalogue_path(language)
    if os.access(path.parent, os.W_OK):
        merge_catalogue(language)
        print(f"{language}: interface catalogue merged: {path}")
    else:  # an installed package: the catalogue is kzbrief's, updated with its releases
        print(f"{language}: interface catalogue not writable, left as it is: {path}")


def _import(data: Path, language: str, file: Path, units: list[Unit]) -> None:
    if not file.is_file():
        raise DataError("file not found", Location(file))
    if file.suffix == ".po":
        rows = read_po_rows(file)
    elif file.suffix in (".xlf", ".xliff"):
        rows = read_xliff_rows(file)
    else:
        raise UsageError(f"{file.name}: expected a .po, .xlf or .xliff file", field="FILE")
    counts = import_entries(units, load_texts(data, language), rows, file)
    print(f"{language}: {counts.added} strings imported, {counts.marked} of them marked stale")
