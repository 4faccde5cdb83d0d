"""The command line beyond build: distribution (issue, register, trace, send, publish),
preview, and init, which starts a project (cli.py adds them).

Apart from cli.py so that neither grows past a screenful; like cli.py it imports
nothing but argparse, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from . import PASSWORD_VARIABLE

Make = Callable[[argparse._SubParsersAction, str, str, str], argparse.ArgumentParser]
REGISTER_HELP = "the copy register (default: distribution/register.sqlite beside kzbrief.toml)"
# The project folders several commands take: flag -> (metavar, help).
FOLDERS = {
    "templates": ("DIR", "your own template folder"),
    "output": ("DIR", "the output folder"),
    "register": ("FILE", REGISTER_HELP),
}


def _folders(parser: argparse.ArgumentParser, path: Callable[[str], object], *names: str) -> None:
    for name in names:
        metavar, text = FOLDERS[name]
        parser.add_argument(f"--{name}", type=path, metavar=metavar, help=text)


def add_distribution_commands(
    commands: argparse._SubParsersAction, make: Make, path: Callable[[str], object]
) -> None:
    issue = make(
        commands,
        "issue",
        "write a numbered copy of the current edition for each recipient",
        "Build what is stale (from the cache), then stamp one numbered copy of the current "
        "edition (meta.edition in data/meta.yaml) per recipient of data/recipients.yaml: a "
        "visible line on every page (copy number, edition id, recipient, date), an invisible "
        "copy id, and the audience's watermark if it has one. Copies go to "
        "OUTPUT/copies/EDITION/AUDIENCE/ and into the register. Issuing again changes nothing "
        "for a recipient who holds the edition's copy; a missing copy file is made again, "
        "byte for byte. A changed name or organisation gives a corrected copy (new number, "
        "the old one superseded); a new edition supersedes the recipient's unsent older "
        "copies. Revoked recipients are skipped. Copies of an edition id issued from other "
        "data are refused (exit 2): give the new edition its own id.",
    )
    issue.add_argument(
        "--recipient",
        action="append",
        default=[],
        metavar="ID",
        help="issue only to this recipient (repeatable; default: all)",
    )
    issue.add_argument(
        "--audience",
        action="append",
        default=[],
        metavar="ID",
        help="issue only to recipients of this audience (repeatable)",
    )
    change = issue.add_mutually_exclusive_group()
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
    issue.add_argument(
        "--edition", metavar="ID", help="with --revoke-copy: the edition id (e.g. 2026-11-27.2)"
    )
    issue.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (e.g. a new id with the address of one no longer listed) as "
        "errors: exit 6, nothing issued",
    )
    issue.add_argument(
        "--sign",
        type=path,
        metavar="CERT.p12",
        help=f"sign each copy after stamping; password from ${PASSWORD_VARIABLE}",
    )
    _folders(issue, path, "templates", "output", "register")

    register = make(
        commands,
        "register",
        "show the register of issued copies",
        "Print every copy issued: number, edition, audience, language, recipient, "
        "organisation, issue time, status and file; as a table, or as CSV with --csv.",
    )
    register.add_argument(
        "--edition",
        metavar="ID",
        help="only copies of this edition, by its id (2026-11-27 is the first edition of "
        "that day, 2026-11-27.2 the second; kzbrief editions lists them)",
    )
    register.add_argument("--csv", action="store_true", help="CSV for the office's own records")
    _folders(register, path, "register", "output")

    editions = make(
        commands,
        "editions",
        "list every edition: id, date, data, files built, copies",
        "Print each edition recorded in the register, oldest first: its id, date, the "
        "checksum of the data it was built from, the editions built of it (audience x "
        "language), and its copies issued, sent, superseded and revoked. The current edition "
        "(meta.edition in data/meta.yaml) is marked; with --json, one JSON document.",
    )
    editions.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _folders(editions, path, "register")

    trace = make(
        commands,
        "trace",
        "say whose copy a PDF is, page by page",
        "Find the copies FILE's pages come from: by the copy ids kzbrief hides in it (page "
        "marks, XMP metadata, document ID), so a re-saved copy or one put together from pages "
        "of several copies is still found, each with its pages; where the hidden ids are gone, "
        "by the visible foot line (Copy N · Edition ID) read from the page text, and said so. "
        "Prints each copy's number, edition, audience, recipient, issue date and status from "
        "the register. A scan or image has no text: its foot line must be read by eye. Exit "
        "10 if a copy found is not in the register, or none is; exit 13 if FILE is missing, "
        "a folder, or not a readable PDF.",
    )
    trace.add_argument("file", type=path, metavar="FILE.pdf", help="the PDF to trace")
    _folders(trace, path, "register", "output")

    send = make(
        commands,
        "send",
        "e-mail each issued copy to its recipient",
        "Send every issued copy not yet sent to its own recipient (the address in "
        "data/recipients.yaml), one message each, subject and body from the email/ templates, "
        "the copy attached. Server in kzbrief.toml [smtp], sender in [send]; password from "
        "$KZBRIEF_SMTP_PASSWORD or asked for. The register records each message as sent or "
        "failed; a second run sends only what is left. Exit 12 if the server refused any.",
    )
    send.add_argument(
        "--dry-run",
        action="store_true",
        help="send nothing: write each message as an .eml file into outbox/ "
        "beside the output folder",
    )
    send.add_argument(
        "--recipient",
        action="append",
        default=[],
        metavar="ID",
        help="send only this recipient's copies (repeatable)",
    )
    _folders(send, path, "templates", "output", "register")

    publish = make(
        commands,
        "publish",
        "write the public web site: index page, feed and public editions",
        "Build what is stale of the audiences marked 'public: true' (PDF and web edition), "
        "then write a static site: index.html (cover thumbnail, language, pages, size, "
        "SHA-256 and links for each public edition), an Atom feed (feed.xml) and the files. "
        "Restricted editions and copies never reach it. The folder is kzbrief's: files of an "
        "earlier site that are no longer public are removed.",
    )
    publish.add_argument(
        "--site",
        type=path,
        metavar="DIR",
        help="where to write the site (default: site/ beside the output folder; never inside it)",
    )
    _folders(publish, path, "templates", "output")

    preview = make(
        commands,
        "preview",
        "show the editions in the browser, rebuilt as you edit",
        "Serve each edition's pages on 127.0.0.1 (default port 8765, or the next free one) "
        "and rebuild through the cache whenever data/, a template folder or kzbrief.toml "
        "changes; open pages reload by themselves and show build errors as the CLI prints "
        "them, above the last good pages. Ctrl-C stops it.",
    )
    preview.add_argument(
        "--audience",
        action="append",
        default=[],
        metavar="ID",
        help="preview only this audience (repeatable; default: all)",
    )
    preview.add_argument(
        "--language",
        default="",
        metavar="CODE",
        help="preview the editions in this language (default: each audience's first language)",
    )
    preview.add_argument(
        "--port", type=int, default=8765, metavar="N", help="the port to try first (default: 8765)"
    )
    preview.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="ADDRESS",
        help="listen on this address (default: 127.0.0.1; anything else is "
        "reachable from the network, and says so)",
    )
    preview.add_argument("--open", action="store_true", help="open the preview in a browser")
    _folders(preview, path, "templates", "output")


def add_init_command(
    commands: argparse._SubParsersAction, path: Callable[[str], object], epilog: str
) -> None:
    """``init`` has none of the folder options: it makes the folders."""
    init = commands.add_parser(
        "init",
        help="start a new project folder",
        description="Create DIR with kzbrief.toml, data/ (the Kazakhstan–Iran example, or "
        "with --blank a commented skeleton), templates/ (empty, with a README), output/, "
        ".gitignore and a README; kzbrief build inside it builds it at once.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("folder", type=path, metavar="DIR", help="the new project's folder")
    kind = init.add_mutually_exclusive_group()
    kind.add_argument(
        "--example", action="store_true", help="start from the example briefing (the default)"
    )
    kind.add_argument(
        "--blank", action="store_true", help="start from a skeleton whose files explain each field"
    )
    init.add_argument(
        "--force",
        action="store_true",
        help="use a folder that is not empty: add the missing files, overwrite none",
    )
    init.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )


COMMANDS = {
    "preview": "preview",
    "issue": "issue",
    "register": "show_register",
    "editions": "editions",
    "trace": "trace",
    "send": "send",
    "publish": "publish",
}
