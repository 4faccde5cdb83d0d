"""A briefing through editions: edition ids, revocation, renames, corrections, restamping,
and ``send`` across editions (against a real aiosmtpd on 127.0.0.1).

Each test starts from a sibling of the session's issued copies (government and press,
edition 2026-11-27: copies 1-3), with its own data folder, output and register.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import hashlib
import json
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader

from kzbrief.cli import main

from .conftest import Issued

pytestmark = pytest.mark.xdist_group("issued")  # they start from the session's issued copies


@pytest.fixture
def issue(issued: Issued, tmp_path: Path) -> Issued:
    """The issued copies with a data folder of their own, to change."""
    sibling = issued.sibling(tmp_path / "project")
    sibling.data = shutil.copytree(issued.project.data, tmp_path / "project" / "data")
    return sibling


def _run(issue: Issued, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    code = main(issue.args(*args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _edit(issue: Issued, name: str, old: str, new: str) -> None:
    path = issue.data / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _new_edition(issue: Issued, edition: str = "2026-12-04") -> None:
    """Next year's trade figure, and the edition id that goes with it."""
    _edit(issue, "trade.yaml", "import: 34900000}", "import: 36000000}")
    _edit(issue, "meta.yaml", "edition: 2026-11-27", f"edition: {edition}")


def _statuses(issue: Issued) -> list[tuple[str, int, str, str]]:
    with sqlite3.connect(issue.register) as db:
        query = "SELECT edition_id, number, recipient_id, status FROM copies ORDER BY rowid"
        return db.execute(query).fetchall()


def test_a_revoked_recipient_gets_no_later_edition(issue: Issued, capsys) -> None:
    """Finding 1: revoked, then a new edition: skipped, and listed as skipped."""
    assert _run(issue, capsys, "issue", "--revoke", "press-wire")[0] == 0
    _new_edition(issue)
    code, out, _ = _run(issue, capsys, "issue", "--audience", "government", "--audience", "press")
    assert code == 0
    assert "skipped    press-wire: revoked on " in out
    new = [row for row in _statuses(issue) if row[0] == "2026-12-04"]
    assert [who for _, _, who, _ in new] == ["mfa-asia-desk", "embassy-tehran"]
    assert not (issue.project.output / "copies" / "2026-12-04" / "press").exists()
    # reinstated: the next issue gives them the current edition
    assert _run(issue, capsys, "issue", "--reinstate", "press-wire")[0] == 0
    code, out, _ = _run(issue, capsys, "issue", "--recipient", "press-wire")
    assert code == 0 and out.startswith("issued     copy 3   press/en  press-wire")
    assert issue.copy("press", 3, "2026-12-04").is_file()


def test_other_data_under_an_issued_edition_id_is_refused(issue: Issued, capsys) -> None:
    """Finding 2: a data change without a new meta.edition: a warning naming meta.yaml's
    line at build (exit 6 under --strict) and a refusal at issue (exit 2), nothing issued."""
    _edit(issue, "trade.yaml", "import: 34900000}", "import: 36000000}")
    meta = issue.data / "meta.yaml"
    line = next(n for n, t in enumerate(meta.read_text().splitlines(), 1) if "edition:" in t)
    before = _statuses(issue)
    build = ["build", "--data", str(issue.data), "--output", str(issue.project.output)]
    code = main([*build, "--strict", "--audience", "press", "--config", str(_config(issue))])
    err = capsys.readouterr().err
    assert code == 6
    assert f"{meta}:{line}:12: meta.edition: edition 2026-11-27 was issued on " in err
    assert "from other data; give this edition its own id: set meta.edition to " in err
    code, out, err = _run(issue, capsys, "issue", "--audience", "press")
    assert code == 2 and out == ""
    assert err.startswith(f"{meta}:{line}:12: meta.edition: edition 2026-11-27 was issued")
    assert _statuses(issue) == before
    # with its own id it is a second edition of the day: its own numbers, files, rows
    _edit(issue, "meta.yaml", "edition: 2026-11-27", "edition: 2026-11-27.2")
    code, out, _ = _run(issue, capsys, "issue", "--audience", "press")
    assert code == 0 and out.startswith("issued     copy 1   press/en  press-wire")
    first, second = issue.copy("press", 3), issue.copy("press", 1, "2026-11-27.2")
    assert first.is_file() and second.is_file() and first.read_bytes() != second.read_bytes()
    foot = PdfReader(second).pages[0].extract_text()
    assert "Edition 2026-11-27.2" in foot or "2026-11-27.2" in foot
    code, out, _ = _run(issue, capsys, "register", "--edition", "2026-11-27.2")
    assert out.splitlines()[-1] == "1 copy" and "2026-11-27.2" in out.splitlines()[1]
    code, out, _ = _run(issue, capsys, "register", "--edition", "2026-11-27")
    assert out.splitlines()[-1] == "3 copies"  # the id 2026-11-27 only
    manifest = json.loads((issue.project.output / "manifest.json").read_text())
    entry = next(e for e in manifest["files"] if e["file"].endswith("press-en.pdf"))
    assert entry["edition"] == "2026-11-27.2"


