"""A real PostgreSQL server for the tests, from Debian's ``postgresql`` package.

A test module uses it by importing the fixture (tests/conftest.py does not define it)::

    from .postgres import Postgres, postgres  # noqa: F401 (the fixture)

    def test_something(postgres: Postgres) -> None:  # noqa: F811
        url = postgres.new_database("something")  # empty, owned by the analyst
        psycopg.connect(url, password=postgres.password)

The server is the session's: each pytest-xdist worker that runs a test asking for it starts
its own, on its own free port of 127.0.0.1, so workers share no state, and the tests that
use it spread over the workers like any others (a server starts in about 1.5 s).
It listens on 127.0.0.1 and a Unix socket in its own folder only, and is stopped, its
folder removed, when the session ends, whatever the tests did.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # imported when a test runs: without the extra, the fixture skips
    import psycopg

ADMIN = "kzbrief_admin"  # the cluster's superuser (initdb -U): tests create databases with it
ANALYST = "analyst"  # the role kzbrief connects as: owns the databases, no superuser
DATABASE = "kzbrief"
PROGRAMS = ("initdb", "pg_ctl", "postgres")
# The server is disposable: no fsync and no full-page images make initdb, CREATE DATABASE
# and commits cheap. synchronous_commit stays on: with it off, a commit is acknowledged
# before its WAL leaves the server's memory, and kill() (a crash) would lose committed rows,
# so the tests that kill the server mid-work could not tell kzbrief's losses from the
# fixture's. With fsync off, "on" costs one write() to the page cache per commit, which a
# killed process cannot lose.
SETTINGS = ("fsync=off", "full_page_writes=off")
NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")  # a database name that needs no quoting


def programs() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, all three from one installation: the
    one whose initdb is on PATH, else the highest version under /usr/lib/postgresql (Debian
    puts them there, not on PATH)."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    numeric = [path for path in versions if path.parent.name.isdigit()]
    candidates += sorted(numeric, key=lambda path: int(path.parent.name), reverse=True)
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in PROGRAMS):
            return folder
    return None


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user() -> list[str]:
    """The prefix that runs a command as the server's owner: initdb and postgres refuse to
    run as root, and this machine and CI run the tests as root, so there they run as the
    ``postgres`` user that Debian's package creates; anyone else runs them as themselves."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]


