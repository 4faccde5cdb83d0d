"""``kzbrief trace``: whose copy a PDF is, page by page, on real copies issued by ``issue``."""

from __future__ import annotations

import contextlib
import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from kzbrief.cli import main
from kzbrief.distribute.register import Register
from kzbrief.distribute.trace import read_foot_line

from .conftest import Project, copy_project

pytestmark = pytest.mark.xdist_group("trace")  # they share one issue

EDITION = "2026-11-27"  # meta.edition of the shipped data
BY_EYE = "read the foot line (Copy N · Edition …) by eye and look the copy up with kzbrief register"


@dataclass
class Copies:
    """The government copies (Aigerim Example's is copy 1, Daniyar Sample's copy 2)."""

    project: Project
    register: Path
    files: dict[str, Path]  # by recipient id

    @property
    def edition(self) -> Path:
        return self.project.output / "kazakhstan-iran-government-en.pdf"

    def trace(self, pdf: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        project = self.project
        args = ["--data", str(project.data), "--output", str(project.output)]
        code = main(["trace", *args, "--register", str(self.register), str(pdf)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture(scope="session")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Copies:
    folder = tmp_path_factory.mktemp("traced")
    project = copy_project(folder)
    register = folder / "distribution" / "register.sqlite"
    args = ["issue", "--data", str(project.data), "--output", str(project.output)]
    # Leave the repository's kzbrief.toml out of it (a session fixture runs before the
    # per-test folder change), and keep issue's report out of the first test's capture.
    with contextlib.redirect_stdout(io.StringIO()), pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main([*args, "--register", str(register), "--audience", "government"]) == 0
    with Register(register, create=False) as opened:
        files = {r.recipient_id: project.output / r.file for r in opened.copies()}
    assert set(files) == {"mfa-asia-desk", "embassy-tehran"}
    return Copies(project, register, files)


def _pages_of(target: Path, *parts: tuple[Path, slice]) -> None:
    with pikepdf.new() as pdf:
        for source, pages in parts:
            with pikepdf.open(source) as opened:
                pdf.add_pages_from(opened, pages)
        pdf.save(target)


def _strip_ids(source: Path, target: Path) -> str:
    """The copy without its hidden ids (page marks, XMP DocumentID, trailer /ID[0]); returns
    the random /ID put in their place, as a UUID."""
    random_id = os.urandom(16)
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            del page.obj.PieceInfo
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            del meta["xmpMM:DocumentID"]
            del meta["xmpMM:InstanceID"]
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(random_id)] * 2)
        pdf.save(target)
    return str(uuid.UUID(bytes=random_id))


def _strip_marking(source: Path, target: Path) -> None:
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            streams = [s for s in page.obj.Contents if b"/KzbriefCopy" not in s.read_bytes()]
            page.obj.Contents = pikepdf.Array(streams)
        pdf.save(target)


def test_pages_of_two_copies_name_both_copies_and_their_pages(
    copies: Copies, tmp_path: Path, capsys
) -> None:
    mixed = tmp_path / "mixed.pdf"
    alice, bob = copies.files["mfa-asia-desk"], copies.files["embassy-tehran"]
    _pages_of(mixed, (alice, slice(0, 4)), (bob, slice(4, 7)), (copies.edition, slice(0, 1)))
    code, out, err = copies.trace(mixed, capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:3] == [
        f"pages 1–4: copy 1 of edition {EDITION} (government, en), issued to Aigerim Example "
        "(mfa-asia-desk)",
        f"pages 5–7: copy 2 of edition {EDITION} (government, en), issued to Daniyar Sample "
        "(embassy-tehran)",
        "page 8: no marking (no copy id, no foot line)",
    ]
    assert [line for line in lines if line.startswith(("copy:", "pages:", "found by:"))] == [
        f"copy:         1 of the government edition (en) of {EDITION}",
        "pages:        1–4 of 8",
        "found by:     its copy id in the page marks (/PieceInfo)",
        f"copy:         2 of the government edition (en) of {EDITION}",
        "pages:        5–7 of 8",
        "found by:     its copy id in the page marks (/PieceInfo)",
    ]


def test_a_copy_id_the_register_lacks_is_named_and_fails_the_trace(
    copies: Copies, tmp_path: Path, capsys
) -> None:
    stranger = str(uuid.uuid4())  # a copy of another office's register, say
    mixed = tmp_path / "mixed.pdf"
    _pages_of(mixed, (copies.files["mfa-asia-desk"], slice(0, 7)))
    with pikepdf.open(mixed, allow_overwriting_input=True) as pdf:
        for page in pdf.pages[4:]:
            page.obj.PieceInfo["/kzbrief"].Private.CopyId = stranger
        pdf.save(mixed)
    code, out, err = copies.trace(mixed, capsys)
    assert code == 10
    assert out.splitlines()[1] == (
        f"pages 5–7: copy id {stranger}, not in the register; found by its copy id in the "
        "page marks (/PieceInfo)"
    )
    assert err == f"{mixed}: 1 of the 2 copies found are not in the register\n"


def test_a_copy_without_its_hidden_ids_is_matched_by_its_foot_line(
    copies: Copies, tmp_path: Path, capsys
) -> None:
    stripped = tmp_path / "stripped.pdf"
    random_id = _strip_ids(copies.files["embassy-tehran"], stripped)
    code, out, err = copies.trace(stripped, capsys)
    assert (code, err) == (0, ""), out + err
    assert f"copy:         2 of the government edition (en) of {EDITION}" in out
    assert "recipient:    Daniyar Sample (embassy-tehran)" in out
    assert out.splitlines()[-1] == (
        f"found by:     matched by the visible marking only (copy 2, edition {EDITION} on the "
        "foot line; the hidden copy ids are gone)"
    )
    assert random_id not in out


def test_a_random_document_id_is_never_called_a_copy_id(
    copies: Copies, tmp_path: Path, capsys
) -> None:
    stripped, bare = tmp_path / "stripped.pdf", tmp_path / "bare.pdf"
    random_id = _strip_ids(copies.files["embassy-tehran"], stripped)
    _strip_marking(stripped, bare)
    code, out, err = copies.trace(bare, capsys)
    assert (code, out, err) == (10, "", f"{bare}: not a copy in the register\n")
    assert random_id not in err
    # Acrobat and InDesign write uuid: DocumentIDs too: one the register lacks is not ours.
    foreign, other = tmp_path / "foreign.pdf", str(uuid.uuid4())
    with pikepdf.open(copies.edition) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["xmpMM:DocumentID"] = f"uuid:{other}"
        pdf.save(foreign)
    code, out, err = copies.trace(foreign, capsys)
    assert (code, out, err) == (10, "", f"{foreign}: not a copy in the register\n")


def test_an_image_only_pdf_says_its_foot_line_must_be_read_by_eye(
    copies: Copies, tmp_path: Path, capsys
) -> None:
    import pypdfium2

    scan = tmp_path / "scan.pdf"
    document = pypdfium2.PdfDocument(copies.files["mfa-asia-desk"])
    document[0].render(scale=1).to_pil().convert("RGB").save(scan, "PDF", resolution=72)
    document.close()
    code, out, err = copies.trace(scan, capsys)
    assert (code, out) == (10, "")
    assert err == (
        f"{scan}: not a copy in the register: no copy id, and no text layer (a scan or an "
        f"image?); {BY_EYE}\n"
    )


@pytest.mark.parametrize(
    ("case", "problem"),
    [
        ("missing", "no such file"),
        ("folder", "a folder, not a PDF"),
        ("text", "not a PDF (it does not begin with %PDF-)"),
        ("truncated", "not a readable PDF (damaged or cut short)"),
    ],
)
def test_what_is_no_readable_pdf_is_one_line_and_exit_13(
    copies: Copies, tmp_path: Path, capsys, case: str, problem: str
) -> None:
    target = tmp_path / f"{case}.pdf"
    if case == "folder":
        target.mkdir()
    elif case == "text":
        target.write_text("Copy 1 · Edition 2026-11-27 · Issued to someone\n", encoding="utf-8")
    elif case == "truncated":
        content = copies.files["mfa-asia-desk"].read_bytes()
        target.write_bytes(content[: len(content) // 2])
    code, out, err = copies.trace(target, capsys)
    assert (code, out, err) == (13, "", f"{target}: {problem}\n")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Page 7 of 7\nCopy 3 · Edition 2026-11-27 · Issued to A, B · 6 December 2026", 3),
        ("Экземпляр № 12 · Издание 2026-11-27.2 · Получатель: А, Б · 6 декабря 2026 г.", 12),
        ("Дана № 4 · Басылым 2026\u201111\u201127 · Кімге берілді: А, Б · 2026", 4),
        ("نسخه ۵ · ویرایش ۲۰۲۶-۱۱-۲۷ · صادرشده برای الف، ب · ۶ آذر ۱۴۰۵", 5),
        ("Page 7 of 7\nEdition 2026-11-27", None),  # no copy number on the line
        ("Copy · Edition 2026-11-27", None),
        ("The talks of 2026-11-27 and copy 3", None),  # a date before a number is no foot line
    ],
)
def test_the_foot_line_is_read_in_any_language(text: str, found: int | None) -> None:
    edition = "2026-11-27.2" if "2026-11-27.2" in text else EDITION
    assert read_foot_line(text) == (None if found is None else (edition, found))
