"""axe-core (Deque, MPL-2.0; vendored from the npm package, tests/vendor/axe-core/) run in a
page open in headless Chromium: the WCAG 2.1 A and AA rules, and what they found."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then((results) => done(results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + n.failureSummary)}))))
  .catch((error) => done([{id: "axe-error", impact: "critical", help: String(error), nodes: []}]));
"""


def axe_violations(driver: object, url: str) -> list[dict]:
    """Every WCAG 2.1 AA violation axe-core finds in the page at ``url`` (loaded fresh)."""
    driver.get(url)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    return driver.execute_async_script(_RUN, WCAG_21_AA)
