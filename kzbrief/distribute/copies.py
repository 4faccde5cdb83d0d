"""``issue``: one numbered, stamped copy of the current edition per recipient.

The editions are built first (from the cache when nothing changed); each recipient's
copy is then stamped onto the finished PDF (stamp.py) and recorded in the register.
The register is the memory: a recipient who already has a copy of this edition keeps
its number, copy id and issue date, so issuing again gives byte-identical files and no
new row. Numbers are handed out inside one write transaction, so two runs at once
never give the same number twice; the files are written before it commits.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ..errors import Location, OutputError, UsageError
from ..publish.files import lock_path, prepare_output, publish
from ..publish.manifest import MANIFEST_NAME, FileRecord, listed_entries, manifest_bytes
from ..render.text import describe_partial_date
from ..render.words import phrase
from .register import CopyRecord, Register, moment, timestamp
from .stamp import Marking, marking_pdf, stamp_copy

COPIES_FOLDER = "copies"


@dataclass(frozen=True)
class Recipient:
    """What issuing needs to know of a recipient (data/recipients.py checks the list)."""

    id: str
    name: str
    organisation: str
    audience: str
    language: str
    watermark: str | None = None  # the audience's diagonal word, if it asks for one


@dataclass
class IssueReport:
    issued: list[CopyRecord] = field(default_factory=list)  # new copies
    kept: list[CopyRecord] = field(default_factory=list)  # issued before: same number, same file
    revoked: list[CopyRecord] = field(default_factory=list)  # revoked: not issued again
    written: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class _Edition:
    path: Path
    content: bytes
    sha256: str
    date: str  # YYYY-MM-DD
    pages: int
    variant: str | None


def issue_copies(
    recipients: list[Recipient],
    output: Path,
    state: Path,
    register_path: Path,
    sign: Callable[[bytes], bytes] | None = None,
) -> IssueReport:
    """Stamp and record each recipient's copy; write the new or changed files."""
    keys = sorted({(r.audience, r.language) for r in recipients})
    editions = {key: _edition(output, *key) for key in keys}
    report = IssueReport()
    with Register(register_path) as register, register.transaction():
        chosen = []
        for recipient in recipients:
            record = _record(register, recipient, editions[recipient.audience, recipient.language])
            if record.status == "revoked":
                report.revoked.append(record)  # never issued again; the register says why
                continue
            (report.kept if record.copy_sha256 else report.issued).append(record)
            chosen.append((recipient, record))
        files, file_records, reused = _stamped(chosen, editions, output, sign)
        for _, record in chosen:
            digest = hashlib.sha256(files[output / record.file]).hexdigest()
            if record.copy_sha256 != digest:
                register.set_copy_sha256(record.copy_id, digest)
        for folder in {path.parent for path in files}:
            prepare_output(folder, state)
        changed = {p: c for p, c in files.items() if p not in reused}

        def index() -> tuple[Path, bytes]:
            return output / MANIFEST_NAME, manifest_bytes(output, files, file_records, {})

        report.written = publish(changed, lock_path(state, output), index)
    return report


def revoke_copies(register_path: Path, recipient_id: str, now: str) -> list[CopyRecord]:
    """Mark every copy the recipient holds revoked; the rows and files stay."""
    with Register(register_path, create=False) as register, register.transaction():
        held = [c for c in register.copies(recipient_id=recipient_id) if c.status != "revoked"]
        if not held:
            raise UsageError(
                f"recipient '{recipient_id}' holds no copy that is not already revoked",
                field="--revoke",
            )
        for record in held:
            register.set_status(record.copy_id, "revoked", now, "issue --revoke")
    return held


def _edition(output: Path, audience: str, language: str) -> _Edition:
    """The edition PDF the last build wrote, checked against the manifest's SHA-256."""
    for entry in listed_entries(output):
        if (entry.get("audience"), entry.get("language"), entry.get("kind")) != (
            audience,
            language,
            "pdf",
        ) or entry.get("copy") is not None:
            continue
        path = output / entry["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot read the edition ({exc.strerror})", Location(path)) from None
        digest = hashlib.sha256(content).hexdigest()
        if digest != entry["sha256"]:
            raise OutputError(
                "the edition differs from the manifest (changed since the build); build again",
                Location(path),
            )
        date = str(entry.get("issued", ""))[:10]
        return _Edition(path, content, digest, date, entry["pages"], entry.get("pdf_variant"))
    raise OutputError(
        f"no {audience} edition in {language} in the manifest (build it first)",
        Location(output / MANIFEST_NAME),
    )


