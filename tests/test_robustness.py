"""Nothing is lost: failed, killed and concurrent builds leave complete files behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kzbrief.publish.manifest import verify_folder
from kzbrief.testhook import MOMENTS, PAUSE_FILE_VARIABLE, PAUSE_VARIABLE

from .conftest import Project

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


def _survivors(pids: set[int], deadline: float = 5.0) -> set[int]:
    """The ``pids`` still alive after up to ``deadline`` seconds (killed, so none outlives us)."""
    end = time.monotonic() + deadline
    while (alive := {pid for pid in pids if _alive(pid)}) and time.monotonic() < end:
        time.sleep(0.05)
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    return alive


def _paused_build(project: Project, moment: str, marker: Path) -> subprocess.Popen[bytes]:
    """A real build, started and waited for until it stops at ``moment`` (testhook.py)."""
    marker.unlink(missing_ok=True)
    env = {**os.environ, PAUSE_VARIABLE: moment, PAUSE_FILE_VARIABLE: str(marker)}
    process = subprocess.Popen(
        [*_command(project), "--jobs", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300  # a deadline for a stuck build, not a timing check
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the build ended (exit {process.wait()}) before '{moment}'")
        time.sleep(0.05)
    return process


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc")
def test_a_build_killed_at_any_moment_leaves_old_or_new_files_never_broken(
    project: Project,
) -> None:
    subprocess.run(_command(project), check=True, capture_output=True)
    old = _snapshot(project.output)
    project.edit("trade.yaml", "import: 34900000", "import: 35200000")
    marker, locks = project.root / "paused", project.root / ".kzbrief" / "locks"
    for moment in MOMENTS:
        process = _paused_build(project, moment, marker)
        try:
            below = _descendants(process.pid)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        assert _survivors(below) == set(), f"processes of a build killed at '{moment}' live on"
        if moment == "typesetting":  # --jobs 2: it stopped inside a worker process
            assert int(marker.read_text()) in below, moment
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
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", {WATCHED!r}, str(os.getpid())])
print(child.pid, flush=True)
time.sleep(600)
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
