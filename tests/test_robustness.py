"""Nothing is lost: failed, killed and concurrent builds leave complete files behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader

from kzbrief.manifest import verify_folder

from .conftest import Project

AUDIENCES = ["press", "business"]


def _command(project: Project) -> list[str]:
    args = [sys.executable, "-m", "kzbrief", "build", "--data", str(project.data)]
    args += ["--output", str(project.output), "--html"]
    return args + [arg for audience in AUDIENCES for arg in ("--audience", audience)]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


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


def test_a_build_killed_at_any_moment_leaves_old_or_new_files_never_broken(
    project: Project,
) -> None:
    subprocess.run(_command(project), check=True, capture_output=True)
    old = _snapshot(project.output)
    project.edit("trade.yaml", "import: 34900000", "import: 35200000")
    for delay in (0.3, 1.0, 2.0, 3.0, 4.0, 5.0, 6.5):
        process = subprocess.Popen(
            _command(project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = _snapshot(project.output)
        assert sorted(now) == sorted(old)
        for name, content in now.items():
            if content != old[name]:  # replaced by the killed build: must be whole
                _assert_complete(project.output / name)
    # The next build clears temporaries left by the killed ones.
    subprocess.run(_command(project), check=True, capture_output=True)
    leftovers = [p.name for p in project.output.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_two_builds_at_once_both_finish_with_valid_files(project: Project) -> None:
    first = subprocess.Popen(_command(project), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    second = subprocess.Popen(_command(project), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert first.wait() == 0 and second.wait() == 0
    names = sorted(p.name for p in project.output.iterdir() if not p.name.startswith("."))
    built = sorted(f"kazakhstan-iran-{a}.{s}" for a in AUDIENCES for s in ("pdf", "html"))
    assert names == sorted([*built, "manifest.json"])
    for name in built:
        _assert_complete(project.output / name)
    # both builds wrote the same files: the manifest (written under the lock) matches them
    assert verify_folder(project.output).problems == 0
    assert not [p for p in project.output.iterdir() if p.name.endswith(".tmp")]
    assert os.path.exists(project.output / ".kzbrief.lock")
