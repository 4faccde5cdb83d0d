"""Shared fixtures: a private copy of the project, and one real build of it."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import logging
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from pypdf import PdfReader

from kzbrief.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent

# Property tests (test_fuzz.py) explore new examples on a person's machine, and keep what
# fails in hypothesis' example database; in CI they run the same examples every time, so a
# failure there is not a one-in-four that passes on rerun.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# A shell starts a background job (`pytest ... &`, a CI step run with `&`) with Ctrl-C
# ignored, and every process it starts inherits that: the tests that stop kzbrief with
# SIGINT, as Ctrl-C does, would wait for a process that cannot hear it. The tests' own
# processes hear it again (a handler, unlike "ignored", is not inherited past exec).
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@dataclass
class Project:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def edit(self, relative: str, old: str, new: str) -> None:
        """Replace one exact piece of text in a data file (it must be there once)."""
        path = self.data / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not in {relative} exactly once"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def build(self, **options: object) -> list[Path]:
        return build(BuildOptions(data=self.data, output=self.output, **options))


@contextlib.contextmanager
def logged_warnings() -> Iterator[list[str]]:
    """Every warning kzbrief logs inside the block (counted by --strict or not), in order."""

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record.getMessage())

    kept: list[str] = []
    handler = Keep(logging.WARNING)
    logging.getLogger("kzbrief").addHandler(handler)
    try:
        yield kept
    finally:
        logging.getLogger("kzbrief").removeHandler(handler)


def copy_project(destination: Path, languages: bool = False) -> Project:
    """A copy of the shipped project. Its audiences are read in English only unless
    ``languages``: most tests are about one edition per audience, and the translated
    editions (tests/test_languages.py) would triple what each of them typesets."""
    shutil.copytree(REPO / "data", destination / "data")
    (destination / "output").mkdir()
    if not languages:
        for path in (destination / "data" / "audiences").glob("*.yaml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"(?m)^  languages: \[.*$", "  languages: [en]", text))
    return Project(destination)


@pytest.fixture(autouse=True)
def _outside_the_repository(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test runs in an empty folder of its own (not its tmp_path, so paths in messages
    stay absolute): the repository's kzbrief.toml, output/ and distribution/ are never read or
    written by a test that gives no paths."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path)


def run_kzbrief(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m kzbrief ARGS`` in ``cwd`` as its own process, its output captured; ``env``
    adds to (or overrides) this process's environment."""
    return subprocess.run(
        [sys.executable, "-m", "kzbrief", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks folded, so phrases can be searched."""
    raw = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    raw = raw.replace("\u2010", "-").replace("\u00ad", "-")  # Unicode hyphens, soft hyphens
    # A hyphen at a line end is either hyphenation ("Kazakh-/stan") or a real
    # hyphen ("Confidence-/Building"): keep both readings, one after the other.
    joined = re.sub(r"(\w)-\n(\w)", r"\1\2", raw)
    kept = re.sub(r"(\w)-\n(\w)", r"\1-\2", raw)
    return re.sub(r"\s+", " ", f"{joined}\n\n{kept}")


def edition_id(path: Path) -> str:
    """kazakhstan-iran-press-en.pdf -> "press"; kazakhstan-iran-press-ru.pdf -> "press-ru"."""
    return path.stem.removeprefix("kazakhstan-iran-").removesuffix("-en")


@dataclass
class BuiltBriefing:
    paths: list[Path]
    pdfs: dict[str, Path]  # by audience id
    texts: dict[str, str]

    @property
    def pdf(self) -> Path:
        return self.pdfs["government"]

    @property
    def text(self) -> str:
        return self.texts["government"]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltBriefing:
    """One full build of every shipped audience, shared by the read-only tests (and by the
    pytest-xdist workers: one builds it, the others wait for it and read it)."""

    def make(folder: Path) -> list[str]:
        project = copy_project(folder)
        return [str(path) for path in project.build(formats=("pdf", "html"))]

    paths = [Path(path) for path in once_per_run(tmp_path_factory, "built", make)]
    pdfs = {edition_id(p): p for p in paths if p.suffix == ".pdf"}
    return BuiltBriefing(paths, pdfs, {name: pdf_text(pdf) for name, pdf in pdfs.items()})


# The expensive fixtures of single modules (test_layout's stressed build, test_languages'
# translated editions, ...) are session fixtures too, though one module uses each: pytest-xdist
# runs other modules' tests between a module's own, and a module fixture is then torn down
# and built again (the suite measured three of them built twice).


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], list[str]]
) -> list[str]:
    """What ``make`` returns for a fresh folder, made once per test run. Each pytest-xdist
    worker has its own session, so a session fixture is set up in every worker that needs
    it: a full build each, on the same two cores. Here the first worker makes it, under a
    lock in the folder all workers share, and records the result beside it; the others
    wait for the lock and read the record."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent  # this run's, above each worker's own
    folder, record = shared / name, shared / f"{name}.json"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not record.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed halfway
            folder.mkdir()
            record.write_text(json.dumps(make(folder)), encoding="utf-8")
        return json.loads(record.read_text(encoding="utf-8"))


@dataclass
class Issued:
    """A project with editions built and copies issued, and its register."""

    project: Project  # its output/ and .kzbrief/ belong to this issue
    register: Path
    out: str = ""  # what `issue` printed
    data: Path | None = None  # default: the project's; a sibling reads the original's

    def args(self, command: str, *extra: str) -> list[str]:
        data = self.data or self.project.data
        base = [command, "--data", str(data), "--output", str(self.project.output)]
        return [*base, "--register", str(self.register), *extra]

    def copy(self, audience: str, number: int, edition: str = "2026-11-27") -> Path:
        """Copy ``number`` of the edition: numbers run per edition id, across audiences."""
        name = f"kazakhstan-iran-{audience}-en-copy-{number:03d}.pdf"
        return self.project.output / "copies" / edition / audience / name

    def rows(self) -> list[tuple]:
        with sqlite3.connect(self.register) as db:
            return db.execute("SELECT * FROM copies ORDER BY audience, number").fetchall()

    def sibling(self, folder: Path, copies: bool = True, register: bool = True) -> Issued:
        """Its own output, build state and register, copied from this one, reading the same
        data folder: a build in it finds every PDF in the (copied) cache, nothing is typeset."""
        project = Project(folder)
        shutil.copytree(self.project.output, project.output)
        shutil.copytree(self.project.root / ".kzbrief", folder / ".kzbrief")
        if not copies:
            shutil.rmtree(project.output / "copies")
        sibling = Issued(project, folder / "register.sqlite", "", self.data or self.project.data)
        if register:
            shutil.copy(self.register, sibling.register)
        return sibling


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's folder: shared by all pytest-xdist workers, or the one session's own."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


def this_process() -> str:
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'pytest')} (pid {os.getpid()})"


