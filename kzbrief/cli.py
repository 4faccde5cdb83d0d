"""Command line: parse arguments, call the pipeline, turn errors into messages.

Heavy libraries (matplotlib, WeasyPrint) are imported only by the commands
that need them, so ``--help`` and ``list`` stay instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

# Only what --help needs is imported here (not even typing): start-up time is part
# of the interface.
from . import DEFAULT_VARIANT, PASSWORD_VARIABLE, PDF_VARIANTS, __version__

EXIT_USAGE = 64  # repeated from errors.py, which --help does not import

EXIT_CODES = """exit codes:
  0   success
  1   unexpected internal error (run again with --debug and report it)
  2   the data is invalid (file:line:column: field: problem)
  3   a template is missing or broken
  4   the output folder (or the .kzbrief/ state folder) cannot be written
  5   a PDF exceeds its audience's page budget
  6   warnings under --strict
  7   verify: files differ from the manifest
  8   the signing certificate cannot be used
  64  bad command-line usage (e.g. an unknown audience)
"""
FOLDERS = """folders: flags win over kzbrief.toml in the current folder ([build] data, templates,
output, state), which wins over ./data, ./templates and ./output (else the packaged example data).
The cache and lock live in .kzbrief/ beside kzbrief.toml, else beside the output folder.
"""


def _command(
    commands: argparse._SubParsersAction, name: str, summary: str, text: str
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=summary,
        description=text,
        epilog=FOLDERS + "\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", type=_path, metavar="DIR", help="folder of YAML data")
    parser.add_argument(
        "--config", type=_path, metavar="FILE", help="project config (default: ./kzbrief.toml)"
    )
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )
    return parser


def _path(text: str) -> object:
    from pathlib import Path

    return Path(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzbrief",
        description="Turn YAML data into publication-grade policy briefing PDFs, one per audience.",
        epilog=FOLDERS + "\n" + EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kzbrief {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = _command(
        commands,
        "build",
        "build the briefing PDFs",
        "Build one PDF per audience from the data and templates, "
        "and print the path of each file written.",
    )
    build.add_argument(
        "--templates",
        type=_path,
        metavar="DIR",
        help="your own template folder; its files win over the packaged ones",
    )
    build.add_argument("--output", type=_path, metavar="DIR", help="where to write the PDFs")
    build.add_argument(
        "--audience",
        action="append",
        default=[],
        metavar="ID",
        help="build only this audience (repeatable; default: all)",
    )
    build.add_argument(
        "--html", action="store_true", help="also write the rendered HTML beside each PDF"
    )
    build.add_argument(
        "--pdf-variant",
        choices=PDF_VARIANTS,
        default=DEFAULT_VARIANT,
        metavar="NAME",
        help=f"PDF standard, WeasyPrint's names: {', '.join(PDF_VARIANTS)} "
        f"(default: {DEFAULT_VARIANT}, archival, tagged, with the source YAML attached)",
    )
    build.add_argument(
        "--sign",
        type=_path,
        metavar="CERT.p12",
        help=f"sign each PDF with this PKCS#12 certificate; password from ${PASSWORD_VARIABLE} "
        "or asked for on a terminal",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore the build cache (.kzbrief/cache/) and redo everything",
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="typeset N audiences at once (default: one per CPU core)",
    )
    build.add_argument(
        "--quiet",
        action="store_true",
        help="no progress display (it is off anyway when not a terminal)",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (e.g. a blocked resource) as errors: exit 6, write nothing",
    )

    verify = _command(
        commands,
        "verify",
        "check built files against output/manifest.json",
        "Compare the size and SHA-256 of every file listed in DIR/manifest.json with the "
        "file on disk; report changed, missing and unlisted files (exit 7 if any).",
    )
    verify.add_argument(
        "folder", nargs="?", type=_path, metavar="DIR", help="the output folder (default: ./output)"
    )

    clean = _command(
        commands,
        "clean",
        "remove the build cache",
        "Delete the build cache (.kzbrief/cache/ beside kzbrief.toml or the output folder); "
        "with --all also the built files listed in OUTPUT/manifest.json and the manifest.",
    )
    clean.add_argument("--output", type=_path, metavar="DIR", help="the output folder")
    clean.add_argument("--all", action="store_true", help="also delete the built files")

    _command(
        commands,
        "list",
        "list the audiences",
        "Show each audience with its description, paper size and sections.",
    )

    new = _command(
        commands,
        "new-audience",
        "scaffold a new audience",
        "Write data/audiences/ID.yaml and templates/audiences/ID/ (with a commented "
        "example override). The new audience builds at once.",
    )
    new.add_argument("id", metavar="ID", help="the new audience's id (lower-case, digits, '-')")
    new.add_argument(
        "--from",
        dest="copy_from",
        metavar="EXISTING",
        help="start from a copy of this audience's config and overrides",
    )
    new.add_argument(
        "--templates",
        type=_path,
        metavar="DIR",
        help="template folder to write the override folder into",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors; 2 means bad data here
        return EXIT_USAGE if exc.code else 0
    from .errors import KzbriefError

    try:
        return _run(args)
    except KzbriefError as exc:
        if args.debug:
            raise
        print(describe_failure(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("kzbrief: interrupted; earlier outputs are unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: keep the message short unless asked
        if args.debug:
            raise
        print(f"kzbrief: internal error: {exc!r} (run with --debug for details)", file=sys.stderr)
        return 1


def describe_failure(error: Exception) -> str:
    """Located problems print as file:line:column: field: problem, one per line."""
    problems = getattr(error, "errors", [error])
    lines = [str(p) if p.location else f"kzbrief: error: {p}" for p in problems]
    if len(problems) > 1:
        lines.append(f"kzbrief: {len(problems)} problems found; nothing was written")
    return "\n".join(lines)


def _sign_password() -> bytes | None:
    """The certificate's password: from the environment, else asked for on a terminal."""
    import os

    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE].encode()
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Password for the signing certificate: ").encode() or None
    return None


def _run(args: argparse.Namespace) -> int:
    from .project import CACHE_NAME, resolve_paths

    paths = resolve_paths(
        args.data, getattr(args, "templates", None), getattr(args, "output", None), args.config
    )
    if args.command == "list":
        from .commands.list_audiences import list_audiences

        print(list_audiences(paths.data, paths.state / CACHE_NAME))
    elif args.command == "clean":
        from .publish.files import clean_output

        for line in clean_output(paths.output, paths.state, everything=args.all):
            print(line)
    elif args.command == "verify":
        from .publish.manifest import verify_folder

        report = verify_folder(args.folder or paths.output)
        print("\n".join(report.lines()))
        if report.problems:
            print(f"kzbrief: {report.problems} file(s) do not match the manifest", file=sys.stderr)
            return 7
    elif args.command == "new-audience":
        from .commands.new_audience import create_audience

        for path in create_audience(paths, args.id, args.copy_from):
            print(path)
    else:
        from .build import BuildOptions, build
        from .progress import Progress

        options = BuildOptions(
            data=paths.data,
            output=paths.output,
            templates=paths.templates,
            state=paths.state,
            audiences=args.audience,
            html=args.html,
            strict=args.strict,
            pdf_variant=args.pdf_variant,
            sign_with=args.sign,
            sign_password=_sign_password() if args.sign else None,
            cache=not args.no_cache,
            workers=args.jobs,
            progress=Progress(enabled=False if args.quiet else None),
        )
        for path in build(options):
            print(path)
    return 0
