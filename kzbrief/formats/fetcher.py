"""The URL policy for WeasyPrint: only files kzbrief trusts.

Data is untrusted, so the fetcher refuses the network, ``file:`` URLs outside the
allowed folders (symlinks resolved first), and ``data:`` URLs that are not images.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher


class ConfinedFetcher(URLFetcher):
    """Serves files below ``roots`` and image ``data:`` URLs; refuses everything else."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: object = None):
        if not self._allowed(url):
            raise ValueError(f"kzbrief blocked a resource outside the project: {url[:200]}")
        return super().fetch(url, headers)

    def _allowed(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme == "data":
            return parsed.path.startswith("image/")
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parsed.path)).resolve()
        return any(path.is_relative_to(root) for root in self.roots)
