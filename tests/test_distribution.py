"""Numbered recipient copies: issue, the register, trace; read back from the real files."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from kzbrief.cli import main

from .conftest import Issued, Project, claim_for_the_run, run_folder, this_process

COPY_LINE = re.compile(
    r"Copy (\d+) · (?:Edition [\d.-]+ · )?Issued to ([^·]+) · (\d{1,2} \w+ \d{4})"
)


pytestmark = pytest.mark.xdist_group("issued")  # they share the session's issued copies


def test_these_tests_share_one_worker(
    issued: Issued, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """They change the one register in turn: pytest-xdist must keep them on one worker.
    With pytest 9.2 its grouping silently stopped (pyproject.toml pins pytest below). The
    issued copies are claimed for the run by the process that sets them up; a second
    process setting them up fails (conftest.claim_for_the_run)."""
    claim = run_folder(tmp_path_factory) / "issued.claimed-by"
    assert claim.read_text(encoding="utf-8") == this_process()


def test_a_second_process_setting_up_shared_copies_fails(tmp_path: Path) -> None:
    claim_for_the_run(tmp_path, "issued", "gw0 (pid 1)")
    claim_for_the_run(tmp_path, "issued", "gw0 (pid 1)")  # the same process: nothing wrong
    twice = re.escape("set up by gw0 (pid 1) and again by gw1 (pid 2)")
    with pytest.raises(pytest.fail.Exception, match=twice):
        claim_for_the_run(tmp_path, "issued", "gw1 (pid 2)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issued.claimed-by"]


def test_issue_writes_one_numbered_copy_per_recipient(issued: Issued) -> None:
    lines = issued.out.splitlines()
    assert len(lines) == 4 and all(line.startswith("issued") for line in lines[:3])
    assert lines[3] == "edition 2026-11-27: 3 new, 0 restored, 0 unchanged, 0 skipped"
    assert [r[3] for r in issued.rows()] == [1, 2, 3]  # numbers per edition id, all audiences
    for audience, number, who in [
        ("government", 1, "Aigerim Example, Ministry of Foreign Affairs, Asia Department"),
        ("government", 2, "Daniyar Sample, Embassy of the Republic of Kazakhstan in Tehran"),
        ("press", 3, "Saule Invented, Press Office, news desk"),
    ]:
        reader = PdfReader(issued.copy(audience, number))
        edition = PdfReader(issued.project.output / f"kazakhstan-iran-{audience}-en.pdf")
        assert len(reader.pages) == len(edition.pages)
        for page in reader.pages:  # the line is on every page
            found = COPY_LINE.search(page.extract_text())
            assert found and found[1] == str(number) and found[2].startswith(who)


def test_a_copy_stays_pdf_a_3b_with_the_marking_as_an_artifact(issued: Issued) -> None:
    copy = pikepdf.open(issued.copy("government", 1))
    edition = pikepdf.open(issued.project.output / "kazakhstan-iran-government-en.pdf")
    meta = copy.open_metadata()
    assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
    assert meta["dc:title"] == edition.open_metadata()["dc:title"]
    assert "/OutputIntents" in copy.Root and "/StructTreeRoot" in copy.Root
    assert copy.Root.MarkInfo.Marked
    names = sorted(str(spec.F) for spec in copy.Root.AF)
    assert names == sorted(str(spec.F) for spec in edition.Root.AF) and "trade.yaml" in names
    assert "recipients.yaml" not in names  # the list of recipients never travels
    for page in copy.pages:
        content = page.obj.Contents
        last = content[-1] if isinstance(content, pikepdf.Array) else content
        assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in last.read_bytes()
    fonts = _fonts(copy)
    assert fonts and all(embedded for _, embedded in fonts)
    families = {name.split("+")[-1] for name, _ in fonts}  # the marking's too: packaged fonts
    assert all(f.startswith(("Source-Serif-4", "Source-Sans-3")) for f in families), families


def _fonts(pdf: pikepdf.Pdf) -> list[tuple[str, bool]]:
    found = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            embedded = any(key in obj for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(obj.FontName).lstrip("/"), embedded))
    return found


def test_the_watermark_is_the_audiences_choice(issued: Issued) -> None:
    government = PdfReader(issued.copy("government", 1)).pages[1].extract_text()
    press = PdfReader(issued.copy("press", 3)).pages[1].extract_text()
    assert "FOR OFFICIAL USE" in government.replace("\n", " ") or "F O R" in government
    assert "FOR OFFICIAL USE" not in press


def test_issuing_again_changes_nothing(issued: Issued, capsys) -> None:
    before = {p: p.read_bytes() for p in (issued.project.output / "copies").rglob("*.pdf")}
    rows = issued.rows()
    assert main(issued.args("issue", "--audience", "government", "--audience", "press")) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()] == ["unchanged"] * 3 + ["edition"]
    assert issued.rows() == rows
    assert {p: p.read_bytes() for p in before} == before


def _trace(issued: Issued, pdf: Path, capsys) -> tuple[int, str]:
    code = main(issued.args("trace", str(pdf)))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _strip_metadata(source: Path, target: Path) -> None:
    with pikepdf.open(source) as pdf:
        del pdf.Root.Metadata
        del pdf.trailer.Info
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(b"\0" * 16)] * 2)
        pdf.save(target)


def _strip_marking(source: Path, target: Path) -> None:
    """Remove the stamped content stream and its form from every page."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            streams = [s for s in page.obj.Contents if b"/KzbriefCopy" not in s.read_bytes()]
            page.obj.Contents = pikepdf.Array(streams)
            if "/KzbriefCopy" in page.obj.Resources.XObject:  # pages may share resources
                del page.obj.Resources.XObject["/KzbriefCopy"]
        pdf.save(target)


