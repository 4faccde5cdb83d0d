"""The one exception family kzbrief raises for expected failures.

Every error knows *where* (file, line, column, field path) and *what* was
expected, so the CLI can print one line a person can act on.
"""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

# Exit codes are part of the CLI's contract; the README lists them.
EXIT_DATA = 2
EXIT_TEMPLATE = 3
EXIT_OUTPUT = 4
EXIT_USAGE = 64  # cli.py repeats it: --help must not import this module


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


def _shown(path: Path) -> str:
    """Paths inside the current folder are shown relative to it: shorter, and what users typed."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class KzbriefError(Exception):
    """An expected failure: bad data, a broken template, an unwritable folder."""

    exit_code = 1

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
        return f"{prefix}{field}{self.message}"


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
