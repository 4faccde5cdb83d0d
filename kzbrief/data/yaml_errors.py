"""What a YAML file that cannot be read says: one line, the file and the place.

PyYAML knows two places for a syntax error: where it found the problem and where the
construct it was reading began (an unclosed `[` lines earlier). Both are given, the second
in words a reader knows ("in the list opened by `[` at line 3, column 8").
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import DataError, Location


def read_text(path: Path) -> str:
    """The file as UTF-8 text, or one located error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError("file not found", Location(path)) from None
    except OSError as exc:
        raise DataError(f"cannot read file ({exc.strerror})", Location(path)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            "the file is not UTF-8 text (save it as UTF-8)", Location(path, line)
        ) from None


def yaml_error(exc: yaml.YAMLError, path: Path, text: str) -> DataError:
    """PyYAML's error as kzbrief's: the problem and its place."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        return DataError(_syntax_problem(exc), where)
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: PyYAML gives no mark
        return DataError(_reader_problem(exc), _offset_location(path, text, exc.position))
    return DataError(f"invalid YAML: {exc}", Location(path))  # PyYAML marks its others


# Where a construct that PyYAML was reading began, by PyYAML's name for it: the second mark.
_BEGUN = {
    "while parsing a flow sequence": "in the list opened by `[` at",
    "while parsing a flow mapping": "in the mapping opened by `{` at",
    "while parsing a block mapping": "in the mapping that begins at",
    "while parsing a block collection": "in the list that begins at",
    "while scanning a quoted scalar": "in the quoted text that begins at",
    "while scanning a simple key": "in the key that begins at",
}


def _syntax_problem(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem, and where the construct it was reading began when that is
    elsewhere: ``expected ',' or ']', but got '}' (in the list opened by `[` at line 9,
    column 40)``."""
    problem = str(exc.problem or exc.context)
    if "'\\t'" in problem:
        return "invalid YAML: a tab character (indent with spaces, not tabs)"
    began, found = exc.context_mark, exc.problem_mark
    both = exc.problem and exc.context and began is not None and found is not None
    if both and (began.line, began.column) != (found.line, found.column):
        opener = _BEGUN.get(exc.context, f"{exc.context}, begun at")
        where = f"line {began.line + 1}, column {began.column + 1}"
        return f"invalid YAML: {problem} ({opener} {where})"
    return f"invalid YAML: {problem}"


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    """PyYAML's own text ends with a second line, the offset: the location says it."""
    character = exc.character
    code = ord(character) if isinstance(character, str) else character
    return f"invalid YAML: unacceptable character #x{code:04x}: {exc.reason}"


def _offset_location(path: Path, text: str, offset: int) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)
