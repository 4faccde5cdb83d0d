"""kzbrief.toml: kzbrief/settings.py's table, the one each reader of the file checks."""

from __future__ import annotations

from kzbrief.settings import SETTINGS, TABLES


def page() -> str:
    from . import cell

    lines: list[str] = []
    for table, meaning in TABLES.items():
        lines += [f"## [{table}]", "", meaning[0].upper() + meaning[1:] + ".", ""]
        lines += ["| setting | value | default | meaning |", "|---|---|---|---|"]
        for s in (s for s in SETTINGS if s.table == table):
            lines.append(f"| `{s.key}` | {cell(s.value)} | {cell(s.default)} | {cell(s.meaning)} |")
        lines.append("")
    return "\n".join(lines)