def _config(issue: Issued) -> Path:
    """A kzbrief.toml naming the sibling's register (build has no --register flag)."""
    path = issue.project.root / "kzbrief.toml"
    path.write_text(f'[distribute]\nregister = "{issue.register}"\n', encoding="utf-8")
    return path


def test_a_renamed_id_is_reported_and_rename_carries_the_history(issue: Issued, capsys) -> None:
    """Finding 3a: a new id with a known address is a warning with FILE:LINE (exit 6 under
    --strict); --rename carries the copies over, and no second copy is issued."""
    _edit(issue, "recipients.yaml", "id: press-wire", "id: press-desk")
    path = issue.data / "recipients.yaml"
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "press-desk" in t)
    code, out, err = _run(issue, capsys, "issue", "--audience", "press", "--strict")
    assert code == 6 and out == ""
    assert err.startswith(
        f"kzbrief: warning: {path}:{line}:9: recipients[].id: 'press-desk' has the address "
        "of 'press-wire', who is no longer listed; if it is the same person, run kzbrief "
        "issue --rename press-wire press-desk"
    )
    code, out, _ = _run(issue, capsys, "issue", "--rename", "press-wire", "press-desk")
    assert code == 0 and out == "renamed   press-wire -> press-desk (1 copy carried over)\n"
    code, out, err = _run(issue, capsys, "issue", "--audience", "press", "--strict")
    assert code == 0 and err == "" and out.startswith("unchanged  copy 3   press/en  press-desk")
    assert [row[2] for row in _statuses(issue)].count("press-desk") == 1
    assert _run(issue, capsys, "issue", "--rename", "nobody", "someone")[0] == 64


def test_a_changed_name_gives_a_corrected_copy(issue: Issued, capsys) -> None:
    """Finding 3b: a new name under the same id: a corrected copy, the old one superseded."""
    _edit(issue, "recipients.yaml", '"Saule Invented"', '"Saule Invented-Omarova"')
    code, out, _ = _run(issue, capsys, "issue", "--audience", "press")
    assert code == 0
    assert out.startswith("reissued   copy 4   press/en  press-wire")
    assert "name changed from 'Saule Invented' to 'Saule Invented-Omarova'" in out
    assert "superseded copy 3   press/en  press-wire" in out
    assert "unchanged " not in out
    assert _statuses(issue)[-2:] == [
        ("2026-11-27", 3, "press-wire", "superseded"),
        ("2026-11-27", 4, "press-wire", "issued"),
    ]
    assert "Saule Invented-Omarova" in PdfReader(issue.copy("press", 4)).pages[0].extract_text()


def test_lost_copies_are_made_again_to_the_recorded_bytes(issue: Issued, capsys) -> None:
    """Finding 4: clean --all, then issue: each copy stamped again is byte-identical to the
    one recorded (and e-mailed); the register's checksums never change."""
    copies = sorted((issue.project.output / "copies").rglob("*.pdf"))
    before = {path: path.read_bytes() for path in copies}
    with sqlite3.connect(issue.register) as db:
        sums = db.execute("SELECT copy_id, copy_sha256 FROM copies").fetchall()
    assert main(["clean", "--all", "--output", str(issue.project.output)]) == 0
    assert not any(path.exists() for path in copies)
    capsys.readouterr()
    code, out, _ = _run(issue, capsys, "issue", "--audience", "government", "--audience", "press")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[:3]] == ["restored"] * 3
    assert "unchanged " not in out
    assert {path: path.read_bytes() for path in copies} == before
    with sqlite3.connect(issue.register) as db:
        assert db.execute("SELECT copy_id, copy_sha256 FROM copies").fetchall() == sums
        assert db.execute("SELECT COUNT(*) FROM copies").fetchone()[0] == 3
    assert main(["verify", str(issue.project.output)]) == 0


