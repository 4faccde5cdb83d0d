"""The preview's web server: its own pages, the page images, the PDFs, and the events.

Only the routes below answer; everything else, ``..`` in any spelling included, is a
404, and nothing of the project is ever listed or served from disk: images and PDFs
come from memory. Open pages hear of each change by Server-Sent Events and fetch the
state, then only the images whose URL (content hash) changed.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
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


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True  # an open event stream never keeps the process alive

    def __init__(self, address: tuple[str, int], state: PreviewState) -> None:
        super().__init__(address, _Handler)
        self.state = state
        self.stopping = threading.Event()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass  # the terminal shows the build, not every request

    def do_GET(self) -> None:
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

    def _events(self) -> None:
        """Server-Sent Events: one message per change of the state, until the client leaves."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
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
        self.wfile.write(body)


def _page(name: str) -> bytes:
    return resources.files(__package__).joinpath(name).read_bytes()
