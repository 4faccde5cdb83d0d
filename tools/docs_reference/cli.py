"""The command line, from the argparse parsers ``kzbrief COMMAND --help`` prints."""

from __future__ import annotations

import argparse
import os

from kzbrief.cli import COMMANDS, DESCRIPTION, FOLDERS, full_parser

WIDTH = "100"  # usage lines wrap as on a 100-column terminal, whatever builds the docs


def page() -> str:
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        parser = full_parser()
        lines = [" ".join(DESCRIPTION.split()), "", *_usage(parser), *_options(parser), ""]
        folders = " ".join(FOLDERS.removeprefix("folders: ").split())
        lines += [f"**Folders.** {folders[0].upper()}{folders[1:]}", ""]
        for name, sub in subcommands(parser).items():
            lines += _command(f"kzbrief {name}", sub, COMMANDS[name][1], level=2)
        return "\n".join(lines)
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def options(parser: argparse.ArgumentParser) -> list[tuple[str, str]]:
    """Each argument as --help shows it: its invocation (``--audience ID``) and its help."""
    formatter = parser._get_formatter()
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        invocation = formatter._format_action_invocation(action)
        rows.append((invocation, formatter._expand_help(action) if action.help else ""))
    return rows


def _command(title: str, parser: argparse.ArgumentParser, summary: str, level: int) -> list[str]:
    lines = [f"{'#' * level} {title}", "", summary[0].upper() + summary[1:] + ".", ""]
    if parser.description:
        lines += [" ".join(parser.description.split()), ""]
    lines += [*_usage(parser), *_options(parser)]
    children = subcommands(parser)
    helps = _child_helps(parser)
    for name, child in children.items():
        lines += _command(f"{title} {name}", child, helps.get(name, name), level + 1)
    return lines


def _child_helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {a.dest: a.help or "" for a in action._choices_actions}
    return {}


def _usage(parser: argparse.ArgumentParser) -> list[str]:
    return ["```text", parser.format_usage().strip(), "```", ""]


def _options(parser: argparse.ArgumentParser) -> list[str]:
    from . import cell

    rows = [f"| `{invocation}` | {cell(text)} |" for invocation, text in options(parser)]
    return ["| argument | meaning |", "|---|---|", *rows, ""] if rows else []
