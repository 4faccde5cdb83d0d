"""A briefing on another country pair says nothing of the first one.

tests/fixtures/other-pair/data is a complete data folder for two made-up countries
(five years of trade, four railway segments, their own places, sources and
precedent). Every audience built from it must name them, and none of the shipped
briefing's countries, places or precedent: such words may come only from data.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kzbrief.build import BuildOptions, build
from kzbrief.data.briefing import load_briefing

from .conftest import REPO, pdf_text

pytestmark = pytest.mark.xdist_group("other-pair")  # its fixture is built once, in one worker

FIXTURE = Path(__file__).parent / "fixtures" / "other-pair" / "data"
AUDIENCES = ["government", "business", "us-policy", "press"]
# Words of the shipped briefing that its data does not list as a country or place.
FIRST_PAIR_WORDS = [
    "Kazakh",
    "Iranian",
    "Caspian",
    "Tehran",
    "Astana",
    "Swiss",
    "Switzerland",
    "Washington",
    "Pakistan",
    "Islamic",
    "CICA",
]


def _first_pair_names() -> list[str]:
    """The fixed words plus every country, code and place the shipped data names."""
    shipped = load_briefing(REPO / "data")
    railway = shipped.transport.railway
    names = [*FIRST_PAIR_WORDS, railway.place, *railway.parties, *railway.route]
    names += [name for c in shipped.meta.countries for name in (c.short, c.code)]
    names += [place.name for place in shipped.transport.places]
    return sorted(set(names))


@pytest.fixture(scope="session")
def other_pair(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The four audiences built from the made-up pair: text of each PDF, by audience."""
    root = tmp_path_factory.mktemp("other-pair")
    shutil.copytree(FIXTURE, root / "data")
    paths = build(BuildOptions(data=root / "data", output=root / "output", audiences=AUDIENCES))
    pdfs = {
        p.stem.removeprefix("valdoria-morvenia-").removesuffix("-en"): p
        for p in paths
        if p.suffix == ".pdf"
    }
    assert sorted(pdfs) == sorted(AUDIENCES), [p.name for p in paths]
    return {audience: pdf_text(pdf) for audience, pdf in pdfs.items()}


def _spaced_capitals(text: str) -> str:
    """Words the map sets in spaced capitals, run together ("K A Z A K H S T A N I R A N"
    -> "KAZAKHSTANIRAN"): the extracted text does not say where one name ends."""
    return " ".join("".join(run.split()) for run in re.findall(r"\b(?:\w ){3,}\w\b", text))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_word_of_the_first_pair_in_any_pdf(other_pair: dict[str, str], audience: str) -> None:
    text, names = other_pair[audience], _first_pair_names()
    found = [name for name in names if re.search(rf"\b{re.escape(name)}", text)]
    # Short codes (RK) could sit inside another spaced name (D R A L M A R K): skip them there.
    capitals = _spaced_capitals(text)
    found += [name for name in names if len(name) > 3 and name.upper() in capitals]
    assert found == [], f"{audience}: {found}"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_pdf_names_the_made_up_pair(other_pair: dict[str, str], audience: str) -> None:
    text = other_pair[audience]
    assert "Valdoria and Morvenia" in text
    assert "Trade between Valdoria and Morvenia, 2016–2020 (euros)" in text  # CLDR's name
    assert "Aurelport" in text and "Brastowe" in text  # labels on the map
    assert "MORVENIA" in _spaced_capitals(text)  # so the check above reads the map's names


def test_the_full_briefing_takes_its_phrases_from_the_data(other_pair: dict[str, str]) -> None:
    text = other_pair["government"]
    assert "Across the Sarrow Sea" in text
    assert "from Aurelport to the Morvenian ports of Lastrane and Serwick [1]" in text
    for row in ("2016 505 m 420 m 85 m", "2018 572 m 470 m 102 m", "2020 506 m 430 m 76 m"):
        assert row in text
    for segment in ("Valdoria 160", "Dralmark 95", "Quessia 140", "Morvenia 180", "Total 575"):
        assert segment in text
    assert "Velmora – Ostrind – Karrowe – Dunmere – Brastowe" in text


def test_the_precedent_heading_comes_from_the_data(other_pair: dict[str, str]) -> None:
    assert "The Lorvanian precedent, and what would change" in other_pair["us-policy"]
