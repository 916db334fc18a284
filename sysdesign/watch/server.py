"""The live page's server: 127.0.0.1 only, a free port, server-sent events on every save.

A watcher thread (watchfiles) bumps a version number whenever the design file changes (editors
that save by renaming a new file into place are seen too: the folder is watched, filtered to the
file). Each open page holds one `/events` stream and fetches `/state?stage=N` when told; nothing
reloads the page. Requests whose Host is not this address are refused (DNS rebinding).
"""

from __future__ import annotations

import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sysdesign.watch.page import PAGE
from sysdesign.watch.state import snapshot

HOST = "127.0.0.1"
PING_SECONDS = 15.0


class WatchServer:
    """Serve the live page for `path` until `stop()`."""

    def __init__(self, path: Path, port: int = 0, display: str | None = None) -> None:
        self.path = Path(path).resolve()
        self.display = display or str(path)
        self.version = 0
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._cache: dict[tuple[int, int | None], bytes] = {}
        self._cache_lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((HOST, port), _handler(self))
        self.httpd.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_address[1]}/"

    def start(self) -> WatchServer:
        for target in (self.httpd.serve_forever, self._watch):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def bump(self) -> None:
        """The file changed: new version, every open page told."""
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def state(self, stage: int | None) -> bytes:
        """The snapshot JSON for the current version (computed once per version and stage)."""
        version = self.version
        key = (version, stage)
        with self._cache_lock:
            if key not in self._cache:
                data: dict[str, Any] = snapshot(self.path, stage, self.display)
                data["version"] = version
                self._cache = {key: json.dumps(data).encode("utf-8")}
            return self._cache[key]

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self._stop.is_set(), timeout)
            return self.version

    def _watch(self) -> None:
        from watchfiles import watch

        name = self.path.name
        for changes in watch(
            self.path.parent,
            stop_event=self._stop,
            debounce=50,
            step=20,
            watch_filter=lambda _, changed: Path(changed).name == name,
        ):
            if changes:
                self.bump()


def _handler(server: WatchServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the terminal shows the URL only

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._get()  # a page that goes away mid-answer is no error

        def _get(self) -> None:
            port = server.httpd.server_address[1]
            if self.headers.get("Host") not in (f"{HOST}:{port}", f"localhost:{port}"):
                self._send(403, b"forbidden", "text/plain")
                return
            url = urlsplit(self.path)
            if url.path == "/":
                self._send(200, PAGE.encode("utf-8"), "text/html; charset=utf-8")
            elif url.path == "/state":
                query = parse_qs(url.query).get("stage", [""])[0]
                stage = int(query) if query.isdigit() else None
                self._send(200, server.state(stage), "application/json")
            elif url.path == "/events":
                self._events()
            else:
                self._send(404, b"not found", "text/plain")

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = server.version
            try:
                self.wfile.write(f"data: {seen}\n\n".encode())
                self.wfile.flush()
                while not server._stop.is_set():
                    now = server.wait_for_change(seen, PING_SECONDS)
                    message = f"data: {now}\n\n" if now != seen else ": ping\n\n"
                    seen = now
                    self.wfile.write(message.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler
