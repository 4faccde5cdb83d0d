"""The register in PostgreSQL, for a team: the same tables and guarantees as the SQLite file.

One copy number is never given twice, even from several machines at once, because every
write transaction first takes one transaction-scoped advisory lock: writers queue as
SQLite's ``BEGIN IMMEDIATE`` makes them queue, and a transaction cut short (a killed
server, a lost connection) is rolled back whole, so no number is half-given. The schema is
versioned in ``kzbrief_schema``: the first run creates it, a newer kzbrief migrates it in
one transaction, an older one meeting a newer schema refuses (exit 9).

psycopg 3 (binary wheels) is the driver: libpq's own parameters (sslmode, sslrootcert,
connect_timeout…) pass through the address unchanged, and libpq reads PGPASSWORD and
~/.pgpass itself.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import RegisterError, UsageError
from ..register_address import RegisterURL

if TYPE_CHECKING:
    import psycopg

PASSWORD_VARIABLE = "KZBRIEF_REGISTER_PASSWORD"
# Every kzbrief writer takes this lock first ("kzbrief" in ASCII, as a bigint).
LOCK = 0x6B7A6272696566
SCHEMA_VERSION = 2  # the SQLite register's user_version, kept in step
SCHEMA = """
CREATE TABLE kzbrief_schema (version INTEGER NOT NULL);
CREATE TABLE copies (
    copy_id TEXT PRIMARY KEY, edition_id TEXT NOT NULL, edition_sha256 TEXT NOT NULL,
    number INTEGER NOT NULL, recipient_id TEXT NOT NULL, recipient_name TEXT NOT NULL,
    organisation TEXT NOT NULL, audience TEXT NOT NULL, language TEXT NOT NULL,
    edition_date TEXT NOT NULL, file TEXT NOT NULL, copy_sha256 TEXT NOT NULL,
    issued_at TEXT NOT NULL, status TEXT NOT NULL, batch TEXT NOT NULL DEFAULT '',
    marking TEXT NOT NULL DEFAULT '', watermark TEXT NOT NULL DEFAULT '',
    signed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (edition_sha256, number)
);
CREATE INDEX copies_by_recipient ON copies (recipient_id);
CREATE INDEX copies_by_edition ON copies (edition_id, number);
CREATE TABLE history (
    rowid BIGSERIAL PRIMARY KEY,  -- the order of events, as SQLite's rowid gives it
    copy_id TEXT NOT NULL REFERENCES copies (copy_id), status TEXT NOT NULL,
    at TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', message_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX history_by_copy ON history (copy_id);
CREATE TABLE editions (
    edition_id TEXT PRIMARY KEY, date TEXT NOT NULL, revision INTEGER NOT NULL,
    data_sha256 TEXT NOT NULL, data BYTEA NOT NULL, built_at TEXT NOT NULL,
    issued_at TEXT NOT NULL DEFAULT ''
);
CREATE TABLE edition_files (
    edition_id TEXT NOT NULL REFERENCES editions (edition_id), audience TEXT NOT NULL,
    language TEXT NOT NULL, format TEXT NOT NULL, sha256 TEXT NOT NULL,
    PRIMARY KEY (edition_id, audience, language, format)
);
CREATE TABLE recipients (
    recipient_id TEXT PRIMARY KEY, name TEXT NOT NULL, organisation TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '', revoked_at TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
CREATE TABLE recipient_history (
    rowid BIGSERIAL PRIMARY KEY, recipient_id TEXT NOT NULL, event TEXT NOT NULL,
    at TEXT NOT NULL, note TEXT NOT NULL DEFAULT ''
);
"""
# Forward migrations, from each version to the next, run in one transaction (none yet:
# version 2 is the first PostgreSQL schema).
MIGRATIONS: dict[int, Sequence[str]] = {}


def open_postgres(url: RegisterURL, create: bool) -> psycopg.Connection[Any]:
    """A connection to the register at ``url``, its schema created or brought up to date."""
    connection = _connect(url)
    try:
        with transaction(connection, url):
            found = connection.execute("SELECT to_regclass('kzbrief_schema')").fetchone()
            if found is None or found[0] is None:
                if not create:
                    raise RegisterError(f"{_name(url)}: no register in this database yet "
                                        "(build or issue copies first)")  # fmt: skip
                connection.execute(SCHEMA)
                connection.execute("INSERT INTO kzbrief_schema VALUES (%s)", (SCHEMA_VERSION,))
            _migrate(connection, url)
    except BaseException:
        connection.close()
        raise
    return connection


def _migrate(connection: psycopg.Connection[Any], url: RegisterURL) -> None:
    [version] = connection.execute("SELECT version FROM kzbrief_schema").fetchone() or [0]
    if version > SCHEMA_VERSION:
        raise RegisterError(
            f"{_name(url)}: the register was written by a newer kzbrief (schema {version}); "
            "upgrade kzbrief to use it"
        )
    while version < SCHEMA_VERSION:
        for statement in MIGRATIONS[version]:
            connection.execute(statement)
        version += 1
        connection.execute("UPDATE kzbrief_schema SET version = %s", (version,))


@contextlib.contextmanager
def transaction(connection: psycopg.Connection[Any], url: RegisterURL) -> Iterator[None]:
    """One write transaction, after every other kzbrief writer's: all of it kept, or none."""
    import psycopg

    try:
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
            yield
    except psycopg.Error as exc:
        raise register_error(exc, url) from None


def execute(
    connection: psycopg.Connection[Any], url: RegisterURL, query: str, values: Sequence[object]
) -> psycopg.Cursor[Any]:
    """The tables' queries are written for SQLite: its ``?`` placeholders become ``%s``."""
    import psycopg

    try:
        return connection.execute(query.replace("?", "%s"), values)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        raise register_error(exc, url) from None


def _connect(url: RegisterURL) -> psycopg.Connection[Any]:
    try:
        import psycopg
    except ImportError:
        raise UsageError(
            "a PostgreSQL register needs psycopg: pip install 'kzbrief[postgresql]'",
            field="register",
        ) from None
    password = os.environ.get(PASSWORD_VARIABLE) or None
    options: dict[str, Any] = {"autocommit": True, "application_name": "kzbrief"}
    try:
        return psycopg.connect(str(url), password=password, **options)
    except psycopg.OperationalError as exc:
        if password or not _asks_password(exc) or not sys.stdin.isatty():
            raise register_error(exc, url) from None
    typed = getpass.getpass(f"password for the register {url.shown}: ")
    try:
        return psycopg.connect(str(url), password=typed, **options)
    except psycopg.OperationalError as exc:
        raise register_error(exc, url) from None


def _asks_password(exc: Exception) -> bool:
    text = str(exc).lower()
    return "no password supplied" in text or "password authentication failed" in text


def _name(url: RegisterURL) -> str:
    return f"register {url.shown}"


def register_error(exc: Exception, url: RegisterURL) -> RegisterError:
    """One line saying what went wrong: never the password (libpq's messages do not carry
    it, and the address cannot hold one), never a traceback."""
    text = " ".join(str(exc).split())
    lower = text.lower()
    if "password" in lower or "authentication failed" in lower:
        problem = (
            "authentication refused (check the user, and the password in "
            f"${PASSWORD_VARIABLE}, PGPASSWORD or ~/.pgpass)"
        )
    elif "does not exist" in lower and "database" in lower:
        problem = "the database does not exist (create it, or correct the address)"
    elif "connection refused" in lower or "could not connect" in lower or "timeout" in lower:
        problem = "the server cannot be reached (is it running, and is the address right?)"
    elif "terminat" in lower or "server closed" in lower or "connection" in lower:
        problem = f"the connection to the server was lost ({text[:160]})"
    else:
        problem = f"the register cannot be used ({text[:200]})"
    password = os.environ.get(PASSWORD_VARIABLE)
    message = f"{_name(url)}: {problem}; nothing was changed"
    return RegisterError(message.replace(password, "***") if password else message)
