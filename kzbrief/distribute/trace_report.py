"""What ``trace`` found in a PDF, and how it is told: which pages came from which copy."""

from __future__ import annotations

from dataclasses import dataclass

from .register import CopyRecord

BY_SHA256 = "the file is the copy as issued (same SHA-256)"
BY_PAGE_MARKS = "its copy id in the page marks (/PieceInfo)"
BY_XMP = "its copy id in the XMP metadata (xmpMM:DocumentID)"
BY_DOCUMENT_ID = "its copy id in the document ID (trailer /ID)"
READ_BY_EYE = (
    "read the foot line (Copy N · Edition …) by eye and look the copy up with kzbrief register"
)


@dataclass(frozen=True)
class Finding:
    """One copy some pages came from; ``record`` is None if the register does not list it."""

    pages: tuple[int, ...]  # 1-based
    record: CopyRecord | None
    how: str
    label: str  # "copy id …", or "copy 3 of edition 2026-11-27" from the foot line
    history: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Trace:
    page_count: int
    findings: list[Finding]
    unmarked: tuple[int, ...] = ()  # text, but neither a copy id nor a foot line
    textless: tuple[int, ...] = ()  # no copy id and no text at all: images

    def lines(self) -> list[str]:
        """The report: a line per run of pages when there is more than one copy or any
        page without a marking, then the register's entry of each copy found."""
        if not self.findings:
            return []  # problem() says it all
        whole = len(self.findings) == 1 and len(self.findings[0].pages) == self.page_count
        lines = [] if whole else self._summary()
        for finding in self.findings:
            if finding.record is not None:
                lines += [*([""] if lines else []), *self._entry(finding, whole)]
        return lines

    def problem(self) -> str | None:
        """Why the PDF is not (entirely) a copy in the register, or None if it is."""
        unknown = sum(finding.record is None for finding in self.findings)
        if self.findings and not unknown:
            return None
        if unknown < len(self.findings):
            return f"{unknown} of the {len(self.findings)} copies found are not in the register"
        if self.textless and len(self.textless) == self.page_count:
            return (
                "not a copy in the register: no copy id, and no text layer (a scan or an "
                f"image?); {READ_BY_EYE}"
            )
        if self.textless and not self.findings:
            return f"not a copy in the register ({_pages(self.textless)} have no text layer)"
        return "not a copy in the register"

    def _summary(self) -> list[str]:
        lines = []
        for finding in self.findings:
            record = finding.record
            if record is None:
                where = f"{_pages(finding.pages)}: {finding.label}"
                lines.append(f"{where}, not in the register; found by {finding.how}")
            else:
                lines.append(
                    f"{_pages(finding.pages)}: copy {record.number} of edition "
                    f"{record.edition_id} ({record.audience}, {record.language}), issued to "
                    f"{record.recipient_name} ({record.recipient_id})"
                )
        if self.unmarked:
            lines.append(f"{_pages(self.unmarked)}: no marking (no copy id, no foot line)")
        if self.textless:
            lines.append(f"{_pages(self.textless)}: no copy id and no text layer; {READ_BY_EYE}")
        return lines

    def _entry(self, finding: Finding, whole: bool) -> list[str]:
        record = finding.record
        assert record is not None
        history = "".join(
            f"\n              {status} at {at}{': ' + note if note else ''}"
            for status, at, note in finding.history
        )
        pages = (
            f"all {self.page_count}" if whole else _runs(finding.pages) + f" of {self.page_count}"
        )
        return [
            f"copy:         {record.number} of the {record.audience} edition "
            f"({record.language}) of {record.edition_id}",
            f"pages:        {pages}",
            f"recipient:    {record.recipient_name} ({record.recipient_id})",
            f"organisation: {record.organisation}",
            f"issued:       {record.issued_at}",
            f"status:       {record.status}{history}",
            f"found by:     {finding.how}",
        ]


def _pages(numbers: tuple[int, ...]) -> str:
    """(1, 2, 3, 4, 6) -> "pages 1–4, 6"; (8,) -> "page 8"."""
    return f"page {numbers[0]}" if len(numbers) == 1 else f"pages {_runs(numbers)}"


def _runs(numbers: tuple[int, ...]) -> str:
    """(1, 2, 3, 4, 6) -> "1–4, 6"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)
