"""``kzbrief register migrate --to URL``: a SQLite register copied into PostgreSQL, so a team
can share what one analyst issued so far.

The source is opened read-only (nothing in it changes, not even its schema version); the
target gets every row in one transaction, in the source's order, so a failed run leaves it
as it was. Running it again adds nothing: rows already there are recognised by their keys
(history rows, which have none, by their content). A target that holds *other* data under
the same keys (another office's copy 7) is refused rather than mixed. Afterwards the row
counts and every copy's SHA-256 are compared, source against target.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, RegisterError
from ..register_address import RegisterURL
from .register import SCHEMA_VERSION, Register

# table -> its key columns (None: no key, rows are matched on every column); parents first
TABLES: dict[str, tuple[str, ...] | None] = {
    "editions": ("edition_id",),
    "edition_files": ("edition_id", "audience", "language", "format"),
    "recipients": ("recipient_id",),
    "recipient_history": None,
    "copies": ("copy_id",),
    "history": None,
}


@dataclass
class Migrated:
    table: str
    rows: int  # in the source
    added: int  # copied now; the rest were there already


def migrate_register(source: Path, target: RegisterURL) -> list[Migrated]:
    """Copy every row of the SQLite register ``source`` into ``target``; what was copied."""
    reading = _open_read_only(source)
    try:
        tables = {name: _rows(reading, name) for name in TABLES}
    finally:
        reading.close()
    report = []
    with Register(target) as register, register.transaction():
        for name, (columns, rows) in tables.items():
            report.append(Migrated(name, len(rows), _copy(register, name, columns, rows)))
    with Register(target, create=False) as register:
        _check(register, tables, target)
    return report


def _open_read_only(source: Path) -> sqlite3.Connection:
    if not source.is_file():
        raise RegisterError("no register here to migrate", Location(source))
    try:
        db = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True)
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as exc:
        raise RegisterError(f"the register cannot be read ({exc})", Location(source)) from None
    if version != SCHEMA_VERSION:
        db.close()
        raise RegisterError(
            f"the register has schema {version}, this kzbrief writes {SCHEMA_VERSION}: open it "
            "once with this kzbrief (kzbrief register) so that it is brought up to date, then "
            "migrate",
            Location(source),
        )
    return db


def _rows(db: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple]]:
    cursor = db.execute(f"SELECT * FROM {table} ORDER BY rowid")  # the names are this module's own
    return [d[0] for d in cursor.description], cursor.fetchall()


def _copy(register: Register, table: str, columns: list[str], rows: list[tuple]) -> int:
    """The rows the target lacks, added; a key whose row differs there is refused."""
    keys = TABLES[table]
    present = register._execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    have = {tuple(_plain(v) for v in row) for row in present}
    by_key = {}
    if keys is not None:
        at = [columns.index(k) for k in keys]
        by_key = {tuple(row[i] for i in at): row for row in have}
    added = 0
    marks = ", ".join("?" for _ in columns)
    for row in rows:
        plain = tuple(_plain(v) for v in row)
        if plain in have:
            continue
        if keys is not None:
            key = tuple(plain[columns.index(k)] for k in keys)
            if key in by_key:
                raise RegisterError(
                    f"{table} {'/'.join(map(str, key))} is already in the target register with "
                    "other content: it holds another register's data; nothing was copied"
                )
        register._execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", *row)
        have.add(plain)
        added += 1
    return added


def _check(
    register: Register, tables: dict[str, tuple[list[str], list[tuple]]], target: RegisterURL
) -> None:
    """Every source row is in the target, and every copy has the same SHA-256 there."""
    for name, (columns, rows) in tables.items():
        present = register._execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall()
        have = {tuple(_plain(v) for v in row) for row in present}
        missing = [row for row in rows if tuple(_plain(v) for v in row) not in have]
        if missing or len(present) < len(rows):
            raise RegisterError(
                f"register {target.shown}: after copying, {len(missing)} row(s) of {name} are "
                "missing from it"
            )
    columns, rows = tables["copies"]
    digests = {row[columns.index("copy_id")]: row[columns.index("copy_sha256")] for row in rows}
    for copy_id, sha256 in digests.items():
        found = register.by_copy_id(copy_id)
        if found is None or found.copy_sha256 != sha256:
            raise RegisterError(f"register {target.shown}: copy {copy_id} has another SHA-256")


def _plain(value: object) -> object:
    """bytes from SQLite, memoryview or bytes from PostgreSQL: compared as bytes."""
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else value
