"""The typesetting fork server's preload (workers.py), imported only there.

It ties the server's life to the build's: the server ends with the build, however the
build ends, and its workers end with it. Then it imports WeasyPrint and typesets a small
document (warmup.py), so every worker forked from it starts loaded and warm.

Last, the garbage collector. What the server has loaded stays for the workers' whole
lives, so it is frozen out of the collector's view (``gc.freeze``): a full collection no
longer walks WeasyPrint's 70,000 module objects. Typesetting makes boxes by the hundred
thousand, so the youngest generation is collected less often (YOUNG_COLLECTION_EVERY).
Measured on four English editions typeset in one process: the collector's share of the CPU
time fell from 0.40 s to 0.09 s (of about 7 s).
"""

import contextlib
import gc

from .warmup import warm_up
from .workers import YOUNG_COLLECTION_EVERY, die_with_parent

die_with_parent()
# A failed warm-up costs only time: the real documents report their own problems.
with contextlib.suppress(Exception):
    warm_up()
gc.collect()
gc.freeze()
gc.set_threshold(YOUNG_COLLECTION_EVERY, 10, 10)
