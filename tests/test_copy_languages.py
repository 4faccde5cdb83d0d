"""Numbered copies in their reader's language (issue 26): the marking line and watermark in
the copy's language and digits, names in any script isolated, only packaged faces, every
accepted value inside the page, and each copy's fonts holding only its own marking.

Read back from the stamped files: the marking's form XObject alone, glyph by glyph
(tests/pdf_glyphs.py), left to right as printed.
"""

from __future__ import annotations

import io
import re
import shutil
import sqlite3
from pathlib import Path

import pikepdf
import pytest
import yaml
from babel import Locale
from pypdf import PdfReader

from kzbrief.cli import main
from kzbrief.language.marking_fit import FIXED_EM, names_room_em, width_em

from .conftest import Project, copy_project
from .pdf_glyphs import Line, glyphs, group_lines

pytestmark = pytest.mark.xdist_group("copy_languages")  # one worker issues them once

EDITION = "2026-11-27"
PERSIAN_NAME, PERSIAN_OFFICE = "داریوش رضایی", "دفتر مطبوعاتی"
LATIN_OFFICE = "Press Office, news desk"
# A realistic organisation of 200 characters, the most recipients.yaml accepts.
LONG_OFFICE = (
    "Office for the Coordination of Caspian Transport Corridors, Ministry of Trade and "
    "Integration, Department of International Logistics and Multimodal Freight, "
    "North-South Desk (fictitious), Almaty and Astana"
)[:200]


def _widest_name(organisation: str, language: str, words: str) -> str:
    """The longest name (the start of ``words`` repeated) that still fits beside
    ``organisation``: a name and organisation as wide as recipients.yaml accepts."""
    source, length = (words + " ") * 20, 0
    while length < 200 and (
        width_em(source[: length + 1], language) + width_em(organisation, language)
        <= names_room_em()
    ):
        length += 1
    return source[:length].strip()


PERSIAN_LONG_OFFICE = ("دفتر هماهنگی کریدورهای حمل‌ونقل دریای خزر، وزارت بازرگانی " * 4)[:200]
RECIPIENTS = [
    dict(id="ru-reader", name="Иван Петров", organisation="Министерство иностранных дел",
         audience="government", language="ru"),
    dict(id="kk-reader", name="Айгерім Сапарова", organisation="Сыртқы істер министрлігі",
         audience="government", language="kk"),
    dict(id="fa-reader", name=PERSIAN_NAME, organisation=LATIN_OFFICE, audience="press",
         language="fa"),
    dict(id="en-persian", name=PERSIAN_NAME, organisation=PERSIAN_OFFICE, audience="press"),
    dict(id="longest", name=_widest_name(LONG_OFFICE, "en", "Wolfgang Maximilian Schwarzenberg"),
         organisation=LONG_OFFICE, audience="press"),
    dict(id="fa-longest", name=_widest_name(PERSIAN_LONG_OFFICE, "fa", "محمدحسین شهریاری‌نژاد"),
         organisation=PERSIAN_LONG_OFFICE, audience="press", language="fa"),
]  # fmt: skip


def _write_recipients(data: Path, people: list[dict]) -> None:
    text = yaml.safe_dump({"recipients": people}, allow_unicode=True, sort_keys=False)
    (data / "recipients.yaml").write_text(text, encoding="utf-8")


def _languages(project: Project, audience: str, codes: str) -> None:
    path = project.data / "audiences" / f"{audience}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^  languages: \[.*$", f"  languages: [{codes}]", text))


class Copies:
    def __init__(self, project: Project, register: Path) -> None:
        self.project, self.register = project, register

    def args(self, *extra: str) -> list[str]:
        paths = ["--data", str(self.project.data), "--output", str(self.project.output)]
        return ["issue", *paths, "--register", str(self.register), *extra]

    def path(self, recipient: str) -> Path:
        with sqlite3.connect(self.register) as db:
            (file,) = db.execute(
                "SELECT file FROM copies WHERE recipient_id = ? AND status = 'issued'",
                (recipient,),
            ).fetchone()
        return self.project.output / file

    def row(self, recipient: str) -> dict:
        with sqlite3.connect(self.register) as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM copies WHERE recipient_id = ?", (recipient,))
            return dict(row.fetchone())


@pytest.fixture(scope="session")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Copies:
    folder = tmp_path_factory.mktemp("copy-languages")
    project = copy_project(folder)
    _languages(project, "government", "en, ru, kk")
    _languages(project, "press", "en, fa")
    _write_recipients(project.data, RECIPIENTS)
    result = Copies(project, folder / "register.sqlite")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(result.args()) == 0
    return result


