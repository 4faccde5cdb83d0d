"""What each further language edition costs: cold builds of the shipped data with one, two,
three and four languages (4, 7, 9 and 10 editions), cache off.

    python benchmarks/run.py --only-languages

The fixed start (imports, loading, charts) is paid once; the marginal cost of an edition is
the growth in wall time over the English-only build divided by the editions added. Charts
are drawn once per language, so a language adds four chart drawings whatever its editions.
"""

from __future__ import annotations

from measure import PY, Project, run, typesetting_cpu

SUBSETS = (("en",), ("en", "ru"), ("en", "ru", "kk"), ("en", "ru", "kk", "fa"))


Row = tuple[str, int, float, float, int, float]  # languages, editions, wall, CPU, pages, WP CPU


def bench_languages(project: Project) -> list[Row]:
    """For each subset, a cold PDF-only build: its languages, editions, wall and CPU
    seconds, and the pages and typesetting CPU seconds summed over its editions."""
    rows = []
    for subset in SUBSETS:
        project.clean()
        args = [
            PY, "-m", "kzbrief", "build", "--data", str(project.root / "data"),
            "--templates", str(project.root / "templates"), "--output", str(project.output),
            "--language", ",".join(subset), "--no-cache", "--quiet", "--timings",
        ]  # fmt: skip
        errors: list[str] = []
        wall, cpu = run(args, stderr=errors)
        editions = len(list(project.output.glob("*.pdf")))
        rows.append((",".join(subset), editions, wall, cpu, *typesetting_cpu(errors[0])))
    return rows


def report_languages(rows: list[Row]) -> None:
    print("\nlanguages, cold, cache off (PDF only)")
    print(
        "| languages | editions | wall | CPU time | wall per further edition "
        "| WeasyPrint CPU per page |"
    )
    print("|---|---|---|---|---|---|")
    _, base_editions, base_wall, *_ = rows[0]
    for languages, editions, wall, cpu, pages, typesetting in rows:
        added = editions - base_editions
        marginal = f"{(wall - base_wall) / added:.2f} s" if added else ""
        per_page = f"{typesetting / pages:.3f} s ({pages} pages)"
        shown = f"| {languages} | {editions} | {wall:.1f} s | {cpu:.1f} s | {marginal} "
        print(f"{shown}| {per_page} |")
