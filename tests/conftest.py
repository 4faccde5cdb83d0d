"""Shared fixtures: a private copy of the project, and one real build of it."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from kzbrief.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent


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


def copy_project(destination: Path) -> Project:
    shutil.copytree(REPO / "data", destination / "data")
    (destination / "output").mkdir()
    return Project(destination)


@pytest.fixture(autouse=True)
def _outside_the_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own empty folder: the repository's kzbrief.toml, output/ and
    distribution/ are never read or written by a test that gives no paths."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path)


def pdf_text(path: Path) -> str:
    """The PDF's text with line breaks folded, so phrases can be searched."""
    raw = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    raw = raw.replace("\u2010", "-").replace("\u00ad", "-")  # Unicode hyphens, soft hyphens
    # A hyphen at a line end is either hyphenation ("Kazakh-/stan") or a real
    # hyphen ("Confidence-/Building"): keep both readings, one after the other.
    joined = re.sub(r"(\w)-\n(\w)", r"\1\2", raw)
    kept = re.sub(r"(\w)-\n(\w)", r"\1-\2", raw)
    return re.sub(r"\s+", " ", f"{joined}\n\n{kept}")


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
    """One full build of every shipped audience, shared by the read-only tests."""
    project = copy_project(tmp_path_factory.mktemp("built"))
    paths = project.build(formats=("pdf", "html"))
    pdfs = {p.stem.removeprefix("kazakhstan-iran-"): p for p in paths if p.suffix == ".pdf"}
    return BuiltBriefing(paths, pdfs, {name: pdf_text(pdf) for name, pdf in pdfs.items()})
