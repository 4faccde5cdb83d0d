"""``kzbrief publish``: the public web site, an index page and an Atom feed.

The site is made from the manifest entries of the public audiences' editions, never from
a look at the output folder: recipient copies and restricted editions sit in the same
folder, and a glob would pick them up. Each file is checked against the manifest's
SHA-256 before it is copied, so the site offers exactly what the build wrote.

A site folder is wholly kzbrief's: files of an earlier site that are no longer public are
removed. So that nothing else is ever removed, a folder that holds files is written into
only if it carries the marker file an earlier ``publish`` left.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, OutputError, UsageError, VerifyError
from ..publish.files import lock_path, output_lock, remove_stale_temporaries, write_atomic
from ..publish.manifest import listed_entries

SITE_MARKER = ".kzbrief-site"  # says "kzbrief publish wrote this folder"
MARKER_TEXT = b"Written by kzbrief publish; any file not of the current site is removed.\n"
SITE_DEFAULT = "site"  # beside the output folder


@dataclass(frozen=True)
class EditionCard:
    """What the index and the feed say about one public edition, in the edition's language:
    its audience's title and description as translated, its size in that language's words."""

    audience: str
    title: str
    description: str
    language: str
    language_name: str  # in the language itself: a reader looks for "فارسی", not "Persian"
    direction: str  # "rtl" for Persian
    briefing_title: str  # meta.title, translated
    pages: int | None
    size: str
    bytes: int
    sha256: str
    pdf: str  # file names inside the site folder
    web: str | None
    thumbnail: str
    thumbnail_size: tuple[int, int]


@dataclass(frozen=True)
class SiteFile:
    """One edition's file as the manifest lists it, with its checked content."""

    name: str
    content: bytes
    entry: dict


@dataclass(frozen=True)
class PublicEdition:
    """One public audience in one language: its PDF and, if built, its web edition."""

    audience: str
    language: str
    pdf: SiteFile
    web: SiteFile | None


def default_site(output: Path) -> Path:
    """``site/`` beside the output folder."""
    return output.absolute().parent / SITE_DEFAULT


def check_site_folder(site: Path, output: Path) -> None:
    """Refuse a site folder that would mix with the output folder or with other files."""
    where, built = site.absolute().resolve(), output.absolute().resolve()
    if where.is_relative_to(built) or built.is_relative_to(where):
        raise UsageError(
            "the site folder may neither be inside the output folder nor hold it: the site "
            f"removes files that are not its own (site: {site}, output: {output})",
            field="--site",
        )
    if site.exists() and not site.is_dir():
        raise UsageError("the site folder is a file (expected a folder)", Location(site))
    try:
        held = site.is_dir() and any(site.iterdir())
    except OSError as exc:
        raise OutputError(f"cannot read the site folder ({exc.strerror})", Location(site)) from None
    if held and not (site / SITE_MARKER).is_file():
        raise UsageError(
            f"the site folder holds files that kzbrief publish did not write (no {SITE_MARKER} "
            "file): choose a new or empty folder with --site",
            Location(site),
        )


def public_editions(output: Path, audiences: list[str]) -> list[PublicEdition]:
    """The editions of ``audiences`` the output folder's manifest lists, in that order."""
    entries = [
        entry
        for entry in listed_entries(output)
        if entry.get("audience") in audiences and entry.get("copy") is None
    ]
    found: dict[tuple[str, str], dict[str, SiteFile]] = {}
    for entry in entries:
        if entry.get("kind") in ("pdf", "html"):
            key = (entry["audience"], entry["language"])
            found.setdefault(key, {})[entry["kind"]] = _checked_file(output, entry)
    editions = []
    for audience, language in sorted(found, key=lambda key: (audiences.index(key[0]), key[1])):
        files = found[(audience, language)]
        if "pdf" in files:  # a web edition alone is not offered: the PDF is the edition
            editions.append(PublicEdition(audience, language, files["pdf"], files.get("html")))
    return editions


def _checked_file(output: Path, entry: dict) -> SiteFile:
    path = output / entry["file"]
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise VerifyError(f"cannot read a built edition ({exc.strerror})", Location(path)) from None
    if hashlib.sha256(content).hexdigest() != entry["sha256"]:
        raise VerifyError(
            "the file differs from the manifest (build again before publishing)", Location(path)
        )
    return SiteFile(Path(entry["file"]).name, content, entry)


def write_site(site: Path, files: dict[str, bytes], state: Path) -> list[Path]:
    """Write ``files`` (name -> content) into ``site``, each atomically, the index last; then
    remove what an earlier site held that this one does not. Returns the files written."""
    try:
        site.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create the site folder ({exc.strerror})", Location(site)
        ) from None
    # Two publish runs into one folder take turns, as builds do.
    with output_lock(lock_path(state, site), site):
        remove_stale_temporaries(site)
        write_atomic(site / SITE_MARKER, MARKER_TEXT)  # first: a killed run leaves it ours
        # The pages last, so that they never name a file not yet there.
        order = sorted(files, key=lambda name: (name in ("feed.xml", "index.html"), name))
        written = [write_atomic(site / name, files[name]) for name in order]
        _remove_stale(site, {*files, SITE_MARKER})
    return written


def _remove_stale(site: Path, keep: set[str]) -> None:
    for path in sorted(site.rglob("*"), reverse=True):  # a folder's files before the folder
        if path.is_dir() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.rmdir()  # only an empty one
        elif path.relative_to(site).as_posix() not in keep:
            try:
                path.unlink()
            except OSError as exc:
                raise OutputError(
                    f"cannot remove a file the site no longer has ({exc.strerror})", Location(path)
                ) from None
