"""``kzbrief build``: each audience's editions; prints the path of each file written."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from .. import DEFAULT_FORMATS, DEFAULT_VARIANT, FORMATS, PASSWORD_VARIABLE, PDF_VARIANTS
from ..build import BuildOptions, build, build_with_report
from ..charts.project import read_project_charts
from ..edition import parse_formats
from ..options import BuildReport
from ..progress import Progress
from ..project import ProjectPaths
from .arguments import project_arguments, project_paths

DESCRIPTION = (
    "Build each audience's editions (one per format asked for) from the data and templates, "
    "and print the path of each file written."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="your own template folder; its files win over the packaged ones",
    )
    parser.add_argument("--output", type=Path, metavar="DIR", help="where to write the PDFs")
    parser.add_argument(
        "--audience",
        action="append",
        default=[],
        metavar="ID",
        help="build only this audience (repeatable; default: all)",
    )
    parser.add_argument(
        "--language",
        default="",
        metavar="LIST",
        help="build only the editions in these languages, comma-separated, e.g. ru,kk "
        "(default: every language each audience lists)",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        default=",".join(DEFAULT_FORMATS),
        metavar="LIST",
        help="the formats to write, comma-separated (default: pdf): "
        + "; ".join(f"{name}: {text}" for name, text in FORMATS.items()),
    )
    parser.add_argument(
        "--html",
        action="store_true",
        help="the same as --format pdf,html (kept for existing scripts)",
    )
    parser.add_argument(
        "--pdf-variant",
        choices=PDF_VARIANTS,
        default=DEFAULT_VARIANT,
        metavar="NAME",
        help=f"PDF standard, WeasyPrint's names: {', '.join(PDF_VARIANTS)} "
        f"(default: {DEFAULT_VARIANT}, archival, tagged, with the source YAML attached)",
    )
    parser.add_argument(
        "--sign",
        type=Path,
        metavar="CERT.p12",
        help=f"sign each PDF with this PKCS#12 certificate; password from ${PASSWORD_VARIABLE} "
        "or asked for on a terminal",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore the build cache (.kzbrief/cache/) and redo everything",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="typeset N editions at once (default: one per CPU core; 1: no worker processes)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="no progress display (it is off anyway when not a terminal)",
    )
    parser.add_argument(
        "--timings",
        action="store_true",
        help="after the build, print each PDF's typesetting CPU time and pages to stderr",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (e.g. a blocked resource) as errors: exit 6, write nothing",
    )


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    options = BuildOptions(
        data=paths.data,
        output=paths.output,
        templates=paths.templates,
        state=paths.state,
        register=paths.register,
        charts=read_project_charts(paths.config),
        audiences=args.audience,
        formats=parse_formats(args.formats + (",html" if args.html else "")),
        languages=tuple(code.strip() for code in args.language.split(",") if code.strip()),
        strict=args.strict,
        pdf_variant=args.pdf_variant,
        sign_with=args.sign,
        sign_password=sign_password() if args.sign else None,
        cache=not args.no_cache,
        workers=args.jobs,
        progress=Progress(enabled=False if args.quiet else None),
    )
    report = build_with_report(options)
    for path in report.written:
        print(path)
    if args.timings:
        print_timings(report)
    return 0


def print_timings(report: BuildReport) -> None:
    """Each PDF typeset by this build: pages, CPU seconds, CPU per page (to stderr)."""
    if not report.typeset_cpu:
        print("kzbrief: timings: no PDF was typeset (all up to date)", file=sys.stderr)
        return
    print(f"{'edition':<24} {'pages':>5} {'CPU s':>7} {'CPU s/page':>10}", file=sys.stderr)
    for who, (pages, cpu) in report.typeset_cpu.items():
        print(f"{who:<24} {pages:>5} {cpu:>7.2f} {cpu / pages:>10.3f}", file=sys.stderr)
    pages = sum(p for p, _ in report.typeset_cpu.values())
    cpu = sum(c for _, c in report.typeset_cpu.values())
    print(f"{'all':<24} {pages:>5} {cpu:>7.2f} {cpu / pages:>10.3f}", file=sys.stderr)


def quiet_options(
    paths: ProjectPaths,
    audiences: list[str],
    formats: tuple[str, ...],
    languages: tuple[str, ...] = (),
) -> BuildOptions:
    """A build of these editions (in ``languages``, or all of theirs) with the project's
    folders and no progress display."""
    return BuildOptions(
        data=paths.data,
        output=paths.output,
        templates=paths.templates,
        state=paths.state,
        register=paths.register,
        charts=read_project_charts(paths.config),
        audiences=audiences,
        formats=formats,
        languages=languages,
        progress=Progress(enabled=False),
    )


def build_stale(
    paths: ProjectPaths,
    audiences: list[str],
    formats: tuple[str, ...],
    languages: tuple[str, ...] = (),
) -> None:
    """Bring these audiences' editions (in ``languages``, or all of theirs) up to date,
    silently, before a distribution command reads them (from the cache: usually no work)."""
    build(quiet_options(paths, audiences, formats, languages))


def sign_password() -> bytes | None:
    """The certificate's password: from the environment, else asked for on a terminal."""
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE].encode()
    if sys.stdin.isatty():
        return getpass.getpass("Password for the signing certificate: ").encode() or None
    return None
