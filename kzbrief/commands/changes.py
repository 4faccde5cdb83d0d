"""``kzbrief changes [--since EDITION_ID|FILE.pdf] [--format text|json]``: what changed since
an earlier edition, as the summary page of the current one lists it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from ..data.audiences import load_audiences
from ..data.briefing import load_briefing_documents
from ..data.changes import PreviousData, edition_changes, read_previous
from ..data.localise import localise
from ..errors import DataError, Location, UsageError
from ..register_address import RegisterAddress, register_exists
from .arguments import folder_arguments, project_arguments, project_paths

DESCRIPTION = (
    "Compare the current data with an earlier edition's and print what changed: figures "
    "(old -> new, with their units), years, milestones, railway sections, dates, bodies, "
    "sources, and the sections whose text was revised; the list a later edition prints on its "
    "summary page. The earlier edition's data comes from the register (the edition issued "
    "before this one, by default, or --since ID) or from the YAML files attached to one of its "
    "PDFs (--since FILE.pdf); never from git. Nothing changed: says so, exit 0. An unknown "
    "edition id, no previous edition or an unreadable PDF: exit 64; invalid data in the "
    "earlier edition: exit 2."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument(
        "--since",
        metavar="EDITION_ID|FILE.pdf",
        help="the earlier edition: its id in the register (2026-11-27, 2026-11-27.2) or one of "
        "its PDFs (default: the edition before this one in the register)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or JSON"
    )
    parser.add_argument(
        "--language",
        default="en",
        metavar="LANG",
        help="the language to compare and write the list in (default: en); a PDF given to "
        "--since carries its own language's translations",
    )
    folder_arguments(parser, "register")


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    briefing, documents = load_briefing_documents(paths.data)
    audiences = list(load_audiences(paths.data).values())
    current = localise(paths.data, briefing, documents, audiences, args.language)
    since = args.since
    if since is not None and since.lower().endswith(".pdf"):
        previous = read_previous(pdf_data(Path(since)))
        since_id, since_date = previous.briefing.meta.edition_id, previous.briefing.meta.edition
    else:
        since_id, since_date, previous = _from_register(
            paths.register, briefing.meta.edition_id, since
        )
    changes = edition_changes(previous, current, since_id, since_date)
    if args.format == "json":
        print(json.dumps(changes.as_json(), ensure_ascii=False, indent=2))
    elif not changes:
        print(changes.nothing_changed())
    else:
        print(changes.heading())
        print("\n".join(changes.lines()))
    return 0


def pdf_data(path: Path) -> dict[str, bytes]:
    """The YAML files attached to an edition's PDF, by their data-relative names."""
    import pikepdf  # lazy: only a PDF given to --since needs it

    try:
        with pikepdf.open(path) as pdf:
            files = {
                name: attached.get_file().read_bytes()
                for name, attached in pdf.attachments.items()
                if name.endswith(".yaml")
            }
    except FileNotFoundError:
        raise UsageError("file not found", Location(path), "--since") from None
    except (OSError, pikepdf.PdfError) as exc:
        reason = getattr(exc, "strerror", None) or "not a readable PDF"
        raise UsageError(f"cannot read the PDF ({reason})", Location(path), "--since") from None
    if "meta.yaml" not in files:
        raise UsageError(
            "the PDF carries no briefing data (no meta.yaml attached): it is not a kzbrief "
            "edition, or it was stripped of its attachments",
            Location(path),
            "--since",
        )
    return files


def _from_register(
    register_path: RegisterAddress, current_id: str, since: str | None
) -> tuple[str, dt.date, PreviousData]:
    """The earlier edition recorded in the register: ``since``, else the one before this."""
    from ..distribute.register import Register  # lazy: SQLite, only without a PDF

    if not register_exists(register_path):
        raise UsageError(
            f"no register at {register_path}: no edition has been recorded (give --since "
            "FILE.pdf to compare with an edition's PDF)",
            field="--since",
        )
    with Register(register_path, create=False) as register:
        if since is not None:
            record = register.edition(since)
            if record is None:
                known = ", ".join(e.edition_id for e in register.editions()) or "none"
                raise UsageError(
                    f"no edition {since!r} in the register (recorded: {known})", field="--since"
                )
        else:
            record = register.previous_edition(current_id)
            if record is None:
                raise UsageError(
                    f"no edition before {current_id} in the register: this is the first "
                    "(give --since to compare with another)",
                    field="--since",
                )
        files = register.edition_data(record.edition_id)
    if not files:
        raise DataError(f"the register kept no data for edition {record.edition_id}")
    return record.edition_id, dt.date.fromisoformat(record.date), read_previous(files)
