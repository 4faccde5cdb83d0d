"""What every benchmark shares: running a command and timing it (wall and CPU, its whole
process tree), the build's --timings line, medians, a private copy of the project, and the
fixed yardstick. run.py and languages.py both import it; neither imports the other.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
# Measure what users get: Python caches compiled modules (some sandboxes turn that off).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def adopt_orphans() -> None:
    """Become the subreaper of every process a command leaves behind: the build's
    typesetting fork server outlives it by a moment and is nobody's child to wait for, so
    its CPU time (and its workers') would be missing from RUSAGE_CHILDREN."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap() -> None:
    """Wait for every child left: the adopted fork servers (see adopt_orphans)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def run(
    args: list[str], cwd: Path | None = None, stderr: list[str] | None = None
) -> tuple[float, float]:
    """Wall and CPU seconds (user+sys of the process and all its descendants) of one
    command; its standard error appended to ``stderr`` if given."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        args, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wall = time.perf_counter() - start
    reap()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if stderr is not None:
        stderr.append(done.stderr.decode())
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# `build --timings` ends with a line: all, pages, typesetting CPU seconds, CPU per page.
_ALL = re.compile(r"^all\s+(\d+)\s+([\d.]+)\s+([\d.]+)$", re.MULTILINE)


def typesetting_cpu(stderr: str) -> tuple[int, float]:
    """Pages and WeasyPrint CPU seconds summed over the editions a build typeset."""
    found = _ALL.search(stderr)
    if found is None:
        raise SystemExit(f"no timings in the build's output:\n{stderr}")
    return int(found[1]), float(found[2])


def median_of(repeat: int, step) -> tuple[float, float]:
    samples = [step(i) for i in range(repeat)]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


class Project:
    """A private copy of the data and templates, built with the real CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(REPO / "data", root / "data")
        shutil.copytree(REPO / "templates", root / "templates")
        self.output = root / "output"

    def build(self, *extra: str, formats: str = "pdf,html") -> list[str]:
        return [
            PY,
            "-m",
            "kzbrief",
            "build",
            "--data",
            str(self.root / "data"),
            "--templates",
            str(self.root / "templates"),
            "--output",
            str(self.output),
            "--format",
            formats,
            "--language",
            "en",  # the four English editions, as measured before languages existed
            "--quiet",
            *extra,
        ]

    def clean(self) -> None:
        shutil.rmtree(self.output, ignore_errors=True)
        shutil.rmtree(self.root / ".kzbrief", ignore_errors=True)  # the build cache


REFERENCE = REPO / "benchmarks" / "reference" / "government.html"


# The yardstick's faces, as installed at 6864aea (PyPI, 0.0.1 each). kzbrief vendors newer
# versions of the families since b748740; without these, WeasyPrint falls back to other
# fonts and the yardstick is another document (9 pages instead of 7).
FONT_PACKAGES = ("font_source_serif_pro", "font_source_sans_pro")


def font_folders() -> list[str]:
    """Where Python finds the yardstick's font packages (they are not imported)."""
    folders = []
    for package in FONT_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit(
                f"the yardstick's fonts ({package}) are missing: pip install --target DIR "
                "font-source-serif-pro==0.0.1 font-source-sans-pro==0.0.1, then run with "
                "PYTHONPATH=DIR (kzbrief itself no longer needs them)"
            )
        folders.append(next(iter(spec.submodule_search_locations)))
    return folders


def yardstick_html(scratch: Path) -> Path:
    """The fixed yardstick (the government HTML as built when the typesetting-cost work
    began), its font URLs resolved to the font packages, wherever Python finds them."""
    text = REFERENCE.read_text(encoding="utf-8")
    for package, folder in zip(FONT_PACKAGES, font_folders(), strict=True):
        text = text.replace(f"site-packages:///{package}/", Path(folder).as_uri() + "/")
    html = scratch / "yardstick.html"
    html.write_text(text, encoding="utf-8")
    return html


def write_recipients(project: Project, count: int, audience: str) -> None:
    """``count`` invented recipients of ``audience`` as the project's recipients.yaml."""
    people = "".join(
        f"  - {{id: r{n}, name: Reader {n}, organisation: Office {n} (fictitious), "
        f"audience: {audience}}}\n"
        for n in range(1, count + 1)
    )
    (project.root / "data" / "recipients.yaml").write_text("recipients:\n" + people)
