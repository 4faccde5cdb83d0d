"""kzbrief benchmarks: one run, one machine, medians of several repetitions.

    python benchmarks/run.py [--repeat N] [--skip-scaling]

Measures (see README, "Performance"): a cold build of all audiences against the
`weasyprint` command line rendering the same HTML one file after another; a rebuild
with nothing changed; rebuilds after one audience template and one number change;
start-up of --help and list against `python -c pass`; peak memory (PSS of the whole
process tree); PDF sizes; and builds of 1, 10 and 40 generated audiences.
Timings are printed, never asserted: tests do not time things.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
# Measure what users get: Python caches compiled modules (some sandboxes turn that off).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _adopt_orphans() -> None:
    """Become the subreaper of every process a command leaves behind: the build's
    typesetting fork server outlives it by a moment and is nobody's child to wait for, so
    its CPU time (and its workers') would be missing from RUSAGE_CHILDREN."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _reap() -> None:
    """Wait for every child left: the adopted fork servers (see _adopt_orphans)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def run(
    args: list[str], cwd: Path | None = None, stderr: list[str] | None = None
) -> tuple[float, float]:
    """Wall and CPU seconds (user+sys of the process and all its descendants) of one
    command; its standard error appended to ``stderr`` if given."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        args, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wall = time.perf_counter() - start
    _reap()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if stderr is not None:
        stderr.append(done.stderr.decode())
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# `build --timings` ends with a line: all, pages, typesetting CPU seconds, CPU per page.
_ALL = re.compile(r"^all\s+(\d+)\s+([\d.]+)\s+([\d.]+)$", re.MULTILINE)


def typesetting_cpu(stderr: str) -> tuple[int, float]:
    """Pages and WeasyPrint CPU seconds summed over the editions a build typeset."""
    found = _ALL.search(stderr)
    if found is None:
        raise SystemExit(f"no timings in the build's output:\n{stderr}")
    return int(found[1]), float(found[2])


def median_of(repeat: int, step) -> tuple[float, float]:
    samples = [step(i) for i in range(repeat)]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


class Project:
    """A private copy of the data and templates, built with the real CLI."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(REPO / "data", root / "data")
        shutil.copytree(REPO / "templates", root / "templates")
        self.output = root / "output"

    def build(self, *extra: str, formats: str = "pdf,html") -> list[str]:
        return [
            PY,
            "-m",
            "kzbrief",
            "build",
            "--data",
            str(self.root / "data"),
            "--templates",
            str(self.root / "templates"),
            "--output",
            str(self.output),
            "--format",
            formats,
            "--language",
            "en",  # the four English editions, as measured before languages existed
            "--quiet",
            *extra,
        ]

    def clean(self) -> None:
        shutil.rmtree(self.output, ignore_errors=True)
        shutil.rmtree(self.root / ".kzbrief", ignore_errors=True)  # the build cache


REFERENCE = REPO / "benchmarks" / "reference" / "government.html"


def yardstick_html(scratch: Path) -> Path:
    """The fixed yardstick (the government HTML as built when the typesetting-cost work
    began), its font URLs resolved to this installation."""
    import site

    packages = next(p for p in site.getsitepackages() if (Path(p) / "weasyprint").exists())
    text = REFERENCE.read_text(encoding="utf-8")
    html = scratch / "yardstick.html"
    html.write_text(text.replace("site-packages:///", Path(packages).as_uri() + "/"))
    return html


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
    _reap()  # its fork server, so that its CPU time is not counted in the next measurement
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


def bench_copies(project: Project, count: int = 1000) -> dict[str, tuple[float, float]]:
    """Issuing ``count`` numbered copies of the government edition, against typesetting it."""
    people = "".join(
        f"  - {{id: r{n}, name: Reader {n}, organisation: Office {n} (fictitious), "
        "audience: government}\n"
        for n in range(1, count + 1)
    )
    (project.root / "data" / "recipients.yaml").write_text("recipients:\n" + people)
    project.clean()
    shutil.rmtree(project.root / "distribution", ignore_errors=True)
    common = ["--data", str(project.root / "data"), "--output", str(project.output)]
    common += ["--templates", str(project.root / "templates")]
    # Every government edition (en, ru, kk), in-process: `issue` finds them all up to date.
    government = ["--audience", "government", "--jobs", "1"]
    typeset = run([PY, "-m", "kzbrief", "build", *common, *government])
    register = ["--register", str(project.root / "distribution" / "register.sqlite")]
    issue = run([PY, "-m", "kzbrief", "issue", *common, *register, "--audience", "government"])
    again = run([PY, "-m", "kzbrief", "issue", *common, *register, "--audience", "government"])
    shutil.rmtree(project.output / "copies")  # lost: each is stamped again, to its bytes
    restore = run([PY, "-m", "kzbrief", "issue", *common, *register, "--audience", "government"])
    return {
        "typeset the government editions once (en, ru, kk)": typeset,
        f"issue {count} copies of it (edition up to date)": issue,
        f"issue the same {count} again (nothing changes)": again,
        f"the {count} copy files lost: issue makes them again, byte for byte": restore,
    }


def bench_preview(project: Project, repeat: int = 5) -> list[float]:
    """Seconds from saving a press template to the new page images being served."""
    import json
    import signal
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The press masthead's title size, 22 pt and 21.5 pt in turn: a real edit of a press
    # template that keeps the summary on its two pages.
    template = project.root / "templates" / "audiences" / "press" / "briefing.html.j2"
    original = template.read_text()
    assert "font: 700 22pt/1.1" in original
    args = [PY, "-m", "kzbrief", "preview", "--audience", "press", "--port", str(port)]
    args += ["--data", str(project.root / "data"), "--templates", str(project.root / "templates")]
    process = subprocess.Popen([*args, "--output", str(project.output)], env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip

    def state() -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/state", timeout=5) as r:
            return json.load(r)

    def settled(newer_than: int) -> dict:
        while True:
            try:
                found = state()
                if found["version"] > newer_than and not found["building"]:
                    return found
            except OSError:
                pass  # not listening yet
            time.sleep(0.01)

    samples = []
    try:
        current = settled(0)
        for n in range(1, repeat + 1):
            start = time.perf_counter()
            size = "21.5pt" if n % 2 else "22pt"
            template.write_text(original.replace("font: 700 22pt/1.1", f"font: 700 {size}/1.1"))
            current = settled(current["version"])
            assert not current["errors"], current["errors"]
            first = current["editions"]["press"]["pages"][0]["url"]
            urllib.request.urlopen(f"http://127.0.0.1:{port}{first}", timeout=5).read()
            samples.append(time.perf_counter() - start)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(60)
        _reap()
        template.write_text(original)
    return samples


YARDSTICK_CPU = """
import datetime, sys, time
from pathlib import Path
from kzbrief.formats.pdf import typeset_pdf, typeset_options
html = Path(sys.argv[1]).read_text(encoding="utf-8")
issued = datetime.datetime(2012, 1, 1, tzinfo=datetime.UTC)
options = typeset_options((Path(sys.argv[1]).parent,), Path(sys.argv[2]), None, "pdf/a-3b", issued)
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
            [PY, "-c", YARDSTICK_CPU, str(html), str(REPO / "data")],
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
        "--only-cold",
        action="store_true",
        help="only the cold build of the English PDFs against the yardstick, run by turns",
    )
    args = parser.parse_args()
    _adopt_orphans()
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
        if args.only_cold:
            report_cold(*bench_cold_by_turns(project, args.repeat))
            return
        if args.only_languages:
            from languages import bench_languages, report_languages  # beside this script

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
    report(timings, sizes, peak, scaling)
    report_cpu_per_page(cpu_per_page, yardstick_cpu)
    report_copies(copies)
    report_preview(preview)


def report_preview(samples: list[float]) -> None:
    shown = ", ".join(f"{s:.2f}" for s in samples)
    print(
        f"\n| preview: save a press template -> new page images served | median "
        f"{statistics.median(samples):.2f} s (runs: {shown}) | target <= 1.5 s |"
    )


def report_copies(timings: dict[str, tuple[float, float]]) -> None:
    (typeset, _), (issue, _) = list(timings.values())[:2]
    count = int(next(name for name in timings if name.startswith("issue ")).split()[1])
    print("\n| copies | wall | CPU |\n|---|---|---|")
    for name, (wall, cpu) in timings.items():
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s |")
    per = issue / count
    print(
        f"| per copy | {per:.3f} s (target <= 0.03 s) | {per / typeset:.3f} x typesetting "
        "once (target <= 0.05) |"
    )


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