def _renumbered(source: Path, target: Path) -> None:
    subprocess.run(["qpdf", str(source), str(target.with_suffix(".qpdf.pdf"))], check=True)
    with pikepdf.open(target.with_suffix(".qpdf.pdf")) as pdf:
        pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.disable, linearize=True)


@pytest.mark.parametrize("change", ["as issued", "re-saved", "no metadata", "no marking"])
def test_trace_finds_the_recipient(issued: Issued, tmp_path: Path, capsys, change: str) -> None:
    copy = issued.copy("government", 2)
    target = tmp_path / "found.pdf"
    if change == "as issued":
        shutil.copy(copy, target)
    elif change == "re-saved":
        _renumbered(copy, target)
    elif change == "no metadata":
        _strip_metadata(copy, target)
        assert "/Metadata" not in pikepdf.open(target).Root
    else:
        _strip_marking(copy, target)
        assert not any(COPY_LINE.search(p.extract_text()) for p in PdfReader(target).pages)
    assert target.read_bytes() != copy.read_bytes() or change == "as issued"
    code, out = _trace(issued, target, capsys)
    assert code == 0, out
    assert "copy:         2 of the government edition (en) of 2026-11-27" in out
    assert "recipient:    Daniyar Sample (embassy-tehran)" in out
    assert "organisation: Embassy of the Republic of Kazakhstan in Tehran (fictitious)" in out
    assert re.search(r"issued:       \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", out)


def test_trace_refuses_a_pdf_that_is_no_copy(issued: Issued, tmp_path: Path, capsys) -> None:
    code, out = _trace(issued, issued.project.output / "kazakhstan-iran-press-en.pdf", capsys)
    assert code == 10
    assert out.strip().endswith("kazakhstan-iran-press-en.pdf: not a copy in the register")
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.7 nothing here")
    code, out = _trace(issued, garbage, capsys)
    assert code == 13 and out.strip().endswith(
        "garbage.pdf: not a readable PDF (damaged or cut short)"
    )