def _utf8_locale() -> list[str]:
    """C.UTF-8 when the system has it (glibc's built-in one); else the plain C locale."""
    try:
        listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return ["--no-locale"]
    names = {line.strip().lower().replace("-", "") for line in listed.stdout.splitlines()}
    return ["--locale=C.UTF-8"] if "c.utf8" in names else ["--no-locale"]


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs. A zombie does not: the server's processes are not our
    children (pg_ctl's postmaster is adopted by PID 1 when pg_ctl exits), and a container's
    PID 1 may reap them late or never."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the postmaster's backends and helpers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _wait_gone(pids: list[int], seconds: float) -> list[int]:
    """Wait up to ``seconds`` for ``pids`` to end; the ones still running."""
    deadline = time.monotonic() + seconds
    while (left := [pid for pid in pids if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def _sigkill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# Run beside the tests: stops the server if the test process dies without its teardown (a
# worker killed by a timeout or by xdist), when the pipe from that process closes unsaid.
_WATCHDOG = """
import shutil, subprocess, sys
if sys.stdin.read() != "done":
    subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


@dataclass
class Postgres:
    """A running server: its addresses, its two roles' passwords, and what a test may do."""

    folder: Path  # the whole server: data/, sock/, server.log, under /tmp
    bin: Path
    port: int
    password: str  # the analyst's: KZBRIEF_REGISTER_PASSWORD or PGPASSWORD
    admin_password: str
    _owner: list[str] = field(default_factory=list, repr=False)  # _as_server_user()
    _watchdog: subprocess.Popen[str] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The analyst's database, without the password (kzbrief refuses one in its URL)."""
        return self._url(ANALYST, DATABASE)

    @property
    def admin_url(self) -> str:
        return self._url(ADMIN, "postgres")

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _url(self, user: str, database: str) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> subprocess.CompletedProcess[str]:
        # cwd: the server user must be able to enter it (pytest's folders are root's, 0700)
        return subprocess.run(
            [*self._owner, *command], cwd=self.folder, capture_output=True, text=True, timeout=90
        )

    def _pg_ctl(self, *arguments: str) -> list[str]:
        return [str(self.bin / "pg_ctl"), "-D", str(self.data), *arguments]

    def start(self) -> None:
        """Start the server on its port and data (again, after kill() or stop())."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists() and self.postmaster() is None:
            # A killed postmaster left its lock files, the data folder's and its socket's.
            # PostgreSQL removes stale ones itself, unless the dead postmaster is an unreaped
            # zombie (see _alive): then it believes it still runs. Its shared memory is found
            # by the data folder's key and reclaimed at start either way.
            pid_file.unlink()
            for leftover in (self.folder / "sock").iterdir():  # the socket folder is ours
                leftover.unlink()
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder / 'sock'}"
        options += "".join(f" -c {setting}" for setting in SETTINGS)
        # -l: without a log file the postmaster keeps pg_ctl's stdout, our pipe, open forever
        log = str(self.folder / "server.log")
        started = self._run(*self._pg_ctl("start", "-w", "-t", "60", "-l", log, "-o", options))
        if started.returncode != 0:
            tail = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {started.stdout}{started.stderr}\n{tail}")

    def postmaster(self) -> int | None:
        """The running postmaster's process id, from its lock file; None when it is down."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None
        return pid if _alive(pid) else None

    def kill(self) -> None:
        """SIGKILL the postmaster, as a crash would, and return once its processes are gone
        (its backends end themselves when they see it die), so start() may follow at once."""
        postmaster = self.postmaster()
        if postmaster is None:
            return
        # Stopped first, it forks no backend between the count of its children and its death
        # (after which they belong to PID 1, and cannot be told from anyone's).
        os.kill(postmaster, signal.SIGSTOP)
        children = _children(postmaster)
        os.kill(postmaster, signal.SIGKILL)
        _wait_gone([postmaster], 10)
        # A backend busy in a long statement would otherwise hold the old shared memory, and
        # the next start refuse; none should need 10 s to notice.
        _sigkill(_wait_gone(children, 10))
        _wait_gone(children, 5)

    def stop(self) -> None:
        """Stop the server at once (pg_ctl stop -m immediate); nothing is left running."""
        postmaster = self.postmaster()
        if postmaster is None:
            return
        children = _children(postmaster)
        self._run(*self._pg_ctl("stop", "-w", "-t", "30", "-m", "immediate"))
        _sigkill(_wait_gone([postmaster, *children], 10))  # pg_ctl timed out: stop it anyway

    def admin(self) -> psycopg.Connection[tuple[Any, ...]]:
        """A connection as the superuser, to the maintenance database, in autocommit."""
        import psycopg

        return psycopg.connect(self.admin_url, password=self.admin_password, autocommit=True)

    def new_database(self, name: str) -> str:
        """A new, empty database ``name`` owned by the analyst; its URL (without password)."""
        from psycopg import sql

        if not NAME.fullmatch(name):
            raise ValueError(f"{name!r}: use lower-case letters, digits and _ (no quoting)")
        statement = sql.SQL("CREATE DATABASE {} OWNER {}")
        with self.admin() as connection:
            connection.execute(statement.format(sql.Identifier(name), sql.Identifier(ANALYST)))
        return self._url(ANALYST, name)

    def _set_up_roles(self) -> None:
        from psycopg import sql

        role = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}")
        database = sql.SQL("CREATE DATABASE {} OWNER {}")
        with self.admin() as connection:
            connection.execute(role.format(sql.Identifier(ANALYST), sql.Literal(self.password)))
            connection.execute(database.format(sql.Identifier(DATABASE), sql.Identifier(ANALYST)))

    def _guard(self) -> None:
        # The watchdog itself runs as us (it only reads a pipe); its pg_ctl, like ours, as
        # the server's owner.
        command = [*self._owner, *self._pg_ctl("stop", "-m", "immediate")]
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(self.folder), *command],
            stdin=subprocess.PIPE,
            cwd=self.folder,  # enterable by the server user, as pg_ctl needs
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # Ctrl-C on the tests reaches the tests, not it
        )

    def _release_guard(self) -> None:
        if self._watchdog is not None and self._watchdog.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self._watchdog.stdin.write("done")
                self._watchdog.stdin.close()
            self._watchdog.wait(timeout=30)
            self._watchdog = None


