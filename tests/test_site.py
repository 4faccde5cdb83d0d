"""``kzbrief publish``: the public site, read back from the files and in a real browser."""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import feedparser
import pytest
import yaml

from kzbrief.cli import main
from kzbrief.distribute.site_page import cover_thumbnail

from .conftest import BuiltBriefing, Project, copy_project
from .test_web_edition import _chromium

pytestmark = pytest.mark.xdist_group("site")  # its fixture is built once, in one worker

RESTRICTED = ("government", "business", "us-policy")
PRESS = "kazakhstan-iran-press-en"
SITE_FILES = [
    ".kzbrief-site",
    "feed.xml",
    "index.html",
    f"{PRESS}-cover.png",
    f"{PRESS}.html",
    f"{PRESS}.pdf",
]


# Without [publish] base_url in kzbrief.toml the feed's links stay relative, and publish says so.
RELATIVE_LINKS = (
    "kzbrief: warning: feed.xml: its links are relative, which some feed readers do not "
    "resolve; set [publish] base_url in kzbrief.toml to the address the site is served from\n"
)


@dataclass
class Published:
    project: Project
    site: Path
    code: int
    out: str

    def manifest(self) -> list[dict]:
        text = (self.project.output / "manifest.json").read_text(encoding="utf-8")
        return json.loads(text)["files"]


