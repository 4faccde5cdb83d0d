"""``kzbrief send``: e-mail every issued, unsent copy to its own recipient."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..distribute.ledger import changes_for_copy
from ..distribute.mail import PASSWORD_VARIABLE, compose, load_mail_settings
from ..distribute.register import Register, timestamp
from ..distribute.send import (
    SendReport,
    choose_unsent,
    letter_for,
    open_copy,
    send_all,
    write_drafts,
)
from ..errors import NotSentError, UsageError
from ..project import CONFIG_NAME, PACKAGED_TEMPLATES, find_config
from ..render.environment import TemplateStack
from .arguments import folder_arguments, project_arguments, project_paths

if TYPE_CHECKING:
    from ..data.models import Meta

DESCRIPTION = (
    "Send every issued copy not yet sent to its own recipient (the address in "
    "data/recipients.yaml), one message each, subject and body from the email/ templates in the "
    "copy's language, the copy attached. Server in kzbrief.toml [smtp], sender in [send]; "
    "password from $KZBRIEF_SMTP_PASSWORD or asked for. The register records each message as "
    "sent or failed; a second run sends only what is left. Exit 12 if the server refused any."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="send nothing: write each message as an .eml file into outbox/ "
        "beside the output folder",
    )
    parser.add_argument(
        "--recipient",
        action="append",
        default=[],
        metavar="ID",
        help="send only this recipient's copies (repeatable)",
    )
    folder_arguments(parser, "templates", "output", "register")


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    settings = load_mail_settings(args.config or find_config() or Path(CONFIG_NAME))
    # lazy: pydantic
    from ..data.audiences import load_audiences
    from ..data.briefing import load_briefing_documents
    from ..data.localise import localise
    from ..data.recipients import load_recipients, select_recipients

    listed = load_recipients(paths.data, load_audiences(paths.data))
    people = {r.id: r for r in select_recipients(listed, args.recipient, [])}
    briefing, documents = load_briefing_documents(paths.data)

    @functools.cache  # each language's translation is read once
    def meta_in(language: str) -> Meta:
        return localise(paths.data, briefing, documents, [], language).briefing.meta

    report = SendReport()
    with Register(paths.register, create=False) as register:
        messages = []
        changes: dict[tuple[str, str], object] = {}  # what changed, per edition and language
        chosen, report.skipped = choose_unsent(register, args.recipient)
        for record in chosen:
            person = people.get(record.recipient_id)
            if person is None or not person.email:
                report.skipped.append((record, "no e-mail address in recipients.yaml"))
                continue
            content = open_copy(record, paths.output)
            stack = TemplateStack.for_audience(PACKAGED_TEMPLATES, record.audience, paths.templates)
            try:
                if isinstance(content, str):
                    raise ValueError(content)
                meta = meta_in(record.language)  # the title as the copy's edition has it
                letter = letter_for(record, person.email, meta.title, meta.organisation, content)
                key = (record.edition_id, record.language)  # the same few lines for each
                if key not in changes:
                    changes[key] = changes_for_copy(register, *key)
                letter = dataclasses.replace(letter, changes=changes[key])
                messages.append((record, compose(letter, settings, stack)))
            except ValueError as exc:  # e.g. a line break that would have become a header
                report.failed.append((record, f"not sent: {exc}"))
                if not args.dry_run:
                    register.set_status(record.copy_id, "failed", timestamp(), f"not sent: {exc}")
        if args.dry_run:
            report.drafts = write_drafts(messages, paths.output.absolute().parent / "outbox")
        elif messages:
            send_all(
                messages, settings, lambda: _password(settings.smtp.username), register, report
            )
    return _summary(report)


def _password(username: str | None) -> str | None:
    if username is None:
        return None
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE]
    if sys.stdin.isatty():
        return getpass.getpass(f"SMTP password for {username}: ")
    raise UsageError(f"[smtp] username is set: give the password in ${PASSWORD_VARIABLE}")


def _summary(report: SendReport) -> int:
    for r in report.sent:
        print(f"sent      copy {r.number:<4}{r.audience}/{r.language}  {r.recipient_id}")
    for path in report.drafts:
        print(f"draft     {path}")
    for r, why in report.failed:
        print(f"failed    copy {r.number:<4}{r.audience}/{r.language}  {r.recipient_id}: {why}")
    for r, why in report.skipped:
        print(f"skipped   copy {r.number:<4}{r.audience}/{r.language}  {r.recipient_id}: {why}")
    if report.failed:
        raise NotSentError(
            f"{len(report.sent)} sent, {len(report.failed)} failed: see kzbrief register"
        )
    if report.drafts:
        print(f"{len(report.drafts)} message(s) written for review; nothing was sent")
    else:
        print(
            f"{len(report.sent)} sent"
            + (f", {len(report.skipped)} skipped" if report.skipped else "")
        )
    return 0
