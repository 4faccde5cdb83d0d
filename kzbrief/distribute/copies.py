"""``issue``: one numbered, stamped copy of the current edition per recipient.

The editions are built first (from the cache when nothing changed); each recipient's
copy is then stamped onto the finished PDF (stamp.py) and recorded in the register.
The register is the memory across editions (plan.py decides, recipient by recipient):

- a recipient who already holds this edition's copy keeps it: same number, same file;
  a copy file that went missing is stamped again from its register row, to the very
  bytes recorded (restamp.py), or else re-issued under a new number;
- a changed name or organisation gives a corrected copy; the old one is superseded;
- a newer edition supersedes the recipient's older copies that were not sent;
- a revoked recipient gets nothing until reinstated.

Numbers are handed out inside one write transaction, so two runs at once never give
the same number twice; the files are written before it commits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, OutputError
from ..publish.files import lock_path, prepare_output, publish
from ..publish.manifest import MANIFEST_NAME, FileRecord, listed_entries, manifest_bytes
from ..register_address import RegisterAddress
from .plan import Edition, Plan, Recipient, plan_copies
from .register import CopyRecord, Register, timestamp
from .restamp import restamp, stamp_batch

__all__ = ["Edition", "IssueReport", "Recipient", "issue_copies"]


@dataclass
class IssueReport:
    issued: list[CopyRecord] = field(default_factory=list)  # a first copy of this edition
    corrected: list[tuple[CopyRecord, str]] = field(default_factory=list)  # new copy, why
    kept: list[CopyRecord] = field(default_factory=list)  # on disk as recorded: not written
    restored: list[CopyRecord] = field(default_factory=list)  # made again, byte for byte
    superseded: list[tuple[CopyRecord, str]] = field(default_factory=list)
    skipped: list[tuple[Recipient, str]] = field(default_factory=list)  # revoked
    written: list[Path] = field(default_factory=list)


def issue_copies(
    recipients: list[Recipient],
    edition_id: str,
    output: Path,
    state: Path,
    register_path: RegisterAddress,
    sign: Callable[[bytes], bytes] | None = None,
) -> IssueReport:
    """Stamp and record each recipient's copy; write the new, corrected and restored files."""
    keys = sorted({(r.audience, r.language) for r in recipients})
    editions = {key: _edition(output, edition_id, *key) for key in keys}
    now = timestamp()
    report = IssueReport()
    with Register(register_path) as register, register.transaction():
        register.mark_issued(edition_id, now)
        plan = plan_copies(register, recipients, editions, now, sign is not None, output)
        report.skipped, report.kept = plan.skipped, [c for _, c in plan.kept]
        files: dict[Path, bytes] = {}
        for record, content in restamp(plan.restore, editions).items():
            if content is None:  # could not be made again identically: a new number
                plan.renew(record, "its file was lost and cannot be made again identically")
            else:
                files[output / record.file] = content
                report.restored.append(record)
        created = plan.create(register)
        report.issued = [c for c, why in created if not why]
        report.corrected = [(c, why) for c, why in created if why]
        report.superseded = plan.superseded
        stamped = _stamp_new(created, plan, editions, sign)
        for record, content in stamped.items():
            register.set_copy_sha256(record.copy_id, hashlib.sha256(content).hexdigest())
            files[output / record.file] = content
        written_now = set(files)
        for _, record in plan.kept:
            files[output / record.file] = (output / record.file).read_bytes()
        records = {output / r.file: _file_record(r, editions) for r in _all(plan, created)}
        for folder in {path.parent for path in files}:
            prepare_output(folder, state)

        def index() -> tuple[Path, bytes]:
            context = {"edition": edition_id}
            return output / MANIFEST_NAME, manifest_bytes(output, files, records, context)

        changed = {p: c for p, c in files.items() if p in written_now}
        report.written = publish(changed, lock_path(state, output), index)
    return report


def _all(plan: Plan, created: list[tuple[CopyRecord, str]]) -> list[CopyRecord]:
    return [c for _, c in plan.kept] + [c for c, _ in plan.restore] + [c for c, _ in created]


def _file_record(record: CopyRecord, editions: dict[tuple[str, str], Edition]) -> FileRecord:
    edition = editions[record.audience, record.language]
    signed = bool(record.signed)
    return FileRecord(
        record.audience, record.language, "pdf", edition.pages, edition.variant, signed,
        record.number,
    )  # fmt: skip


def _edition(output: Path, edition_id: str, audience: str, language: str) -> Edition:
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
        if digest != entry["sha256"] or entry.get("edition", edition_id) != edition_id:
            raise OutputError(
                "the edition differs from the manifest (changed since the build); build again",
                Location(path),
            )
        date = str(entry.get("issued", ""))[:10]
        pages, variant = entry["pages"], entry.get("pdf_variant")
        return Edition(edition_id, path, content, digest, date, pages, variant)
    raise OutputError(
        f"no {audience} edition in {language} in the manifest (build it first)",
        Location(output / MANIFEST_NAME),
    )


def _stamp_new(
    created: list[tuple[CopyRecord, str]],
    plan: Plan,
    editions: dict[tuple[str, str], Edition],
    sign: Callable[[bytes], bytes] | None,
) -> dict[CopyRecord, bytes]:
    """The new copies' bytes; each edition's markings are typeset together, in number order
    (the order restamp.py typesets them in again)."""
    stamped: dict[CopyRecord, bytes] = {}
    for key, edition in editions.items():
        mine = sorted(
            (c for c, _ in created if (c.audience, c.language) == key), key=lambda c: c.number
        )
        for batch in dict.fromkeys(c.batch for c in mine):
            stamped |= stamp_batch(edition.content, [c for c in mine if c.batch == batch], sign)
    return stamped
