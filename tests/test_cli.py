"""The command line: in-process for detail, one real subprocess for the entry point."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kzbrief import errors
from kzbrief.cli import main
from kzbrief.distribute.register import Register

from .conftest import REPO, Project
from .importtime import kzbrief_imports


def test_module_entry_point_builds_and_prints_paths(project: Project) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kzbrief",
            "build",
            "--data",
            str(project.data),
            "--output",
            str(project.output),
            "--format",
            "html",  # the web editions: the entry point, without typesetting four PDFs again
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = [Path(line) for line in result.stdout.splitlines()]
    # With no --audience, every audience is built, in file-name order of their configs.
    assert [p.name for p in printed] == [
        f"kazakhstan-iran-{audience}-en.html"
        for audience in ("business", "government", "press", "us-policy")
    ]
    assert all(p.is_file() for p in printed)
    assert printed[0].read_bytes().startswith(b"<!DOCTYPE html>")


def test_timings_report_each_typeset_pdf_then_nothing_when_cached(project: Project) -> None:
    """build --timings: a row per PDF typeset (its pages as in the file) and a total; a
    rebuild served from the cache typesets nothing and says so."""
    from pypdf import PdfReader

    command = [sys.executable, "-m", "kzbrief", "build", "--data", str(project.data)]
    command += ["--output", str(project.output), "--audience", "press", "--timings"]
    first = subprocess.run(command, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    pages = len(PdfReader(project.output / "kazakhstan-iran-press-en.pdf").pages)
    header, row, total = first.stderr.splitlines()
    assert header.split() == ["edition", "pages", "CPU", "s", "CPU", "s/page"]
    who, shown, cpu, per_page = row.split()
    assert (who, int(shown)) == ("press/en/pdf", pages) and float(cpu) > 0
    assert float(per_page) == pytest.approx(float(cpu) / pages, abs=0.005)  # cpu: 2 decimals
    assert total.split()[:2] == ["all", str(pages)]
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 0
    assert again.stderr == "kzbrief: timings: no PDF was typeset (all up to date)\n"


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"]])
def test_help_explains_and_exits_zero(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "usage: kzbrief" in out
    # The folders and exit codes are told once, in kzbrief --help; a command's help is its own.
    assert ("exit codes:" in out) == (argv == ["--help"])


def test_bad_data_gives_one_line_and_exit_2(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.data / "trade.yaml").write_text("trade: [unclosed\n", encoding="utf-8")
    code = main(["build", "--data", str(project.data), "--output", str(project.output)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.endswith(
        "trade.yaml:2:1: invalid YAML: expected ',' or ']', but got '<stream end>' "
        "(in the list opened by `[` at line 1, column 8)"
    )
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert not list(project.output.glob("*")), "a failed build must write nothing"


def test_unknown_audience_lists_the_known_ones(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "build",
            "--data",
            str(project.data),
            "--output",
            str(project.output),
            "--audience",
            "nobody",
        ]
    )
    assert code == 64
    assert (
        "unknown audience 'nobody' (known: business, government, press, us-policy)"
        in capsys.readouterr().err
    )


def test_missing_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 64
    assert "usage: kzbrief" in capsys.readouterr().err


def _error_classes(cls: type[errors.KzbriefError]) -> list[type[errors.KzbriefError]]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _error_classes(direct))]


def test_every_exit_code_is_defined_in_errors_and_listed_in_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Every module that could define an error class, so none hides from __subclasses__().
    for module in (
        "build",
        "publish.manifest",
        "formats.sign",
        "distribute.copies",
        "distribute.send",
        "distribute.mail",
        "commands.trace",
    ):
        importlib.import_module(f"kzbrief.{module}")
    classes = _error_classes(errors.KzbriefError)
    assert {c.__name__ for c in classes} >= {"BudgetError", "StrictError", "VerifyError"}
    assert [c.__name__ for c in classes if c.__module__ != "kzbrief.errors"] == []
    assert {c.exit_code for c in classes} <= set(errors.EXIT_CODES)
    assert main(["--help"]) == 0
    listed = capsys.readouterr().out.split("exit codes:\n", 1)[1]
    assert [int(line.split()[0]) for line in listed.splitlines()] == [*range(14), 64]
    assert "  8   the signing certificate cannot be used\n" in listed


def test_help_imports_only_the_cli_and_its_errors() -> None:
    imported = kzbrief_imports("--help")
    # __main__ runs, it is not imported; no command's module is (cli.COMMANDS has their lines)
    assert {name for name in imported if name.startswith("kzbrief")} == {
        "kzbrief",
        "kzbrief.cli",
        "kzbrief.errors",
    }
    assert not imported & {"pathlib", "typing", "tomllib", "dataclasses"}


def test_a_command_imports_its_own_module_and_no_other_command() -> None:
    script = (  # sys.modules: -X importtime does not report importlib.import_module's own
        "import contextlib, io, sys\n"
        "from kzbrief.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['build', '--help'])\n"
        "print(*sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    commands = {name for name in result.stdout.split() if name.startswith("kzbrief.commands.")}
    assert commands == {"kzbrief.commands.arguments", "kzbrief.commands.build"}


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_a_reader_that_went_away_ends_kzbrief_quietly(tmp_path: Path, buffered: bool) -> None:
    """kzbrief list | head -1, once head has gone: no message and exit 141, as a shell shows
    for git there. kzbrief's stdout is a pipe whose reader has closed it before the first
    line: print() finds out (unbuffered) or the last flush does (buffered, Python's default
    for a pipe)."""
    register = tmp_path / "register.sqlite"
    with Register(register):  # an empty register: its table has a heading and a total
        pass
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"

    def closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
        reader, writer = os.pipe()
        os.close(reader)
        with os.fdopen(writer, "wb") as stdout:
            command = [sys.executable, "-m", "kzbrief", *args]
            return subprocess.run(
                command, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path
            )

    for args in (
        ["list", "--data", str(REPO / "data")],
        ["register", "--register", str(register)],
        ["register", "--register", str(register), "--csv"],
    ):
        result = closed_pipe(*args)
        assert (result.returncode, result.stderr) == (errors.EXIT_CLOSED_PIPE, ""), args
    # argparse ignores a failed write of the help (exit 0); if it is buffered, flushing it fails
    assert closed_pipe("--help").stderr == ""
