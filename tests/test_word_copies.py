"""Word files: never a numbered copy (README, "Formats": a Word document and its copy marks
are trivially edited, so issue refuses and trace says why), and verify looks for them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from kzbrief.cli import main
from kzbrief.errors import EXIT_UNREADABLE, EXIT_USAGE


def test_issue_refuses_word_copies_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "p")]) == 0
    monkeypatch.chdir(tmp_path / "p")
    capsys.readouterr()
    assert main(["issue", "--format", "docx"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("kzbrief: error: --format: copies are issued as PDF only, not docx")
    assert "trivially edited" in err and err.count("\n") == 1
    assert not (tmp_path / "p" / "distribution").exists()  # nothing issued, no register


def test_trace_says_a_word_document_is_never_a_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "briefing.docx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert main(["trace", str(document)]) == EXIT_UNREADABLE
    out, err = capsys.readouterr()
    assert "a Word document is never a numbered copy" in out + err
    assert "does not begin with %PDF-" not in out + err


def test_verify_reports_a_word_file_the_manifest_does_not_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """verify looks for every format's files, .docx included, not only .pdf and .html."""
    assert main(["init", str(tmp_path / "p")]) == 0
    monkeypatch.chdir(tmp_path / "p")
    assert main(["build", "--audience", "press", "--language", "en", "--format", "html"]) == 0
    (tmp_path / "p" / "output" / "stray.docx").write_bytes(b"PK\x03\x04")
    capsys.readouterr()
    assert main(["verify", "output"]) == 7
    assert "UNLISTED  stray.docx (not in the manifest)" in capsys.readouterr().out
