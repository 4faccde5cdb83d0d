"""The typesetting fork server's preload (workers.py), imported only there.

It ties the server's life to the build's: the server ends with the build, however the
build ends, and its workers end with it. Then it imports WeasyPrint, so every worker
forked from the server starts with it loaded.
"""

from . import fetcher  # noqa: F401 - WeasyPrint, for every worker
from .workers import die_with_parent

die_with_parent()