def test_a_copy_that_cannot_be_made_again_is_reissued(issue: Issued, capsys) -> None:
    """Its recorded bytes cannot be reproduced (here: a row from before batches were kept):
    a new copy under a new number, the old one superseded with a history row."""
    with sqlite3.connect(issue.register) as db:
        db.execute("UPDATE copies SET batch = '' WHERE number = 3")
    issue.copy("press", 3).unlink()
    code, out, _ = _run(issue, capsys, "issue", "--audience", "press")
    assert code == 0 and out.startswith("reissued   copy 4   press/en  press-wire")
    assert "its file was lost and cannot be made again identically" in out
    with sqlite3.connect(issue.register) as db:
        query = "SELECT h.status, h.note FROM history h JOIN copies c USING (copy_id) "
        history = db.execute(query + "WHERE c.number = 3 ORDER BY h.rowid").fetchall()
    assert history[-1][0] == "superseded" and "replaced by copy 4" in history[-1][1]


def test_revoke_copy_revokes_one_copy(issue: Issued, capsys) -> None:
    code, out, _ = _run(issue, capsys, "issue", "--revoke-copy", "2", "--edition", "2026-11-27")
    assert code == 0 and "revoked   copy 2 of edition 2026-11-27" in out
    code, out, _ = _run(issue, capsys, "issue", "--audience", "government")
    assert code == 0
    assert "skipped    embassy-tehran: copy 2 of edition 2026-11-27 was revoked" in out
    assert _run(issue, capsys, "issue", "--revoke-copy", "2")[0] == 64  # already revoked
    assert _run(issue, capsys, "issue", "--revoke-copy", "99")[0] == 64


