"""``kzbrief init DIR``: a new project folder that ``kzbrief build`` builds at once.

It writes kzbrief.toml, data/ (the packaged example, or with --blank the commented
skeleton), templates/ (empty but for a README), output/, .gitignore and a README.
It refuses a folder that is not empty unless --force, and even then it writes only
the files that are missing: nothing the user wrote is ever overwritten.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import project_template as text
from ..errors import OutputError, UsageError
from ..project import CONFIG_NAME, PACKAGE_DIR, PACKAGED_DATA
from .arguments import debug_argument

SKELETON = PACKAGE_DIR / "skeleton"  # the --blank data: every file explains its fields
DESCRIPTION = (
    "Create DIR with kzbrief.toml, data/ (the Kazakhstan–Iran example, or with --blank a "
    "commented skeleton), templates/ (empty, with a README), output/, .gitignore and a README; "
    "kzbrief build inside it builds it at once."
)


def arguments(parser: argparse.ArgumentParser) -> None:
    """None of the project options: init makes the folders they would name."""
    parser.add_argument("folder", type=Path, metavar="DIR", help="the new project's folder")
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--example", action="store_true", help="start from the example briefing (the default)"
    )
    kind.add_argument(
        "--blank", action="store_true", help="start from a skeleton whose files explain each field"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="use a folder that is not empty: add the missing files, overwrite none",
    )
    debug_argument(parser)


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    written = init_project(folder, blank=args.blank, force=args.force)
    for path in written:
        print(path)
    print(f"\nA new kzbrief project in {folder}. Next:\n")
    print(f"  cd {folder}")
    print("  kzbrief build    # one PDF per audience and language, into output/")
    print("  kzbrief preview  # the editions in your browser, rebuilt as you edit")
    return 0


def init_project(folder: Path, blank: bool = False, force: bool = False) -> list[Path]:
    """Create the project's files in ``folder``; return the ones written (not the kept ones)."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder", field="DIR")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageError(
            f"{folder} is not empty: choose a new or empty folder, or add --force "
            "(which adds the missing files and overwrites none)",
            field="DIR",
        )
    kind = "a commented blank skeleton" if blank else "the Kazakhstan–Iran example"
    files = {
        CONFIG_NAME: text.CONFIG,
        ".gitignore": text.GITIGNORE,
        "README.md": text.README.format(name=folder.resolve().name, kind=kind),
        "templates/README.md": text.TEMPLATES_README,
    }
    source = SKELETON if blank else PACKAGED_DATA
    try:
        written = [p for name, body in files.items() if (p := _write(folder / name, body))]
        written += _copy_tree(source, folder / "data")
        (folder / "output").mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot write the project ({exc.strerror})", field=str(exc.filename or folder)
        ) from None
    return written


def _write(path: Path, body: str) -> Path | None:
    if path.exists():  # --force: the user's file stays as it is
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def _copy_tree(source: Path, target: Path) -> list[Path]:
    """Copy the data files that are missing in ``target``; keep every one that is there.

    Each starts with the line that points the YAML language server (VS Code's YAML
    extension and other editors) at its JSON Schema in the installed package, so the
    editor completes and checks fields as the user types."""
    from ..data.schema import schema_comment  # lazy: pydantic's models, for init only

    written = []
    for path in sorted(source.rglob("*.yaml")):
        relative = path.relative_to(source)
        destination = target / relative
        if destination.exists():
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        destination.write_text(schema_comment(relative) + text, encoding="utf-8")
        written.append(destination)
    return written
