"""``kzbrief preview`` as a real process on a free port, looked at in headless Chromium."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import Project, copy_project

pytestmark = pytest.mark.xdist_group("preview")  # one running preview for the module

# Safety nets only, for a preview that hangs: every wait below ends on an event (a server-sent
# event, a line on a pipe, a DOM condition) and fails the test if the net is reached.
STUCK_AFTER = 300.0  # seconds, for a whole build seen through the events
REQUEST_TIMEOUT = 120.0  # seconds, for one answer (the server answers while it builds)

HEADING = (
    '{% extends "base:sections/summary.html.j2" %}\n'
    "{% block summary_lead %}<h3>{}</h3>{% endblock %}\n"
)


@dataclass
class Preview:
    project: Project
    process: subprocess.Popen
    url: str
    output_before: dict[str, bytes]  # output/ as the preview found it

    def state(self) -> dict:
        with urllib.request.urlopen(self.url + "api/state", timeout=REQUEST_TIMEOUT) as response:
            return json.load(response)

    def after(self, version: int) -> dict:
        """The state once a build newer than ``version`` has finished: told by the server's
        events (/events sends the state at once, then on each change), not polled."""
        with closing(_connect(self.url)) as connection:
            connection.request("GET", "/events")
            response = connection.getresponse()
            deadline = time.monotonic() + STUCK_AFTER  # heartbeats come every 10 s
            while time.monotonic() < deadline:
                line = response.fp.readline().decode()
                assert line, "the preview closed its events: it died"
                if line.startswith("data: "):
                    event = json.loads(line.removeprefix("data: "))
                    if event["version"] > version and not event["building"]:
                        return self.state()
        raise AssertionError(f"no build newer than version {version}")

    def text(self) -> list[str]:
        with urllib.request.urlopen(self.url + "api/text/press", timeout=REQUEST_TIMEOUT) as page:
            return json.load(page)


def _connect(url: str) -> http.client.HTTPConnection:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=REQUEST_TIMEOUT)


def _shown(driver: object, newer_than: int = -1) -> dict:
    """What the open page shows, once it shows a build newer than ``newer_than``: its
    version, status, error lines and image URLs (the page updates itself on each event).
    WebDriverWait waits on that DOM condition; its timeout is the safety net."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    script = """const b = document.body; return {version: Number(b.dataset.version ?? -1),
      building: b.dataset.building === "true",
      errors: document.getElementById("errors").textContent,
      images: [...document.querySelectorAll("#pages img")].map((i) => i.getAttribute("src"))};"""
    seen: list[dict] = []

    def updated(driver: object) -> dict | bool:
        seen.append(driver.execute_script(script))
        return seen[-1] if seen[-1]["version"] > newer_than and not seen[-1]["building"] else False

    try:
        return WebDriverWait(driver, STUCK_AFTER).until(updated)
    except TimeoutException:
        raise AssertionError(f"the page did not update: {seen[-1:]}") from None


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _summary_override(project: Project, heading: str) -> None:
    folder = project.templates / "audiences" / "press" / "sections"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.html.j2").write_text(HEADING.replace("{}", heading), encoding="utf-8")


@pytest.fixture(scope="session")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    project = copy_project(tmp_path_factory.mktemp("preview"), languages=True)
    # Files of an earlier build, named as the preview's own would be: it must not touch them.
    (project.output / "kazakhstan-iran-press-en.pdf").write_bytes(b"%PDF- an earlier build")
    (project.output / "manifest.json").write_text('{"files": []}', encoding="utf-8")
    _summary_override(project, "Heading as first written")
    # The added heading may push the two-page press summary onto a third page.
    project.edit("audiences/press.yaml", "page_budget: 2", "page_budget: 3")
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "kzbrief",
        "preview",
        "--audience",
        "press",
        "--port",
        str(port),
    ]
    command += ["--data", str(project.data), "--templates", str(project.templates)]
    command += ["--output", str(project.output)]
    process = subprocess.Popen(
        command, cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    running = Preview(project, process, f"http://127.0.0.1:{port}/", _files(project.output))
    try:
        assert process.stdout.readline() == f"kzbrief preview: {running.url}  (Ctrl-C stops it)\n"
        running.after(0)
        yield running
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_an_edited_press_template_changes_the_pages_in_the_browser(
    preview: Preview, browser: object, tmp_path: Path
) -> None:
    browser.get(preview.url + "edition/press")
    before = _shown(browser)
    assert "Heading as first written" in preview.text()[0]
    _summary_override(preview.project, "Heading after the edit")
    after = _shown(browser, before["version"])  # pushed by the server: no reload
    state = preview.state()
    assert after["images"] == [p["url"] for p in state["editions"]["press"]["pages"]]
    assert after["images"][0] != before["images"][0]  # the page with the heading, drawn again
    assert "Heading after the edit" in preview.text()[0]
    browser.save_screenshot(str(tmp_path / "edited.png"))


def test_a_yaml_error_shows_on_the_page_until_it_is_fixed(
    preview: Preview, browser: object, tmp_path: Path
) -> None:
    browser.get(preview.url + "edition/press")
    good_page = _shown(browser)
    narrative = preview.project.data / "narrative.yaml"
    good = narrative.read_text(encoding="utf-8")
    line = good.count("\n") + 2
    narrative.write_text(good + "broken: [\n", encoding="utf-8")
    broken = _shown(browser, good_page["version"])
    # As the CLI prints it: relative to the folder the preview runs in.
    assert broken["errors"].startswith(f"data/narrative.yaml:{line}:1: invalid YAML: expected")
    assert broken["images"] == good_page["images"]  # the last good pages stay below it
    browser.save_screenshot(str(tmp_path / "error.png"))
    narrative.write_text(good, encoding="utf-8")
    fixed = _shown(browser, broken["version"])
    assert fixed["errors"] == "" and fixed["images"] == good_page["images"]


def _raw_get(url: str, path: str) -> int:
    """The status for ``path`` sent exactly as written (no client-side normalising)."""
    with closing(_connect(url)) as connection:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status


@pytest.mark.parametrize(
    "path",
    [
        "/../data/narrative.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/page/press/%2e%2e/%2e%2e/kzbrief.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/data/",
        "/output/",
        "/pdf/press/../../data/meta.yaml",
        "/page/other/1.png",
    ],
)
def test_the_server_serves_only_its_own_pages(preview: Preview, path: str) -> None:
    assert _raw_get(preview.url, path) == 404


def test_pages_hear_of_each_build_by_server_sent_events(preview: Preview) -> None:
    connection = _connect(preview.url)
    try:
        connection.request("GET", "/events")
        response = connection.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        first = json.loads(response.fp.readline().decode().removeprefix("data: "))
        response.fp.readline()
        (preview.project.data / "meta.yaml").touch()  # a save with no change: still a build
        nxt = response.fp.readline().decode()
        assert json.loads(nxt.removeprefix("data: "))["version"] > first["version"]
    finally:
        connection.close()
    preview.after(preview.state()["version"] - 1)


def _request(url: str, method: str, path: str, host: str | None = None) -> tuple:
    """(status, headers, body) of one request, with the ``Host`` header given, if any."""
    with closing(_connect(url)) as connection:
        connection.putrequest(method, path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", ""])
def test_a_request_for_another_host_is_refused(preview: Preview, host: str) -> None:
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 is refused."""
    port = preview.url.rstrip("/").rsplit(":", 1)[1]
    pdf = preview.state()["editions"]["press"]["pdf"]
    for path in ("/", "/api/state", pdf, "/events"):
        status, _, body = _request(preview.url, "GET", path, host.replace("{port}", port))
        assert (status, body) == (421, b"this server answers only to its own address\n"), path


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "LOCALHOST"])
def test_the_loopback_names_with_the_port_are_served(preview: Preview, name: str) -> None:
    port = preview.url.rstrip("/").rsplit(":", 1)[1]
    status, _, body = _request(preview.url, "GET", "/api/state", f"{name}:{port}")
    assert status == 200 and "editions" in json.loads(body)


