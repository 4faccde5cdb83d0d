"""``kzbrief translate``: the translator's commands (cli.py adds them). Like cli.py it imports
nothing but argparse, so ``--help`` stays instant."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .cli_distribution import Make


def add_translate_command(
    commands: argparse._SubParsersAction, make: Make, path: Callable[[str], object]
) -> None:
    translate = make(
        commands,
        "translate",
        "see and update the kk, ru and fa translations",
        "The data's translations live in data/i18n/LANG/ (one file per English file, each "
        "string with a fingerprint of the English it translates); the interface words in "
        "kzbrief's gettext catalogues. These commands show what is stale or missing, start "
        "and refresh the files, and exchange them with translators as PO or XLIFF.",
    )
    actions = translate.add_subparsers(dest="action", metavar="ACTION", required=True)
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
        "--output", type=path, metavar="FILE", help="default: LANG.po or LANG.xlf here"
    )
    imported = actions.add_parser(
        "import",
        help="read a translator's PO or XLIFF file back into data/i18n/LANG/",
        description="Lay the translations of a PO (.po) or XLIFF (.xlf, .xliff) file over "
        "data/i18n/LANG/. A string translated from an older English is kept, marked fuzzy.",
    )
    imported.add_argument("language", metavar="LANG")
    imported.add_argument("file", type=path, metavar="FILE")
    for action in (status, update, export, imported):  # also after the action, as users type it
        action.add_argument(
            "--data",
            type=path,
            metavar="DIR",
            default=argparse.SUPPRESS,
            help="folder of YAML data",
        )
