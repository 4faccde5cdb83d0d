"""The error catalogue: each case of tests/bad/, its cause and the message it prints.

The suite checks every case's message exactly (tests/test_bad_input.py), so what this
page shows is what kzbrief prints today."""

from __future__ import annotations

import html
from pathlib import Path

import yaml

from kzbrief.errors import EXIT_CODES

CASES = Path(__file__).resolve().parents[2] / "tests" / "bad"


def page() -> str:
    from . import cell

    lines = ["| cause | exit | message |", "|---|---|---|"]
    for case in sorted(p for p in CASES.iterdir() if (p / "case.yaml").is_file()):
        spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
        message = (case / "expected.txt").read_text(encoding="utf-8").strip()
        # <code>, not backticks: a message may quote a backtick ("opened by `[`")
        shown = "<br>".join(f"<code>{_escaped(line)}</code>" for line in message.splitlines())
        code = spec["exit"]
        lines.append(
            f"| {cell(spec['description'])} | [`{code}`](exit-codes.md "
            f'"{cell(EXIT_CODES[code])}") | {shown} |'
        )
    return "\n".join(lines) + "\n"


def _escaped(line: str) -> str:
    return html.escape(" ".join(line.split())).replace("|", "&#124;").replace("`", "&#96;")