def test_editions_lists_each_edition_with_its_copies(issue: Issued, capsys) -> None:
    _run(issue, capsys, "issue", "--revoke", "press-wire")
    _new_edition(issue)
    assert _run(issue, capsys, "issue", "--audience", "government")[0] == 0
    editions = ["editions", "--data", str(issue.data), "--register", str(issue.register)]
    code = main([*editions, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    listed = json.loads(out)
    assert listed["current"] == "2026-12-04"
    first, second = listed["editions"]
    assert (first["edition"], second["edition"]) == ("2026-11-27", "2026-12-04")
    assert first["copies"] == 3 and first["superseded"] == 2 and first["revoked"] == 1
    assert second["copies"] == 2 and second["current"] and "government-en" in second["built"]
    assert len(first["data_sha256"]) == 64 and first["data_sha256"] != second["data_sha256"]
    assert main(editions) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "edition", "date", "data", "built", "issued", "sent", "superseded", "revoked",
    ]  # fmt: skip
    assert lines[2].startswith("*  2026-12-04") and lines[-1].startswith("2 editions")


@dataclass
class _Inbox:
    received: list[tuple[list[str], email.message.EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


@pytest.fixture
def inbox() -> Iterator[tuple[_Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _send(issue: Issued, port: int, capsys, *extra: str) -> tuple[int, str]:
    config = issue.project.root / "kzbrief.toml"
    config.write_text(
        '[send]\nfrom = "Unit <briefings@example.org>"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n',
        encoding="utf-8",
    )
    code = main([*issue.args("send", *extra), "--config", str(config)])
    return code, capsys.readouterr().out


def test_send_sends_only_the_newest_edition_and_nothing_revoked(
    issue: Issued, inbox, capsys
) -> None:
    """Findings 1 and 2 at the mail server: the unsent copies of the old edition are
    superseded by the new one and never sent; a revoked recipient is sent nothing; each
    recipient gets one message, of the new edition."""
    handler, port = inbox
    assert _run(issue, capsys, "issue", "--revoke", "press-wire")[0] == 0
    _new_edition(issue)
    assert _run(issue, capsys, "issue", "--audience", "government", "--audience", "press")[0] == 0
    code, out = _send(issue, port, capsys)
    assert code == 0 and out.splitlines()[-1] == "2 sent"
    addresses = sorted(rcpt for [rcpt], _ in handler.received)
    assert addresses == ["aigerim.example@example.org", "daniyar.sample@example.org"]
    for _, message in handler.received:
        assert "2026-12-04" in message["Subject"]
        body = message.get_body(("plain",)).get_content()
        assert "Changes since the edition of 27 November 2026" in body
        assert "2011 imports: US$34.9 m → US$36 m" in body
        [attachment] = list(message.iter_attachments())
        assert "Edition 2026-12-04" in _first_page_text(attachment.get_content())
    assert [row[3] for row in _statuses(issue) if row[0] == "2026-11-27"] == [
        "superseded",
        "superseded",
        "revoked",
    ]
    code, out = _send(issue, port, capsys)
    assert code == 0 and out.splitlines()[-1] == "0 sent" and len(handler.received) == 2


def test_send_never_sends_a_recipient_two_editions_in_one_run(issue: Issued, inbox, capsys) -> None:
    """A register from before supersession (both editions unsent): the older is held back."""
    handler, port = inbox
    _new_edition(issue)
    assert _run(issue, capsys, "issue", "--recipient", "press-wire")[0] == 0
    with sqlite3.connect(issue.register) as db:  # as an older kzbrief would have left it
        db.execute("UPDATE copies SET status = 'issued' WHERE status = 'superseded'")
    code, out = _send(issue, port, capsys, "--recipient", "press-wire")
    assert code == 0
    assert [rcpt for [rcpt], _ in handler.received] == ["saule.invented@example.org"]
    assert "2026-12-04" in handler.received[0][1]["Subject"]
    assert "skipped   copy 3   press/en  press-wire: edition 2026-12-04 is newer" in out


def _first_page_text(pdf: bytes) -> str:
    import io

    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_a_register_from_before_edition_ids_is_carried_over(tmp_path: Path, capsys) -> None:
    """The old schema: copies keyed by edition file, no edition id. Opened, it is upgraded
    in place; every row kept, the edition id taken from its date."""
    path = tmp_path / "register.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE copies (copy_id TEXT PRIMARY KEY, edition_sha256 TEXT NOT NULL, "
            "number INTEGER NOT NULL, recipient_id TEXT NOT NULL, recipient_name TEXT NOT NULL, "
            "organisation TEXT NOT NULL, audience TEXT NOT NULL, language TEXT NOT NULL, "
            "edition_date TEXT NOT NULL, file TEXT NOT NULL, copy_sha256 TEXT NOT NULL, "
            "issued_at TEXT NOT NULL, status TEXT NOT NULL, UNIQUE (edition_sha256, number), "
            "UNIQUE (edition_sha256, recipient_id));"
            "CREATE TABLE history (copy_id TEXT NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL,"
            " note TEXT NOT NULL DEFAULT '', message_id TEXT NOT NULL DEFAULT '');"
            "INSERT INTO copies VALUES ('c1', 'e1', 1, 'a', 'A', 'O', 'press', 'en', "
            "'2026-11-27', 'copies/press/x-copy-001.pdf', 's1', '2026-11-28T00:00:00Z', 'sent');"
        )
    with contextlib.closing(sqlite3.connect(path)):
        pass
    assert main(["register", "--register", str(path), "--csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("copy_id,edition_id,edition_sha256,number")
    assert rows[1].startswith("c1,2026-11-27,e1,1,a,A,O,press,en,2026-11-27,")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2


def test_the_edition_id_is_in_the_pdf_metadata(issued: Issued) -> None:
    import pikepdf

    with pikepdf.open(issued.project.output / "kazakhstan-iran-press-en.pdf") as pdf:
        assert pdf.open_metadata()["xmpMM:VersionID"] == "2026-11-27"
    digest = hashlib.sha256(issued.copy("press", 3).read_bytes()).hexdigest()
    assert len(digest) == 64


def test_changes_reads_the_previous_edition_from_the_register(issue: Issued, capsys) -> None:
    _new_edition(issue)
    assert _run(issue, capsys, "issue", "--audience", "press")[0] == 0
    args = ["changes", "--data", str(issue.data), "--register", str(issue.register)]
    assert main([*args, "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    keys = [item["key"] for item in listed["changes"]]
    assert keys == ["trade.years[2011].import"], keys
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Changes since the edition of 27 November 2026 (2026-11-27)",
        "2011 imports: US$34.9 m → US$36 m",
    ]
    press = PdfReader(issue.copy("press", 1, "2026-12-04")).pages[0].extract_text()
    assert "Changes since the edition of 27 November 2026" in press
