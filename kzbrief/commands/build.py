"""``kzbrief build``: each audience's editions; prints the path of each file written."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from .. import PASSWORD_VARIABLE
from ..build import BuildOptions, build
from ..edition import parse_formats
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
    for path in build(options):
        print(path)
    return 0


def quiet_options(
    paths: ProjectPaths, audiences: list[str], formats: tuple[str, ...]
) -> BuildOptions:
    """A build of these editions with the project's folders and no progress display."""
    return BuildOptions(
        data=paths.data,
        output=paths.output,
        templates=paths.templates,
        state=paths.state,
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