def _marking(copy: Path, index: int = 0) -> tuple[str, list[Line], PdfReader]:
    """The copy's marking alone (its form XObject on a page of its own): the watermark's
    text (its glyphs left to right along the slant), the foot's lines (top first, each
    left to right as printed, spaces normalised), and that page."""
    with pikepdf.open(copy) as pdf:
        page = pdf.pages[index]
        alone = pikepdf.new()
        alone.add_blank_page(page_size=(float(page.mediabox[2]), float(page.mediabox[3])))
        form = alone.copy_foreign(page.Resources.XObject["/KzbriefCopy"])
        sheet = alone.pages[0]
        sheet.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(M=form))
        sheet.Contents = alone.make_stream(b"/M Do")
        buffer = io.BytesIO()
        alone.save(buffer)
    reader = PdfReader(buffer)
    found = glyphs(reader.pages[0])
    slanted = "".join(g.char for g in sorted(found, key=lambda g: g.x0) if g.size > 12)
    return slanted.replace(" ", ""), group_lines([g for g in found if g.size <= 12]), reader


def _foot(copy: Path, index: int = 0) -> list[str]:
    """The foot line(s) as printed, spaces normalised."""
    return [" ".join(line.text.replace("\xa0", " ").split()) for line in _marking(copy, index)[1]]


def _month(language: str, issued_at: str) -> str:
    return Locale.parse(language).months["format"]["wide"][int(issued_at[5:7])]


def _translated_watermark(project: Project, language: str) -> str:
    path = project.data / "i18n" / language / "audiences" / "government.yaml"
    found = re.search(r"audience\.watermark:\n\s+en: \w+\n\s+text: (.+)", path.read_text())
    assert found, path
    return found[1].strip()


@pytest.mark.parametrize(
    ("recipient", "language", "words"),
    [("ru-reader", "ru", ("Экземпляр № 1", "Выпуск", "Получатель:")), ("kk-reader", "kk", ())],
)
def test_ru_and_kk_copies_carry_their_marking_and_watermark_in_their_language(
    copies: Copies, recipient: str, language: str, words: tuple[str, ...]
) -> None:
    row = copies.row(recipient)
    person = next(r for r in RECIPIENTS if r["id"] == recipient)
    pages = len(PdfReader(copies.path(recipient)).pages)
    for index in range(pages):
        watermark, _, _ = _marking(copies.path(recipient), index)
        (foot,) = _foot(copies.path(recipient), index)
        translated = _translated_watermark(copies.project, language)
        assert watermark == translated.replace(" ", "") and row["watermark"] == translated
        assert "Copy" not in foot and "Issued" not in foot and "December" not in foot
        assert all(word in foot for word in words), foot
        assert f"{person['name']}, {person['organisation']}" in foot
        assert f"{EDITION} · " in foot and _month(language, row["issued_at"]) in foot
        assert row["issued_at"][:4] in foot and foot.startswith(row["marking"][:4])


def test_a_persian_copy_reads_right_to_left_in_persian_digits(copies: Copies) -> None:
    (foot,) = _foot(copies.path("fa-reader"))
    assert not re.search(r"[0-9]", foot), foot  # Persian digits only, the date's included
    # Right to left as printed: number, edition, name, organisation, date from the right.
    order = ["۳ هخسن", "۲۰۲۶-۱۱-۲۷", PERSIAN_NAME[::-1], LATIN_OFFICE]
    places = [foot.find(part) for part in order]
    assert all(p >= 0 for p in places), (foot, places)
    assert places == sorted(places, reverse=True), (foot, places)
    assert foot.find("رذآ") < places[-1]  # the Solar Hijri month, left of the organisation
    assert _marking(copies.path("fa-reader"))[0] == ""  # the press audience has none


def test_a_persian_name_keeps_the_english_line_in_order(copies: Copies) -> None:
    """It scrambled as 'Issued to 5 · داریوش رضایی, دفتر مطبوعاتی December 2026'."""
    (foot,) = _foot(copies.path("en-persian"))
    name, office = PERSIAN_NAME[::-1], PERSIAN_OFFICE[::-1]  # each printed right to left
    expected = rf"^Copy 4 · Edition {EDITION} · Issued to {name}, {office} · \d{{1,2}} \w+ \d{{4}}$"
    assert re.match(expected, foot), foot


@pytest.mark.parametrize("recipient", ["longest", "fa-longest"])
def test_the_longest_accepted_name_and_organisation_print_inside_the_page(
    copies: Copies, recipient: str
) -> None:
    person = next(r for r in RECIPIENTS if r["id"] == recipient)
    assert len(person["organisation"]) == 200 and len(person["name"]) > 20
    copy = copies.path(recipient)
    _, lines, reader = _marking(copy)
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert len(lines) == 2  # wrapped to two lines of the band
    for line in lines:
        assert line.x0 > 0 and line.x1 < width, line  # inside the page box
        assert line.y - 0.3 * line.size > 0 and line.y + line.size < height, line
        assert line.size >= 5.0
    language = "fa" if recipient.startswith("fa") else "en"
    edition = PdfReader(copies.project.output / f"kazakhstan-iran-press-{language}.pdf")
    for page in edition.pages:  # below the page's own foot (page number, marking)
        lowest = min(g.y - 0.3 * g.size for g in glyphs(page))
        assert max(line.y + line.size for line in lines) < lowest
    printed = "".join(line.text for line in lines).replace(" ", "")
    if recipient == "longest":  # left to right: the whole line, date last
        logical = copies.row(recipient)["marking"]
        logical = re.sub(r"[\u2066-\u2069\s]", "", logical)
        assert printed == logical
    else:  # every letter of the name and organisation is there
        for text in (person["name"], person["organisation"]):
            for word in text.split():
                assert word.replace("\u200c", "")[::-1] in printed.replace("\u200c", ""), word


