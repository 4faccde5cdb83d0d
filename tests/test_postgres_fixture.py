"""tests/postgres.py: the real PostgreSQL server the register's tests run against: it checks
passwords, survives a kill with its committed data, gives each test its own database, and
leaves no process and no file behind."""

from __future__ import annotations

import pytest

from .postgres import Postgres, _alive, _children, postgres, running_postgres  # noqa: F401

# No xdist group: each worker that runs these starts its own server (1.5 s), and the
# tests spread over both workers rather than queue on one.

psycopg = pytest.importorskip("psycopg")


def test_the_analyst_connects_with_its_password_on_127_0_0_1(
    postgres: Postgres,  # noqa: F811
) -> None:
    assert postgres.url == f"postgresql://analyst@127.0.0.1:{postgres.port}/kzbrief"
    assert postgres.password not in postgres.url and postgres.password not in postgres.admin_url
    with psycopg.connect(postgres.url, password=postgres.password) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)
        user, address = connection.execute("SELECT current_user, inet_server_addr()").fetchone()
        owner = connection.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
        ).fetchone()
        superuser = connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = 'analyst'")
        assert (user, str(address), owner, superuser.fetchone()) == (
            "analyst",
            "127.0.0.1",
            ("analyst",),
            (False,),
        )
        encoding = connection.execute("SHOW server_encoding").fetchone()
        assert encoding == ("UTF8",)


def test_a_wrong_password_is_refused(postgres: Postgres) -> None:  # noqa: F811
    with pytest.raises(psycopg.OperationalError, match="authentication failed"):
        psycopg.connect(postgres.url, password="not-" + postgres.password)
    with pytest.raises(psycopg.OperationalError, match="authentication failed"):
        psycopg.connect(postgres.admin_url, password=postgres.password)  # not the admin's


def test_kill_cuts_the_connections_and_start_brings_the_data_back(
    postgres: Postgres,  # noqa: F811
) -> None:
    url = postgres.new_database("survivor")
    with psycopg.connect(url, password=postgres.password) as connection:
        connection.execute("CREATE TABLE kept (n integer)")
        connection.execute("INSERT INTO kept VALUES (1), (2)")
    idle = psycopg.connect(url, password=postgres.password)  # a backend the kill cuts
    postmaster = postgres.postmaster()
    assert postmaster is not None
    backends = _children(postmaster)
    assert backends  # the server's helpers and the idle connection's backend
    try:
        postgres.kill()
        assert postgres.postmaster() is None
        assert not any(_alive(pid) for pid in [postmaster, *backends])  # a crash, all gone
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, password=postgres.password, connect_timeout=5)
        with pytest.raises(psycopg.OperationalError):
            idle.execute("SELECT 1")
    finally:
        idle.close()
        postgres.start()
    with psycopg.connect(url, password=postgres.password) as connection:
        assert connection.execute("SELECT n FROM kept ORDER BY n").fetchall() == [(1,), (2,)]


def test_new_database_gives_each_test_its_own(postgres: Postgres) -> None:  # noqa: F811
    first, second = postgres.new_database("first_one"), postgres.new_database("second_one")
    assert first.endswith("/first_one") and second.endswith("/second_one")
    with psycopg.connect(first, password=postgres.password) as connection:
        connection.execute("CREATE TABLE copies (number integer)")  # the analyst owns it
        connection.execute("INSERT INTO copies VALUES (7)")
    with psycopg.connect(second, password=postgres.password) as connection:
        tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        assert connection.execute(tables).fetchone() == (0,)
    with pytest.raises(psycopg.errors.DuplicateDatabase):
        postgres.new_database("first_one")
    with pytest.raises(ValueError, match="no quoting"):
        postgres.new_database('x"; DROP DATABASE kzbrief; --')


def test_a_server_leaves_no_process_and_no_folder_even_when_the_test_fails() -> None:
    """What the session's teardown does, on a server of its own: a failing test inside."""
    with pytest.raises(ZeroDivisionError), running_postgres() as server:
        postmaster = server.postmaster()
        assert postmaster is not None
        connection = psycopg.connect(server.url, password=server.password)
        processes = [postmaster, *_children(postmaster)]
        watchdog = server._watchdog
        assert watchdog is not None and watchdog.poll() is None
        1 / 0  # noqa: B018 (the failing test)
    connection.close()
    assert not any(_alive(pid) for pid in processes)
    assert not server.folder.exists()
    assert watchdog.poll() == 0  # told the server was stopped: it stopped nothing itself


def test_the_watchdog_stops_a_server_whose_tests_died() -> None:
    """A worker killed before its teardown: the watchdog, its pipe closed, stops the server."""
    with running_postgres() as server:
        postmaster = server.postmaster()
        assert postmaster is not None and server._watchdog is not None
        assert server._watchdog.stdin is not None
        server._watchdog.stdin.close()  # what the kernel does when the worker dies
        assert server._watchdog.wait(timeout=30) == 0
        assert not _alive(postmaster)
        assert not server.folder.exists()
        server._watchdog = None  # nothing left for the teardown to tell it
