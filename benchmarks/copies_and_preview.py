"""Issuing numbered copies, and the preview's turnaround from a saved template to new pages.

python benchmarks/run.py --only-copies | --only-preview
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import time

from measure import ENV, PY, Project, reap, run, write_recipients


def bench_copies(project: Project, count: int = 1000) -> dict[str, tuple[float, float]]:
    """Issuing ``count`` numbered copies of the government edition, against typesetting it."""
    write_recipients(project, count, "government")
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
        reap()
        template.write_text(original)
    return samples


def report_preview(samples: list[float]) -> None:
    shown = ", ".join(f"{s:.2f}" for s in samples)
    print(
        f"\n| preview: save a press template -> new page images served | median "
        f"{statistics.median(samples):.2f} s (runs: {shown}) | target <= 1.5 s |"
    )
