"""The URL policy for WeasyPrint: only files kzbrief trusts (resources.py says which)."""

from __future__ import annotations

from pathlib import Path

from weasyprint.urls import URLFetcher

from .resources import allowed


class ConfinedFetcher(URLFetcher):
    """Serves files below ``roots`` and image ``data:`` URLs; refuses everything else."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: object = None):
        if not allowed(url, self.roots):
            raise ValueError(f"kzbrief blocked a resource outside the project: {url[:200]}")
        return super().fetch(url, headers)
