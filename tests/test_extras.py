"""Optional features without their extras: ``--sign`` without pyHanko and XLIFF without
translate-toolkit are one line naming the extra to install, and exit 64; nothing else needs
them. The real ``python -m kzbrief`` runs with a stub that cannot be imported first on its
path, as an interpreter without the extra would find nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from kzbrief.errors import EXIT_USAGE

from .conftest import REPO, Project

SIGN = "kzbrief: error: signing needs pyHanko, which is not installed: install kzbrief[sign]\n"
XLIFF = (
    "kzbrief: error: XLIFF needs translate-toolkit, which is not installed: "
    "install kzbrief[xliff]\n"
)


@pytest.fixture
def without_extras(tmp_path: Path) -> dict[str, str]:
    """An environment whose Python finds ``pyhanko`` and ``translate`` only as packages
    that raise ModuleNotFoundError, as if the extras were not installed."""
    stubs = tmp_path / "stubs"
    for name in ("pyhanko", "translate"):
        (stubs / name).mkdir(parents=True)
        (stubs / name / "__init__.py").write_text(
            f"raise ModuleNotFoundError({f'No module named {name!r}'!r}, name={name!r})\n"
        )
    return {**os.environ, "PYTHONPATH": str(stubs)}


def _kzbrief(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kzbrief", *args]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)


def test_the_stubs_hide_the_extras(without_extras: dict[str, str], tmp_path: Path) -> None:
    """Without this, the tests below could pass with the extras still importable."""
    script = "import pyhanko.sign"
    result = subprocess.run(
        [sys.executable, "-c", script], env=without_extras, capture_output=True, text=True
    )
    assert "ModuleNotFoundError: No module named 'pyhanko'" in result.stderr


def test_sign_without_the_extra_is_one_line_and_exit_64(
    without_extras: dict[str, str], project: Project
) -> None:
    (project.root / "signer.p12").write_bytes(b"never read")
    result = _kzbrief(
        without_extras, project.root, "build", "--audience", "press", "--sign", "signer.p12"
    )
    assert (result.returncode, result.stderr) == (EXIT_USAGE, SIGN)
    assert not any(project.output.iterdir())  # found before anything was typeset


@pytest.mark.parametrize("action", ["export", "import"])
def test_xliff_without_the_extra_is_one_line_and_exit_64(
    action: str, without_extras: dict[str, str], tmp_path: Path
) -> None:
    data = str(REPO / "data")  # read in place: neither command gets as far as writing
    xlf = tmp_path / "ru.xlf"
    if action == "import":
        xlf.write_text("<xliff/>")
        args = ["translate", "import", "ru", str(xlf), "--data", data]
    else:
        args = ["translate", "export", "ru", "--format", "xliff", "--output", str(xlf)]
        args += ["--data", data]
    result = _kzbrief(without_extras, tmp_path, *args)
    assert (result.returncode, result.stderr) == (EXIT_USAGE, XLIFF)
    assert xlf.exists() == (action == "import")  # an export writes nothing


def test_po_export_needs_no_extra(without_extras: dict[str, str], tmp_path: Path) -> None:
    data = str(REPO / "data")
    po = tmp_path / "ru.po"
    args = ["translate", "export", "ru", "--format", "po", "--output", str(po), "--data", data]
    result = _kzbrief(without_extras, tmp_path, *args)
    assert result.returncode == 0, result.stderr
    assert 'msgid "' in po.read_text()


def test_every_module_imports_without_the_extras(without_extras: dict[str, str]) -> None:
    """No module imports pyHanko or translate-toolkit when it is loaded: only using the
    feature does."""
    script = (
        "import importlib, pkgutil, kzbrief\n"
        "for m in pkgutil.walk_packages(kzbrief.__path__, 'kzbrief.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=without_extras, capture_output=True, text=True
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "ok\n", "")


def test_the_extras_are_optional_and_the_test_extra_pulls_them_in() -> None:
    """As pip reads the installed metadata (hatchling writes kzbrief[sign,xliff] inside
    ``test`` out as the extras' own requirements)."""
    requires = [Requirement(r) for r in metadata.requires("kzbrief") or []]

    def names(extra: str) -> set[str]:
        return {
            r.name.lower() for r in requires if r.marker and r.marker.evaluate({"extra": extra})
        }

    base = {r.name.lower() for r in requires if not r.marker}
    assert not base & {"pyhanko", "translate-toolkit"}
    assert "pyhanko" in names("sign") and "translate-toolkit" in names("xliff")
    assert {"pyhanko", "translate-toolkit", "pytest"} <= names("test")
