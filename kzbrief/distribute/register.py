"""The register: which editions were made, which copy of which went to whom, and what
became of it.

SQLite by default, because the register is one file an office can back up, every change
is a transaction (two ``issue`` runs at once can never hand out one number twice: the
second waits for the first's write lock), and it ships with Python; a team that shares
the register gives a PostgreSQL address instead (register_postgres.py: the same tables,
the same guarantees). Rows are never
deleted: a status change adds a history row and updates the copy's current status, and
a copy's recorded SHA-256 never changes once it is written.

The tables live in three modules, one per kind of row: register_copies.py (copies and
their history), register_editions.py (editions and their data), register_people.py
(recipients: address, revocation, renames). This module opens the file, creates or
upgrades the schema, and runs transactions.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Location, RegisterError
from ..register_address import RegisterURL
from .register_copies import COLUMNS, STATUSES, CopyRecord, CopyTable, moment, timestamp
from .register_editions import EditionRecord, EditionTable
from .register_people import Person, PersonTable

__all__ = [
    "COLUMNS",
    "STATUSES",
    "CopyRecord",
    "EditionRecord",
    "Person",
    "Register",
    "moment",
    "timestamp",
]

SCHEMA_VERSION = 2  # PRAGMA user_version; 0: a register written before editions had ids
_SCHEMA = """
CREATE TABLE IF NOT EXISTS copies (
    copy_id        TEXT PRIMARY KEY,          -- random UUID, also inside the PDF
    edition_id     TEXT NOT NULL,             -- 2026-11-27 or 2026-11-27.2
    edition_sha256 TEXT NOT NULL,             -- the edition PDF the copy was stamped on
    number         INTEGER NOT NULL,          -- 1..N per edition id, never reused
    recipient_id   TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    organisation   TEXT NOT NULL,
    audience       TEXT NOT NULL,
    language       TEXT NOT NULL,
    edition_date   TEXT NOT NULL,             -- the edition's date, YYYY-MM-DD
    file           TEXT NOT NULL,             -- relative to the output folder
    copy_sha256    TEXT NOT NULL,             -- set once, when the copy is first written
    issued_at      TEXT NOT NULL,             -- UTC, ISO 8601
    status         TEXT NOT NULL,
    batch          TEXT NOT NULL DEFAULT '',  -- copies whose markings were typeset together
    marking        TEXT NOT NULL DEFAULT '',  -- the foot line exactly as stamped
    watermark      TEXT NOT NULL DEFAULT '',
    signed         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (edition_sha256, number)
);
CREATE INDEX IF NOT EXISTS copies_by_recipient ON copies (recipient_id);
CREATE INDEX IF NOT EXISTS copies_by_edition ON copies (edition_id, number);
CREATE TABLE IF NOT EXISTS history (
    copy_id    TEXT NOT NULL REFERENCES copies (copy_id),
    status     TEXT NOT NULL,
    at         TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',  -- e.g. the server's reply when sending failed
    message_id TEXT NOT NULL DEFAULT ''   -- the e-mail's Message-ID, for sent and failed
);
CREATE INDEX IF NOT EXISTS history_by_copy ON history (copy_id);
CREATE TABLE IF NOT EXISTS editions (
    edition_id  TEXT PRIMARY KEY,
    date        TEXT NOT NULL,
    revision    INTEGER NOT NULL,
    data_sha256 TEXT NOT NULL,                -- the YAML it was built from (manifest.json's)
    data        BLOB NOT NULL,                -- those files, zlib-compressed JSON
    built_at    TEXT NOT NULL,
    issued_at   TEXT NOT NULL DEFAULT ''      -- first copy issued: from then on it is fixed
);
CREATE TABLE IF NOT EXISTS edition_files (
    edition_id TEXT NOT NULL REFERENCES editions (edition_id),
    audience   TEXT NOT NULL,
    language   TEXT NOT NULL,
    format     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    PRIMARY KEY (edition_id, audience, language, format)
);
CREATE TABLE IF NOT EXISTS recipients (
    recipient_id TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL,
    email        TEXT NOT NULL DEFAULT '',
    revoked_at   TEXT NOT NULL DEFAULT '',    -- '' unless revoked (until reinstated)
    updated_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recipient_history (
    recipient_id TEXT NOT NULL,
    event        TEXT NOT NULL,               -- revoked, reinstated, renamed
    at           TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
"""
WAIT_SECONDS = 30.0  # how long a run waits for another run's transaction


class Register(CopyTable, EditionTable, PersonTable):
    """An open register; use as a context manager, or call ``close``."""

    def __init__(self, path: Path | RegisterURL, create: bool = True) -> None:
        self.path = path
        if isinstance(path, RegisterURL):  # a team's PostgreSQL database
            from .register_postgres import open_postgres  # lazy: psycopg

            self.db: Any = open_postgres(path, create)
            return
        if not create and not path.is_file():
            raise RegisterError(
                "no register here yet (build or issue copies first)", Location(path)
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level None: transactions are begun explicitly, IMMEDIATE, below.
            self.db = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
            self._prepare()
        except (sqlite3.Error, OSError) as exc:
            raise _register_error(exc, path) from None

    def _prepare(self) -> None:
        """Create the tables, or bring a register of an earlier kzbrief up to date."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RegisterError(
                f"the register was written by a newer kzbrief (schema {version}); upgrade "
                "kzbrief to use it",
                Location(self.path),
            )
        if version == SCHEMA_VERSION:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            legacy = (
                self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'copies'").fetchone()
                is not None
                and version < SCHEMA_VERSION
            )
            if legacy:
                self.db.execute("ALTER TABLE copies RENAME TO copies_v1")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            if legacy:
                _carry_over_v1(self.db)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is one write transaction: all of it is kept, or none."""
        if isinstance(self.path, RegisterURL):
            from .register_postgres import transaction

            with transaction(self.db, self.path):
                yield
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _register_error(exc, self.path) from None
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _execute(self, query: str, *values: object) -> sqlite3.Cursor:
        if isinstance(self.path, RegisterURL):
            from .register_postgres import execute

            return execute(self.db, self.path, query, values)
        try:
            return self.db.execute(query, values)
        except sqlite3.Error as exc:
            raise _register_error(exc, self.path) from None


def _carry_over_v1(db: sqlite3.Connection) -> None:
    """The copies of a register from before edition ids: each edition's id is its date
    (the same date could name two editions then; their numbers stay as printed)."""
    columns = (
        "copy_id, edition_sha256, number, recipient_id, recipient_name, organisation, "
        "audience, language, edition_date, file, copy_sha256, issued_at, status"
    )
    db.execute(
        f"INSERT INTO copies (edition_id, {columns}) SELECT edition_date, {columns} FROM copies_v1"
    )
    db.execute("DROP TABLE copies_v1")


def _register_error(exc: Exception, path: Path) -> RegisterError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        problem = f"the register is locked by another program (waited {WAIT_SECONDS:.0f} s)"
    elif "not a database" in text or "malformed" in text or "no such" in text:
        problem = f"the register is damaged or not a kzbrief register ({text})"
    else:
        problem = f"the register cannot be used ({text})"
    return RegisterError(f"{problem}; nothing was changed", Location(path))
