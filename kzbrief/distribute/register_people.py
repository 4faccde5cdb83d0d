"""The register's recipients: whom it has issued to, at which address, and who is revoked.

recipients.yaml says who should receive the next edition; the register remembers who did,
so a recipient revoked stays revoked for every later edition (until reinstated), a
renamed id can be recognised by its address, and a changed name is noticed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    recipient_id: str
    name: str
    organisation: str
    email: str
    revoked_at: str  # '' unless revoked
    updated_at: str

    @property
    def revoked(self) -> bool:
        return bool(self.revoked_at)


_PERSON_COLUMNS = "recipient_id, name, organisation, email, revoked_at, updated_at"


class PersonTable:
    def _execute(self, query: str, *values: object) -> sqlite3.Cursor:
        raise NotImplementedError  # register.Register

    def person(self, recipient_id: str) -> Person | None:
        rows = self._people("WHERE recipient_id = ?", recipient_id)
        return rows[0] if rows else None

    def people(self) -> list[Person]:
        return self._people("ORDER BY recipient_id")

    def remember(
        self, recipient_id: str, name: str, organisation: str, email: str, at: str
    ) -> None:
        """The recipient as recipients.yaml has them now (a revocation is kept)."""
        self._execute(
            f"INSERT INTO recipients ({_PERSON_COLUMNS}) VALUES (?, ?, ?, ?, '', ?) "
            "ON CONFLICT (recipient_id) DO UPDATE SET name = excluded.name, "
            "organisation = excluded.organisation, email = excluded.email, "
            "updated_at = excluded.updated_at",
            recipient_id, name, organisation, email, at,
        )  # fmt: skip

    def set_revoked(self, recipient_id: str, revoked: bool, at: str, note: str = "") -> None:
        query = "UPDATE recipients SET revoked_at = ?, updated_at = ? WHERE recipient_id = ?"
        self._execute(query, at if revoked else "", at, recipient_id)
        self._event(recipient_id, "revoked" if revoked else "reinstated", at, note)

    def rename(self, old: str, new: str, at: str) -> int:
        """Give ``old``'s row, copies and history the id ``new``; the number of copies moved."""
        self._execute("UPDATE recipients SET recipient_id = ? WHERE recipient_id = ?", new, old)
        moved = self._execute("UPDATE copies SET recipient_id = ? WHERE recipient_id = ?", new, old)
        self._execute(
            "UPDATE recipient_history SET recipient_id = ? WHERE recipient_id = ?", new, old
        )
        self._event(new, "renamed", at, f"was {old}")
        return moved.rowcount

    def recipient_events(self, recipient_id: str) -> list[tuple[str, str, str]]:
        query = (
            "SELECT event, at, note FROM recipient_history WHERE recipient_id = ? ORDER BY rowid"
        )
        return [tuple(row) for row in self._execute(query, recipient_id).fetchall()]

    def _event(self, recipient_id: str, event: str, at: str, note: str) -> None:
        query = "INSERT INTO recipient_history (recipient_id, event, at, note) VALUES (?, ?, ?, ?)"
        self._execute(query, recipient_id, event, at, note)

    def _people(self, clause: str, *values: object) -> list[Person]:
        query = f"SELECT {_PERSON_COLUMNS} FROM recipients {clause}"
        return [Person(*row) for row in self._execute(query, *values).fetchall()]
