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

from .conftest import Project


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
    assert "usage: kzbrief" in out and "exit codes:" in out


def test_bad_data_gives_one_line_and_exit_2(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.data / "trade.yaml").write_text("trade: [unclosed\n", encoding="utf-8")
    code = main(["build", "--data", str(project.data), "--output", str(project.output)])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.endswith("trade.yaml:2:1: invalid YAML: expected ',' or ']', but got '<stream end>'")
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
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kzbrief", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    ours = {name for name in imported if name.startswith("kzbrief")}
    # __main__ runs, it is not imported; cli_build, cli_distribution and cli_translate are
    # argparse declarations only.
    cli = {"kzbrief.cli", "kzbrief.cli_build", "kzbrief.cli_distribution", "kzbrief.cli_translate"}
    cli.add("kzbrief.cli_changes")
    assert ours == {"kzbrief", *cli, "kzbrief.errors"}
    assert not imported & {"pathlib", "typing", "tomllib", "dataclasses"}


def test_quick_exit_keeps_the_code_the_output_and_the_exit_handlers(tmp_path: Path) -> None:
    """`python -m kzbrief` ends without the interpreter's teardown (cli.exit_quickly): the
    exit code, buffered output (to a file: block-buffered) and atexit handlers stay, and a
    thread still running is waited for."""
    script = """if True:
        import atexit, sys, threading, time
        from kzbrief.cli import exit_quickly
        atexit.register(print, "handler ran")
        print("line\\n" * 5000, end="")
        if sys.argv[1] == "thread":
            threading.Thread(target=lambda: (time.sleep(0.2), print("thread done"))).start()
        exit_quickly(int(sys.argv[2]))
        print("not reached")
    """
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for mode, code in (("plain", 3), ("thread", 0)):
        out = tmp_path / f"{mode}.txt"
        with out.open("w") as stdout:
            command = [sys.executable, "-c", script, mode, str(code)]
            result = subprocess.run(command, stdout=stdout, env=buffered)
        assert result.returncode == code
        lines = out.read_text().splitlines()
        assert lines[:5000] == ["line"] * 5000
        expected = ["thread done", "handler ran"] if mode == "thread" else ["handler ran"]
        assert lines[5000:] == expected
