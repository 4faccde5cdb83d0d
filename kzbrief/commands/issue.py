"""``kzbrief issue``: build what is stale, then one numbered copy per recipient."""

from __future__ import annotations

import argparse

from ..distribute.copies import IssueReport, Recipient, issue_copies, revoke_copies
from ..distribute.register import timestamp
from ..publish.sign import load_signer, sign_pdf
from . import project_paths
from .build import build_stale, sign_password


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    if args.revoke:
        for record in revoke_copies(paths.register, args.revoke, timestamp()):
            print(
                f"revoked   copy {record.number} of {record.audience}/{record.language} "
                f"({record.edition_date}) issued to {record.recipient_id}"
            )
        return 0
    # lazy: pydantic, which --revoke does not need
    from ..data.audiences import load_audiences, select_audiences
    from ..data.briefing import load_briefing
    from ..data.recipients import load_recipients, select_recipients

    audiences = load_audiences(paths.data)
    select_audiences(audiences, args.audience)  # an unknown --audience is a usage error
    listed = load_recipients(paths.data, audiences)
    chosen = select_recipients(listed, args.recipient, args.audience)
    signer = load_signer(args.sign, sign_password()) if args.sign else None
    needed = sorted({r.audience for r in chosen})
    if needed:
        build_stale(paths, needed, ("pdf",))
    title = load_briefing(paths.data).meta.title
    recipients = [
        Recipient(
            r.id,
            r.name,
            r.organisation,
            r.audience,
            r.edition_language(audiences[r.audience]),
            audiences[r.audience].watermark,
        )
        for r in chosen
    ]
    sign = (lambda pdf: sign_pdf(pdf, signer, title)) if signer else None
    report = issue_copies(recipients, paths.output, paths.state, paths.register, sign)
    _print(report, paths.output)
    return 0


def _print(report: IssueReport, output: object) -> None:
    for word, records in (("issued", report.issued), ("unchanged", report.kept)):
        for r in records:
            print(
                f"{word:<10}copy {r.number:<4}{r.audience}/{r.language}  {r.recipient_id}  "
                f"{output}/{r.file}"
            )
    for r in report.revoked:
        print(
            f"{'revoked':<10}copy {r.number:<4}{r.audience}/{r.language}  {r.recipient_id}  "
            "(not issued again)"
        )
