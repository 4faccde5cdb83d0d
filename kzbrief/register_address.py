"""Where the register is: a SQLite file (the default, one analyst's machine), or a PostgreSQL
database a team shares (``postgresql://user@host:5432/db``).

An address never holds a password: one in kzbrief.toml would sit in a file the team shares
and commits, one on the command line would show in ``ps``. The password comes from
$KZBRIEF_REGISTER_PASSWORD, libpq's own PGPASSWORD or ~/.pgpass, or a prompt on a terminal
(distribute/register_postgres.py). This module only reads the address: it imports nothing
a build with nothing to do would not load anyway.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from .errors import UsageError

SCHEMES = ("postgresql", "postgres")
EXAMPLE = "postgresql://analyst@db.example.org:5432/briefings?sslmode=verify-full"


class RegisterURL(str):
    """A PostgreSQL register's address, as given (its libpq parameters included)."""

    __slots__ = ()

    @property
    def shown(self) -> str:
        """The address for messages: without its query (parameters may name key files)."""
        return self.split("?", 1)[0]


# Where a register is: a SQLite file, or a PostgreSQL database's address.
RegisterAddress = Path | RegisterURL


def is_register_url(text: str) -> bool:
    return text.split("://", 1)[0].lower() in SCHEMES and "://" in text


def register_address(
    text: str, base: Path = Path(), where: str = "--register"
) -> Path | RegisterURL:
    """A register setting or option: a PostgreSQL URL (checked), else a SQLite file's path
    (relative to ``base``: the folder of kzbrief.toml for its setting)."""
    if not is_register_url(text):
        return base / text
    problem = _url_problem(text)
    if problem:
        raise UsageError(
            f"not a PostgreSQL address kzbrief can use ({problem}); expected one such as {EXAMPLE}",
            field=where,
        )
    return RegisterURL(text)


def _url_problem(text: str) -> str | None:
    if any(c.isspace() or not c.isprintable() for c in text):
        return "it holds a space or a control character"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (a port that is not a number raises here)
        parameters = parse_qsl(
            parts.query, keep_blank_values=True, strict_parsing=bool(parts.query)
        )
    except ValueError as exc:
        return str(exc)
    if parts.password is not None:
        return (
            "it holds a password, which would be written in a file or shown in the process "
            "list: give it in $KZBRIEF_REGISTER_PASSWORD, PGPASSWORD or ~/.pgpass instead"
        )
    if not parts.hostname:
        return "no host"
    if not parts.path.strip("/"):
        return "no database name after the host"
    if parts.fragment:
        return "a '#' part"
    if any(name.lower() == "password" for name, _ in parameters):
        return "it holds a password parameter: give it in $KZBRIEF_REGISTER_PASSWORD instead"
    return None


def register_exists(address: RegisterAddress | None) -> bool:
    """Whether there may be a register to read: a SQLite file that exists; a server's database
    always may (asking it is how to know)."""
    if address is None:
        return False
    return isinstance(address, RegisterURL) or address.is_file()
