"""Editions over time, as the build and ``issue`` see them: record each build in the
register, find the previous edition's data, and refuse to reuse an issued edition id.

Policy (docs/guides/new-editions.md): an edition id is never assigned behind the user's back.
Building other data under an id that copies were already issued of is a warning naming
data/meta.yaml's line (``--strict``: exit 6), and ``issue`` refuses it (exit 2), with the
next free id to set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..data.edition_id import edition_order
from ..errors import DataError, KzbriefError, Location
from ..publish.manifest import data_checksum_of
from ..register_address import RegisterAddress, register_exists
from .register import EditionRecord, Register, timestamp

if TYPE_CHECKING:
    from ..data.changes import ChangeList, PreviousData
    from ..data.localise import Localised

META_FILE = "meta.yaml"


def edition_id_location(data_dir: Path) -> Location:
    """Where ``meta.edition`` stands, to point the user at the line to change."""
    from ..data.load import read_yaml  # lazy: YAML, which a build with nothing to redo skips

    return read_yaml(data_dir / META_FILE).locate(("meta", "edition"))


def reused_id_problem(
    register_path: RegisterAddress, edition_id: str, data_dir: Path, data: dict[str, bytes]
) -> DataError | None:
    """The problem, if copies of ``edition_id`` were issued from other ``data`` (the data
    folder's files, ``data_files``) than this."""
    if not register_exists(register_path):
        return None
    with Register(register_path) as register:
        record = register.edition(edition_id)
        if record is None or not record.fixed:
            return None
        if record.data_sha256 == data_checksum_of(data):
            return None
        suggestion = next_free_id(register, edition_id)
    return DataError(
        f"edition {edition_id} was issued on {record.issued_at[:10]} from other data; give "
        f"this edition its own id: set meta.edition to {suggestion}",
        edition_id_location(data_dir),
        "meta.edition",
    )


def next_free_id(register: Register, edition_id: str) -> str:
    """Today's date if no edition has it, else the edition's date with the next revision."""
    known = {e.edition_id for e in register.editions()}
    today = dt.date.today().isoformat()
    if today not in known and edition_order(today) > edition_order(edition_id):
        return today
    date = edition_order(edition_id)[0]
    revision = 2
    while f"{date}.{revision}" in known:
        revision += 1
    return f"{date}.{revision}"


def record_build(
    register_path: RegisterAddress,
    edition_id: str,
    data: dict[str, bytes],
    files: list[tuple[str, str, str, str]],
) -> None:
    """The edition and the files built of it, in the register (its data kept for the next
    edition's list of changes)."""
    with Register(register_path) as register, register.transaction():
        register.record_build(edition_id, data, files, timestamp())


def previous_edition(
    register_path: RegisterAddress | None, edition_id: str
) -> tuple[EditionRecord, dict[str, bytes]] | None:
    """The edition recorded before ``edition_id`` and its data, if there is one."""
    if not register_exists(register_path):
        return None
    with Register(register_path) as register:
        record = register.previous_edition(edition_id)
        if record is None:
            return None
        return record, register.edition_data(record.edition_id)


def editions_digest(register_path: RegisterAddress | None) -> str:
    """The editions recorded, as one string for the build's cache key ('' without any)."""
    if not register_exists(register_path):
        return ""
    with Register(register_path) as register:
        return register.editions_digest()


@dataclass
class ChangesSince:
    """What changed since the previous edition, per language, from the data the register
    recorded of it; a previous edition whose data cannot be read is a warning, not a
    failure (the edition is then built without its list of changes)."""

    since: EditionRecord | None = None
    previous: PreviousData | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, register_path: RegisterAddress | None, edition_id: str) -> ChangesSince:
        from ..data.changes import read_previous  # lazy: pydantic, via the data stage

        try:
            found = previous_edition(register_path, edition_id)
            if found is None:
                return cls()
            return cls(found[0], read_previous(found[1]))
        except KzbriefError as exc:
            problem = f"the changes since the previous edition cannot be listed: {exc}"
            return cls(warnings=[problem])

    def in_language(self, local: Localised) -> ChangeList | None:
        """The changes in ``local``'s language (None for a first edition)."""
        from ..data.changes import edition_changes  # lazy: pydantic, via the data stage

        if self.since is None or self.previous is None:
            return None
        date = dt.date.fromisoformat(self.since.date)
        try:
            return edition_changes(self.previous, local, self.since.edition_id, date)
        except DataError as exc:
            self.warnings.append(
                f"{local.language}: the changes since the previous edition cannot be listed: {exc}"
            )
            return None


def changes_for_copy(register: Register, edition_id: str, language: str) -> ChangeList | None:
    """What changed in ``edition_id`` since the edition before it, in ``language``, from
    the data the register recorded of both (for the e-mail that carries a copy)."""
    from ..data.changes import read_previous  # lazy: pydantic, via the data stage
    from ..data.localise import Localised  # lazy: pydantic

    before = register.previous_edition(edition_id)
    if before is None:
        return None
    try:
        current = read_previous(register.edition_data(edition_id)).in_language(language)
        local = Localised(language, current, {})
        changes = ChangesSince(before, read_previous(register.edition_data(before.edition_id)))
        return changes.in_language(local)
    except KzbriefError:
        return None  # the message goes without its summary; the copy is what matters
