"""``kzbrief trace FILE.pdf``: whose copy is this, page by page? (distribute/trace.py)"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..distribute.register import Register
from ..distribute.trace import read_pdf, trace_pdf
from ..errors import Location, NotACopyError
from .arguments import folder_arguments, project_arguments, project_paths

DESCRIPTION = (
    "Find the copies FILE's pages come from: by the copy ids kzbrief hides in it (page marks, "
    "XMP metadata, document ID), so a re-saved copy or one put together from pages of several "
    "copies is still found, each with its pages; where the hidden ids are gone, by the visible "
    "foot line (Copy N · Edition ID) read from the page text, and said so. Prints each copy's "
    "number, edition, audience, recipient, issue date and status from the register. A scan or "
    "image has no text: its foot line must be read by eye. Exit 10 if a copy found is not in "
    "the register, or none is; exit 13 if FILE is missing, a folder, or not a readable PDF."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    project_arguments(parser)
    parser.add_argument("file", type=Path, metavar="FILE.pdf", help="the PDF to trace")
    folder_arguments(parser, "register", "output")


def run(args: argparse.Namespace) -> int:
    content = read_pdf(args.file)  # before the register: a wrong path is the likelier mistake
    with Register(project_paths(args).register, create=False) as register:
        found = trace_pdf(content, args.file, register)
    for line in found.lines():
        print(line)
    problem = found.problem()
    if problem is not None:
        raise NotACopyError(problem, Location(args.file))
    return 0