def test_register_prints_a_table_and_csv(issued: Issued, capsys) -> None:
    assert main(issued.args("register")) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:4] == ["copy", "edition", "audience", "lang"]
    assert table[-1] == "3 copies" and "embassy-tehran" in table[2]
    assert main(issued.args("register", "--csv", "--edition", "2026-11-27")) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and rows[0]["status"] == "issued"
    copy = issued.copy("press", 3)
    press = next(r for r in rows if r["audience"] == "press")
    assert press["copy_sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert main(issued.args("register", "--edition", "2020-01-01")) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 copies"
    assert main(issued.args("register", "--edition", "last week")) == 64


def test_copies_are_in_the_manifest_and_verify_covers_them(issued: Issued, capsys) -> None:
    assert main(["verify", str(issued.project.output)]) == 0
    out = capsys.readouterr().out
    assert (
        "ok        copies/2026-11-27/government/kazakhstan-iran-government-en-copy-002.pdf" in out
    )


def test_revoking_keeps_the_row_and_stops_reissue(issued: Issued, tmp_path: Path, capsys) -> None:
    issued = issued.sibling(tmp_path / "revoke")
    assert main(issued.args("issue", "--revoke", "press-wire")) == 0
    out = capsys.readouterr().out
    assert "revoked   copy 3 of edition 2026-11-27 (press/en) issued to press-wire" in out
    assert [row[13] for row in issued.rows()] == ["issued", "issued", "revoked"]
    with sqlite3.connect(issued.register) as db:
        query = "SELECT h.status FROM history h JOIN copies c USING (copy_id) "
        history = [r[0] for r in db.execute(query + "WHERE recipient_id = 'press-wire'")]
    assert history == ["issued", "revoked"]
    assert main(issued.args("issue", "--recipient", "press-wire")) == 0
    assert capsys.readouterr().out.startswith("skipped    press-wire: revoked on ")
    assert len(issued.rows()) == 3
    assert main(issued.args("issue", "--revoke", "press-wire")) == 64


def test_two_concurrent_runs_never_share_a_number(issued: Issued, tmp_path: Path) -> None:
    """Two real processes issue to two recipients of one edition at the same moment."""
    race = issued.sibling(tmp_path / "race", copies=False, register=False)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "kzbrief", *race.args("issue", "--recipient", who)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("mfa-asia-desk", "embassy-tehran")
    ]
    results = [run.communicate(timeout=240) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], results
    with sqlite3.connect(race.register) as db:
        numbers = sorted(n for (n,) in db.execute("SELECT number FROM copies"))
    assert numbers == [1, 2]


def _write_recipients(project: Project, text: str) -> None:
    (project.data / "recipients.yaml").write_text(text, encoding="utf-8")


BAD_RECIPIENTS = """recipients:
  - id: one
    name: "A Person"
    organisation: "Somewhere"
    audience: embassy
  - id: one
    name: "B Person"
    organisation: "Elsewhere"
    audience: press
    email: not-an-address
  - id: three
    name: "C Person\\r\\nBcc: everyone@example.org"
    organisation: "Third office"
    audience: press
"""


def test_bad_recipients_are_all_reported_with_their_lines(project: Project, capsys) -> None:
    _write_recipients(project, BAD_RECIPIENTS)
    args = ["issue", "--data", str(project.data), "--output", str(project.output)]
    assert main(args) == 2
    err = capsys.readouterr().err.splitlines()
    path = project.data / "recipients.yaml"
    assert err == [
        f"{path}:5:15: recipients[0].audience: unknown audience 'embassy' "
        "(known: business, government, press, us-policy)",
        f"{path}:6:9: recipients[1].id: recipient id 'one' is used twice",
        f"{path}:10:12: recipients[1].email: not a valid e-mail address "
        "(An email address must have an @-sign.)",
        f"{path}:12:11: recipients[2].name: contains a control character or "
        "line break (U+000D); expected one line of plain text",
        "kzbrief: 4 problems found; nothing was written",
    ]
    assert list(project.output.iterdir()) == []


