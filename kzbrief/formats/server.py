"""The typesetting fork server's preload (workers.py), imported only there.

It ties the server's life to the build's: the server ends with the build, however the
build ends, and its workers end with it. Then it imports WeasyPrint and typesets a small
document (warmup.py), so every worker forked from it starts loaded and warm.
"""

import contextlib

from .warmup import warm_up
from .workers import die_with_parent

die_with_parent()
# A failed warm-up costs only time: the real documents report their own problems.
with contextlib.suppress(Exception):
    warm_up()
