"""`issue` of 1,000 recipients with each register: the SQLite file, and PostgreSQL on
loopback (a server started as the tests start one: tests/postgres.py). Target: PostgreSQL
within 1.5x of SQLite."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

from measure import ENV, PY, REPO, Project, run, write_recipients


def bench_registers(project: Project, count: int = 1000) -> dict[str, tuple[float, float]]:
    """The same issue (the press edition, up to date) into an empty register of each kind."""
    sys.path.insert(0, str(REPO))  # tests.postgres: the server the tests use
    from tests.postgres import running_postgres

    write_recipients(project, count, "press")
    project.clean()
    common = ["--data", str(project.root / "data"), "--output", str(project.output)]
    common += ["--templates", str(project.root / "templates")]
    run([PY, "-m", "kzbrief", "build", *common, "--audience", "press"])
    sqlite = project.root / "distribution" / "register.sqlite"
    issue = [PY, "-m", "kzbrief", "issue", *common, "--audience", "press", "--register"]
    shutil.rmtree(sqlite.parent, ignore_errors=True)
    timings = {f"issue {count} copies, SQLite register": _wall([*issue, str(sqlite)])}
    with running_postgres() as server:
        url = server.new_database("benchmark")
        ENV["KZBRIEF_REGISTER_PASSWORD"] = server.password  # the environment run() gives
        shutil.rmtree(project.output / "copies", ignore_errors=True)
        timings[f"issue {count} copies, PostgreSQL on loopback"] = _wall([*issue, url])
    return timings


def _wall(args: list[str]) -> tuple[float, float]:
    """Wall seconds only: run() waits for every adopted orphan to count its CPU, and the
    PostgreSQL server the block keeps running is one (it would wait for it forever)."""
    start = time.perf_counter()
    subprocess.run(args, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start, float("nan")


def report_registers(timings: dict[str, tuple[float, float]]) -> None:
    (_, (sqlite_wall, _)), (_, (postgres_wall, _)) = timings.items()
    print("\n| register | wall |\n|---|---|")
    for name, (wall, _) in timings.items():
        print(f"| {name} | {wall:.2f} s |")
    print(f"| PostgreSQL / SQLite | {postgres_wall / sqlite_wall:.2f} (target <= 1.5) |")
