"""An independent PDF/UA check: the ``pdfua`` package (a machine-checkable subset of PDF/UA-1
and WCAG 2.1, on pikepdf), run on a file; what it found, as lines a failure can print."""

from __future__ import annotations

from pathlib import Path

import pdfua

# Rules that cannot run on our files, and why. To report upstream (pdfua 0.1.3):
#   UA-14-001 raises "ValueError: pikepdf.Object is not a Dictionary or Stream: cannot get
#   key '/is_integer' on object of type array" on every WeasyPrint PDF we make: the rule
#   calls .is_integer on a value that PDF allows to be an array, so it is skipped instead
#   of evaluated. Any other skip fails the test.
KNOWN_SKIPS = {"UA-14-001": "/is_integer"}


def pdf_ua_problems(path: Path) -> list[str]:
    """Every finding (error, warning or note) and every unexpected skip for ``path``."""
    report = pdfua.validate(str(path))
    problems = [
        f"{finding.rule_id} {finding.severity}: {finding.message}" for finding in report.findings
    ]
    for outcome in report.skipped:
        expected = KNOWN_SKIPS.get(outcome.rule_id)
        if expected is None or expected not in (outcome.skipped_reason or ""):
            problems.append(f"{outcome.rule_id} skipped: {outcome.skipped_reason}")
    return problems
