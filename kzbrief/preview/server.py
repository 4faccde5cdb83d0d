"""The preview's web server: its own pages, the page images, the PDFs, and the events.

Only the routes below answer; everything else, ``..`` in any spelling included, is a
404, and nothing of the project is ever listed or served from disk: images and PDFs
come from memory. Open pages hear of each change by Server-Sent Events and fetch the
state, then only the images whose URL (content hash) changed.

A request whose ``Host`` is not the address the server listens on gets 421: a web page
that points a name of its own at 127.0.0.1 (DNS rebinding) cannot read the briefing. HEAD
answers as GET does, without the body. The one POST, ``/api/language``, switches the
language the editions are built in; it must be JSON, which no other site can send
without asking first (CORS), and the server never agrees.
"""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
from collections.abc import Callable
from importlib import resources
from urllib.parse import unquote, urlsplit

from .state import PreviewState

_ROUTES = {
    "page": re.compile(r"/page/([a-z0-9-]+)/([1-9][0-9]*)\.png"),
    "pdf": re.compile(r"/pdf/([a-z0-9-]+)/[A-Za-z0-9._-]+\.pdf"),
    "text": re.compile(r"/api/text/([a-z0-9-]+)"),
    "edition": re.compile(r"/edition/([a-z0-9-]+)"),
}
HEARTBEAT = 10.0  # seconds between keep-alive comments on an idle event stream
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
MAX_BODY = 1024  # bytes: the language switch's JSON is a few


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never keeps the process alive

    def __init__(
        self,
        address: tuple[str, int],
        state: PreviewState,
        switch: Callable[[str], None] = lambda language: None,
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.state = state
        self.switch = switch  # rebuilds in the language given, in the background
        self.stopping = threading.Event()
        port = self.server_address[1]
        given = f"[{address[0]}]" if ":" in address[0] else address[0]
        self.hosts = {f"{name}:{port}".lower() for name in (*LOOPBACK, given)}


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass  # the terminal shows the build, not every request

    head = False  # a HEAD request: the headers of the GET, no body

    def do_HEAD(self) -> None:
        self.head = True
        self.do_GET()

    def do_POST(self) -> None:
        if not self._host_allowed():
            return None
        if urlsplit(self.path).path != "/api/language":
            return self._send(404, b"not found\n", "text/plain")
        length = int(self.headers.get("Content-Length") or 0)
        kind = self.headers.get("Content-Type", "").split(";")[0].strip()
        if kind != "application/json" or not 0 < length <= MAX_BODY:
            return self._send(415, b"expected a small JSON body\n", "text/plain")
        try:
            language = json.loads(self.rfile.read(length))["language"]
        except (ValueError, TypeError, KeyError):
            return self._send(400, b'expected {"language": CODE}\n', "text/plain")
        state = self.server.state
        with state.changed:
            known = {code for codes in state.languages.values() for code in codes}
        if language not in known:
            return self._send(
                400, b"no previewed audience is read in that language\n", "text/plain"
            )
        self.server.switch(language)
        return self._send(202, b"", "text/plain")

    def do_GET(self) -> None:
        if not self._host_allowed():
            return None
        path = urlsplit(self.path).path
        if ".." in unquote(unquote(path)) or "//" in path or "\\" in unquote(path):
            return self._send(404, b"not found\n", "text/plain")
        state = self.server.state
        if path == "/":
            return self._send(200, _page("index.html"), "text/html; charset=utf-8")
        if path == "/preview.js":
            return self._send(200, _page("preview.js"), "text/javascript; charset=utf-8")
        if path == "/api/state":
            return self._json(state.snapshot())
        if path == "/events":
            return self._events()
        for name, pattern in _ROUTES.items():
            match = pattern.fullmatch(path)
            if match:
                return self._route(name, match.groups())
        return self._send(404, b"not found\n", "text/plain")

    def _route(self, name: str, groups: tuple[str, ...]) -> None:
        edition = self.server.state.editions.get(groups[0])
        if edition is None:
            return self._send(404, b"no such edition\n", "text/plain")
        if name == "edition":
            return self._send(200, _page("edition.html"), "text/html; charset=utf-8")
        if name == "pdf":
            return self._send(200, edition.pdf, "application/pdf")
        if name == "text":
            return self._json([page.text for page in edition.pages])
        number = int(groups[1])
        if number > len(edition.pages):
            return self._send(404, b"no such page\n", "text/plain")
        page = edition.pages[number - 1]
        # The URL carries the image's hash: a browser may keep it for good.
        return self._send(200, page.png, "image/png", "public, max-age=31536000, immutable")

    def _host_allowed(self) -> bool:
        """Refuse (421) a Host that is not this server's address: DNS rebinding."""
        if (self.headers.get("Host") or "").lower() in self.server.hosts:
            return True
        self._send(421, b"this server answers only to its own address\n", "text/plain")
        self.close_connection = True
        return False

    def _events(self) -> None:
        """Server-Sent Events: one message per change of the state, until the client leaves."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.head:
            self.close_connection = True
            return None
        state, seen = self.server.state, -1
        try:
            while not self.server.stopping.is_set():
                with state.changed:
                    if state.version == seen:
                        state.changed.wait(HEARTBEAT)
                    version, building = state.version, state.building
                if version != seen:
                    seen = version
                    message = json.dumps({"version": version, "building": building})
                    self.wfile.write(f"data: {message}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the page was closed
        self.close_connection = True

    def _json(self, value: object) -> None:
        self._send(200, json.dumps(value).encode(), "application/json", "no-store")

    def _send(self, status: int, body: bytes, kind: str, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not self.head:
            self.wfile.write(body)


def _page(name: str) -> bytes:
    return resources.files(__package__).joinpath(name).read_bytes()
