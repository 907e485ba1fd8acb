"""What the local CRM servers share: a threaded HTTP server on loopback, bearer tokens,
and scripted trouble for the next requests.

A test sets ``script`` to the answers to give, in order, before the server does its work:
"ok" (do it), "html" (a proxy's 503 HTML page), "garbage" (200 with text that is not
JSON), "500", "expired" (the token's session ended), "limit" (the API's rate limit), or
"slow" (do the work, then answer after ``slow_s``: the answer comes too late)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

TOKEN = "00Dtest!scribedesk-local-token"


class Answer(Exception):
    """Stop handling this request with this status and body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


class FakeServer:
    """Subclasses implement ``route(method, path, query, body, headers)`` and ``trouble``."""

    def __init__(self, slow_s: float = 1.0) -> None:
        self.script: list[str] = []
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.RLock()
        self.slow_s = slow_s
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                fake.handle(self, body)

            do_GET = do_POST = do_PATCH = do_PUT = _any

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, method: str, prefix: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if m == method and p.startswith(prefix))

    def handle(self, request: BaseHTTPRequestHandler, raw: bytes) -> None:
        parts = urlsplit(request.path)
        with self.lock:
            self.requests.append((request.command, parts.path))
            mode = self.script.pop(0) if self.script else "ok"
        try:
            if mode == "html":
                return self._send(
                    request,
                    503,
                    b"<html><body><h1>503 Service Unavailable</h1></body></html>",
                    "text/html",
                )
            if mode == "garbage":
                return self._send(request, 200, b"OK then", "text/plain")
            if request.headers.get("authorization") != f"Bearer {TOKEN}":
                raise self.unauthorized(expired=False)
            if mode in ("500", "expired", "limit"):
                raise self.trouble(mode)
            with self.lock:
                status, body = self.route(
                    request.command, parts.path, parts.query, raw, dict(request.headers)
                )
            if mode == "slow":
                time.sleep(self.slow_s)  # the work is done; the answer comes too late
            self._json(request, status, body)
        except Answer as answer:
            self._json(request, answer.status, answer.body, answer.headers)

    def route(
        self, method: str, path: str, query: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, Any]:
        raise NotImplementedError

    def trouble(self, mode: str) -> Answer:
        raise NotImplementedError

    def unauthorized(self, expired: bool) -> Answer:
        raise NotImplementedError

    def _json(
        self,
        request: BaseHTTPRequestHandler,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
    ) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self._send(request, status, data, "application/json", headers)

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        data: bytes,
        kind: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            request.send_response(status)
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            if data:
                request.send_header("content-type", kind)
            request.send_header("content-length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except OSError:
            pass  # the client gave up (a timeout): nothing to tell it


def json_body(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError as exc:
        raise Answer(400, [{"errorCode": "JSON_PARSER_ERROR", "message": str(exc)}]) from None
