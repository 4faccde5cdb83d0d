"""kzbrief benchmarks: one run, one machine, medians of several repetitions.

    python benchmarks/run.py [--repeat N] [--skip-scaling]

Measures (see README, "Performance"): a cold build of all audiences against the
`weasyprint` command line rendering the same HTML one file after another; a rebuild
with nothing changed; rebuilds after one audience template and one number change;
start-up of --help and list against `python -c pass`; peak memory (PSS of the whole
process tree); PDF sizes; builds of 1, 10 and 40 generated audiences; and the Word
edition's cost beside the PDF edition's (--only-word); issue of 1,000 recipients with
each register, SQLite and PostgreSQL (--only-registers).
Timings are printed, never asserted: tests do not time things.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from copies_and_preview import bench_copies, bench_preview, report_copies, report_preview
from languages import bench_languages, report_languages
from measure import PY, REPO, Project, adopt_orphans, median_of, reap, run, typesetting_cpu
from register_backends import bench_registers, report_registers
from typesetting import (
    bench_cold_and_baseline,
    bench_cold_by_turns,
    bench_yardstick_cpu,
    report_cold,
    report_cpu_per_page,
)


def bench_rebuilds(project: Project, repeat: int) -> dict[str, tuple[float, float]]:
    project.clean()
    run(project.build())
    results = {"rebuild, nothing changed": median_of(repeat, lambda _: run(project.build()))}
    template = project.root / "templates" / "audiences" / "press" / "briefing.html.j2"
    original = template.read_text(encoding="utf-8")

    def template_change(i: int) -> tuple[float, float]:
        template.write_text(original + f"\n<!-- benchmark edit {i} -->\n", encoding="utf-8")
        return run(project.build())

    results["rebuild, one audience template changed"] = median_of(repeat, template_change)
    trade = project.root / "data" / "trade.yaml"
    text = trade.read_text(encoding="utf-8")

    def number_change(i: int) -> tuple[float, float]:
        trade.write_text(text.replace("import: 34900000", f"import: {34900000 + (i + 1) * 1000}"))
        return run(project.build())

    results["rebuild, one number changed"] = median_of(repeat, number_change)
    trade.write_text(text, encoding="utf-8")
    return results


def bench_word(project: Project, repeat: int) -> dict[str, tuple[float, float]]:
    """The Word edition's cost beside the PDF edition's, cold, cache off: for one edition
    (government/en), and per edition for the four English editions (whose charts are rasterised once
    for all four). The PDF edition's is its typesetting
    (build --timings: WeasyPrint's CPU, in the workers); the Word edition's is what it adds
    to a build of the PDFs alone, its charts rasterised included (from the cache, they are
    not: a rebuild pays for the document)."""

    def cold(formats: str, *only: str) -> tuple[float, float, float]:
        errors: list[str] = []

        def step(_: int) -> tuple[float, float]:
            project.clean()
            return run(
                project.build(*only, "--no-cache", "--timings", formats=formats), stderr=errors
            )

        wall, cpu = median_of(repeat, step)
        # the typesetting CPU of all PDFs of one run (each run's is about the same)
        return wall, cpu, sorted(typesetting_cpu(e)[1] for e in errors)[len(errors) // 2]

    one = ("--audience", "government", "--language", "en")
    pdf, both = cold("pdf", *one), cold("pdf,docx", *one)
    pdf_all, both_all = cold("pdf"), cold("pdf,docx")
    per = 4  # Project.build builds the English editions: one per audience
    return {
        "PDF edition, government/en (typesetting CPU)": (pdf[2], pdf[2]),
        "Word edition, government/en (pdf,docx build - pdf build)": (
            both[0] - pdf[0],
            both[1] - pdf[1],
        ),
        "PDF edition, mean of the four English (typesetting CPU / 4)": (
            pdf_all[2] / per,
            pdf_all[2] / per,
        ),
        "Word edition, mean of the four English ((pdf,docx - pdf) / 4)": (
            (both_all[0] - pdf_all[0]) / per,
            (both_all[1] - pdf_all[1]) / per,
        ),
    }


def report_word(timings: dict[str, tuple[float, float]]) -> None:
    print("\n| edition, cold, cache off | wall | CPU | Word / PDF (CPU) |\n|---|---|---|---|")
    rows = list(timings.items())
    for (pdf_name, (_, pdf_cpu)), (word_name, (wall, word_cpu)) in zip(
        rows[::2], rows[1::2], strict=True
    ):
        print(f"| {pdf_name} |  | {pdf_cpu:.2f} s |  |")
        ratio = f"{word_cpu / pdf_cpu:.2f} (target <= 0.25)"
        print(f"| {word_name} | {wall:.3f} s | {word_cpu:.2f} s | {ratio} |")


def bench_startup(repeat: int, scratch: Path) -> dict[str, tuple[float, float]]:
    # The floor for any argparse CLI started with -m: a package that does nothing else.
    floor = scratch / "floor"
    (floor / "argparse_only").mkdir(parents=True)
    (floor / "argparse_only" / "__init__.py").write_text("")
    main = "import argparse\nargparse.ArgumentParser().parse_args()\n"
    (floor / "argparse_only" / "__main__.py").write_text(main)
    commands = {
        "python -c pass": ([PY, "-c", "pass"], REPO),
        "floor: python -m <package that only runs argparse> --help": (
            [PY, "-m", "argparse_only", "--help"],
            floor,
        ),
        "python -m kzbrief --help": ([PY, "-m", "kzbrief", "--help"], REPO),
        "python -m kzbrief list": (
            [PY, "-m", "kzbrief", "list", "--data", str(REPO / "data")],
            REPO,
        ),
    }
    return {
        name: median_of(repeat * 5, lambda _, c=cmd, d=cwd: run(c, cwd=d))
        for name, (cmd, cwd) in commands.items()
    }


def _tree_pss(pid: int) -> int:
    """Proportional set size (kB) of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            todo += [int(child) for child in children]
        except (OSError, ValueError):
            continue
    return total


def bench_memory(project: Project) -> float:
    """Peak PSS (MB) of a cold full build, sampled every 20 ms."""
    project.clean()
    process = subprocess.Popen(
        project.build(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_pss(process.pid))
        time.sleep(0.02)
    reap()  # its fork server, so that its CPU time is not counted in the next measurement
    return peak / 1024


def make_audiences(project: Project, count: int) -> Path:
    """A data folder whose only audiences are ``count`` copies of the press summary."""
    data = project.root / f"data-{count}"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(REPO / "data", data)
    press = (data / "audiences" / "press.yaml").read_text(encoding="utf-8")
    for config in (data / "audiences").glob("*.yaml"):
        config.unlink()
    overrides = project.root / "templates" / "audiences"
    for n in range(count):
        name = f"press-{n:03d}"
        text = press.replace("id: press", f"id: {name}")
        text = re.sub(r"(?m)^  languages: .*$", "  languages: [en]", text)  # one edition each
        (data / "audiences" / f"{name}.yaml").write_text(text)
        if not (overrides / name).exists():
            shutil.copytree(overrides / "press", overrides / name)
    return data


def bench_scaling(project: Project) -> list[tuple[int, float, float]]:
    rows = []
    for count in (1, 10, 40):
        data = make_audiences(project, count)
        project.clean()
        args = [
            PY,
            "-m",
            "kzbrief",
            "build",
            "--data",
            str(data),
            "--templates",
            str(project.root / "templates"),
            "--output",
            str(project.output),
            "--quiet",
        ]
        wall, cpu = run(args)
        rows.append((count, wall, cpu))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per timing (median)")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument(
        "--only-copies", action="store_true", help="only the copies benchmark (1,000 recipients)"
    )
    parser.add_argument("--only-preview", action="store_true", help="only the preview benchmark")
    parser.add_argument(
        "--only-languages", action="store_true", help="only the cost of each language edition"
    )
    parser.add_argument(
        "--only-word", action="store_true", help="only the Word edition's cost beside the PDF's"
    )
    parser.add_argument(
        "--only-registers",
        action="store_true",
        help="only issue of 1,000 recipients with the SQLite and the PostgreSQL register",
    )
    parser.add_argument(
        "--only-cold",
        action="store_true",
        help="only the cold build of the English PDFs against the yardstick, run by turns",
    )
    args = parser.parse_args()
    adopt_orphans()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        # Run from the scratch folder: from the repository, the build would find its
        # kzbrief.toml and keep its cache there, beyond the reach of Project.clean().
        os.chdir(folder)
        project = Project(Path(folder))
        if args.only_copies:
            report_copies(bench_copies(project))
            return
        if args.only_preview:
            report_preview(bench_preview(project))
            return
        if args.only_word:
            report_word(bench_word(project, args.repeat))
            return
        if args.only_registers:
            report_registers(bench_registers(project))
            return
        if args.only_cold:
            report_cold(*bench_cold_by_turns(project, args.repeat))
            return
        if args.only_languages:
            report_languages(bench_languages(project))
            return
        cpu_per_page: list[tuple[int, float]] = []
        timings = bench_cold_and_baseline(project, args.repeat, cpu_per_page)
        yardstick_cpu = bench_yardstick_cpu(project.root, args.repeat)
        sizes = {p.name: p.stat().st_size for p in sorted(project.output.glob("*.pdf"))}
        timings |= bench_rebuilds(project, args.repeat)
        timings |= bench_startup(args.repeat, Path(folder))
        peak = bench_memory(project)
        scaling = [] if args.skip_scaling else bench_scaling(project)
        copies = bench_copies(project)
        preview = bench_preview(project)
        word = bench_word(project, args.repeat)
    report(timings, sizes, peak, scaling)
    report_cpu_per_page(cpu_per_page, yardstick_cpu)
    report_copies(copies)
    report_preview(preview)
    report_word(word)


def report(timings: dict, sizes: dict, peak: float, scaling: list) -> None:
    cold = timings["cold build, all audiences"][0]
    baseline = timings["weasyprint CLI alone, same HTML, sequential"][0]
    python = timings["python -c pass"][0]
    print("\n| measurement | wall (median) | CPU | ratio |")
    print("|---|---|---|---|")
    unchanged = timings["rebuild, nothing changed"][0]
    helps, lists = timings["python -m kzbrief --help"][0], timings["python -m kzbrief list"][0]
    yardstick = timings["yardstick: weasyprint CLI on benchmarks/reference/government.html"][0]
    ratios = {
        "cold build, all audiences": f"{cold / yardstick:.2f} x yardstick (target <= 1.5); "
        f"{cold / baseline:.2f} x weasyprint on the same HTML",
        "rebuild, nothing changed": f"{unchanged / cold:.3f} x cold (target <= 0.05)",
        "python -m kzbrief --help": f"{helps / python:.1f} x python (target <= 2)",
        "python -m kzbrief list": f"{lists / python:.1f} x python (target <= 2)",
    }
    for name, (wall, cpu) in timings.items():
        print(f"| {name} | {wall:.3f} s | {cpu:.2f} s | {ratios.get(name, '')} |")
    print(f"| peak memory, cold full build (PSS, all processes) | {peak:.0f} MB | | <= 400 MB |")
    print("\n| PDF | bytes |\n|---|---|")
    for name, size in sizes.items():
        print(f"| {name} | {size:,} |")
    if scaling:
        print("\n| generated audiences | wall | CPU | CPU / wall | wall per audience |")
        print("|---|---|---|---|---|")
        for count, wall, cpu in scaling:
            per = wall / count
            print(f"| {count} | {wall:.1f} s | {cpu:.1f} s | {cpu / wall:.2f} | {per:.2f} s |")


if __name__ == "__main__":
    main()
