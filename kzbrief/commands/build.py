"""``kzbrief build``: each audience's editions; prints the path of each file written."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from .. import PASSWORD_VARIABLE
from ..build import BuildOptions, build, build_with_report
from ..edition import parse_formats
from ..options import BuildReport
from ..progress import Progress
from ..project import ProjectPaths
from . import project_paths


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    options = BuildOptions(
        data=paths.data,
        output=paths.output,
        templates=paths.templates,
        state=paths.state,
        register=paths.register,
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
    paths: ProjectPaths, audiences: list[str], formats: tuple[str, ...]
) -> BuildOptions:
    """A build of these editions with the project's folders and no progress display."""
    return BuildOptions(
        data=paths.data,
        output=paths.output,
        templates=paths.templates,
        state=paths.state,
        register=paths.register,
        audiences=audiences,
        formats=formats,
        progress=Progress(enabled=False),
    )


def build_stale(paths: ProjectPaths, audiences: list[str], formats: tuple[str, ...]) -> None:
    """Bring these audiences' editions up to date, silently, before a distribution command
    reads them (from the cache: usually no work at all)."""
    build(quiet_options(paths, audiences, formats))


def sign_password() -> bytes | None:
    """The certificate's password: from the environment, else asked for on a terminal."""
    if PASSWORD_VARIABLE in os.environ:
        return os.environ[PASSWORD_VARIABLE].encode()
    if sys.stdin.isatty():
        return getpass.getpass("Password for the signing certificate: ").encode() or None
    return None
