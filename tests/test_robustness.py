"""Nothing is lost: failed, killed and concurrent builds leave complete files behind."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from kzbrief.publish.manifest import verify_folder

from .conftest import Project
from .plugins.kzbrief_stops import MOMENTS
from .stops import stopped_at

AUDIENCES = ["press", "business"]


def _command(project: Project) -> list[str]:
    args = [sys.executable, "-m", "kzbrief", "build", "--data", str(project.data)]
    args += ["--output", str(project.output), "--html"]
    return args + [arg for audience in AUDIENCES for arg in ("--audience", audience)]


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Everything in the folder: it holds only what is distributed, nothing hidden."""
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _assert_complete(path: Path) -> None:
    if path.suffix == ".json":
        assert path.read_text(encoding="utf-8").rstrip().endswith("}")
    elif path.suffix == ".pdf":
        data = path.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        assert len(PdfReader(path).pages) >= 1
    else:
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>")


def test_failed_build_keeps_the_previous_outputs(project: Project) -> None:
    subprocess.run(_command(project), check=True, capture_output=True)
    before = _snapshot(project.output)
    project.edit("trade.yaml", "export: 1279000000", "export: lots")
    result = subprocess.run(_command(project), capture_output=True, text=True)
    assert result.returncode == 2
    assert _snapshot(project.output) == before


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid``, from /proc (zombies count as dead)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat_fields(stat)
        if fields and fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _stat_fields(stat: Path) -> list[str]:
    """/proc/PID/stat after the command name (which may hold spaces): state, ppid, ..."""
    try:
        text = stat.read_text()
    except OSError:  # the process has just gone
        return []
    return text[text.rindex(")") + 2 :].split()


def _alive(pid: int) -> bool:
    fields = _stat_fields(Path(f"/proc/{pid}/stat"))
    return bool(fields) and fields[0] != "Z"


def _survivors(pids: set[int], deadline: float = 30.0) -> set[int]:
    """The ``pids`` still alive once all have ended or ``deadline`` seconds have passed
    (those are killed, so none outlives us). Each is waited for on a pidfd, which
    becomes readable when the process ends; the deadline only catches one that lives on."""
    waiting: dict[int, int] = {}
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # already gone
            waiting[os.pidfd_open(pid)] = pid
    try:
        while waiting:
            ready, _, _ = select.select(list(waiting), [], [], deadline)
            if not ready:
                break
            for descriptor in ready:
                os.close(descriptor)
                del waiting[descriptor]
        alive = {pid for pid in waiting.values() if _alive(pid)}
        for pid in alive:
            os.kill(pid, signal.SIGKILL)
        return alive
    finally:
        for descriptor in waiting:
            os.close(descriptor)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc")
def test_a_build_killed_at_any_moment_leaves_old_or_new_files_never_broken(
    project: Project,
) -> None:
    subprocess.run(_command(project), check=True, capture_output=True)
    old = _snapshot(project.output)
    project.edit("trade.yaml", "import: 34900000", "import: 35200000")
    locks = project.root / ".kzbrief" / "locks"
    for moment in MOMENTS:
        command = [*_command(project), "--jobs", "2"]
        with stopped_at(moment, command, project.root) as stop:  # killed on leaving
            below = _descendants(stop.process.pid)
        assert _survivors(below) == set(), f"processes of a build killed at '{moment}' live on"
        if moment == "typesetting":  # --jobs 2: it stopped inside a worker process
            assert stop.pid in below, moment
        else:
            assert stop.pid == stop.process.pid, moment
        if moment == "locked":  # the killed build could not delete its lock file
            assert len(list(locks.iterdir())) == 1
        now = _snapshot(project.output)
        temporaries = [name for name in now if name.endswith(".tmp")]
        assert len(temporaries) == (moment == "before-rename"), (moment, temporaries)
        now = {name: data for name, data in now.items() if name not in temporaries}
        assert sorted(now) == sorted(old), moment
        changed = sorted(name for name in now if now[name] != old[name])
        for name in changed:  # replaced by the killed build: must be whole
            _assert_complete(project.output / name)
        published = MOMENTS.index(moment) - MOMENTS.index("between-files")
        assert (len(changed) > 0) == (published >= 0), (moment, changed)
        if moment == "after-manifest":
            assert verify_folder(project.output).problems == 0
    # The next build clears temporaries and stale lock files left by the killed ones.
    subprocess.run(_command(project), check=True, capture_output=True)
    assert sorted(_snapshot(project.output)) == sorted(old)
    assert list(locks.iterdir()) == []


def test_two_builds_at_once_both_finish_with_valid_files(project: Project) -> None:
    first = subprocess.Popen(_command(project), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(_command(project), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.wait() == 0 and second.wait() == 0
    # Only what is distributed: no cache, no lock, no temporary files.
    names = sorted(p.name for p in project.output.iterdir())
    built = sorted(f"kazakhstan-iran-{a}-en.{s}" for a in AUDIENCES for s in ("pdf", "html"))
    assert names == sorted([*built, "manifest.json"])
    for name in built:
        _assert_complete(project.output / name)
    # both builds wrote the same files: the manifest (written under the lock) matches them
    assert verify_folder(project.output).problems == 0
    # the lock lived in the state folder and went away with the build that held it last
    assert list((project.root / ".kzbrief" / "locks").iterdir()) == []


WATCHED = (
    "import sys; from kzbrief.formats.workers import watch_parent; watch_parent(int(sys.argv[1]))"
)
PARENT = f"""
import os, signal, subprocess, sys
child = subprocess.Popen([sys.executable, "-c", {WATCHED!r}, str(os.getpid())])
print(child.pid, flush=True)
signal.pause()  # until the test kills it
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc")
def test_the_parent_watchdog_ends_a_worker_whose_parent_died() -> None:
    """Where Linux's parent-death signal is missing, workers watch their parent instead."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()
    parent.wait()
    parent.stdout.close()
    assert _survivors({child}) == set()
