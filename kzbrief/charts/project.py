"""Charts written in Python by the project itself, named in kzbrief.toml:

    [charts]
    balance = "charts/balance.py:draw"

The file is the project's own code and runs with the user's rights, like a Makefile: kzbrief
imports it only when the project's kzbrief.toml names it, never because a data file or a
template mentions a chart. The function is called once per language with the briefing in
that language and the language code, inside the briefing's chart style (its typefaces for
the language's script), and returns a mapping (or an object) with:

    figure   a matplotlib Figure (not pyplot's current figure), 6.3 in wide to fit the column
    caption  the figure's caption, in that language
    alt      what it shows, numbers included, for screen readers
    sources  the ids in sources.yaml its figures come from
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Location, TemplateError, UsageError
from .chart import Chart

if TYPE_CHECKING:
    from ..data.models import Briefing

_SPEC = re.compile(r"^(?P<file>[^:]+\.py):(?P<function>[A-Za-z_]\w*)$")
_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
TABLE = "charts"


@dataclass(frozen=True)
class ProjectChart:
    """One chart of the project's own code: its key, file and function."""

    key: str
    file: Path
    function: str

    def digest(self) -> str:
        """The file's SHA-256: a changed file is a changed chart (it keys the cache)."""
        return hashlib.sha256(self.file.read_bytes()).hexdigest()


def read_project_charts(config: Path | None) -> tuple[ProjectChart, ...]:
    """The charts [charts] of kzbrief.toml names, each checked: a wrong entry is one line
    naming the file (exit 64)."""
    from ..project import read_toml

    if config is None or not config.is_file():
        return ()
    table = read_toml(config).get(TABLE, {})
    if not table:
        return ()
    # lazy, and only for a project with charts: a build with nothing to redo loads no pydantic
    from ..data.own import BUILT_IN_CHARTS

    where = Location(config)
    if not isinstance(table, dict):
        raise UsageError(f'[{TABLE}]: expected a table of charts, key = "file.py:function"', where)
    charts = []
    for key, spec in table.items():
        match = _SPEC.match(spec) if isinstance(spec, str) else None
        if match is None:
            example = f'{key} = "charts/{key}.py:draw"'
            raise UsageError(
                f'[{TABLE}] {key}: expected "file.py:function", such as {example}', where
            )
        if not _KEY.match(key) or key in BUILT_IN_CHARTS:
            problem = "is a built-in chart" if key in BUILT_IN_CHARTS else "is not a valid key"
            raise UsageError(
                f"[{TABLE}] {key}: {problem} (expected lower-case letters, digits, - or _, "
                f"not one of {', '.join(BUILT_IN_CHARTS)})",
                where,
            )
        file = (config.parent / match["file"]).absolute()
        if not file.is_file():
            raise UsageError(f"[{TABLE}] {key}: no such file: {file}", where)
        charts.append(ProjectChart(key, file, match["function"]))
    return tuple(charts)


def draw_project_chart(
    key: str, file: str, function: str, _digest: str, briefing: Briefing, language: str
) -> Chart:
    """Run the project's function (``_digest`` only keys the cache) and check what it gives."""
    from .style import chart_style, to_svg  # lazy: matplotlib

    where = Location(Path(file))
    with chart_style(), _reported(key, where):
        drawer = getattr(_load(key, Path(file)), function, None)
        if not callable(drawer):
            raise TemplateError(f"chart '{key}': {file} defines no function '{function}'", where)
        result = drawer(briefing, language)
        figure, caption, alt, sources = _fields(key, result, briefing, where)
        svg = to_svg(figure)
    return Chart(key, svg, caption, alt, sources)


def _load(key: str, file: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"kzbrief_project_chart_{key}", file)
    assert spec is not None and spec.loader is not None  # a .py file always has a loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fields(
    key: str, result: Any, briefing: Briefing, where: Location
) -> tuple[Any, str, str, tuple[str, ...]]:
    from matplotlib.figure import Figure

    get = result.get if isinstance(result, dict) else lambda name: getattr(result, name, None)
    figure, caption, alt, sources = (get(name) for name in ("figure", "caption", "alt", "sources"))
    if not isinstance(figure, Figure):
        problem = "'figure' must be a matplotlib Figure"
    elif not (isinstance(caption, str) and caption.strip()):
        problem = "'caption' must be a non-empty text"
    elif not (isinstance(alt, str) and alt.strip()):
        problem = "'alt' must be a non-empty text (what the chart shows, for screen readers)"
    elif not (isinstance(sources, (list, tuple)) and sources):
        problem = "'sources' must list the ids of sources.yaml the figures come from"
    else:
        known = [source.id for source in briefing.sources]
        unknown = [s for s in sources if s not in known]
        if not unknown:
            return figure, caption, alt, tuple(sources)
        problem = f"unknown source '{unknown[0]}' (known: {', '.join(known)})"
    raise TemplateError(f"chart '{key}' returned {problem}", where)


@contextmanager
def _reported(key: str, where: Location) -> Iterator[None]:
    """Whatever the project's code raises, as one line at its innermost line in that file:
    it is the project's code, so the traceback into kzbrief would not help its author."""
    try:
        yield
    except TemplateError:
        raise
    except Exception as exc:  # any error of the project's own code
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(where.file)
        ]
        line = frames[-1].lineno if frames else None
        raise TemplateError(
            f"chart '{key}' failed: {type(exc).__name__}: {exc}", Location(where.file, line)
        ) from None
