"""What each further language edition costs: cold builds of the shipped data with one, two,
three and four languages (4, 7, 9 and 10 editions), cache off.

    python benchmarks/run.py --only-languages

The fixed start (imports, loading, charts) is paid once; the marginal cost of an edition is
the growth in wall time over the English-only build divided by the editions added. Charts
are drawn once per language, so a language adds four chart drawings whatever its editions.
"""

from __future__ import annotations

from run import PY, Project, run

SUBSETS = (("en",), ("en", "ru"), ("en", "ru", "kk"), ("en", "ru", "kk", "fa"))


def bench_languages(project: Project) -> list[tuple[str, int, float, float]]:
    """(languages, editions, wall, cpu) for each subset, each a cold PDF-only build."""
    rows = []
    for subset in SUBSETS:
        project.clean()
        args = [
            PY, "-m", "kzbrief", "build", "--data", str(project.root / "data"),
            "--templates", str(project.root / "templates"), "--output", str(project.output),
            "--language", ",".join(subset), "--no-cache", "--quiet",
        ]  # fmt: skip
        wall, cpu = run(args)
        rows.append((",".join(subset), len(list(project.output.glob("*.pdf"))), wall, cpu))
    return rows


def report_languages(rows: list[tuple[str, int, float, float]]) -> None:
    print("\nlanguages, cold, cache off (PDF only)")
    print("| languages | editions | wall | CPU time | wall per further edition |")
    print("|---|---|---|---|---|")
    _, base_editions, base_wall, _ = rows[0]
    for languages, editions, wall, cpu in rows:
        added = editions - base_editions
        marginal = f"{(wall - base_wall) / added:.2f} s" if added else ""
        print(f"| {languages} | {editions} | {wall:.1f} s | {cpu:.1f} s | {marginal} |")
