"""The register: which copy of which edition went to whom, and what became of it.

SQLite, because the register is one file an office can back up, every change is a
transaction (two ``issue`` runs at once can never hand out one number twice: the
second waits for the first's write lock), and it ships with Python. Rows are never
deleted: a status change adds a history row and updates the copy's current status.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

from ..errors import Location, RegisterError

STATUSES = ("issued", "sent", "failed", "revoked")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS copies (
    copy_id        TEXT PRIMARY KEY,          -- random UUID, also inside the PDF
    edition_sha256 TEXT NOT NULL,             -- the edition PDF the copy was stamped on
    number         INTEGER NOT NULL,          -- 1..N per edition, never reused
    recipient_id   TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    organisation   TEXT NOT NULL,
    audience       TEXT NOT NULL,
    language       TEXT NOT NULL,
    edition_date   TEXT NOT NULL,             -- the briefing's edition, YYYY-MM-DD
    file           TEXT NOT NULL,             -- relative to the output folder
    copy_sha256    TEXT NOT NULL,
    issued_at      TEXT NOT NULL,             -- UTC, ISO 8601
    status         TEXT NOT NULL,
    UNIQUE (edition_sha256, number),
    UNIQUE (edition_sha256, recipient_id)
);
CREATE TABLE IF NOT EXISTS history (
    copy_id    TEXT NOT NULL REFERENCES copies (copy_id),
    status     TEXT NOT NULL,
    at         TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',  -- e.g. the server's reply when sending failed
    message_id TEXT NOT NULL DEFAULT ''   -- the e-mail's Message-ID, for sent and failed
);
"""
WAIT_SECONDS = 30.0  # how long a run waits for another run's transaction


def timestamp() -> str:
    """Now, in UTC to the second, as the register writes every time: 2026-11-28T06:04:54Z."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def moment(stamp: str) -> dt.datetime:
    """A register time back as a datetime."""
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@dataclass(frozen=True)
class CopyRecord:
    copy_id: str
    edition_sha256: str
    number: int
    recipient_id: str
    recipient_name: str
    organisation: str
    audience: str
    language: str
    edition_date: str
    file: str
    copy_sha256: str
    issued_at: str
    status: str


COLUMNS = tuple(field.name for field in fields(CopyRecord))  # the table's, in this order


class Register:
    """An open register; use as a context manager, or call ``close``."""

    def __init__(self, path: Path, create: bool = True) -> None:
        self.path = path
        if not create and not path.is_file():
            raise RegisterError("no register here yet (issue copies first)", Location(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level None: transactions are begun explicitly, IMMEDIATE, below.
            self.db = sqlite3.connect(path, timeout=WAIT_SECONDS, isolation_level=None)
            self.db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise _register_error(exc, path) from None

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is one write transaction: all of it is kept, or none."""
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

    def find(self, edition_sha256: str, recipient_id: str) -> CopyRecord | None:
        rows = self._select(
            "WHERE edition_sha256 = ? AND recipient_id = ?", edition_sha256, recipient_id
        )
        return rows[0] if rows else None

    def next_number(self, edition_sha256: str) -> int:
        query = "SELECT COALESCE(MAX(number), 0) + 1 FROM copies WHERE edition_sha256 = ?"
        return int(self._execute(query, edition_sha256).fetchone()[0])

    def add(self, record: CopyRecord) -> None:
        columns = ", ".join(COLUMNS)
        marks = ", ".join("?" for _ in COLUMNS)
        values = [getattr(record, name) for name in COLUMNS]
        self._execute(f"INSERT INTO copies ({columns}) VALUES ({marks})", *values)
        self._history(record.copy_id, record.status, record.issued_at)

    def set_status(
        self, copy_id: str, status: str, at: str, note: str = "", message_id: str = ""
    ) -> None:
        self._execute("UPDATE copies SET status = ? WHERE copy_id = ?", status, copy_id)
        self._history(copy_id, status, at, note, message_id)

    def unsent(self, recipient_ids: list[str]) -> list[CopyRecord]:
        """Copies issued but not (yet successfully) sent, oldest first; never revoked ones."""
        rows = self._select("WHERE status IN ('issued', 'failed') ORDER BY issued_at, number")
        return [r for r in rows if not recipient_ids or r.recipient_id in recipient_ids]

    def set_copy_sha256(self, copy_id: str, sha256: str) -> None:
        self._execute("UPDATE copies SET copy_sha256 = ? WHERE copy_id = ?", sha256, copy_id)

    def by_copy_id(self, copy_id: str) -> CopyRecord | None:
        rows = self._select("WHERE copy_id = ?", copy_id)
        return rows[0] if rows else None

    def by_sha256(self, sha256: str) -> CopyRecord | None:
        rows = self._select("WHERE copy_sha256 = ?", sha256)
        return rows[0] if rows else None

    def copies(
        self, edition_date: str | None = None, recipient_id: str | None = None
    ) -> list[CopyRecord]:
        clauses, values = [], []
        if edition_date is not None:
            clauses.append("edition_date = ?")
            values.append(edition_date)
        if recipient_id is not None:
            clauses.append("recipient_id = ?")
            values.append(recipient_id)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        return self._select(where + "ORDER BY edition_date, audience, language, number", *values)

    def history(self, copy_id: str) -> list[tuple[str, str, str]]:
        query = "SELECT status, at, note || CASE WHEN message_id = '' THEN '' ELSE ' ' || "
        query += "message_id END FROM history WHERE copy_id = ? ORDER BY rowid"
        return [tuple(row) for row in self._execute(query, copy_id).fetchall()]

    def _history(
        self, copy_id: str, status: str, at: str, note: str = "", message_id: str = ""
    ) -> None:
        query = "INSERT INTO history (copy_id, status, at, note, message_id) VALUES (?, ?, ?, ?, ?)"
        self._execute(query, copy_id, status, at, note, message_id)

    def _select(self, clause: str, *values: object) -> list[CopyRecord]:
        columns = ", ".join(COLUMNS)
        rows = self._execute(f"SELECT {columns} FROM copies {clause}", *values).fetchall()
        return [CopyRecord(*row) for row in rows]

    def _execute(self, query: str, *values: object) -> sqlite3.Cursor:
        try:
            return self.db.execute(query, values)
        except sqlite3.Error as exc:
            raise _register_error(exc, self.path) from None


def _register_error(exc: Exception, path: Path) -> RegisterError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        problem = f"the register is locked by another program (waited {WAIT_SECONDS:.0f} s)"
    elif "not a database" in text or "malformed" in text or "no such" in text:
        problem = f"the register is damaged or not a kzbrief register ({text})"
    else:
        problem = f"the register cannot be used ({text})"
    return RegisterError(f"{problem}; nothing was changed", Location(path))
