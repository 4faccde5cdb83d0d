"""Loading the data into models, and the consistency checks with their messages."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pytest

from kzbrief.data.briefing import load_briefing
from kzbrief.errors import DataErrors

from .conftest import REPO, Project


def test_shipped_data_loads_into_models() -> None:
    briefing = load_briefing(REPO / "data")
    trade = {row.year: row for row in briefing.trade.years}
    assert trade[2009].turnover == 1_300_000_000
    assert trade[2009].export == 1_279_000_000
    assert trade[2010].import_ == 200_000
    assert trade[2011].import_ == 34_900_000
    assert briefing.trade.currency == "USD"
    railway = briefing.transport.railway
    assert [(s.country, s.km) for s in railway.segments] == [
        ("Kazakhstan", 146),
        ("Turkmenistan", 700),
        ("Iran", 83),
    ]
    assert railway.total_km == 929
    visits = briefing.diplomacy.visits
    assert visits.counts is None, "the source gives no counts: they must stay unknown"
    assert visits.years[0] == 1992 and visits.years[-1] == 2012 and len(visits.years) == 16
    assert briefing.diplomacy.agreements.minimum == 60


def test_every_source_reference_resolves() -> None:
    briefing = load_briefing(REPO / "data")
    ids = {s.id for s in briefing.sources}
    assert {"seed", "seed-trade", "seed-visits", "geonames"} <= ids


def _problems(project: Project) -> list[str]:
    with pytest.raises(DataErrors) as caught:
        load_briefing(project.data)
    return [str(error) for error in caught.value.errors]


def test_turnover_must_equal_export_plus_import(project: Project) -> None:
    project.edit("trade.yaml", "turnover: 1100000000", "turnover: 1500000000")
    [message] = _problems(project)
    assert message.endswith(
        "trade.yaml:8:30: trade.years[1].turnover: turnover 1,500,000,000 differs from "
        "export + import 1,090,200,000 by more than the tolerance 50,000,000"
    )


def test_unknown_source_is_reported_with_known_ids(project: Project) -> None:
    project.edit("diplomacy.yaml", "source: seed-visits", "source: table-one")
    [message] = _problems(project)
    assert "diplomacy.yaml:" in message
    assert "diplomacy.visits.source: unknown source 'table-one' (known: seed, seed-trade" in message


def test_duplicate_years_are_rejected(project: Project) -> None:
    project.edit("trade.yaml", "{year: 2010,", "{year: 2009,")
    [message] = _problems(project)
    assert "trade.yaml:" in message and "repeated: 2009" in message


def test_all_problems_are_reported_together(project: Project) -> None:
    project.edit("trade.yaml", "export: 1279000000", "export: lots")
    project.edit("transport.yaml", "{country: Iran, km: 83}", "{country: Iran, km: -83}")
    messages = _problems(project)
    assert len(messages) == 2
    assert any("trade.years[0].export" in m for m in messages)
    assert any("transport.railway.segments[2].km" in m for m in messages)


def test_duplicate_keys_are_not_silently_dropped(project: Project) -> None:
    project.edit("meta.yaml", "  series:", "  title: Again\n  series:")
    [message] = _problems(project)
    assert "meta.yaml:5:3: meta.title: duplicate key 'title'" in message


# The background note is not in the repository, so the guard against copying its
# sentences compares fingerprints: the SHA-256 (first 16 hex digits) of every run of
# RUN consecutive words in it. Regenerate with `python -m tests.test_validate NOTE.txt`.
NOTE_RUNS = REPO / "tests" / "background-note-runs.txt"
RUN = 8
# Names the note spells out in full; the briefing must use the same ones.
NAMES = ("Conference on Interaction and Confidence-Building Measures in Asia",)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _runs(words: list[str]) -> dict[str, str]:
    """Fingerprint -> the run of words, for every run that is not all figures."""
    runs = (words[i : i + RUN] for i in range(len(words) - RUN + 1))
    return {
        hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]: " ".join(run)
        for run in runs
        if not all(word.isdigit() for word in run)  # a list of years is data, not prose
    }


def test_no_sentence_of_the_background_note_is_copied() -> None:
    note = set(NOTE_RUNS.read_text(encoding="utf-8").split())
    files = [*(REPO / "data").rglob("*.yaml"), *(REPO / "templates").rglob("*.j2")]
    files += [REPO / "README.md", *(REPO / "docs").rglob("*.md"), *(REPO / "kzbrief").glob("*.py")]
    copied = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for name in NAMES:
            text = text.replace(name, " ")
        copied += [f"{path.name}: {run}" for key, run in _runs(_words(text)).items() if key in note]
    assert copied == [], f"runs of {RUN} words taken from the background note"


if __name__ == "__main__":
    # Write the fingerprints of a note: python -m tests.test_validate NOTE.txt
    note_words = _words(Path(sys.argv[1]).read_text(encoding="utf-8"))
    NOTE_RUNS.write_text("".join(f"{key}\n" for key in sorted(_runs(note_words))))
