"""``kzbrief trace FILE.pdf``: whose copy is this, page by page? (distribute/trace.py)"""

from __future__ import annotations

import argparse

from ..distribute.register import Register
from ..distribute.trace import read_pdf, trace_pdf
from ..errors import Location, NotACopyError
from . import project_paths


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
