"""Which resources an edition may use: files kzbrief trusts, and image ``data:`` URLs.

Data is untrusted, so both formats refuse the network, ``file:`` URLs outside the
allowed folders (symlinks resolved first) and ``data:`` URLs that are not images.
The PDF's fetcher (fetcher.py) and the web page's inliner (html.py) share this rule.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse


def local_file(url: str, roots: tuple[Path, ...]) -> Path | None:
    """The file a ``file:`` URL names, if it lies below one of ``roots``; else None."""
    parsed = urlparse(url)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parsed.path)).resolve()
    resolved = (root.resolve() for root in roots)
    return path if any(path.is_relative_to(root) for root in resolved) else None


def allowed(url: str, roots: tuple[Path, ...]) -> bool:
    if urlparse(url).scheme == "data":
        return urlparse(url).path.startswith("image/")
    return local_file(url, roots) is not None
