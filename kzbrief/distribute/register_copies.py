"""The register's copies and their history (register.py opens the file)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, fields

# superseded: a newer edition (or a corrected copy) was issued before this one was sent
STATUSES = ("issued", "sent", "failed", "superseded", "revoked")
UNSENT = ("issued", "failed")
REVOKE_COPY_NOTE = "issue --revoke-copy"  # a copy revoked on its own, not with its holder


def timestamp() -> str:
    """Now, in UTC to the second, as the register writes every time: 2026-11-28T06:04:54Z."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def moment(stamp: str) -> dt.datetime:
    """A register time back as a datetime."""
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@dataclass(frozen=True)
class CopyRecord:
    copy_id: str
    edition_id: str
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
    batch: str = ""  # the copies of one edition file whose markings were typeset together
    marking: str = ""  # the foot line as stamped
    watermark: str = ""
    signed: int = 0


COLUMNS = tuple(field.name for field in fields(CopyRecord))  # the table's, in this order


class CopyTable:
    """Copies: one row each, never deleted; a status change adds a history row."""

    def _execute(self, query: str, *values: object) -> sqlite3.Cursor:
        raise NotImplementedError  # register.Register

    def find(self, edition_id: str, recipient_id: str) -> list[CopyRecord]:
        """The recipient's copies of this edition, by number."""
        return self._select(
            "WHERE edition_id = ? AND recipient_id = ? ORDER BY number", edition_id, recipient_id
        )

    def next_number(self, edition_id: str) -> int:
        query = "SELECT COALESCE(MAX(number), 0) + 1 FROM copies WHERE edition_id = ?"
        return int(self._execute(query, edition_id).fetchone()[0])

    def add(self, record: CopyRecord, note: str = "") -> None:
        columns = ", ".join(COLUMNS)
        marks = ", ".join("?" for _ in COLUMNS)
        values = [getattr(record, name) for name in COLUMNS]
        self._execute(f"INSERT INTO copies ({columns}) VALUES ({marks})", *values)
        self._history(record.copy_id, record.status, record.issued_at, note)

    def set_status(
        self, copy_id: str, status: str, at: str, note: str = "", message_id: str = ""
    ) -> None:
        self._execute("UPDATE copies SET status = ? WHERE copy_id = ?", status, copy_id)
        self._history(copy_id, status, at, note, message_id)

    def set_copy_sha256(self, copy_id: str, sha256: str) -> None:
        """The copy's checksum, once: a copy already recorded keeps its own."""
        query = "UPDATE copies SET copy_sha256 = ? WHERE copy_id = ? AND copy_sha256 = ''"
        self._execute(query, sha256, copy_id)

    def unsent(self, recipient_ids: list[str]) -> list[CopyRecord]:
        """Copies issued but not (yet successfully) sent, oldest first; never revoked or
        superseded ones."""
        rows = self._select("WHERE status IN ('issued', 'failed') ORDER BY issued_at, number")
        return [r for r in rows if not recipient_ids or r.recipient_id in recipient_ids]

    def by_copy_id(self, copy_id: str) -> CopyRecord | None:
        rows = self._select("WHERE copy_id = ?", copy_id)
        return rows[0] if rows else None

    def by_sha256(self, sha256: str) -> CopyRecord | None:
        rows = self._select("WHERE copy_sha256 = ?", sha256)
        return rows[0] if rows else None

    def by_number(self, edition_id: str, number: int) -> CopyRecord | None:
        """Copy ``number`` of the edition (numbers run per edition id; a register carried
        over from before edition ids may hold two, and then the first is given)."""
        rows = self._select(
            "WHERE edition_id = ? AND number = ? ORDER BY issued_at", edition_id, number
        )
        return rows[0] if rows else None

    def batch(self, batch: str) -> list[CopyRecord]:
        """The copies stamped together with one another, in the order they were typeset."""
        return self._select("WHERE batch = ? ORDER BY number", batch)

    def copies(
        self, edition: str | None = None, recipient_id: str | None = None
    ) -> list[CopyRecord]:
        """Every copy, or those of one edition (by its id) or one recipient."""
        clauses, values = [], []
        if edition is not None:
            clauses.append("edition_id = ?")
            values.append(edition)
        if recipient_id is not None:
            clauses.append("recipient_id = ?")
            values.append(recipient_id)
        where = f"WHERE {' AND '.join(clauses)} " if clauses else ""
        order = "ORDER BY edition_date, edition_id, number"
        return self._select(where + order, *values)

    def history(self, copy_id: str) -> list[tuple[str, str, str]]:
        query = "SELECT status, at, note || CASE WHEN message_id = '' THEN '' ELSE ' ' || "
        query += "message_id END FROM history WHERE copy_id = ? ORDER BY rowid"
        return [tuple(row) for row in self._execute(query, copy_id).fetchall()]

    def revoked_alone(self, copy_id: str) -> bool:
        """Whether the copy was revoked by ``issue --revoke-copy`` (not with its holder)."""
        query = "SELECT 1 FROM history WHERE copy_id = ? AND status = 'revoked' AND note = ?"
        return self._execute(query, copy_id, REVOKE_COPY_NOTE).fetchone() is not None

    def _history(
        self, copy_id: str, status: str, at: str, note: str = "", message_id: str = ""
    ) -> None:
        query = "INSERT INTO history (copy_id, status, at, note, message_id) VALUES (?, ?, ?, ?, ?)"
        self._execute(query, copy_id, status, at, note, message_id)

    def _select(self, clause: str, *values: object) -> list[CopyRecord]:
        columns = ", ".join(COLUMNS)
        rows = self._execute(f"SELECT {columns} FROM copies {clause}", *values).fetchall()
        return [CopyRecord(*row) for row in rows]
