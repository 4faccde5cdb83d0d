"""``kzbrief issue``: build what is stale, then one numbered copy per recipient; or change
who receives what (--revoke, --reinstate, --revoke-copy, --rename)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import PASSWORD_VARIABLE
from ..distribute.copies import IssueReport, Recipient, issue_copies
from ..distribute.ledger import reused_id_problem
from ..distribute.revocation import (
    reinstate_recipient,
    rename_recipient,
    renamed_warnings,
    revoke_copy,
    revoke_recipient,
)
from ..errors import Location, StrictError, UsageError
from ..formats.sign import load_signer, sign_pdf
from ..log import warn
from ..project import ProjectPaths
from ..publish.manifest import data_files
from .arguments import folder_arguments, project_arguments, project_paths
from .build import build_stale, sign_password

DESCRIPTION = (
    "Build what is stale of the editions the copies are made from (from the cache), then stamp "
    "one numbered copy of the current edition (meta.edition in data/meta.yaml) per recipient "
    "of data/recipients.yaml: a visible line on every page (copy number, edition id, "
    "recipient, date), an invisible copy id, and the audience's watermark if it has one. "
    "Copies go to OUTPUT/copies/EDITION/AUDIENCE/ and into the register. Issuing again changes "
    "nothing for a recipient who holds the edition's copy; a missing copy file is made again, "
    "byte for byte. A changed name or organisation gives a corrected copy (new number, the old "
    "one superseded); a new edition supersedes the recipient's unsent older copies. Revoked "
    "recipients are skipped. Copies of an edition id issued from other data are refused "
    "(exit 2): give the new edition its own id."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument(
        "--recipient",
        action="append",
        default=[],
        metavar="ID",
        help="issue only to this recipient (repeatable; default: all)",
    )
    parser.add_argument(
        "--audience",
        action="append",
        default=[],
        metavar="ID",
        help="issue only to recipients of this audience (repeatable)",
    )
    change = parser.add_mutually_exclusive_group()
    change.add_argument(
        "--revoke",
        metavar="RECIPIENT",
        help="revoke this recipient for this and every later edition (their copies are "
        "marked revoked, nothing is deleted), and stop",
    )
    change.add_argument(
        "--reinstate",
        metavar="RECIPIENT",
        help="end a revocation: the next issue gives the recipient the current edition",
    )
    change.add_argument(
        "--revoke-copy",
        type=int,
        metavar="N",
        help="revoke copy N (of the newest edition that has one, or of --edition), and stop",
    )
    change.add_argument(
        "--rename",
        nargs=2,
        metavar=("OLD", "NEW"),
        help="a recipient's id changed in recipients.yaml: carry OLD's copies and history "
        "over to NEW, and stop",
    )
    parser.add_argument(
        "--edition", metavar="ID", help="with --revoke-copy: the edition id (e.g. 2026-11-27.2)"
    )
    parser.add_argument(
        "--format",
        default="pdf",
        help="the copies' format: pdf, the only one (a Word file is trivially edited, so "
        "kzbrief never issues one as a numbered copy)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (e.g. a new id with the address of one no longer listed) as "
        "errors: exit 6, nothing issued",
    )
    parser.add_argument(
        "--sign",
        type=Path,
        metavar="CERT.p12",
        help=f"sign each copy after stamping; password from ${PASSWORD_VARIABLE}",
    )
    folder_arguments(parser, "templates", "output", "register")


def run(args: argparse.Namespace) -> int:
    if args.format != "pdf":
        # docs/guides/formats.md: a .docx and its copy marks are trivially edited, so untraceable
        raise UsageError(
            f"copies are issued as PDF only, not {args.format}: a Word document and its copy "
            "marks are trivially edited (send the Word edition from the output folder as a draft)",
            field="--format",
        )
    paths = project_paths(args)
    if args.revoke_copy is not None:
        record = revoke_copy(paths.register, args.revoke_copy, args.edition)
        print(
            f"revoked   copy {record.number} of edition {record.edition_id} "
            f"({record.audience}/{record.language}) issued to {record.recipient_id}"
        )
        return 0
    if args.reinstate:
        reinstate_recipient(paths.register, args.reinstate)
        print(f"reinstated {args.reinstate}: the next issue gives them the current edition")
        return 0
    if args.rename:
        old, new = args.rename
        moved = rename_recipient(paths.register, old, new)
        print(f"renamed   {old} -> {new} ({moved} cop{'y' if moved == 1 else 'ies'} carried over)")
        return 0
    # lazy: pydantic, which the commands above do not need
    from ..data.audiences import load_audiences, select_audiences
    from ..data.briefing import load_briefing_documents
    from ..data.recipients import (
        load_recipients,
        marking_warnings,
        read_recipients,
        recipient_locations,
        select_recipients,
    )

    audiences = load_audiences(paths.data)
    document = read_recipients(paths.data)  # once: the checks, then warnings pointing into it
    listed = load_recipients(paths.data, audiences, document)
    if args.revoke:
        people = {r.id: (r.name, r.organisation, r.email or "") for r in listed}
        for record in revoke_recipient(paths.register, args.revoke, people):
            print(
                f"revoked   copy {record.number} of edition {record.edition_id} "
                f"({record.audience}/{record.language}) issued to {record.recipient_id}"
            )
        print(f"{args.revoke} is revoked for this and every later edition")
        return 0
    select_audiences(audiences, args.audience)  # an unknown --audience is a usage error
    chosen = select_recipients(listed, args.recipient, args.audience)
    warnings = renamed_warnings(paths.register, listed, recipient_locations(document), paths.data)
    warnings += marking_warnings(document, listed, chosen)
    for warning in warnings:
        warn(warning)
    if warnings and args.strict:
        raise StrictError(
            f"{len(warnings)} warning(s) and --strict is on; nothing was issued",
            Location(paths.data / "recipients.yaml"),
        )
    briefing, documents = load_briefing_documents(paths.data)
    meta = briefing.meta
    problem = reused_id_problem(paths.register, meta.edition_id, paths.data, data_files(paths.data))
    if problem is not None:
        raise problem
    signer = load_signer(args.sign, sign_password()) if args.sign else None
    needed = sorted({r.audience for r in chosen})
    if needed:
        # only the languages the copies are in: a Persian edition no recipient reads is not
        # typeset for an issue (`build` makes every edition)
        wanted = {r.edition_language(audiences[r.audience]) for r in chosen}
        build_stale(paths, needed, ("pdf",), tuple(sorted(wanted)))
    watermarks = _watermarks(paths, briefing, documents, audiences, chosen)
    recipients = [
        Recipient(
            r.id,
            r.name,
            r.organisation,
            r.audience,
            r.edition_language(audiences[r.audience]),
            watermarks[r.audience, r.edition_language(audiences[r.audience])],
            r.email or "",
        )
        for r in chosen
    ]
    sign = (lambda pdf: sign_pdf(pdf, signer, meta.title)) if signer else None
    report = issue_copies(
        recipients, meta.edition_id, paths.output, paths.state, paths.register, sign
    )
    _print(report, paths.output, meta.edition_id)
    return 0


def _watermarks(
    paths: ProjectPaths, briefing: object, documents: list, audiences: dict, chosen: list
) -> dict[tuple[str, str], str | None]:
    """Each audience's watermark in each language its copies are issued in (translated like
    the rest of the audience's words, data/i18n/LANG/audiences/)."""
    from ..data.localise import localise  # lazy: pydantic, as above

    keys = {(r.audience, r.edition_language(audiences[r.audience])) for r in chosen}
    needed = {language for audience, language in keys if audiences[audience].watermark}
    local = {
        language: localise(paths.data, briefing, documents, list(audiences.values()), language)
        for language in sorted(needed)
    }
    return {
        (audience, language): (
            local[language].audiences[audience].watermark if language in local else None
        )
        for audience, language in keys
    }


def _print(report: IssueReport, output: object, edition_id: str) -> None:
    def line(word: str, r: object, tail: str) -> None:
        print(f"{word:<11}copy {r.number:<4}{r.audience}/{r.language}  {r.recipient_id}  {tail}")

    for r in report.issued:
        line("issued", r, f"{output}/{r.file}")
    for r, why in report.corrected:
        line("reissued", r, f"{output}/{r.file} ({why})")
    for r in report.restored:
        line("restored", r, f"{output}/{r.file} (made again, the bytes recorded)")
    for r in report.kept:
        line("unchanged", r, f"{output}/{r.file}")
    for r, why in report.superseded:
        line("superseded", r, f"(edition {r.edition_id}: {why})")
    for recipient, why in report.skipped:
        print(f"{'skipped':<11}{recipient.id}: {why}")
    made = len(report.issued) + len(report.corrected)
    print(
        f"edition {edition_id}: {made} new, {len(report.restored)} restored, "
        f"{len(report.kept)} unchanged, {len(report.skipped)} skipped"
    )
