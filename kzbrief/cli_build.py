"""The ``build`` command's arguments (cli.py holds the others' and runs them all)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from . import DEFAULT_FORMATS, DEFAULT_VARIANT, FORMATS, PASSWORD_VARIABLE, PDF_VARIANTS
from .cli_distribution import Make


def add_build_command(
    commands: argparse._SubParsersAction,
    command: Make,
    path: Callable[[str], object],
) -> None:
    build = command(
        commands,
        "build",
        "build the briefing: PDFs, and web pages if asked",
        "Build each audience's editions (one per format asked for) from the data and "
        "templates, and print the path of each file written.",
    )
    build.add_argument(
        "--templates",
        type=path,
        metavar="DIR",
        help="your own template folder; its files win over the packaged ones",
    )
    build.add_argument("--output", type=path, metavar="DIR", help="where to write the PDFs")
    build.add_argument(
        "--audience",
        action="append",
        default=[],
        metavar="ID",
        help="build only this audience (repeatable; default: all)",
    )
    build.add_argument(
        "--language",
        default="",
        metavar="LIST",
        help="build only the editions in these languages, comma-separated, e.g. ru,kk "
        "(default: every language each audience lists)",
    )
    build.add_argument(
        "--format",
        dest="formats",
        default=",".join(DEFAULT_FORMATS),
        metavar="LIST",
        help="the formats to write, comma-separated (default: pdf): "
        + "; ".join(f"{name}: {text}" for name, text in FORMATS.items()),
    )
    build.add_argument(
        "--html",
        action="store_true",
        help="the same as --format pdf,html (kept for existing scripts)",
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
        type=path,
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
        help="typeset N editions at once (default: one per CPU core; 1: no worker processes)",
    )
    build.add_argument(
        "--quiet",
        action="store_true",
        help="no progress display (it is off anyway when not a terminal)",
    )
    build.add_argument(
        "--timings",
        action="store_true",
        help="after the build, print each PDF's typesetting CPU time and pages to stderr",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (e.g. a blocked resource) as errors: exit 6, write nothing",
    )
