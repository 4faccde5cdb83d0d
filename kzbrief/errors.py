"""The one exception family kzbrief raises for expected failures, and its exit codes.

Every error knows *where* (file, line, column, field path) and *what* was
expected, so the CLI can print one line a person can act on.

This module is the only place exit codes are defined: each error class takes its
code from ``EXIT_CODES``, and ``kzbrief --help`` prints the same table (cli.py).
``--help`` imports this module, so it imports only what Python has loaded already.
"""

from __future__ import annotations

import os
from collections import namedtuple

# Exit codes are part of the CLI's contract; docs/reference/exit-codes.md is generated from
# EXIT_CODES below.
EXIT_SUCCESS = 0
EXIT_INTERNAL = 1
EXIT_DATA = 2
EXIT_TEMPLATE = 3
EXIT_OUTPUT = 4
EXIT_BUDGET = 5
EXIT_STRICT = 6
EXIT_VERIFY = 7
EXIT_SIGN = 8
EXIT_REGISTER = 9
EXIT_NOT_A_COPY = 10
EXIT_SMTP = 11
EXIT_NOT_SENT = 12
EXIT_UNREADABLE = 13
EXIT_USAGE = 64
EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C; not listed in --help
# stdout closed by its reader (kzbrief list | head -1): kzbrief stops without a word, and
# with the status a shell shows for git or ls there (128 + SIGPIPE); not listed in --help
EXIT_CLOSED_PIPE = 141

EXIT_CODES = {
    EXIT_SUCCESS: "success",
    EXIT_INTERNAL: "unexpected internal error (run again with --debug and report it)",
    EXIT_DATA: "the data is invalid (file:line:column: field: problem)",
    EXIT_TEMPLATE: "a template is missing or broken",
    EXIT_OUTPUT: "the output folder (or the .kzbrief/ state folder) cannot be written",
    EXIT_BUDGET: "a PDF exceeds its audience's page budget",
    EXIT_STRICT: "warnings under --strict",
    EXIT_VERIFY: "verify: files differ from the manifest",
    EXIT_SIGN: "the signing certificate cannot be used",
    EXIT_REGISTER: "the copy register is damaged, locked or cannot be written",
    EXIT_NOT_A_COPY: "trace: the PDF is not a copy listed in the register",
    EXIT_SMTP: "send: the mail server cannot be reached, or refused the connection or login",
    EXIT_NOT_SENT: "send: one or more messages were refused (see kzbrief register)",
    EXIT_UNREADABLE: "trace: the file is missing, a folder, or not a readable PDF",
    EXIT_USAGE: "bad command-line usage (e.g. an unknown audience)",
}


def exit_codes_text() -> str:
    """The exit-code table as ``--help`` prints it, one code a line."""
    return "exit codes:\n" + "".join(f"  {code:<4}{text}\n" for code, text in EXIT_CODES.items())


class Location(namedtuple("Location", "file line column", defaults=(None, None, None))):
    """Where in a data or template file a problem sits (1-based line/column).

    ``file`` is a Path or None. A plain namedtuple rather than a dataclass or
    typing.NamedTuple: ``list`` imports this module, and those cost more start-up
    time than everything else it does.
    """

    __slots__ = ()

    def __str__(self) -> str:
        parts = [_shown(self.file) if self.file else "<unknown>"]
        parts += [str(n) for n in (self.line, self.column) if n is not None]
        return ":".join(parts)


def _shown(path: os.PathLike[str]) -> str:
    """Paths inside the current folder are shown relative to it: shorter, and what users typed."""
    from pathlib import Path  # lazy: --help imports this module and never needs pathlib

    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_ESCAPED = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x20), 0x7F, 0x85, 0x2028, 0x2029)
    if chr(code) not in "\n\t"
}


class KzbriefError(Exception):
    """An expected failure: bad data, a broken template, an unwritable folder."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, location: Location | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.field = field

    def __reduce__(self) -> tuple:
        # Errors cross process boundaries (parallel typesetting): keep where and what.
        return (_restore, (type(self), self.__dict__))

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        field = f"{self.field}: " if self.field else ""
        # Messages quote untrusted data: a control character (or one that ends a line, such
        # as U+001E or U+2028) would break the one-line-per-problem form, so it is escaped.
        return f"{prefix}{field}{self.message}".translate(_ESCAPED)


def _restore(cls: type[KzbriefError], state: dict) -> KzbriefError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class DataError(KzbriefError):
    """The YAML data is unreadable, malformed or inconsistent."""

    exit_code = EXIT_DATA


class DataErrors(DataError):
    """Several data problems found in one pass, reported together."""

    def __init__(self, errors: list[DataError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the data")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class TemplateError(KzbriefError):
    """A template is missing, malformed or uses an undefined variable."""

    exit_code = EXIT_TEMPLATE


class OutputError(KzbriefError):
    """The output folder cannot be written."""

    exit_code = EXIT_OUTPUT


class UsageError(KzbriefError):
    """The command line asks for something that does not exist."""

    exit_code = EXIT_USAGE


class BudgetError(KzbriefError):
    """A PDF came out longer than its audience's page budget."""

    exit_code = EXIT_BUDGET


class StrictError(KzbriefError):
    """``--strict`` was given and the build produced warnings."""

    exit_code = EXIT_STRICT


class VerifyError(KzbriefError):
    """Files in the output folder do not match the manifest."""

    exit_code = EXIT_VERIFY


class SigningError(KzbriefError):
    """The certificate cannot be used to sign."""

    exit_code = EXIT_SIGN


class RegisterError(KzbriefError):
    """The copy register (SQLite) is damaged, locked or cannot be written."""

    exit_code = EXIT_REGISTER


class NotACopyError(KzbriefError):
    """``trace`` found no copy of the register in the PDF."""

    exit_code = EXIT_NOT_A_COPY


class UnreadableError(KzbriefError):
    """``trace`` was given no PDF it can read: no such file, a folder, not a PDF, damaged.
    Apart from NotACopyError: a script must tell "not ours" from "not a PDF at all"."""

    exit_code = EXIT_UNREADABLE


class SmtpError(KzbriefError):
    """The mail server cannot be reached, or refused the connection or the login."""

    exit_code = EXIT_SMTP


class NotSentError(KzbriefError):
    """``send`` ran to the end, but the server refused some messages."""

    exit_code = EXIT_NOT_SENT


def describe_failure(error: KzbriefError) -> str:
    """Located problems print as file:line:column: field: problem, one per line."""
    problems = getattr(error, "errors", [error])
    lines = [str(p) if p.location else f"kzbrief: error: {p}" for p in problems]
    if len(problems) > 1:
        lines.append(f"kzbrief: {len(problems)} problems found; nothing was written")
    return "\n".join(lines)
