"""What ``issue`` does for each recipient, decided from recipients.yaml and the register:
skip (revoked), keep (holds this edition's copy as recorded), restore (the copy's file is
missing or changed), or a new copy (a first one, or a corrected one)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..data.edition_id import edition_order
from ..language.current import load_language, use_language
from ..language.text import describe_partial_date
from ..language.words import phrase
from .register import CopyRecord, Register
from .register_copies import UNSENT

COPIES_FOLDER = "copies"
# Markings laid out together, at most (stamp.py): one layout costs about what 30 markings'
# own PDFs do, and each copy's marking is then written alone, with only its own glyphs.
BATCH_SIZE = 32
# Around each name and organisation in the foot line: FIRST STRONG ISOLATE ... POP DIRECTIONAL
# ISOLATE, so a name in any script keeps the number, organisation and date in their order;
# the edition id is a code, left to right even in a Persian line (LEFT-TO-RIGHT ISOLATE).
_ISOLATE, _LEFT_TO_RIGHT, _POP = "\u2068", "\u2066", "\u2069"


@dataclass(frozen=True)
class Recipient:
    """What issuing needs to know of a recipient (data/recipients.py checks the list)."""

    id: str
    name: str
    organisation: str
    audience: str
    language: str
    watermark: str | None = None  # the audience's diagonal word, if it asks for one
    email: str = ""


@dataclass(frozen=True)
class Edition:
    """One edition file (audience × language) of the edition being issued."""

    edition_id: str
    path: Path
    content: bytes
    sha256: str
    date: str  # YYYY-MM-DD
    pages: int
    variant: str | None


@dataclass
class _New:
    recipient: Recipient
    why: str  # '' for a first copy; else why the recipient's copy is replaced
    old: CopyRecord | None


@dataclass
class Plan:
    now: str
    editions: dict[tuple[str, str], Edition]
    signed: bool
    output: Path
    skipped: list[tuple[Recipient, str]] = field(default_factory=list)
    kept: list[tuple[Recipient, CopyRecord]] = field(default_factory=list)
    restore: list[tuple[CopyRecord, Recipient]] = field(default_factory=list)
    superseded: list[tuple[CopyRecord, str]] = field(default_factory=list)
    pending: list[_New] = field(default_factory=list)

    def renew(self, record: CopyRecord, why: str) -> None:
        """A copy to restore that cannot be: its holder gets a new copy instead."""
        for pair in self.restore:
            if pair[0] == record:
                self.restore.remove(pair)
                self.pending.append(_New(pair[1], why, record))
                return

    def create(self, register: Register) -> list[tuple[CopyRecord, str]]:
        """Record the new copies (numbers in list order), and supersede what they replace."""
        batches: dict[tuple[str, str], tuple[str, int]] = {}  # edition -> batch, its size
        created = []
        for new in self.pending:
            r = new.recipient
            key = (r.audience, r.language)
            edition = self.editions[key]
            batch, size = batches.get(key, ("", BATCH_SIZE))
            if size == BATCH_SIZE:
                batch, size = str(uuid.uuid4()), 0
            batches[key] = (batch, size + 1)
            record = _record(register, r, edition, batch, self)
            register.add(record, new.why)
            created.append((record, new.why))
            if new.old is not None:
                self._supersede(register, new.old, f"{new.why}; replaced by copy {record.number}")
            for old in register.copies(recipient_id=r.id):
                older = edition_order(old.edition_id) < edition_order(edition.edition_id)
                if old.status in UNSENT and older:
                    why = f"edition {edition.edition_id} issued as copy {record.number}"
                    self._supersede(register, old, why)
        return created

    def _supersede(self, register: Register, record: CopyRecord, why: str) -> None:
        register.set_status(record.copy_id, "superseded", self.now, why)
        self.superseded.append((record, why))


def plan_copies(
    register: Register,
    recipients: list[Recipient],
    editions: dict[tuple[str, str], Edition],
    now: str,
    signed: bool,
    output: Path,
) -> Plan:
    plan = Plan(now, editions, signed, output)
    for r in recipients:
        person = register.person(r.id)
        if person is not None and person.revoked:
            ended_by = f"kzbrief issue --reinstate {r.id}"
            why = f"revoked on {person.revoked_at[:10]} ({ended_by} to end it)"
            plan.skipped.append((r, why))
            continue
        edition = editions[r.audience, r.language]
        held = register.find(edition.edition_id, r.id)
        alone = [c for c in held if c.status == "revoked" and register.revoked_alone(c.copy_id)]
        if alone:
            why = f"copy {alone[-1].number} of edition {edition.edition_id} was revoked"
            plan.skipped.append((r, why))
            continue
        register.remember(r.id, r.name, r.organisation, r.email, now)
        live = [c for c in held if c.status not in ("superseded", "revoked")]
        current = live[-1] if live else None
        if current is None:
            plan.pending.append(_New(r, "", None))
        elif why := _outdated(current, r, edition):
            plan.pending.append(_New(r, why, current))
        elif file_matches(output / current.file, current.copy_sha256):
            plan.kept.append((r, current))
        else:
            plan.restore.append((current, r))
    return plan


def _outdated(copy: CopyRecord, r: Recipient, edition: Edition) -> str:
    """Why the recipient's copy of this edition no longer fits them, or ''."""
    if copy.recipient_name != r.name:
        return f"name changed from '{copy.recipient_name}' to '{r.name}'"
    if copy.organisation != r.organisation:
        return f"organisation changed from '{copy.organisation}' to '{r.organisation}'"
    if copy.edition_sha256 != edition.sha256:
        return "the edition's PDF changed since (templates or kzbrief upgraded)"
    if copy.watermark != (r.watermark or ""):
        return "the audience's watermark changed"
    return ""


def _record(
    register: Register, r: Recipient, edition: Edition, batch: str, plan: Plan
) -> CopyRecord:
    number = register.next_number(edition.edition_id)
    stem = edition.path.stem
    return CopyRecord(
        copy_id=str(uuid.uuid4()),
        edition_id=edition.edition_id,
        edition_sha256=edition.sha256,
        number=number,
        recipient_id=r.id,
        recipient_name=r.name,
        organisation=r.organisation,
        audience=r.audience,
        language=r.language,
        edition_date=edition.date,
        file=f"{COPIES_FOLDER}/{edition.edition_id}/{r.audience}/{stem}-copy-{number:03d}.pdf",
        copy_sha256="",  # set once the copy is stamped, in the same transaction
        issued_at=plan.now,
        status="issued",
        batch=batch,
        marking=marking_line(
            number, edition.edition_id, r.name, r.organisation, plan.now, r.language
        ),
        watermark=r.watermark or "",
        signed=int(plan.signed),
    )


def marking_line(
    number: int, edition_id: str, name: str, organisation: str, at: str, language: str = "en"
) -> str:
    """The foot line stamped on every page of the copy, in the copy's language: its words,
    date and digits; the name and organisation isolated (recipients.yaml holds no bidi
    controls of its own, so these are the line's only ones)."""
    with use_language(load_language(language)) as local:
        return phrase(
            "copy_line",
            number=number,
            edition=f"{_LEFT_TO_RIGHT}{local.digits(edition_id)}{_POP}",
            name=f"{_ISOLATE}{name}{_POP}",
            organisation=f"{_ISOLATE}{organisation}{_POP}",
            date=describe_partial_date(at[:10]),
        )


def file_matches(path: Path, sha256: str) -> bool:
    """Whether the file is there with the bytes the register recorded."""
    try:
        return bool(sha256) and hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False
