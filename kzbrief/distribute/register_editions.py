"""The register's editions: each edition id, the data it was built from, and its files.

The data is kept so that a later edition can say what changed since this one, even when
this one's PDFs are long gone from the output folder (the PDFs carry it too, attached).
Once a copy of an edition has been issued, the edition is fixed: building other data
under its id is reported, and ``issue`` refuses it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..data.edition_id import edition_order
from ..errors import Location, RegisterError
from ..publish.manifest import data_checksum_of


@dataclass(frozen=True)
class EditionRecord:
    edition_id: str
    date: str  # YYYY-MM-DD
    revision: int  # 1, or 2 for 2026-11-27.2
    data_sha256: str
    built_at: str
    issued_at: str  # '' until a copy of it is issued

    @property
    def fixed(self) -> bool:
        return bool(self.issued_at)


_EDITION_COLUMNS = "edition_id, date, revision, data_sha256, built_at, issued_at"


def pack_data(files: dict[str, bytes]) -> bytes:
    blob = {name: base64.b64encode(content).decode("ascii") for name, content in files.items()}
    return zlib.compress(json.dumps(blob, sort_keys=True).encode("utf-8"), 9)


class EditionTable:
    """Editions: recorded by each build, fixed by the first copy issued."""

    path: Path

    def _execute(self, query: str, *values: object) -> sqlite3.Cursor:
        raise NotImplementedError  # register.Register

    def record_build(
        self,
        edition_id: str,
        data: dict[str, bytes],
        files: list[tuple[str, str, str, str]],
        at: str,
    ) -> bool:
        """Record that the edition was built from ``data`` into ``files`` (audience,
        language, format, SHA-256). False, and nothing recorded, if the edition is fixed
        and ``data`` is not its data."""
        date, revision = edition_order(edition_id)
        checksum = data_checksum_of(data)
        known = self.edition(edition_id)
        if known is not None and known.fixed and known.data_sha256 != checksum:
            return False
        if known is None:
            self._execute(
                f"INSERT INTO editions ({_EDITION_COLUMNS}, data) VALUES (?, ?, ?, ?, ?, '', ?)",
                edition_id, date, revision, checksum, at, pack_data(data),
            )  # fmt: skip
        elif known.data_sha256 != checksum:
            self._execute(
                "UPDATE editions SET data_sha256 = ?, data = ?, built_at = ? WHERE edition_id = ?",
                checksum, pack_data(data), at, edition_id,
            )  # fmt: skip
            self._execute("DELETE FROM edition_files WHERE edition_id = ?", edition_id)
        for audience, language, kind, sha256 in files:
            self._execute(
                "INSERT INTO edition_files (edition_id, audience, language, format, sha256) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (edition_id, audience, language, format) "
                "DO UPDATE SET sha256 = excluded.sha256",
                edition_id, audience, language, kind, sha256,
            )  # fmt: skip
        return True

    def mark_issued(self, edition_id: str, at: str) -> None:
        """From the first copy on, the edition's data is fixed."""
        query = "UPDATE editions SET issued_at = ? WHERE edition_id = ? AND issued_at = ''"
        self._execute(query, at, edition_id)

    def edition(self, edition_id: str) -> EditionRecord | None:
        rows = self._editions("WHERE edition_id = ?", edition_id)
        return rows[0] if rows else None

    def editions(self) -> list[EditionRecord]:
        """Every edition, oldest first."""
        return self._editions("ORDER BY date, revision")

    def previous_edition(self, edition_id: str) -> EditionRecord | None:
        """The latest edition recorded before this one (by date, then revision)."""
        earlier = [
            e for e in self.editions() if edition_order(e.edition_id) < edition_order(edition_id)
        ]
        return earlier[-1] if earlier else None

    def edition_data(self, edition_id: str) -> dict[str, bytes]:
        """The data files the edition was built from, checked against its checksum."""
        row = self._execute(
            "SELECT data, data_sha256 FROM editions WHERE edition_id = ?", edition_id
        )
        found = row.fetchone()
        if found is None:
            return {}
        try:
            blob = json.loads(zlib.decompress(found[0]))
            files = {str(name): base64.b64decode(text) for name, text in blob.items()}
        except (zlib.error, ValueError, TypeError, AttributeError):
            files = {}
        if data_checksum_of(files) != found[1]:
            raise RegisterError(
                f"the data recorded for edition {edition_id} is damaged (its checksum differs)",
                Location(self.path),
            )
        return files

    def edition_files(self, edition_id: str) -> list[tuple[str, str, str, str]]:
        """(audience, language, format, SHA-256) of each file built for the edition."""
        query = "SELECT audience, language, format, sha256 FROM edition_files WHERE edition_id = ? "
        query += "ORDER BY audience, language, format"
        return [tuple(row) for row in self._execute(query, edition_id).fetchall()]

    def editions_digest(self) -> str:
        """What the editions recorded are, in one string: a build's output depends on it
        (the changes since the previous edition), so its cache key includes it."""
        rows = self._execute("SELECT edition_id, data_sha256 FROM editions ORDER BY edition_id")
        return hashlib.sha256(repr(rows.fetchall()).encode()).hexdigest()

    def status_counts(self, edition_id: str) -> dict[str, int]:
        query = "SELECT status, COUNT(*) FROM copies WHERE edition_id = ? GROUP BY status"
        return dict(self._execute(query, edition_id).fetchall())

    def _editions(self, clause: str, *values: object) -> list[EditionRecord]:
        query = f"SELECT {_EDITION_COLUMNS} FROM editions {clause}"
        return [EditionRecord(*row) for row in self._execute(query, *values).fetchall()]
