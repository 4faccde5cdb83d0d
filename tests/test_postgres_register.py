"""The register in PostgreSQL (issue 29), against a real server (tests/postgres.py starts one
from Debian's postgresql package): the same commands and guarantees as with SQLite, copy
numbers unique across processes, a server killed mid-issue, the errors, and migrate."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kzbrief.cli import main

from .conftest import run_kzbrief
from .postgres import Postgres, postgres  # noqa: F401 (the fixture)

PASSWORD_VARIABLE = "KZBRIEF_REGISTER_PASSWORD"
ONE_EDITION = ("--audience", "press", "--language", "en")
PIPE = subprocess.PIPE


def _project(root: Path, url: str | None, recipients: int = 0) -> Path:
    """A project made by init; its register at ``url``; ``recipients`` press readers."""
    assert main(["init", str(root)]) == 0
    if url is not None:
        config = root / "kzbrief.toml"
        text = config.read_text(encoding="utf-8")
        old = 'register = "distribution/register.sqlite"'
        assert old in text
        config.write_text(text.replace(old, f'register = "{url}"'), encoding="utf-8")
    if recipients:
        lines = ["recipients:"]
        for i in range(recipients):
            lines += [f"  - id: reader-{root.name}-{i:03d}", f'    name: "Reader {i:03d}"']
            lines += ['    organisation: "Test Office (fictitious)"', "    audience: press"]
        (root / "data" / "recipients.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    return root


def _kzbrief(root: Path, password: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_kzbrief(root, *args, env={PASSWORD_VARIABLE: password})


def _numbers(server: Postgres, url: str) -> list[int]:
    import psycopg

    with psycopg.connect(url, password=server.password) as connection:
        rows = connection.execute("SELECT number FROM copies ORDER BY number").fetchall()
    return [row[0] for row in rows]


def test_every_command_works_with_a_postgresql_register(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = postgres.new_database("commands")
    root = _project(tmp_path / "p", url)
    monkeypatch.chdir(root)
    monkeypatch.setenv(PASSWORD_VARIABLE, postgres.password)
    one = ["--audience", "press", "--language", "en"]
    assert main(["build", *one]) == 0
    assert main(["issue", "--audience", "press"]) == 0
    assert main(["issue", "--audience", "press"]) == 0  # again: unchanged, no new number
    capsys.readouterr()
    assert main(["register"]) == 0
    out = capsys.readouterr().out
    assert "press-wire" in out and out.rstrip().endswith("1 copy")
    # libpq's own parameters pass through the address
    assert main(["register", "--register", f"{url}?sslmode=disable&connect_timeout=5"]) == 0
    assert capsys.readouterr().out == out
    [copy] = (root / "output" / "copies").rglob("*.pdf")
    assert main(["trace", str(copy)]) == 0
    assert "recipient:    Saule Invented (press-wire)" in capsys.readouterr().out
    assert main(["editions"]) == 0
    assert "2026-11-27" in capsys.readouterr().out
    assert main(["issue", "--revoke", "press-wire"]) == 0
    assert main(["issue", "--audience", "press"]) == 0
    assert capsys.readouterr().out.splitlines()[-2].startswith("skipped    press-wire: revoked")
    assert main(["issue", "--reinstate", "press-wire"]) == 0
    import psycopg

    with psycopg.connect(url, password=postgres.password) as connection:
        history = connection.execute("SELECT status FROM history ORDER BY rowid").fetchall()
    assert [row[0] for row in history] == ["issued", "revoked"]  # every change kept


def test_four_processes_at_once_get_200_unique_numbers(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    url = postgres.new_database("concurrent")
    first = _project(tmp_path / "p0", url, recipients=50)
    built = _kzbrief(first, postgres.password, "build", *ONE_EDITION)  # recorded once
    assert built.returncode == 0, built.stderr
    roots = [first]
    for n in range(1, 4):  # the same project and edition, other readers: no build needed
        root = tmp_path / f"p{n}"
        shutil.copytree(first, root)
        recipients = root / "data" / "recipients.yaml"
        recipients.write_text(recipients.read_text().replace("reader-p0-", f"reader-p{n}-"))
        roots.append(root)
    environment = {**os.environ, PASSWORD_VARIABLE: postgres.password}
    command = [sys.executable, "-m", "kzbrief", "issue", "--audience", "press"]
    runs = [
        subprocess.Popen(
            command,
            cwd=root,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for root in roots
    ]
    results = [(run.wait(timeout=300), run.stderr.read() if run.stderr else "") for run in runs]
    for run in runs:
        for stream in (run.stdout, run.stderr):
            if stream:
                stream.close()
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert _numbers(postgres, url) == list(range(1, 201))
    # issue typesets only the languages its copies are in: no ru, kk or fa press edition
    built = sorted(path.name for path in (first / "output").glob("*.pdf"))
    assert built == ["kazakhstan-iran-press-en.pdf"], built


def test_a_server_killed_mid_issue_loses_and_repeats_no_number(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    import psycopg

    url = postgres.new_database("killed")
    root = _project(tmp_path / "p", url, recipients=20)
    built = _kzbrief(root, postgres.password, "build", *ONE_EDITION)
    assert built.returncode == 0, built.stderr
    environment = {**os.environ, PASSWORD_VARIABLE: postgres.password}
    issue = subprocess.Popen(
        [sys.executable, "-m", "kzbrief", "issue", "--audience", "press"],
        cwd=root,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # the moment: issue holds the register's lock, its transaction open
        query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        with psycopg.connect(postgres.admin_url, password=postgres.admin_password) as watch:
            watch.autocommit = True
            while watch.execute(query).fetchone()[0] == 0:
                assert issue.poll() is None, "issue ended before it took the lock"
                time.sleep(0.02)
        postgres.kill()
        code = issue.wait(timeout=120)
        stderr = issue.stderr.read() if issue.stderr else ""
    finally:
        if issue.poll() is None:
            issue.kill()
            issue.wait()
        if issue.stderr:
            issue.stderr.close()
        postgres.start()
    assert code == 9, stderr
    assert stderr.startswith("kzbrief: error: register ") and postgres.password not in stderr
    assert _numbers(postgres, url) == []  # the cut transaction kept nothing
    again = _kzbrief(root, postgres.password, "issue", "--audience", "press")
    assert again.returncode == 0, again.stderr
    assert _numbers(postgres, url) == list(range(1, 21))


def test_wrong_password_server_down_and_a_schema_from_the_future(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    import psycopg

    url = postgres.new_database("errors")
    root = _project(tmp_path / "p", url)
    refused = _kzbrief(root, "not-the-password", "register")
    assert refused.returncode == 9
    assert "authentication refused" in refused.stderr and refused.stderr.count("\n") == 1
    assert "not-the-password" not in refused.stderr
    down = url.replace(f":{postgres.port}/", f":{_free_port()}/")
    unreachable = _kzbrief(root, postgres.password, "register", "--register", down)
    assert unreachable.returncode == 9 and "cannot be reached" in unreachable.stderr
    missing = url.rsplit("/", 1)[0] + "/no_such_database"
    absent = _kzbrief(root, postgres.password, "register", "--register", missing)
    assert absent.returncode == 9 and "database does not exist" in absent.stderr
    empty = _kzbrief(root, postgres.password, "editions")  # reads only: creates nothing
    assert empty.returncode == 9 and "no register in this database yet" in empty.stderr
    assert _kzbrief(root, postgres.password, "issue", "--revoke", "press-wire").returncode == 0
    with psycopg.connect(url, password=postgres.password, autocommit=True) as connection:
        connection.execute("UPDATE kzbrief_schema SET version = 99")
    future = _kzbrief(root, postgres.password, "register")
    assert future.returncode == 9
    assert "written by a newer kzbrief (schema 99)" in future.stderr
    with_password = url.replace("://", "://analyst:secret@", 1)
    shown = _kzbrief(root, postgres.password, "register", "--register", with_password)
    assert shown.returncode == 64 and "holds a password" in shown.stderr
    assert "secret" not in shown.stderr.replace("holds a password", "")


def test_migrate_copies_the_example_register_once_and_changes_nothing_in_it(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
) -> None:
    url = postgres.new_database("migrated")
    root = _project(tmp_path / "p", None)  # the shipped example, its SQLite register
    for step in (["build", *ONE_EDITION], ["issue", "--audience", "press"]):
        made = _kzbrief(root, postgres.password, *step)
        assert made.returncode == 0, made.stderr
    sqlite = root / "distribution" / "register.sqlite"
    before = hashlib.sha256(sqlite.read_bytes()).hexdigest()
    first = _kzbrief(root, postgres.password, "register", "migrate", "--to", url)
    assert first.returncode == 0, first.stderr
    copies = [line for line in first.stdout.splitlines() if line.startswith("copies ")]
    assert copies and copies[0].split()[1] == copies[0].split()[3]  # rows = copied now
    again = _kzbrief(root, postgres.password, "register", "migrate", "--to", url)
    assert again.returncode == 0 and "      0 copied now" in again.stdout
    assert all(line.split()[3] == "0" for line in again.stdout.splitlines()[:6])
    assert hashlib.sha256(sqlite.read_bytes()).hexdigest() == before
    local = _kzbrief(root, postgres.password, "register")
    shared = _kzbrief(root, postgres.password, "register", "--register", url)
    assert shared.returncode == 0 and shared.stdout == local.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_newer_kzbrief_migrates_the_schema_forward_in_one_transaction(
    postgres: Postgres,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A register of schema 2 opened by a kzbrief that writes schema 3: its migration runs,
    the version follows; a migration that fails leaves schema and tables as they were."""
    import psycopg

    from kzbrief.distribute import register_postgres
    from kzbrief.distribute.register import Register
    from kzbrief.register_address import RegisterURL

    url = RegisterURL(postgres.new_database("schema"))
    monkeypatch.setenv(PASSWORD_VARIABLE, postgres.password)
    Register(url).close()  # schema 2, as this kzbrief writes it
    monkeypatch.setattr(register_postgres, "SCHEMA_VERSION", 3)
    broken = ["ALTER TABLE copies ADD COLUMN seal TEXT NOT NULL DEFAULT ''", "SELECT 1/0"]
    monkeypatch.setattr(register_postgres, "MIGRATIONS", {2: broken})
    with pytest.raises(Exception, match="division by zero"):
        Register(url)

    def schema() -> tuple[int, list[str]]:
        with psycopg.connect(url, password=postgres.password) as connection:
            [version] = connection.execute("SELECT version FROM kzbrief_schema").fetchone()
            query = "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            columns = [row[0] for row in connection.execute(query, ("copies",)).fetchall()]
        return version, columns

    version, columns = schema()
    assert version == 2 and "seal" not in columns  # all of the migration, or none
    monkeypatch.setattr(register_postgres, "MIGRATIONS", {2: broken[:1]})
    Register(url).close()
    version, columns = schema()
    assert version == 3 and "seal" in columns


def test_send_records_each_message_in_the_postgresql_register(
    postgres: Postgres,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """send reads the copies from, and records 'sent' into, the shared register."""
    import psycopg
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self) -> None:
            self.recipients: list[str] = []

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            self.recipients += envelope.rcpt_tos  # type: ignore[attr-defined]
            return "250 OK"

    url = postgres.new_database("sent")
    root = _project(tmp_path / "p", url)
    port = _free_port()
    config = root / "kzbrief.toml"
    text = config.read_text(encoding="utf-8").replace(
        'host = "localhost"\nport = 25', f'host = "127.0.0.1"\nport = {port}'
    )
    config.write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv(PASSWORD_VARIABLE, postgres.password)
    assert main(["build", *ONE_EDITION]) == 0
    assert main(["issue", "--audience", "press"]) == 0
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert main(["send"]) == 0
    finally:
        controller.stop()
    assert handler.recipients == ["saule.invented@example.org"]
    with psycopg.connect(url, password=postgres.password) as connection:
        [status] = connection.execute("SELECT status FROM copies").fetchone()
        history = connection.execute("SELECT status FROM history ORDER BY rowid").fetchall()
    assert status == "sent" and [row[0] for row in history] == ["issued", "sent"]