def claim_for_the_run(folder: Path, name: str, claimant: str) -> None:
    """Record that ``claimant`` set up ``name``; fail if another process already did.

    The issued copies' tests change one register in turn, so one process must set it up
    and run them all: a second set-up means pytest-xdist split them (the tests of a
    module not in xdist_group("issued"), or a pytest whose --dist loadgroup does not group).
    """
    claim = folder / f"{name}.claimed-by"
    draft = folder / f"{name}.{os.getpid()}.draft"
    draft.write_text(claimant, encoding="utf-8")
    try:
        os.link(draft, claim)  # atomic: the first claimant wins, whole
    except FileExistsError:
        owner = claim.read_text(encoding="utf-8")
        if owner != claimant:
            pytest.fail(
                f"{name} was set up by {owner} and again by {claimant}: the tests that "
                f'share it must run in one process (xdist_group("{name}"), --dist loadgroup)'
            )
    finally:
        draft.unlink()


@pytest.fixture(scope="session")
def issued(tmp_path_factory: pytest.TempPathFactory) -> Issued:
    """Copies for the government and press recipients (three), issued once for the suite."""
    from kzbrief.cli import main

    claim_for_the_run(run_folder(tmp_path_factory), "issued", this_process())
    folder = tmp_path_factory.mktemp("issued")
    result = Issued(copy_project(folder), folder / "distribution" / "register.sqlite")
    out = io.StringIO()
    # A session fixture is set up before the per-test folder change: leave the repository's
    # kzbrief.toml out of it here too, so the build state sits beside this output.
    with contextlib.redirect_stdout(out), pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        code = main(result.args("issue", "--audience", "government", "--audience", "press"))
    assert code == 0
    result.out = out.getvalue()
    return result


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """kzbrief installed from the repository as a user gets it: a built wheel, not editable."""
    target = tmp_path_factory.mktemp("site-packages")
    command = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target"]
    subprocess.run([*command, str(target), str(REPO)], check=True, capture_output=True)
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium driven by Debian's chromedriver (Selenium), for the whole session."""
    from .test_web_edition import _chromium

    _chromium()
    if shutil.which("chromedriver") is None:
        if os.environ.get("CI"):
            pytest.fail("chromedriver is missing: .ci/run installs Debian's chromium-driver")
        pytest.skip("needs Debian's chromium-driver (apt-get install chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=900,1200"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()
