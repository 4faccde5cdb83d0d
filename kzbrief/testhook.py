"""Test-only: stop a build at a named moment, so a test can kill it exactly there.

With ``KZBRIEF_TEST_PAUSE=<moment>`` set, the process that reaches that moment
writes its PID to the file named by ``KZBRIEF_TEST_PAUSE_FILE`` and sleeps until it
is killed. tests/test_robustness.py kills a build at each moment in ``MOMENTS`` and
checks what it leaves behind. Unset (always, outside the tests), a moment costs one
dictionary lookup.
"""

from __future__ import annotations

import os
import time

PAUSE_VARIABLE = "KZBRIEF_TEST_PAUSE"
PAUSE_FILE_VARIABLE = "KZBRIEF_TEST_PAUSE_FILE"

# In the order a build reaches them.
MOMENTS = (
    "loaded",  # data and audiences read and checked
    "charts-drawn",  # every chart drawn (and cached); typesetting may have begun in workers
    "typesetting",  # inside typesetting: in a worker process when there are several
    "typeset-done",  # every PDF in memory (and cached), the output folder untouched
    "locked",  # the output lock held, no file replaced yet
    "before-rename",  # the first file written to its temporary, not yet renamed into place
    "between-files",  # the first file renamed into place, the others not yet
    "before-manifest",  # every file replaced, the manifest still the old one
    "after-manifest",  # the manifest written, the lock not yet released
)


def pause_if_asked(moment: str) -> None:
    """Block for ever at ``moment`` if the tests asked for it; otherwise return at once."""
    if os.environ.get(PAUSE_VARIABLE) != moment:
        return
    marker = os.environ[PAUSE_FILE_VARIABLE]
    temporary = f"{marker}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as stream:  # renamed: the test never reads half
        stream.write(f"{os.getpid()}\n")
    os.replace(temporary, marker)
    while True:
        time.sleep(3600)


# Where `kzbrief send` can be stopped: the server has accepted one message, and the
# register does not yet say so; or the register says so and the next is not sent.
SEND_MOMENTS = ("message-accepted", "message-recorded")
