"""Stamping as a pure function of the register: a copy whose file went missing (``clean
--all``, a lost disk) is stamped again to the very bytes the register recorded.

The markings of one run's copies of an edition are typeset together, and the font subset
embedded in each copy depends on every marking of that run. So a copy is made again by
typesetting its whole batch again, from the batch's register rows in number order, and
stamping only the copy wanted. A signed copy cannot be made again (its signature is
dated), nor one from before batches were recorded: those are re-issued.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pikepdf

from .plan import Edition, Recipient
from .register import CopyRecord, Register, moment
from .stamp import Marking, marking_pdf, stamp_copy


def restamp(
    register: Register,
    output: Path,
    restore: list[tuple[CopyRecord, Recipient]],
    editions: dict[tuple[str, str], Edition],
) -> dict[CopyRecord, bytes | None]:
    """Each copy's recorded bytes made again, or None where they cannot be."""
    made: dict[CopyRecord, bytes | None] = {}
    by_batch: dict[str, list[CopyRecord]] = {}
    for record, _ in restore:
        if not record.batch or record.signed:
            made[record] = None
        else:
            by_batch.setdefault(record.batch, []).append(record)
    for batch, wanted in by_batch.items():
        edition = editions[wanted[0].audience, wanted[0].language]
        rows = register.batch(batch)
        again = stamp_batch(edition.content, rows, only={r.copy_id for r in wanted})
        for record in wanted:
            content = again.get(record)
            digest = hashlib.sha256(content).hexdigest() if content else ""
            made[record] = content if digest == record.copy_sha256 else None
    return made


def stamp_batch(
    edition: bytes,
    records: list[CopyRecord],
    sign: Callable[[bytes], bytes] | None = None,
    only: set[str] | None = None,
) -> dict[CopyRecord, bytes]:
    """The copies of one edition whose markings are typeset together (``records`` in
    number order): a pure function of their register rows and the edition's bytes.
    ``only``: stamp just these copy ids (the others' markings are still typeset)."""
    markings = [
        Marking(r.copy_id, r.marking, moment(r.issued_at), r.watermark or None) for r in records
    ]
    with pikepdf.open(io.BytesIO(edition)) as pdf:
        left, bottom, right, top = (float(value) for value in pdf.pages[0].mediabox)
    stamped = {}
    with pikepdf.open(io.BytesIO(marking_pdf(markings, right - left, top - bottom))) as marks:
        for index, (record, marking) in enumerate(zip(records, markings, strict=True)):
            if only is None or record.copy_id in only:
                content = stamp_copy(edition, marks, index, marking)
                stamped[record] = sign(content) if sign else content
    return stamped
