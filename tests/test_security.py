"""Untrusted data and templates cannot reach the network or files outside the project."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from kzbrief.cli import main
from kzbrief.data.audiences import load_audiences
from kzbrief.errors import StrictError

from .conftest import Project, logged_warnings, pdf_text


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/svg+xml")
        self.end_headers()
        self.wfile.write(b'<svg xmlns="http://www.w3.org/2000/svg"><text>LEAKED</text></svg>')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 that records every request it gets."""
    _Recorder.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _secret_outside(factory: pytest.TempPathFactory, word: str) -> Path:
    """An SVG outside the project whose text must never reach a PDF."""
    secret = factory.mktemp("elsewhere") / "secret.svg"
    secret.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">'
        f'<text x="0" y="20">{word}</text></svg>',
        encoding="utf-8",
    )
    return secret


def _template(project: Project, name: str, body: str) -> Path:
    folder = project.root / "my-templates"
    (folder / "sections").mkdir(parents=True, exist_ok=True)
    (folder / "sections" / name).write_text(body, encoding="utf-8")
    return folder


def _hostile_trade_section(url: str, outside: Path) -> str:
    return f"""{{% extends "base:sections/trade.html.j2" %}}
{{% block trade_body %}}
<style>@import url("{url}/import.css"); .x {{ background: url("{url}/bg.png"); }}
@font-face {{ font-family: Leak; src: url("{url}/font.ttf"); }}</style>
<link rel="stylesheet" href="{url}/link.css">
<p class="x" style="font-family: Leak">Trade text.</p>
<img src="{url}/img.png" alt="remote">
<img src="{outside.as_uri()}" alt="outside">
<img src="data:text/html,<b>hi</b>" alt="not an image">
{{% endblock %}}"""


def test_nothing_is_fetched_from_the_network_or_outside_the_project(
    project: Project, server: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    secret = _secret_outside(tmp_path_factory, "TOPSECRET-42")
    templates = _template(project, "trade.html.j2", _hostile_trade_section(server, secret))
    with logged_warnings() as warnings:
        [pdf] = project.build(audiences=["business"], templates=templates)
    assert _Recorder.requests == [], "no request may reach the server"
    text = pdf_text(pdf)
    assert "Trade text." in text
    assert "TOPSECRET-42" not in text and "LEAKED" not in text
    blocked = " ".join(warnings)
    for what in ("img.png", "import.css", "link.css", "secret.svg", "data:text/html"):
        assert what in blocked, f"a blocked fetch of {what} must be reported"


def test_a_symlink_out_of_the_template_folder_is_refused(
    project: Project, tmp_path_factory: pytest.TempPathFactory
) -> None:
    secret = _secret_outside(tmp_path_factory, "TOPSECRET-43")
    templates = _template(
        project,
        "trade.html.j2",
        '{% extends "base:sections/trade.html.j2" %}'
        '{% block trade_body %}<p>Linked.</p><img src="linked.svg" alt="x">{% endblock %}',
    )
    (templates / "audiences" / "business").mkdir(parents=True)
    (templates / "audiences" / "business" / "linked.svg").symlink_to(secret)
    with logged_warnings() as warnings:
        [pdf] = project.build(audiences=["business"], templates=templates)
    assert "Linked." in pdf_text(pdf)
    assert "TOPSECRET-43" not in pdf_text(pdf)
    assert any("linked.svg" in w for w in warnings)


def test_strict_turns_a_blocked_fetch_into_an_error_and_writes_nothing(
    project: Project, server: str
) -> None:
    templates = _template(
        project,
        "trade.html.j2",
        '{% extends "base:sections/trade.html.j2" %}'
        f'{{% block trade_body %}}<img src="{server}/x.png" alt="x">{{% endblock %}}',
    )
    with pytest.raises(StrictError) as caught:
        project.build(audiences=["business"], templates=templates, strict=True)
    assert caught.value.exit_code == 6
    assert "--strict" in str(caught.value)
    assert [p for p in project.output.iterdir() if not p.name.startswith(".")] == []
    assert _Recorder.requests == []


def test_data_text_is_never_markup(project: Project, server: str) -> None:
    hostile = (
        f'<img src="file:///etc/passwd"> {{{{ 7*7 }}}} ![pic]({server}/md.png) '
        "<script>alert(1)</script>"
    )
    project.edit("narrative.yaml", "Almost all turnover is Kazakh exports.", hostile)
    with logged_warnings() as warnings:
        [pdf] = project.build(audiences=["government"])
    text = pdf_text(pdf)
    assert '<img src="file:///etc/passwd">' in text
    assert "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]
    assert f"![pic]({server}/md.png)" in text
    assert "<script>alert(1)</script>" in text
    assert _Recorder.requests == [] and warnings == []


def _logo_cases(project: Project) -> dict[str, str]:
    """Logo paths that lead out of the data folder, whether or not their target exists."""
    to_root = "../" * len(project.data.resolve().joinpath("audiences").parts)
    link = project.data / "audiences" / "linked-logo.svg"
    link.symlink_to("/etc/passwd")
    return {
        "absolute": "/etc/passwd",
        "up-to-an-existing-file": f"{to_root}etc/passwd",
        "up-to-nothing": "../../etc/hostname",
        "symlink-out": link.name,
        "absolute-nothing": "/nonexistent/logo.svg",
        "nul-in-the-name": "logo\\0.svg",  # YAML's escape: a NUL, which no path may hold
    }


@pytest.mark.parametrize(
    "case",
    [
        "absolute",
        "up-to-an-existing-file",
        "up-to-nothing",
        "symlink-out",
        "absolute-nothing",
        "nul-in-the-name",
    ],
)
def test_a_logo_outside_the_data_folder_is_refused_alike_whether_it_exists_or_not(
    case: str,
    project: Project,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    logo = _logo_cases(project)[case]
    written = f'"{logo}"'  # double-quoted YAML
    project.edit("audiences/press.yaml", "  page_budget: 2", f"  logo: {written}\n  page_budget: 2")
    monkeypatch.chdir(project.root)
    assert main(["build", "--audience", "press"]) == 2
    shown = repr(logo.replace("\\0", "\0"))  # printable, whatever the name holds
    assert capsys.readouterr().err == (
        "data/audiences/press.yaml:15:9: audience.logo: must be a file inside the data folder "
        f"(got {shown})\n"
    )
    assert list(project.output.iterdir()) == []


def test_a_logo_anywhere_inside_the_data_folder_is_used(project: Project) -> None:
    (project.data / "logos").mkdir()
    logo = project.data / "logos" / "mark.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')
    (project.data / "audiences" / "mark.svg").symlink_to(logo)  # a link that stays inside
    project.edit("audiences/government.yaml", "  paper: A4", "  logo: ../logos/mark.svg")
    project.edit("audiences/press.yaml", "  page_budget: 2", "  logo: mark.svg")
    audiences = load_audiences(project.data)
    assert audiences["government"].logo == audiences["press"].logo == logo.resolve()
