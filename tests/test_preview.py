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
    project = copy_project(tmp_path_factory.mktemp("preview"))
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
    running = Preview(project, process, f"http://127.0.0.1:{port}/")
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


def test_ctrl_c_stops_the_server_and_leaves_no_process(preview: Preview) -> None:
    children = _children(preview.process.pid)
    preview.process.send_signal(signal.SIGINT)
    out, _ = preview.process.communicate(timeout=REQUEST_TIMEOUT)  # a net: it ends at once
    assert preview.process.returncode == 0
    assert out.endswith("kzbrief preview: stopped\n")
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