def test_head_answers_as_get_does_without_the_body(preview: Preview) -> None:
    state = preview.state()
    edition = state["editions"]["press"]
    paths = ["/", "/preview.js", "/edition/press", edition["pdf"], edition["pages"][0]["url"]]
    for path in [*paths, "/api/text/press", "/nothing-here"]:
        got, got_headers, body = _request(preview.url, "GET", path)
        status, headers, empty = _request(preview.url, "HEAD", path)
        assert (status, empty) == (got, b""), path
        assert headers["Content-Type"] == got_headers["Content-Type"], path
        assert int(headers["Content-Length"]) == len(body) > 0, path
    status, headers, empty = _request(preview.url, "HEAD", "/events")
    assert (status, headers["Content-Type"], empty) == (200, "text/event-stream", b"")


def _page_shows(browser: object, condition: str) -> None:
    """Wait until the open page's ``condition`` (a JavaScript expression) holds."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, STUCK_AFTER).until(lambda d: d.execute_script(f"return {condition}"))


def _switch_language(browser: object, code: str) -> None:
    # Found and clicked in one step inside the page: the page redraws its buttons on every
    # state event, so an element found by WebDriver can be gone by the time it is clicked.
    browser.execute_script(f"document.querySelector('#languages button[lang=\"{code}\"]').click();")
    _page_shows(
        browser,
        f'document.getElementById("title").textContent === "press ({code})"'
        ' && document.body.dataset.building === "false"',
    )


def test_the_language_switch_rebuilds_the_edition_in_another_language(
    preview: Preview, browser: object, tmp_path: Path
) -> None:
    browser.get(preview.url + "edition/press")
    _shown(browser)
    buttons = browser.execute_script(
        'return [...document.querySelectorAll("#languages button")]'
        '.map((b) => [b.textContent, b.getAttribute("aria-pressed")]);'
    )
    assert buttons == [["en", "true"], ["ru", "false"], ["kk", "false"], ["fa", "false"]]
    english = preview.text()[0]
    _switch_language(browser, "ru")
    state = preview.state()
    assert state["editions"]["press"]["language"] == "ru"
    assert state["editions"]["press"]["pdf"].endswith("-press-ru.pdf")
    russian = preview.text()[0]
    assert russian != english and any("\u0400" <= c <= "\u04ff" for c in russian)
    images = browser.execute_script(
        'return [...document.querySelectorAll("#pages img")].map((i) => i.getAttribute("src"));'
    )
    assert images == [p["url"] for p in state["editions"]["press"]["pages"]]
    browser.save_screenshot(str(tmp_path / "ru.png"))
    _switch_language(browser, "en")
    assert preview.text()[0] == english


def test_an_unknown_language_is_refused(preview: Preview) -> None:
    with closing(_connect(preview.url)) as connection:
        body = json.dumps({"language": "de"})
        connection.request("POST", "/api/language", body, {"Content-Type": "application/json"})
        assert connection.getresponse().status == 400
    with closing(_connect(preview.url)) as connection:  # a form another site could post
        body = "language=ru"
        kind = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/api/language", body, kind)
        assert connection.getresponse().status == 415


def test_an_edition_over_its_budget_is_shown_below_the_error(
    preview: Preview, browser: object, tmp_path: Path
) -> None:
    browser.get(preview.url + "edition/press")
    good = _shown(browser)
    preview.project.edit("audiences/press.yaml", "page_budget: 3", "page_budget: 1")
    over = _shown(browser, good["version"])
    pages = preview.state()["editions"]["press"]["pages"]
    assert len(pages) > 1
    assert over["images"] == [p["url"] for p in pages]  # the pages that are too long
    assert (
        f"the press/en/pdf edition has {len(pages)} pages, over its page budget of 1"
        in (over["errors"])
    )
    status = browser.find_element("id", "status").text
    assert status == "Over the page budget: the pages are shown as built"
    browser.save_screenshot(str(tmp_path / "over-budget.png"))
    preview.project.edit("audiences/press.yaml", "page_budget: 1", "page_budget: 3")
    fixed = _shown(browser, over["version"])
    assert fixed["errors"] == "" and fixed["images"] == over["images"]


def test_the_preview_never_writes_into_the_output_folder_or_the_register(preview: Preview) -> None:
    """After every build above (edits, errors, languages), output/ is as it was, and no
    draft was recorded in the register as a built edition (there was none: none is made)."""
    preview.after(-1)
    assert _files(preview.project.output) == preview.output_before
    assert not (preview.project.root / "distribution").exists()
    built = preview.project.root / ".kzbrief" / "preview"
    assert sorted(p.name for p in built.glob("*.pdf")) == [
        "kazakhstan-iran-press-en.pdf",
        "kazakhstan-iran-press-ru.pdf",
    ]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def test_the_preview_pages_have_no_wcag_2_1_aa_violation(preview: Preview, browser: object) -> None:
    from .axe import axe_violations

    preview.after(-1)
    for page in ("", "edition/press"):
        assert axe_violations(browser, preview.url + page) == [], page or "index"


def test_ctrl_c_stops_the_server_and_leaves_no_process(
    preview: Preview, browser: object, tmp_path: Path
) -> None:
    browser.get(preview.url + "edition/press")
    _shown(browser)
    children = _children(preview.process.pid)
    preview.process.send_signal(signal.SIGINT)
    out, _ = preview.process.communicate(timeout=REQUEST_TIMEOUT)  # a net: it ends at once
    assert preview.process.returncode == 0
    assert out.endswith("kzbrief preview: stopped\n")
    # the open page says so: its event stream ended and the state can no longer be fetched
    _page_shows(browser, 'document.body.dataset.stopped === "true"')
    status = browser.find_element("id", "status").text
    assert status == "The preview server has stopped: these pages are no longer updated"
    browser.save_screenshot(str(tmp_path / "stopped.png"))
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    # refused at once: nothing listens (a timeout would be a hung server, and fails)
    host, port = preview.url.removeprefix("http://").rstrip("/").split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=REQUEST_TIMEOUT).close()


def test_host_other_than_loopback_warns(tmp_path: Path) -> None:
    """Exposing the preview needs --host, and says so (its build fails at once: no data)."""
    command = [sys.executable, "-m", "kzbrief", "preview", "--host", "0.0.0.0", "--port"]
    command += [
        str(_free_port()),
        "--data",
        str(tmp_path / "none"),
        "--output",
        str(tmp_path / "out"),
    ]
    process = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().startswith("kzbrief preview: http://0.0.0.0:")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=REQUEST_TIMEOUT)  # a net: it ends at once
        finally:
            if process.poll() is None:  # the test fails; the process must not outlive it
                process.kill()
                process.wait()
    assert "warning: the preview is open to the network on 0.0.0.0" in err
    assert process.returncode == 0
