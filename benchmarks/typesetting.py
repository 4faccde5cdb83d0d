"""The cold build against the yardstick (the weasyprint command line on the government HTML
of when the typesetting-cost work began), and WeasyPrint's CPU per page against it.

    python benchmarks/run.py --only-cold
"""

from __future__ import annotations

import statistics
import subprocess
from pathlib import Path

from measure import (
    ENV,
    PY,
    REPO,
    Project,
    font_folders,
    median_of,
    run,
    typesetting_cpu,
    yardstick_html,
)


def bench_cold_and_baseline(
    project: Project, repeat: int, cpu_per_page: list[tuple[int, float]]
) -> dict[str, tuple[float, float]]:
    """The cold build against the yardstick and the weasyprint CLI on the same HTML;
    the pages and typesetting CPU of each cold build are appended to ``cpu_per_page``."""

    def cold(_: int) -> tuple[float, float]:
        project.clean()
        errors: list[str] = []
        timing = run([*project.build(formats="pdf"), "--timings"], stderr=errors)
        cpu_per_page.append(typesetting_cpu(errors[0]))
        return timing

    def cold_with_web(_: int) -> tuple[float, float]:
        project.clean()
        return run(project.build())

    yardstick = yardstick_html(project.root)
    weasyprint = str(Path(PY).parent / "weasyprint")

    def weasyprint_alone(_: int) -> tuple[float, float]:
        htmls = sorted(project.output.glob("*.html"))
        walls = cpus = 0.0
        for html in htmls:
            wall, cpu = run([weasyprint, str(html), str(html.with_suffix(".wp.pdf"))])
            walls, cpus = walls + wall, cpus + cpu
        return walls, cpus

    results = {"cold build, all audiences": median_of(repeat, cold)}
    results["cold build, all audiences, with their web editions"] = median_of(repeat, cold_with_web)
    results["yardstick: weasyprint CLI on benchmarks/reference/government.html"] = median_of(
        repeat, lambda _: run([weasyprint, str(yardstick), str(yardstick.with_suffix(".pdf"))])
    )
    results["weasyprint CLI alone, same HTML, sequential"] = median_of(repeat, weasyprint_alone)
    for stale in project.output.glob("*.wp.pdf"):
        stale.unlink()
    return results


def bench_cold_by_turns(
    project: Project, repeat: int
) -> tuple[list[float], list[float], list[tuple[int, float]], tuple[int, float]]:
    """The cold PDF build and the yardstick, one after the other ``repeat`` times, so that
    a machine slowing down or speeding up during the run weighs on both alike."""
    yardstick = yardstick_html(project.root)
    weasyprint = str(Path(PY).parent / "weasyprint")
    builds, yardsticks, cpu_per_page = [], [], []
    for _ in range(repeat):
        project.clean()
        errors: list[str] = []
        builds.append(run([*project.build(formats="pdf"), "--timings"], stderr=errors)[0])
        cpu_per_page.append(typesetting_cpu(errors[0]))
        yardsticks.append(run([weasyprint, str(yardstick), str(yardstick.with_suffix(".pdf"))])[0])
    return builds, yardsticks, cpu_per_page, bench_yardstick_cpu(project.root, repeat)


def report_cold(
    builds: list[float],
    yardsticks: list[float],
    cpu_per_page: list[tuple[int, float]],
    yardstick_cpu: tuple[int, float],
) -> None:
    cold, yardstick = statistics.median(builds), statistics.median(yardsticks)
    print("\n| measurement | runs | median | ratio |\n|---|---|---|---|")
    print(
        f"| cold build, 4 English PDFs | {', '.join(f'{b:.2f}' for b in builds)} | {cold:.2f} s "
        f"| {cold / yardstick:.2f} x yardstick (target <= 1.5) |"
    )
    print(f"| yardstick | {', '.join(f'{y:.2f}' for y in yardsticks)} | {yardstick:.2f} s | |")
    report_cpu_per_page(cpu_per_page, yardstick_cpu)


YARDSTICK_CPU = """
import datetime, sys, time
from pathlib import Path
from kzbrief.formats.pdf import typeset_pdf, typeset_options
html = Path(sys.argv[1]).read_text(encoding="utf-8")
issued = datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC)
options = typeset_options((Path(sys.argv[1]).parent,), Path(sys.argv[2]), None, "pdf/a-3b", issued)
options.allowed_roots += tuple(Path(folder) for folder in sys.argv[3:])  # its fonts
typeset_pdf(html, options)  # warm: the build's workers are warm too (formats/warmup.py)
start = time.process_time()
result = typeset_pdf(html, options)
print(result.pages, time.process_time() - start)
"""


def bench_yardstick_cpu(scratch: Path, repeat: int) -> tuple[int, float]:
    """Pages and CPU seconds of typesetting the yardstick in-process, as the build's
    workers typeset (options, warm process): the per-page cost when this work began."""
    html = yardstick_html(scratch)
    samples = []
    for _ in range(repeat):
        done = subprocess.run(
            [PY, "-c", YARDSTICK_CPU, str(html), str(REPO / "data"), *font_folders()],
            env=ENV, check=True, capture_output=True, text=True,
        )  # fmt: skip
        pages, cpu = done.stdout.split()
        samples.append((int(pages), float(cpu)))
    return samples[0][0], statistics.median(cpu for _, cpu in samples)


def report_cpu_per_page(builds: list[tuple[int, float]], yardstick: tuple[int, float]) -> None:
    pages, cpu = builds[0][0], statistics.median(c for _, c in builds)
    before = yardstick[1] / yardstick[0]
    print("\n| WeasyPrint CPU per page | pages | CPU | CPU per page | ratio |")
    print("|---|---|---|---|---|")
    print(
        f"| yardstick (government HTML at the start) | {yardstick[0]} | {yardstick[1]:.2f} s "
        f"| {before:.3f} s | |"
    )
    print(
        f"| cold build, its editions summed (--timings) | {pages} | {cpu:.2f} s "
        f"| {cpu / pages:.3f} s | {cpu / pages / before:.2f} x yardstick (target <= 0.5) |"
    )