def _record(register: Register, recipient: Recipient, edition: _Edition) -> CopyRecord:
    """The recipient's copy of this edition: the one on record, else a new number."""
    found = register.find(edition.sha256, recipient.id)
    if found is not None:
        return found
    number = register.next_number(edition.sha256)
    record = CopyRecord(
        copy_id=str(uuid.uuid4()),
        edition_sha256=edition.sha256,
        number=number,
        recipient_id=recipient.id,
        recipient_name=recipient.name,
        organisation=recipient.organisation,
        audience=recipient.audience,
        language=recipient.language,
        edition_date=edition.date,
        file=f"{COPIES_FOLDER}/{recipient.audience}/{edition.path.stem}-copy-{number:03d}.pdf",
        copy_sha256="",  # set once the copy is stamped, in the same transaction
        issued_at=timestamp(),
        status="issued",
    )
    register.add(record)
    return record


def marking_line(record: CopyRecord) -> str:
    return phrase(
        "copy_line",
        number=record.number,
        name=record.recipient_name,
        organisation=record.organisation,
        date=describe_partial_date(record.issued_at[:10]),
    )


def _stamped(
    chosen: list[tuple[Recipient, CopyRecord]],
    editions: dict[tuple[str, str], _Edition],
    output: Path,
    sign: Callable[[bytes], bytes] | None,
) -> tuple[dict[Path, bytes], dict[Path, FileRecord], set[Path]]:
    """Every copy's bytes, in ``chosen`` order, its manifest record, and the copies that
    were already on disk as recorded (nothing to write for those)."""
    # A copy already on disk as the register recorded it is not stamped again.
    ready = {c.copy_id: _on_disk(output / c.file, c.copy_sha256) for _, c in chosen}
    stamped = {k: v for k, v in ready.items() if v is not None}
    reused = {output / c.file for _, c in chosen if c.copy_id in stamped}
    for key, edition in editions.items():
        mine = [(r, c) for r, c in chosen if (r.audience, r.language) == key]
        stamped |= _stamp_edition(edition, [p for p in mine if p[1].copy_id not in stamped], sign)
    files, records = {}, {}
    for recipient, record in chosen:
        path = output / record.file
        edition = editions[recipient.audience, recipient.language]
        files[path] = stamped[record.copy_id]
        records[path] = FileRecord(
            recipient.audience,
            recipient.language,
            "pdf",
            edition.pages,
            edition.variant,
            sign is not None,
            record.number,
        )
    return files, records, reused


def _stamp_edition(
    edition: _Edition,
    mine: list[tuple[Recipient, CopyRecord]],
    sign: Callable[[bytes], bytes] | None,
) -> dict[str, bytes]:
    """The copies of one edition by copy id; their markings are typeset together."""
    if not mine:
        return {}
    markings = [
        Marking(c.copy_id, marking_line(c), moment(c.issued_at), r.watermark) for r, c in mine
    ]
    with pikepdf.open(io.BytesIO(edition.content)) as pdf:
        left, bottom, right, top = (float(value) for value in pdf.pages[0].mediabox)
    stamped = {}
    with pikepdf.open(io.BytesIO(marking_pdf(markings, right - left, top - bottom))) as marks:
        for index, marking in enumerate(markings):
            content = stamp_copy(edition.content, marks, index, marking)
            stamped[marking.copy_id] = sign(content) if sign else content
    return stamped


def _on_disk(path: Path, sha256: str) -> bytes | None:
    """The file's bytes if it is the copy the register recorded, else None."""
    try:
        content = path.read_bytes()
    except OSError:
        return None
    return content if sha256 and hashlib.sha256(content).hexdigest() == sha256 else None
