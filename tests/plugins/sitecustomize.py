"""Test plugin: stop a kzbrief process at a named moment, so a test can kill it there.

The tests put this folder on ``PYTHONPATH`` for the processes they start, so Python
imports this module at start-up (and so does every process those start: the fork
server, its workers). Without ``KZBRIEF_TEST_STOP`` in the environment it does nothing
but hand over to any other ``sitecustomize`` it shadows. The installed kzbrief knows
nothing of it: the moments are reached by wrapping kzbrief's own public functions
(kzbrief_stops.py).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))


def _chain_to_the_shadowed_sitecustomize() -> None:
    """Run the sitecustomize this one hides on sys.path (a distribution's, a venv's)."""
    others = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", others)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)


if os.environ.get("KZBRIEF_TEST_STOP"):
    import kzbrief_stops  # beside this file, on PYTHONPATH

    kzbrief_stops.install(os.environ["KZBRIEF_TEST_STOP"], os.environ["KZBRIEF_TEST_STOP_FIFO"])
_chain_to_the_shadowed_sitecustomize()
