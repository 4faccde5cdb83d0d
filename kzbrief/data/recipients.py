"""``data/recipients.yaml``: who receives a numbered copy of which audience's edition.

Checked like every data file, all problems at once with FILE:LINE:COL. Every text field
refuses control characters and line breaks: names and organisations end up in e-mail
headers and in the PDF's marking line, where a line break would be header injection. They
refuse bidirectional controls too (a U+202E would reverse the rest of the marking line: the
stamp isolates each name itself), and a name and organisation too wide for the marking.
The list is not part of the briefing: it is never merged into it nor attached to a PDF.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, Field, ValidationError, field_validator

from ..errors import DataError, DataErrors, Location, UsageError
from ..language.marking_fit import names_room_em, width_em
from ..project import RECIPIENTS_FILE
from .audiences import Audience
from .briefing import describe_validation_error
from .fields import Model, check_language
from .glyphs import describe_characters, missing_characters
from .load import YamlDocument, format_field_path, read_yaml, strings_in
from .messages import fold_misspellings

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Bidirectional controls: marks, embeddings and overrides, isolates.
_BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_PRINTED = ("name", "organisation")  # the fields the marking line prints


def _one_line(text: str) -> str:
    found = _CONTROL.search(text)
    if found:
        raise ValueError(
            f"contains a control character or line break (U+{ord(found.group()):04X}); "
            "expected one line of plain text"
        )
    return text


Line = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]


class Recipient(Model):
    """One named person in one office, and the edition they receive."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)  # unique id, e.g. mfa-asia-desk
    name: Line  # the person's name, printed on their copy's marking
    organisation: Line  # their office, printed on the marking after the name
    audience: str  # the id of the audience whose edition they get, e.g. government
    language: str | None = None  # None: the audience's language
    email: Line | None = None  # where kzbrief send mails their copy (optional)
    notes: Annotated[str, AfterValidator(_one_line)] = ""  # a remark for your records; not printed

    @field_validator("language")
    @classmethod
    def _supported_language(cls, code: str | None) -> str | None:
        return None if code is None else check_language(code)

    @field_validator("email")
    @classmethod
    def _valid_address(cls, address: str | None) -> str | None:
        if address is None:
            return None
        try:  # syntax only: no DNS lookup, the build stays offline
            return validate_email(address, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ValueError(f"not a valid e-mail address ({exc})") from None

    def edition_language(self, audience: Audience) -> str:
        return self.language or audience.language


def read_recipients(data_dir: Path) -> YamlDocument:
    """recipients.yaml, read once for the checks and the warnings that point into it."""
    path = data_dir / RECIPIENTS_FILE
    if not path.is_file():
        raise DataError(
            f"no recipient list (expected {RECIPIENTS_FILE} in the data folder)", Location(path)
        )
    return read_yaml(path)


def load_recipients(
    data_dir: Path, audiences: dict[str, Audience], document: YamlDocument | None = None
) -> list[Recipient]:
    """The checked recipients of ``data_dir`` (of ``document`` when it is already read);
    every problem at once, in file order."""
    document = document or read_recipients(data_dir)
    items = document.data.get("recipients") if isinstance(document.data, dict) else None
    if not isinstance(items, list) or not items:
        raise DataError(
            "expected a top-level 'recipients' list of one or more recipients",
            document.locate(("recipients",)),
            "recipients",
        )
    recipients, problems, seen = [], [], set()
    for index, item in enumerate(items):
        where = ("recipients", index)
        recipient = None
        try:
            recipient = Recipient.model_validate(item)
            recipients.append(recipient)
        except ValidationError as exc:
            errors = fold_misspellings(exc.errors(), Recipient)
            problems += [describe_validation_error(e, document, where) for e in errors]
        fields = item if isinstance(item, dict) else {}
        audience, identifier = fields.get("audience"), fields.get("id")
        if isinstance(audience, str) and audience not in audiences:
            message = f"unknown audience '{audience}' (known: {', '.join(audiences)})"
            problems.append(_problem(message, document, (*where, "audience")))
        if isinstance(identifier, str) and identifier in seen:
            message = f"recipient id '{identifier}' is used twice"
            problems.append(_problem(message, document, (*where, "id")))
        seen.add(identifier)
        problems += _bidi_problems(fields, document, where)
        if recipient is not None and recipient.audience in audiences:
            language = recipient.edition_language(audiences[recipient.audience])
            problems += _width_problems(recipient, language, document, where)
    if problems:
        raise DataErrors(sorted(problems, key=_position))
    return recipients


def _bidi_problems(fields: dict, document: YamlDocument, where: tuple) -> list[DataError]:
    problems = []
    for path, text in strings_in(fields, where):
        if found := _BIDI.search(text):
            character = found.group()
            name = unicodedata.name(character, "bidirectional control")
            problems.append(
                DataError(
                    f"contains U+{ord(character):04X} {name}, a bidirectional control "
                    "character: it would reorder the text around it (the copy's marking "
                    "line, an e-mail's header); remove it (the marking isolates each name)",
                    document.find(path, character),
                    format_field_path(path),
                )
            )
    return problems


def _width_problems(
    recipient: Recipient, language: str, document: YamlDocument, where: tuple
) -> list[DataError]:
    """The name and organisation must fit the marking's two lines of 5 pt on A4 paper."""
    room = names_room_em()
    # Quick when short: no face has a glyph wider than 2.4 em (so no font is read).
    if (len(recipient.name) + len(recipient.organisation)) * 2.4 <= room:
        return []
    wide = width_em(recipient.name, language) + width_em(recipient.organisation, language)
    if wide <= room:
        return []
    field = max(_PRINTED, key=lambda f: width_em(getattr(recipient, f), language))
    return [
        _problem(
            f"the name and organisation together are {wide / room - 1:.0%} too wide for "
            "the copy's marking (two lines of 5 pt across A4 paper); shorten one of them",
            document,
            (*where, field),
        )
    ]


def marking_warnings(
    document: YamlDocument, listed: list[Recipient], chosen: list[Recipient]
) -> list[str]:
    """One warning per name or organisation of the ``chosen`` recipients (of all ``listed``,
    in file order) with characters no packaged face has: their marking prints U+FFFD."""
    wanted = {r.id for r in chosen}
    found = [
        (index, recipient, field, missing)
        for index, recipient in enumerate(listed)
        for field in (_PRINTED if recipient.id in wanted else ())
        if (missing := missing_characters(getattr(recipient, field)))
    ]
    warnings = []
    for index, recipient, field, missing in found:
        path = ("recipients", index, field)
        problem = (
            f"recipient '{recipient.id}': no packaged font has {describe_characters(missing)}; "
            "the copy's marking prints \ufffd (U+FFFD) in its place"
        )
        location = document.find(path, missing[0])
        warnings.append(str(DataError(problem, location, format_field_path(path))))
    return warnings


def _problem(message: str, document: YamlDocument, path: tuple) -> DataError:
    return DataError(message, document.locate(path), format_field_path(path))


def _position(problem: DataError) -> tuple[int, int]:
    return (problem.location.line or 0, problem.location.column or 0)


def select_recipients(
    recipients: list[Recipient], ids: list[str], audience_ids: list[str]
) -> list[Recipient]:
    """Those named by --recipient and --audience (both narrow), or all of them."""
    known = {r.id for r in recipients}
    unknown = [name for name in ids if name not in known]
    if unknown:
        shown = ", ".join(sorted(known))
        raise UsageError(f"unknown recipient '{unknown[0]}' (known: {shown})", field="--recipient")
    chosen = [r for r in recipients if not ids or r.id in ids]
    return [r for r in chosen if not audience_ids or r.audience in audience_ids]


def recipient_locations(document: YamlDocument) -> dict[str, Location]:
    """Where each recipient's id stands in recipients.yaml (for warnings about them)."""
    items = document.data.get("recipients") if isinstance(document.data, dict) else None
    found = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            found[item["id"]] = document.locate(("recipients", index, "id"))
    return found