def _run(argv: list[str]) -> tuple[int, str, str]:
    """main(argv) in-process, with what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _publish(project: Project, site: Path) -> tuple[int, str, str]:
    folders = ["--data", str(project.data), "--output", str(project.output)]
    return _run(["publish", *folders, "--site", str(site)])


@pytest.fixture(scope="session")
def published(built: BuiltBriefing, tmp_path_factory: pytest.TempPathFactory) -> Published:
    """A full build of all four audiences, copies issued to every recipient, then publish:
    the output folder holds every restricted edition and copy the site must leave out."""
    project = copy_project(tmp_path_factory.mktemp("site"))
    shutil.copytree(built.pdf.parent, project.output, dirs_exist_ok=True)
    # The build cache too, so that issuing finds every PDF typeset already.
    shutil.copytree(built.pdf.parent.parent / ".kzbrief", project.root / ".kzbrief")
    base = ["--data", str(project.data), "--output", str(project.output)]
    # A session fixture is set up before the per-test folder change: run in the project, so
    # the register and build state land beside its output, never in the repository.
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project.root)
        code, _, err = _run(["issue", *base])
        assert code == 0, err
        copies = project.output / "copies" / "2026-11-27"  # copies/<edition id>/<audience>
        assert sorted(p.name for p in copies.iterdir()) == sorted([*RESTRICTED, "press"])
        site = project.root / "site"
        code, out, err = _publish(project, site)
    assert err == RELATIVE_LINKS
    return Published(project, site, code, out)


def _site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def test_publish_writes_the_public_editions_beside_the_page(published: Published) -> None:
    assert published.code == 0
    assert _site_files(published.site) == SITE_FILES
    assert published.out.split() == [
        str(published.site / name) for name in [*SITE_FILES[3:], "feed.xml", "index.html"]
    ]
    for name in (f"{PRESS}.pdf", f"{PRESS}.html"):
        assert (published.site / name).read_bytes() == (
            published.project.output / name
        ).read_bytes()


def test_no_restricted_edition_reaches_the_site(published: Published) -> None:
    """No file, no text and no thumbnail of a non-public edition or of a copy, anywhere."""
    entries = published.manifest()
    hidden = [e for e in entries if e["audience"] != "press" or "copy" in e]
    assert {e["audience"] for e in hidden} == {*RESTRICTED, "press"}  # copies of press too
    assert len([e for e in hidden if "copy" in e]) == 6
    data = published.project.data
    titles = [
        yaml.safe_load((data / "audiences" / f"{a}.yaml").read_text(encoding="utf-8"))["audience"][
            "title"
        ]
        for a in RESTRICTED
    ]
    recipients = yaml.safe_load((data / "recipients.yaml").read_text(encoding="utf-8"))
    names = [r[key] for r in recipients["recipients"] for key in ("id", "name", "organisation")]
    needles = [e["sha256"] for e in hidden] + [f"kazakhstan-iran-{a}" for a in RESTRICTED]
    needles += titles + names + ["copies/", "copy-0"]
    for path in published.site.rglob("*"):
        assert not any(a in path.name for a in RESTRICTED)
        content = path.read_bytes()
        assert [n for n in needles if n.encode() in content] == [], path.name
        assert hashlib.sha256(content).hexdigest() not in {e["sha256"] for e in hidden}
    # The one thumbnail is the press cover, not another edition's first page.
    press = (published.site / f"{PRESS}.pdf").read_bytes()
    assert (published.site / f"{PRESS}-cover.png").read_bytes() == cover_thumbnail(press)[0]


def test_the_index_describes_each_public_edition(published: Published) -> None:
    html = (published.site / "index.html").read_text(encoding="utf-8")
    pdf = next(e for e in published.manifest() if e["file"] == f"{PRESS}.pdf")
    assert '<html lang="en" dir="ltr">' in html
    assert "<h1>Kazakhstan and Iran</h1>" in html
    assert 'Edition of <time datetime="2026-11-27">27 November 2026</time>' in html
    assert '<h3 id="edition-1">Press summary</h3>' in html
    assert "<dt>Language</dt><dd>English</dd>" in html
    assert "<dt>Pages</dt><dd>2</dd>" in html
    assert f"<dt>Size</dt><dd>{round(pdf['bytes'] / 1000)} kB</dd>" in html
    assert f'<code class="checksum" dir="ltr">{pdf["sha256"]}</code>' in html
    assert '<article class="edition-card" lang="en" aria-labelledby="edition-1">' in html
    pdf_link = f'<a href="{PRESS}.pdf" hreflang="en" type="application/pdf" download>'
    assert f"{pdf_link}Download the PDF</a>" in html
    assert f'<a href="{PRESS}.html" hreflang="en" type="text/html">Read the web edition</a>' in html
    assert f'<img class="cover" src="{PRESS}-cover.png" width="300" ' in html
    assert 'alt="First page of the Press summary"' in html
    # Self-contained: the fonts are inlined; nothing is fetched from elsewhere.
    assert html.count('src: url("data:font/woff2;base64,') == 3
    assert "http://" not in html.replace('"http://www.w3.org', "") and "https://" not in html


def test_publishing_again_gives_byte_identical_files(published: Published, tmp_path: Path) -> None:
    before = {name: (published.site / name).read_bytes() for name in SITE_FILES}
    for site in (published.site, tmp_path / "elsewhere"):
        code, _, err = _publish(published.project, site)
        assert (code, err) == (0, RELATIVE_LINKS)
        assert {name: (site / name).read_bytes() for name in _site_files(site)} == before


def test_the_feed_has_one_entry_per_edition_with_stable_ids(published: Published) -> None:
    feed = feedparser.parse((published.site / "feed.xml").read_bytes())
    assert feed.bozo == 0 and feed.version == "atom10"
    assert feed.feed.id == "tag:kzbrief,2026:kazakhstan-iran"
    assert feed.feed.title == "Kazakhstan and Iran"
    assert feed.feed.updated == "2026-11-27T00:00:00Z"
    [entry] = feed.entries
    assert entry.id == "tag:kzbrief,2026:kazakhstan-iran/press/en/2026-11-27"
    assert entry.title == "Kazakhstan and Iran: Press summary, 27 November 2026"
    assert entry.updated == "2026-11-27T00:00:00Z"
    assert tuple(entry.updated_parsed)[:3] == (2026, 11, 27)
    links = {(link.rel, link.href, link.type) for link in entry.links}
    assert links == {
        ("alternate", f"{PRESS}.html", "text/html"),
        ("enclosure", f"{PRESS}.pdf", "application/pdf"),
    }
    size = (published.site / f"{PRESS}.pdf").stat().st_size
    assert entry.enclosures[0].length == str(size)


def test_a_site_keeps_only_what_is_public_now(tmp_path: Path, published: Published) -> None:
    """An edition that is no longer public leaves the site on the next publish."""
    site = tmp_path / "site"
    shutil.copytree(published.site, site)
    project = copy_project(tmp_path / "project")
    project.edit("audiences/press.yaml", "public: true", "public: false")
    code, out, err = _publish(project, site)
    assert (code, err) == (0, RELATIVE_LINKS)
    assert out.split() == [str(site / "feed.xml"), str(site / "index.html")]
    assert _site_files(site) == [".kzbrief-site", "feed.xml", "index.html"]
    assert "No edition is public yet." in (site / "index.html").read_text(encoding="utf-8")
    assert feedparser.parse((site / "feed.xml").read_bytes()).entries == []
    assert list(project.output.iterdir()) == []  # nothing public: nothing built


def test_a_folder_kzbrief_did_not_write_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = tmp_path / "notes"
    site.mkdir()
    (site / "todo.txt").write_text("mine", encoding="utf-8")
    code, out, err = _publish(project, site)
    assert (code, out) == (64, "")
    assert err == (
        f"{site}: the site folder holds files that kzbrief publish did not write (no "
        ".kzbrief-site file): choose a new or empty folder with --site\n"
    )
    assert _site_files(site) == ["todo.txt"] and list(project.output.iterdir()) == []


@pytest.mark.parametrize("where", ["output/site", "."])
def test_the_site_may_not_share_the_output_folder(tmp_path: Path, where: str) -> None:
    project = copy_project(tmp_path / "project")
    site = project.output / "site" if where == "output/site" else project.root
    code, out, err = _publish(project, site)
    assert (code, out) == (64, "")
    assert err == (
        "kzbrief: error: --site: the site folder may neither be inside the output folder nor "
        "hold it: the site removes files that are not its own "
        f"(site: {site}, output: {project.output})\n"
    )
    assert list(project.output.iterdir()) == []


# The probe runs in the test only: it opens the served index in a frame of the same origin
# and reports what a reader gets. Contrast is WCAG's, text against its nearest background.
_PROBE = """<body><iframe src="site/index.html" width="1000" height="900"></iframe><script>
const luminance = (rgb) => rgb.slice(0, 3).map((v) => v / 255).map(
  (v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce(
  (sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
function background(element) {
  for (let e = element; e; e = e.parentElement) {
    const colour = rgb(getComputedStyle(e).backgroundColor);
    if (colour.length < 4 || colour[3] > 0) return colour;
  }
  return [255, 255, 255];
}
document.querySelector("iframe").addEventListener("load", async (event) => {
  const page = event.target.contentDocument, view = event.target.contentWindow;
  await page.fonts.ready;
  const texts = [...page.body.querySelectorAll("*")].filter((e) =>
    [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
  const ratios = texts.map((e) => {
    const [a, b] = [luminance(rgb(view.getComputedStyle(e).color)), luminance(background(e))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
  document.body.setAttribute("data-measured", JSON.stringify({
    lang: page.documentElement.lang,
    headings: [...page.querySelectorAll("h1, h2, h3")].map((h) => h.tagName),
    links: [...page.querySelectorAll("a[href], link[href]")].map((a) => a.href),
    images: [...page.images].map((i) => ({src: i.src, alt: i.alt, width: i.naturalWidth})),
    resources: view.performance.getEntriesByType("resource").map((r) => r.name),
    fonts: [...page.fonts].filter((f) => f.status === "loaded").map((f) => f.weight),
    minContrast: Math.min(...ratios),
    text: page.body.innerText,
  }));
});
</script></body>"""


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on 127.0.0.1, a free port, in a thread stopped afterwards."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _dump_dom(url: str, profile: Path) -> str:
    """The DOM after load, from headless Chromium; its whole process group ends with it."""
    command = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    command += ["--window-size=1100,1000", "--virtual-time-budget=5000"]
    command += [f"--user-data-dir={profile}", "--dump-dom", url]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # helpers Chromium left behind, if any
        process.wait()
    return out


def test_the_site_works_in_a_real_browser(published: Published, tmp_path: Path) -> None:
    root = tmp_path / "served"
    shutil.copytree(published.site, root / "site")
    (root / "probe.html").write_text(_PROBE, encoding="utf-8")
    with _serve(root) as origin:
        dom = _dump_dom(origin + "probe.html", tmp_path / "profile")
        found = re.search(r'data-measured="([^"]*)"', dom)
        assert found, "the page did not finish loading"
        page = json.loads(unescape(found.group(1)))
        statuses = {}
        for link in page["links"]:
            with urllib.request.urlopen(link, timeout=10) as response:
                statuses[link.removeprefix(origin + "site/")] = response.status
    assert statuses == {
        "feed.xml": 200,  # <link rel="alternate"> and the footer's link
        f"{PRESS}.pdf": 200,
        f"{PRESS}.html": 200,
    }
    assert len(page["links"]) == 4
    assert page["images"] == [
        {
            "src": f"{origin}site/{PRESS}-cover.png",
            "alt": "First page of the Press summary",
            "width": 300,
        }
    ]
    assert all(r.startswith(origin) for r in page["resources"])  # no request elsewhere
    assert sorted(page["fonts"]) == ["400", "600", "700"]  # the inlined faces, not a fallback
    assert page["lang"] == "en" and page["headings"] == ["H1", "H2", "H3"]
    assert page["minContrast"] >= 7
    text = page["text"]
    assert "Kazakhstan and Iran" in text and "Edition of 27 November 2026" in text
    assert "Press summary" in text and "Download the PDF" in text


def test_list_says_which_audiences_are_public(project: Project) -> None:
    code, out, err = _run(["list", "--data", str(project.data)])
    assert (code, err) == (0, "")
    public = [line for line in out.splitlines() if line.endswith("; public (kzbrief publish)")]
    assert public == [
        "    marking: Public; file: {slug}-{audience}-{language}.pdf; public (kzbrief publish)"
    ]


def test_the_public_page_and_web_edition_have_no_wcag_2_1_aa_violation(
    published: Published, browser: object
) -> None:
    from .axe import axe_violations

    for page in (published.site / "index.html", published.site / f"{PRESS}.html"):
        assert axe_violations(browser, page.as_uri()) == [], page.name
