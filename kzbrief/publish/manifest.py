"""output/manifest.json: what was built, from which data, with which tools; and ``verify``.

A recipient can check that the PDFs in a folder are the ones kzbrief wrote:
sizes and SHA-256 sums are compared with the manifest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .. import FORMATS, __version__
from ..errors import Location, VerifyError
from ..project import RECIPIENTS_FILE

MANIFEST_NAME = "manifest.json"
# Each format writes files named after it (.pdf, .html, .docx): what verify looks for.
_EDITION_SUFFIXES = tuple(f".{name}" for name in FORMATS)


@dataclass(frozen=True)
class FileRecord:
    """What the manifest says about one built file (before its checksum is taken)."""

    audience: str
    language: str
    kind: str  # the edition's format: "pdf" or "html"
    pages: int | None
    pdf_variant: str | None
    signed: bool
    copy: int | None = None  # a recipient's numbered copy (distribute/); None: the edition


def data_files(data_dir: Path) -> dict[str, bytes]:
    """The briefing's YAML files (not the recipients) by data-relative name, translations
    and audiences included: what an edition is made from."""
    return {
        path.relative_to(data_dir).as_posix(): path.read_bytes()
        for path in data_dir.rglob("*.yaml")
        if path != data_dir / RECIPIENTS_FILE
    }


def data_checksum_of(files: dict[str, bytes]) -> str:
    """One SHA-256 over the briefing's data files by name (``data_files``): names in path
    order, each name and content (the manifest's ``data_sha256``)."""
    digest = hashlib.sha256()
    for name in sorted(files, key=lambda name: tuple(name.split("/"))):
        digest.update(name.encode() + b"\0")
        digest.update(files[name] + b"\0")
    return digest.hexdigest()


def manifest_bytes(
    folder: Path,
    files: dict[Path, bytes],
    records: dict[Path, FileRecord],
    context: dict,
    retired: Collection[Path] = (),
) -> bytes:
    """The new manifest: these files, plus earlier entries for files still in ``folder``
    (but the ``retired`` ones, which these files replace)."""
    entries = {entry["file"]: entry for entry in _read_entries(folder)}
    entries = {
        name: e
        for name, e in entries.items()
        if (folder / name).is_file() and folder / name not in retired
    }
    for path, content in files.items():
        record = records[path]
        name = path.relative_to(folder).as_posix()  # copies sit in copies/<audience>/
        shown = {k: v for k, v in record.__dict__.items() if k != "copy" or v is not None}
        entries[name] = {
            "file": name,
            **shown,
            "bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            **context,
        }
    manifest = {
        "generator": f"kzbrief {__version__}",
        "kzbrief_version": __version__,
        "weasyprint_version": metadata.version("weasyprint"),
        "files": [entries[name] for name in sorted(entries)],
    }
    return (json.dumps(manifest, indent=2, sort_keys=False) + "\n").encode("utf-8")


def unchanged_outputs(files: list[Path] | None, output: Path) -> list[Path] | None:
    """``files`` (the last build's), if they are all still in ``output`` as the manifest
    says they were written; None if anything was changed, removed or added since."""
    if files is None or not (output / MANIFEST_NAME).is_file():
        return None
    if verify_folder(output).problems or any(not path.is_file() for path in files):
        return None
    return files


def listed_files(folder: Path) -> list[Path]:
    """The files the manifest in ``folder`` lists."""
    return [folder / entry["file"] for entry in _read_entries(folder)]


def listed_entries(folder: Path) -> list[dict]:
    """The manifest's entries, one per file, as written (none if there is no manifest)."""
    return _read_entries(folder)


def _read_entries(folder: Path) -> list[dict]:
    try:
        return json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # no manifest yet, or one we cannot read: start afresh


@dataclass
class VerifyReport:
    ok: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.changed) + len(self.missing) + len(self.unlisted)

    def lines(self) -> list[str]:
        return (
            [f"ok        {name}" for name in self.ok]
            + [
                f"CHANGED   {name} (size or SHA-256 differs from the manifest)"
                for name in self.changed
            ]
            + [f"MISSING   {name} (listed in the manifest)" for name in self.missing]
            + [f"UNLISTED  {name} (not in the manifest)" for name in self.unlisted]
        )


def verify_folder(folder: Path) -> VerifyReport:
    """Compare every file the manifest lists with what is in ``folder`` now."""
    path = folder / MANIFEST_NAME
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        raise VerifyError(
            "no manifest.json here (build into this folder first)", Location(folder)
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise VerifyError(f"the manifest cannot be read ({exc})", Location(path)) from None
    report = VerifyReport()
    for entry in entries:
        target = folder / entry["file"]
        if not target.is_file():
            report.missing.append(entry["file"])
            continue
        content = target.read_bytes()
        same = (
            len(content) == entry["bytes"]
            and hashlib.sha256(content).hexdigest() == entry["sha256"]
        )
        (report.ok if same else report.changed).append(entry["file"])
    listed = {entry["file"] for entry in entries}
    built = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.suffix in _EDITION_SUFFIXES and p.is_file()
    )
    report.unlisted = [name for name in built if name not in listed]
    return report
