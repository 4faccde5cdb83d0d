"""Publication grade: navigation, metadata, PDF/A and PDF/UA, fonts, reproducibility,
manifest and signatures."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from kzbrief.build import BuildOptions, build_with_report
from kzbrief.cli import main
from kzbrief.data.glyphs import missing_characters, read_cmap
from kzbrief.errors import UsageError
from kzbrief.language.fonts import font_faces

from .conftest import REPO, BuiltBriefing, Project, logged_warnings


def _toc(reader: PdfReader) -> dict[str, int]:
    """The contents (on the cover) as {title: page}. The page numbers float right, so pypdf
    reads them first, one per line, then the numbered titles in the same order."""
    lines = reader.pages[0].extract_text().splitlines()
    pages = [int(line) for line in lines if line.isdigit()]
    titles = [m[1] for line in lines if (m := re.match(r"^\d+ (.+)$", line))]
    assert len(pages) == len(titles)
    return dict(zip(titles, pages, strict=True))


def test_contents_page_numbers_are_the_real_pages(built: BuiltBriefing) -> None:
    reader = PdfReader(built.pdf)
    toc = _toc(reader)
    outline = [item for item in reader.outline if not isinstance(item, list)]
    assert list(toc) == [item.title for item in outline]
    for item in outline:
        assert toc[item.title] == reader.get_destination_page_number(item) + 1, item.title


def test_cross_references_are_links_with_numbers(built: BuiltBriefing) -> None:
    text = built.text
    assert "The figures are in Table 1 and Figure 2." in text
    reader = PdfReader(built.pdf)
    links = [a for page in reader.pages for a in page.get("/Annots", []) or []]
    assert len(links) > 20, "citations, contents and cross-references are internal links"


def test_metadata_comes_from_the_data(built: BuiltBriefing) -> None:
    reader = PdfReader(built.pdf)
    info = reader.metadata
    assert info.title == (
        "Kazakhstan and Iran: Trade, transport corridors and a mediating role between "
        "Tehran and Washington"
    )
    assert info.author == "kzbrief Policy Analysis Unit"
    assert info.subject.startswith("Trade, transport corridors")
    assert "Caspian Sea" in info.get("/Keywords")
    assert info.creation_date.date() == dt.date(2026, 11, 27)
    assert reader.trailer["/Root"]["/Lang"] == "en"


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_default_pdf_a3b_carries_its_source_data(built: BuiltBriefing) -> None:
    reader = PdfReader(built.pdf)
    xmp = _xmp(reader)
    assert re.search(r'pdfaid:part="3"', xmp) and re.search(r'pdfaid:conformance="B"', xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]
    attachments = reader.attachments
    # Every data file but the recipient list, which never travels with a PDF.
    expected = sorted(p.name for p in (REPO / "data").glob("*.yaml") if p.name != "recipients.yaml")
    assert sorted(attachments) == sorted([*expected, "audiences/government.yaml"])
    assert attachments["trade.yaml"][0] == (REPO / "data" / "trade.yaml").read_bytes()
    assert all("/AFRelationship" in spec.get_object() for spec in reader.trailer["/Root"]["/AF"])


def test_the_background_note_is_cited_as_a_document_not_a_file(built: BuiltBriefing) -> None:
    for audience, pdf in built.pdfs.items():
        attached = b"".join(data for [data] in PdfReader(pdf).attachments.values())
        for text in (built.texts[audience], attached.decode("utf-8")):
            assert "shared/seed" not in text and ".txt" not in text, audience
        assert "Kazakhstan–Iran relations. Unpublished background note." in built.texts[audience]
    # The full list says what the note covers, so a reader knows what it is without a copy.
    assert "Unpublished background note. Covers the establishment of diplomatic" in built.text


def _structure(reader: PdfReader) -> tuple[list[str], list[str]]:
    kinds: list[str] = []
    alts: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            kinds.append(str(node.get("/S")))
            if node.get("/S") == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return kinds, alts


def test_pdf_ua_variant_is_tagged_with_alt_texts(project: Project) -> None:
    [pdf] = project.build(audiences=["government"], pdf_variant="pdf/ua-1")
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert 'pdfuaid:part="1"' in _xmp(reader)
    kinds, alts = _structure(reader)
    assert {"/H2", "/Table", "/TH", "/Caption", "/Figure"} <= set(kinds)
    assert len(alts) == 4 and all(len(alt) > 40 for alt in alts)
    assert any("1.279 billion" in alt for alt in alts)


def test_fonts_are_the_packaged_ones_embedded_and_subset(built: BuiltBriefing) -> None:
    for pdf in built.pdfs.values():
        reader = PdfReader(pdf)
        fonts = set()
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in descriptor.get_object(), "font must be embedded"
                fonts.add(str(font["/BaseFont"]))
        assert all(re.match(r"^/[A-Z]{6}\+Source-(Serif-4|Sans-3)", f) for f in fonts), fonts


def test_every_pdf_is_small_enough_to_email(built: BuiltBriefing) -> None:
    for pdf in built.pdfs.values():
        assert pdf.stat().st_size < 1_000_000, pdf.name


def test_rebuild_is_byte_identical(project: Project, tmp_path: Path) -> None:
    [first] = project.build(audiences=["press"])
    # Into another folder, without the cache: the same folder would take the up-to-date
    # shortcut and compare the file with itself.
    options = BuildOptions(
        data=project.data, output=tmp_path / "again", audiences=["press"], cache=False
    )
    again = build_with_report(options)
    assert not again.skipped and again.typeset, "the second build must typeset again"
    [second] = again.written
    assert second != first and second.name == first.name
    assert second.read_bytes() == first.read_bytes()


def test_source_date_epoch_sets_the_dates(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [pdf] = project.build(audiences=["press"])
    created = PdfReader(pdf).metadata.creation_date
    assert created == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)


def test_manifest_lists_every_file_and_verify_catches_tampering(
    built: BuiltBriefing, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = built.pdf.parent
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["file"]: entry for entry in manifest["files"]}
    assert sorted(entries) == sorted(p.name for p in built.paths)
    entry = entries["kazakhstan-iran-government-en.pdf"]
    assert entry["audience"] == "government" and entry["language"] == "en"
    assert entry["pages"] == len(PdfReader(built.pdf).pages)
    assert entry["bytes"] == built.pdf.stat().st_size
    assert entry["sha256"] == hashlib.sha256(built.pdf.read_bytes()).hexdigest()
    assert entry["pdf_variant"] == "pdf/a-3b" and len(entry["data_sha256"]) == 64
    assert manifest["weasyprint_version"].startswith("70.")

    assert main(["verify", str(folder)]) == 0
    capsys.readouterr()
    # a copy of the folder with one byte changed and one file removed
    copy = tmp_path / "sent"
    copy.mkdir()
    for path in folder.iterdir():
        if path.is_file():
            (copy / path.name).write_bytes(path.read_bytes())
    tampered = bytearray((copy / "kazakhstan-iran-press-en.pdf").read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    (copy / "kazakhstan-iran-press-en.pdf").write_bytes(bytes(tampered))
    (copy / "kazakhstan-iran-business-en.html").unlink()
    assert main(["verify", str(copy)]) == 7
    captured = capsys.readouterr()
    assert "CHANGED   kazakhstan-iran-press-en.pdf" in captured.out
    assert "MISSING   kazakhstan-iran-business-en.html" in captured.out
    assert "ok        kazakhstan-iran-government-en.pdf" in captured.out
    assert "2 file(s) do not match the manifest" in captured.err


def _throwaway_certificate(folder: Path, password: bytes) -> tuple[Path, object]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kzbrief test signer")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, True, True, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    p12 = folder / "signer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, certificate, None, serialization.BestAvailableEncryption(password)
        )
    )
    return p12, certificate


def test_signed_pdf_verifies(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    p12, certificate = _throwaway_certificate(project.root, b"s3cret")
    monkeypatch.setenv("KZBRIEF_SIGN_PASSWORD", "s3cret")
    args = ["build", "--data", str(project.data), "--output", str(project.output)]
    assert main([*args, "--audience", "press", "--sign", str(p12)]) == 0
    pdf = project.output / "kazakhstan-iran-press-en.pdf"
    with pdf.open("rb") as stream:
        [signature] = PdfFileReader(stream).embedded_signatures
        root = asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted
    manifest = json.loads((project.output / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"][0]["signed"] is True
    assert main(["verify", str(project.output)]) == 0


def _certificate_without_key(folder: Path) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    _, certificate = _throwaway_certificate(folder, b"s3cret")
    p12 = folder / "signer.p12"
    encryption = serialization.BestAvailableEncryption(b"s3cret")
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(b"c", None, certificate, None, encryption)
    )
    return p12


UNUSABLE_CERTIFICATES = {
    "garbage": (lambda folder: _written(folder, bytes(range(256)) * 3), "not a PKCS#12 file"),
    "text": (lambda folder: _written(folder, b"not a certificate\n"), "not a PKCS#12 file"),
    "missing": (lambda folder: folder / "signer.p12", "file not found"),
    "folder": (lambda folder: _written_folder(folder), "is a directory"),
    "wrong-password": (
        lambda folder: _throwaway_certificate(folder, b"other")[0],
        "wrong password (or a damaged file)",
    ),
    "no-key": (_certificate_without_key, "the file holds no private key"),
}


def _written(folder: Path, content: bytes) -> Path:
    (folder / "signer.p12").write_bytes(content)
    return folder / "signer.p12"


def _written_folder(folder: Path) -> Path:
    (folder / "signer.p12").mkdir()
    return folder / "signer.p12"


@pytest.mark.parametrize("case", UNUSABLE_CERTIFICATES)
def test_an_unusable_certificate_is_one_line_and_exit_8(
    case: str,
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    make, reason = UNUSABLE_CERTIFICATES[case]
    make(project.root)
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("KZBRIEF_SIGN_PASSWORD", "s3cret")
    assert main(["build", "--audience", "press", "--sign", "signer.p12"]) == 8
    assert capsys.readouterr().err == (
        f"signer.p12: cannot use the signing certificate: {reason} (expected a PKCS#12 file "
        "and its password in $KZBRIEF_SIGN_PASSWORD)\n"
    )
    assert list(project.output.iterdir()) == []


def test_unknown_pdf_variant_is_a_usage_error(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "--pdf-variant", "pdf/z-9"]) == 64
    assert "invalid choice: 'pdf/z-9'" in capsys.readouterr().err
    # The Python API, which argparse does not guard, refuses it too, before any work.
    with pytest.raises(UsageError) as caught:
        project.build(pdf_variant="pdf/z-9")
    assert caught.value.exit_code == 64
    assert str(caught.value) == (
        "--pdf-variant: unknown PDF variant 'pdf/z-9' "
        "(known: pdf/a-3b, pdf/a-3u, pdf/a-2b, pdf/ua-1, none)"
    )
    assert list(project.output.iterdir()) == []


def test_a_glyph_the_packaged_fonts_lack_is_not_a_silent_fallback(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.edit("narrative.yaml", "Almost all turnover is Kazakh exports.", "Trade 🚆 ☎ grows.")
    monkeypatch.chdir(project.root)
    lines = (project.data / "narrative.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "Trade 🚆" in text)
    column = lines[line - 1].index("🚆") + 1  # the message points at the character itself
    named = (
        f"data/narrative.yaml:{line}:{column}: narrative.trade: "
        "no packaged font has 🚆 (U+1F686), ☎ (U+260E)"
    )
    for attempt in ("typeset", "from the cache"):
        options = BuildOptions(data=project.data, output=project.output, audiences=["press"])
        with logged_warnings() as warnings:
            report = build_with_report(options)
        # The data check names the field and the characters, before anything is typeset...
        assert warnings[0] == named, attempt
        # ...and the typesetter's own complaint stays: another system font supplied it (a
        # fallback) or none did (.notdef); never silent.
        assert any("font fallback" in w or ".notdef" in w for w in warnings[1:]), warnings
    assert report.typeset == [] and not report.skipped, "the rebuild was served from the cache"


def test_the_glyph_check_reads_the_fonts_as_fonttools_does() -> None:
    from fontTools.ttLib import TTFont

    for face in font_faces():
        cmap = TTFont(face.path)["cmap"].getBestCmap()
        assert read_cmap(face.path) == {c for c, g in cmap.items() if g != ".notdef"}, face
    # Invisible formatting needs no glyph; a variation selector after an emoji is no excuse.
    assert missing_characters("Ab\u00ad\u200d\n–’ŽΩ🚆\ufe0f") == ["🚆"]


def test_strict_refuses_a_glyph_no_packaged_font_has_before_typesetting(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.edit("audiences/press.yaml", 'distribution: "Public"', 'distribution: "Public 🚆"')
    monkeypatch.chdir(project.root)
    assert main(["build", "--audience", "press", "--strict"]) == 6
    assert capsys.readouterr().err == (
        "kzbrief: warning: data/audiences/press.yaml:8:25: audience.distribution: "
        "no packaged font has 🚆 (U+1F686)\n"
        "output: 1 warning(s) and --strict is on; nothing was written\n"
    )
    assert list(project.output.iterdir()) == []
