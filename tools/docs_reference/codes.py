"""Exit codes: errors.py's table, the one ``kzbrief --help`` prints."""

from __future__ import annotations

from kzbrief import errors

# Not in EXIT_CODES (so not in --help): the two a shell gives any program.
_UNLISTED = {
    errors.EXIT_INTERRUPTED: "interrupted (Ctrl-C); earlier outputs are unchanged",
    errors.EXIT_CLOSED_PIPE: "the reader of the output went away (`kzbrief list | head -1`)",
}


def page() -> str:
    from . import cell

    rows = [f"| `{code}` | {cell(text)} |" for code, text in errors.EXIT_CODES.items()]
    rows += [f"| `{code}` | {cell(text)} |" for code, text in _UNLISTED.items()]
    return "\n".join(["| code | meaning |", "|---|---|", *rows]) + "\n"
