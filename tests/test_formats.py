"""The format seam: a format is one module behind formats/format.py's interface, and the
build names none. A plain-text format added from outside the package is built through
the same editions, manifest and verify as the PDF."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import kzbrief
from kzbrief.build import build_with_report
from kzbrief.formats import FORMAT_MODULES
from kzbrief.formats.format import make_writer
from kzbrief.options import BuildOptions
from kzbrief.publish.manifest import verify_folder

from .conftest import Project

TEXT_FORMAT = """
import re
from contextlib import contextmanager

from kzbrief.formats.format import Output

ADDED = []


class TextWriter:
    def __init__(self):
        self.outputs = {}

    def add(self, rendered):
        ADDED.append(rendered.edition.key)
        text = re.sub(r"<[^>]+>", " ", rendered.html)
        self.outputs[rendered.number] = Output(" ".join(text.split()).encode(), None)

    def flush(self):
        pass

    def finish(self):
        return self.outputs


@contextmanager
def make_writer(settings):
    yield TextWriter()
"""


def test_every_format_named_for_the_command_line_has_a_module_with_a_writer() -> None:
    assert list(FORMAT_MODULES) == list(kzbrief.FORMATS)
    for name in FORMAT_MODULES:
        assert callable(make_writer(name))


@pytest.fixture
def text_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    (tmp_path / "plain_text_format.py").write_text(TEXT_FORMAT, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(kzbrief.FORMATS, "txt", "the briefing's words, without markup")
    monkeypatch.setitem(FORMAT_MODULES, "txt", "plain_text_format")
    yield
    sys.modules.pop("plain_text_format", None)


def test_a_new_format_is_one_module_and_one_entry(project: Project, text_format: None) -> None:
    options = BuildOptions(data=project.data, output=project.output, formats=("txt",))
    options.audiences = ["press"]
    report = build_with_report(options)
    [written] = report.written
    assert written.name == "kazakhstan-iran-press-en.txt"
    text = written.read_text(encoding="utf-8")
    assert "Kazakhstan" in text and "<" not in text
    assert sys.modules["plain_text_format"].ADDED == ["press/en/txt"]
    manifest = json.loads((project.output / "manifest.json").read_text(encoding="utf-8"))
    [entry] = manifest["files"]
    assert (entry["file"], entry["kind"], entry["pages"]) == (written.name, "txt", None)
    assert verify_folder(project.output).problems == 0