def test_a_damaged_register_is_one_message_and_nothing_written(
    issued: Issued, tmp_path: Path, capsys
) -> None:
    damaged = issued.sibling(tmp_path / "damaged", copies=False, register=False)
    register, project = damaged.register, damaged.project
    register.write_bytes(b"this is not a database" * 100)
    assert main(damaged.args("issue", "--audience", "press")) == 9
    err = capsys.readouterr().err
    assert err == (
        f"{register}: the register is damaged or not a kzbrief register (file is not a "
        "database); nothing was changed\n"
    )
    assert err.count("\n") == 1 and not (project.output / "copies").exists()


def test_a_locked_register_is_one_message(
    issued: Issued, tmp_path: Path, capsys, monkeypatch
) -> None:
    from kzbrief.distribute import register as register_module

    monkeypatch.setattr(register_module, "WAIT_SECONDS", 0.2)  # not 30 s: the test waits
    register = tmp_path / "register.sqlite"
    shutil.copy(issued.register, register)
    holder = sqlite3.connect(register, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        args = ["issue", "--data", str(issued.project.data), "--register", str(register)]
        assert main([*args, "--revoke", "press-wire"]) == 9
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert "the register is locked by another program" in err and err.count("\n") == 1


def test_the_register_may_not_live_in_the_output_folder(project: Project, capsys) -> None:
    args = ["issue", "--data", str(project.data), "--output", str(project.output)]
    assert main([*args, "--register", str(project.output / "r.sqlite")]) == 64
    assert "the register may not be inside the output folder" in capsys.readouterr().err


def test_a_signed_copy_is_stamped_then_signed_and_still_traced(
    issued: Issued, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from .test_publication import _throwaway_certificate

    signed = issued.sibling(tmp_path / "signed", copies=False, register=False)
    p12, certificate = _throwaway_certificate(tmp_path, b"s3cret")
    monkeypatch.setenv("KZBRIEF_SIGN_PASSWORD", "s3cret")
    assert main(signed.args("issue", "--recipient", "press-wire", "--sign", str(p12))) == 0
    copy = signed.copy("press", 1)  # its own register: the first copy of the edition
    with copy.open("rb") as stream:
        [signature] = PdfFileReader(stream).embedded_signatures
        root = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted  # signed after the stamp
    assert COPY_LINE.search(PdfReader(copy).pages[0].extract_text())
    capsys.readouterr()
    code, out = _trace(signed, copy, capsys)
    assert code == 0 and "recipient:    Saule Invented (press-wire)" in out


def test_a_new_edition_gets_new_numbers_and_a_damaged_copy_is_restamped(
    issued: Issued, tmp_path: Path, capsys
) -> None:
    again = issued.sibling(tmp_path / "edition")
    data = shutil.copytree(issued.project.data, tmp_path / "edition" / "data")
    again.data = data  # its own data, changed below: the new edition is typeset (press only)
    first = issued.copy("press", 3).read_bytes()
    again.copy("press", 3).write_bytes(first[:-500])  # damaged since it was issued
    assert main(again.args("issue", "--recipient", "press-wire")) == 0
    assert again.copy("press", 3).read_bytes() == first  # stamped again, as recorded
    assert capsys.readouterr().out.startswith("restored   copy 3")
    meta = data / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("2026-11-27", "2026-12-04"), "utf-8")
    assert main(again.args("issue", "--recipient", "press-wire")) == 0
    assert capsys.readouterr().out.startswith("issued     copy 1")
    rows = sorted((r for r in again.rows() if r[7] == "press"), key=lambda r: r[1])
    assert [(r[3], r[1], r[13]) for r in rows] == [
        (3, "2026-11-27", "superseded"),  # never sent: the new edition replaces it
        (1, "2026-12-04", "issued"),
    ]
    assert len({r[0] for r in rows}) == 2 and len({r[2] for r in rows}) == 2  # ids, editions