def test_each_copys_fonts_hold_only_its_own_marking(copies: Copies) -> None:
    """Markings are laid out together, but each copy's font subsets are its own."""
    everyone = "".join(r["name"] + r["organisation"] for r in RECIPIENTS)
    for person in RECIPIENTS:
        row = copies.row(person["id"])
        own = set(row["marking"] + row["watermark"]) | {" ", "\ufffd"}
        with pikepdf.open(copies.path(person["id"])) as pdf:
            form = pdf.pages[0].Resources.XObject["/KzbriefCopy"]
            fonts = list(form.Resources.Font.values())
            assert fonts
            for font in fonts:
                assert (
                    str(font.BaseFont)
                    .split("+")[-1]
                    .startswith(("Source-Sans-3", "Vazirmatn", "Source-Serif-4"))
                ), font.BaseFont
                mapped = _to_unicode(font.ToUnicode.read_bytes())
                assert mapped <= own, (person["id"], sorted(mapped - own))
        others = set(everyone) - own - set(" ")
        assert others, person["id"]  # there were others' letters to leave out


def _to_unicode(cmap: bytes) -> set[str]:
    text = cmap.decode("latin-1")
    found = set()
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for _, target in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            found |= set(bytes.fromhex(target).decode("utf-16-be"))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, target in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = int(target, 16)
            found |= {chr(start + k) for k in range(int(high, 16) - int(low, 16) + 1)}
    return found


def test_a_lost_persian_copy_is_stamped_again_to_its_bytes(
    copies: Copies, tmp_path: Path, capsys
) -> None:
    again = Copies(Project(tmp_path / "again"), tmp_path / "again" / "register.sqlite")
    shutil.copytree(copies.project.root, again.project.root)
    shutil.copy(copies.register, again.register)
    lost = [again.path(r) for r in ("fa-reader", "ru-reader", "longest")]
    before = [path.read_bytes() for path in lost]
    for path in lost:
        path.unlink()
    assert main(again.args("--recipient", "fa-reader", "--recipient", "longest")) == 0
    out = capsys.readouterr().out
    restored = [line.split()[:3] for line in out.splitlines() if line.startswith("restored")]
    assert restored == [["restored", "copy", "3"], ["restored", "copy", "5"]], out
    assert lost[0].read_bytes() == before[0] and lost[2].read_bytes() == before[2]
    assert not lost[1].exists()  # not asked for


def test_a_character_no_packaged_face_has_is_a_warning_naming_the_recipient(
    project: Project, capsys
) -> None:
    people = [dict(id="emoji", name="Ana 😀 Example", organisation="Press", audience="press")]
    _write_recipients(project.data, people)
    register = project.root / "register.sqlite"
    args = ["issue", "--data", str(project.data), "--output", str(project.output)]
    assert main([*args, "--register", str(register), "--strict"]) == 6
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"kzbrief: warning: {project.data / 'recipients.yaml'}:3:13: recipients[0].name: "
        "recipient 'emoji': no packaged font has 😀 (U+1F600); the copy's marking prints "
        "\ufffd (U+FFFD) in its place"
    )
    assert "--strict" in err[-1] and not (project.output / "copies").exists()


def test_a_name_and_organisation_too_wide_for_two_lines_are_refused(
    project: Project, capsys
) -> None:
    people = [dict(id="wide", name="W" * 200, organisation=LONG_OFFICE, audience="press")]
    _write_recipients(project.data, people)
    assert main(["issue", "--data", str(project.data), "--output", str(project.output)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(project.data / 'recipients.yaml'))}:3:9: recipients\[0\]\.name: the "
        r"name and organisation together are \d+% too wide for the copy's marking \(two lines "
        r"of 5 pt across A4 paper\); shorten one of them",
        err[0],
    ), err[0]


def test_every_catalogue_leaves_the_names_their_room() -> None:
    """FIXED_EM holds the foot line without name and organisation, in every language."""
    from kzbrief.distribute.plan import marking_line

    for language in ("en", "ru", "kk", "fa"):
        for day in ("2026-09-28T10:00:00Z", "2026-12-31T10:00:00Z", "2026-05-13T10:00:00Z"):
            line = marking_line(99999, "2026-11-27.999", "", "", day, language)
            assert width_em(line, language) < FIXED_EM, (language, line)
    assert names_room_em() > 110  # a name and a 200-character organisation of plain words
