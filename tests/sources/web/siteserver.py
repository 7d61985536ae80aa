"""A real HTTP server on 127.0.0.1 that serves the fixture sites in tests/data/web/<host>/.

The site is chosen by the Host header. Files are served as they are (``/`` → ``index.html``,
``/impressum`` → ``impressum.html``), with an ETag and 304 on If-None-Match; ``{{PORT}}`` in
text bodies becomes the server's port. A site's ``_routes.yaml`` overrides paths with special
behaviour: ``status``, ``headers``, ``delay`` (seconds before answering), ``generate_mb``
(a page of that size generated on the fly, never committed) and ``sequence`` (one spec per
request, the last repeating). Every request is logged with its host, path and arrival time.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[2] / "data" / "web"

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".json": "application/json",
}


@dataclass
class RequestLog:
    entries: list[tuple[str, str, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, host: str, path: str) -> None:
        with self.lock:
            self.entries.append((host, path, time.monotonic()))

    def for_host(self, host: str) -> list[tuple[str, float]]:
        with self.lock:
            return [(p, t) for h, p, t in self.entries if h == host]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many sites connect at once
    allow_reuse_address = True

    def __init__(self, root: Path = DATA) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.log = RequestLog()
        self.counts: dict[tuple[str, str], int] = {}
        self.counts_lock = threading.Lock()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def hosts(self) -> list[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def start(self) -> SiteServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SiteServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        path = self.path.split("?", 1)[0]
        self.server.log.add(host, path)
        site = self.server.root / host
        if not site.is_dir() and host.startswith("www."):
            site = self.server.root / host[4:]
        if not site.is_dir():
            self._send(404, {"Content-Type": "text/plain"}, b"no such site")
            return
        spec = self._route(site, host, path)
        if spec is not None:
            self._special(site, spec)
            return
        self._static(site, path)

    def _route(self, site: Path, host: str, path: str) -> dict[str, Any] | None:
        routes_file = site / "_routes.yaml"
        if not routes_file.is_file():
            return None
        routes = yaml.safe_load(routes_file.read_text(encoding="utf-8")) or {}
        spec = routes.get(path)
        if spec is None:
            return None
        if "sequence" in spec:
            with self.server.counts_lock:
                n = self.server.counts.get((host, path), 0)
                self.server.counts[(host, path)] = n + 1
            steps = spec["sequence"]
            return dict(steps[min(n, len(steps) - 1)])
        return dict(spec)

    def _special(self, site: Path, spec: dict[str, Any]) -> None:
        if spec.get("delay"):
            time.sleep(float(spec["delay"]))
        headers = {
            k: str(v).replace("{{PORT}}", str(self.server.port))
            for k, v in spec.get("headers", {}).items()
        }
        status = int(spec.get("status", 200))
        if spec.get("generate_mb"):
            self._generate(int(spec["generate_mb"]), declare_length=not spec.get("no_length"))
            return
        if "file" in spec:
            body = self._body(site / spec["file"])
            headers.setdefault(
                "Content-Type", _TYPES.get(Path(spec["file"]).suffix, "application/octet-stream")
            )
        else:
            body = str(spec.get("body", "")).encode()
            headers.setdefault("Content-Type", "text/html; charset=utf-8")
        self._send(status, headers, body)

    def _generate(self, megabytes: int, *, declare_length: bool) -> None:
        chunk = (b"<p>" + b"Lorem ipsum dolor sit amet. " * 36 + b"</p>\n") * 64
        total = megabytes * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if declare_length:
            self.send_header("Content-Length", str(total))
        else:  # the body ends when the connection closes: only streaming can stop it
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        sent = 0
        try:
            while sent < total:
                piece = chunk[: total - sent]
                self.wfile.write(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _static(self, site: Path, path: str) -> None:
        rel = path.strip("/")
        candidates = (
            [site / "index.html"]
            if not rel
            else [
                site / rel,
                site / f"{rel}.html",
                site / rel / "index.html",
            ]
        )
        for candidate in candidates:
            if candidate.is_file() and not candidate.name.startswith("_"):
                body = self._body(candidate)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, {"ETag": etag}, b"")
                    return
                ctype = _TYPES.get(candidate.suffix, "application/octet-stream")
                self._send(200, {"Content-Type": ctype, "ETag": etag}, body)
                return
        self._send(404, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>Not found</h1>")

    def _body(self, path: Path) -> bytes:
        body = path.read_bytes()
        if path.suffix in (".html", ".txt"):
            body = body.replace(b"{{PORT}}", str(self.server.port).encode())
        return body

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
