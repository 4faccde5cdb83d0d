"""The typesetting server and its workers (formats/workers.py, server.py) end with the
build: none outlives it, not even for a moment, and a second build in the same process
uses the same server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Project, copy_project

# Runs a command as the "subreaper" of its process tree: a descendant whose parent ends
# before it comes to this script, which then finds it alive or as an unreaped exit.
REAPER = """
import ctypes, os, subprocess, sys
assert ctypes.CDLL(None).prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
left = []
while True:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    left.append(pid)
    if pid == 0:  # one still running
        break
print(code, left)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux subreaper")
def test_no_process_of_a_build_outlives_it(project: Project) -> None:
    build = [sys.executable, "-m", "kzbrief", "build", "--data", str(project.data)]
    build += ["--output", str(project.output), "--audience", "press", "--audience", "business"]
    done = subprocess.run(
        [sys.executable, "-c", REAPER, *build, "--jobs", "2"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.split() == ["0", "[]"], done.stderr
    assert sorted(p.name for p in project.output.glob("*.pdf")) == [
        "kazakhstan-iran-business-en.pdf",
        "kazakhstan-iran-press-en.pdf",
    ]


TWO_BUILDS = """
import sys
from pathlib import Path
from kzbrief.build import BuildOptions, build
from kzbrief.formats import workers
data, output = Path(sys.argv[1]), Path(sys.argv[2])
for _ in range(2):
    build(BuildOptions(data=data, output=output, audiences=["press"], languages=("en", "ru"),
                       workers=2, cache=False))
    print(workers._running().process.pid)
"""


def test_later_builds_in_one_process_share_its_server(tmp_path: Path) -> None:
    project = copy_project(tmp_path, languages=True)  # two editions each: both use workers
    done = subprocess.run(
        [sys.executable, "-c", TWO_BUILDS, str(project.data), str(tmp_path / "out")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    first, second = done.stdout.split()
    assert first == second
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 2
