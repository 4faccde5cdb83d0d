"""No import cycle anywhere in the repository: in the package, and among the benchmark
scripts (benchmarks/imports.py reads both with ``ast``; nothing is imported)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def _imports_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("imports", REPO / "benchmarks" / "imports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_package_and_the_benchmarks_have_no_import_cycle() -> None:
    imports = _imports_script()
    assert imports.cycles(imports.graph()[0]) == []
    arrows = imports.script_arrows(imports.BENCHMARKS)
    assert {"run", "languages", "measure"} <= set(arrows)  # the scripts were read
    assert "measure" in arrows["languages"] and "languages" in arrows["run"]
    assert imports.cycles(arrows) == []


def test_a_cycle_between_two_scripts_is_found(tmp_path: Path) -> None:
    (tmp_path / "run.py").write_text("from languages import bench\n", encoding="utf-8")
    (tmp_path / "languages.py").write_text(
        "def bench():\n    import run  # deferred: still an arrow\n", encoding="utf-8"
    )
    (tmp_path / "measure.py").write_text("import os\n", encoding="utf-8")
    imports = _imports_script()
    assert imports.cycles(imports.script_arrows(tmp_path)) == [["languages", "run"]]
