"""MkDocs hooks (mkdocs.yml ``hooks:``): the Reference pages are generated from the code at
build time, and the JSON Schemas the package ships are served beside the data reference."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/: docs_reference

from docs_reference import expand

from kzbrief.data.schema import SCHEMA_DIR


def on_files(files: Files, config: Any) -> Files:
    for schema in sorted(SCHEMA_DIR.glob("*.schema.json")):
        content = schema.read_text(encoding="utf-8")
        files.append(File.generated(config, f"reference/schemas/{schema.name}", content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    return expand(markdown)
