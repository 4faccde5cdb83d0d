"""Stamping as a pure function of the register: a copy whose file went missing (``clean
--all``, a lost disk) is stamped again to the very bytes the register recorded.

Each copy's marking is written as a PDF of its own (stamp.py), from its register row
alone: its line, watermark, language and time of issue. So a lost copy is made again by
typesetting its own marking again, whatever else its batch held. A signed copy cannot be
made again (its signature is dated), nor one from before batches were recorded, nor one
whose marking was typeset with its whole batch (before kzbrief wrote each on its own):
those are re-issued.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import pikepdf

from .plan import BATCH_SIZE, Edition, Recipient
from .register import CopyRecord, moment
from .stamp import Marking, marking_pdfs, stamp_copy


def restamp(
    restore: list[tuple[CopyRecord, Recipient]],
    editions: dict[tuple[str, str], Edition],
) -> dict[CopyRecord, bytes | None]:
    """Each copy's recorded bytes made again, or None where they cannot be."""
    made: dict[CopyRecord, bytes | None] = {}
    by_edition: dict[tuple[str, str], list[CopyRecord]] = {}
    for record, _ in restore:
        if not record.batch or record.signed:
            made[record] = None
        else:
            by_edition.setdefault((record.audience, record.language), []).append(record)
    for key, wanted in by_edition.items():
        for start in range(0, len(wanted), BATCH_SIZE):
            again = stamp_batch(editions[key].content, wanted[start : start + BATCH_SIZE])
            for record, content in again.items():
                digest = hashlib.sha256(content).hexdigest()
                made[record] = content if digest == record.copy_sha256 else None
    return made


def stamp_batch(
    edition: bytes, records: list[CopyRecord], sign: Callable[[bytes], bytes] | None = None
) -> dict[CopyRecord, bytes]:
    """The copies of one edition whose markings are laid out together: each a pure
    function of its register row and the edition's bytes."""
    markings = [_marking(r) for r in records]
    with pikepdf.open(io.BytesIO(edition)) as pdf:
        left, bottom, right, top = (float(value) for value in pdf.pages[0].mediabox)
    stamped = {}
    sheets = marking_pdfs(markings, right - left, top - bottom)
    for record, marking, sheet in zip(records, markings, sheets, strict=True):
        content = stamp_copy(edition, sheet, marking)
        stamped[record] = sign(content) if sign else content
    return stamped


def _marking(record: CopyRecord) -> Marking:
    when = moment(record.issued_at)
    return Marking(record.copy_id, record.marking, when, record.watermark or None, record.language)