def _make_folder(owner: list[str]) -> Path:
    """The server's folder: under /tmp (short Unix socket paths, and every parent folder
    enterable by the server user), 0755 so that user can reach its data, given to it."""
    folder = Path(tempfile.mkdtemp(prefix="kzbrief-pg-", dir="/tmp"))
    folder.chmod(0o755)
    (folder / "data").mkdir(mode=0o700)  # initdb insists on 0700 (or 0750)
    (folder / "sock").mkdir(mode=0o755)
    if owner:
        import pwd

        user = pwd.getpwnam("postgres")
        for path in (folder, folder / "data", folder / "sock"):
            os.chown(path, user.pw_uid, user.pw_gid)
    return folder


@contextlib.contextmanager
def running_postgres() -> Iterator[Postgres]:
    """A fresh server for the length of the block; afterwards none of its processes and
    none of its files are left, however the block ended. Skips the test when Debian's
    postgresql is not installed, or fails it in CI (.ci/run installs it)."""
    folder = programs()
    owner = _as_server_user()
    missing = folder is None
    if not missing and owner:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            missing = True  # binaries without Debian's package: no user to run them as
    if missing:
        message = "needs Debian's postgresql (apt-get install postgresql): initdb, pg_ctl"
        message += ", postgres on PATH or in /usr/lib/postgresql/*/bin"
        message += ", and the postgres user when the tests run as root" if owner else ""
        if os.environ.get("CI"):
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
    assert folder is not None
    pytest.importorskip("psycopg", reason="needs psycopg (pip install -e '.[test]')")
    server = Postgres(
        folder=_make_folder(owner),
        bin=folder,
        port=0,
        password=secrets.token_urlsafe(18),
        admin_password=secrets.token_urlsafe(18),
        _owner=owner,
    )
    try:
        # initdb reads the superuser's password from a file; only the server user reads it
        password_file = server.folder / "admin-password"
        password_file.write_text(server.admin_password + "\n", encoding="utf-8")
        password_file.chmod(0o600)
        if owner:
            import pwd

            user = pwd.getpwnam("postgres")
            os.chown(password_file, user.pw_uid, user.pw_gid)
        initdb = [str(folder / "initdb"), "-D", str(server.data), "-U", ADMIN]
        initdb += [f"--pwfile={password_file}", "--auth=scram-sha-256", "-E", "UTF8"]
        initdb += [*_utf8_locale(), "--no-sync"]  # --no-sync: a disposable cluster
        made = server._run(*initdb)
        password_file.unlink()
        if made.returncode != 0:
            raise RuntimeError(f"initdb failed: {made.stdout}{made.stderr}")
        server._guard()
        for attempt in range(3):
            # another process may take the free port between the probe and the bind
            server.port = free_port()
            try:
                server.start()
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        server._set_up_roles()
        yield server
    finally:
        try:
            server.stop()
        finally:
            server._release_guard()
            shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """The session's PostgreSQL server (one per pytest-xdist worker that asks for it)."""
    with running_postgres() as server:
        yield server
