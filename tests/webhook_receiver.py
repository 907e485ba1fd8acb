"""A webhook receiver on loopback, as a CRM's integration would write one: it verifies
each request with the Standard Webhooks library, drops a message id it has seen (and
answers 2xx), and keeps one record per dictation. A test scripts its answers: "ok",
"500", "429" (Retry-After), "400", or "slow" (keep the record, then answer too late)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

SECRET = "whsec_" + "c2NyaWJlZGVzay10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5"


class Receiver:
    """Start with ``Receiver()``, point the service at ``url``, ``close()`` at the end."""

    def __init__(self, slow_s: float = 1.5) -> None:
        self.script: list[str] = []  # answers to give, in order; then "ok"
        self.records: dict[int, dict[str, Any]] = {}  # by dictation id (upserted)
        self.seen: set[str] = set()
        self.requests = 0
        self.refused: list[str] = []  # verification failures
        self.lock = threading.Lock()
        self.slow_s = slow_s
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.handle(self, body)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/scribedesk"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        with self.lock:
            self.requests += 1
            answer = self.script.pop(0) if self.script else "ok"
        try:
            message = Webhook(SECRET).verify(body, dict(request.headers))
        except WebhookVerificationError as exc:
            self.refused.append(str(exc))
            return self._answer(request, 400, {"error": "bad signature"})
        if answer in ("500", "429", "400"):
            headers = {"Retry-After": "60"} if answer == "429" else {}
            return self._answer(request, int(answer), {"error": answer}, headers)
        message_id = request.headers["webhook-id"]
        with self.lock:
            if message_id not in self.seen:  # a repeat changes nothing
                self.seen.add(message_id)
                data = message["data"]
                self.records[data["dictation_id"]] = data
        if answer == "slow":
            time.sleep(self.slow_s)  # the record is kept; the answer comes too late
        self._answer(request, 200, {"id": f"rec-{message['data']['dictation_id']}"})

    @staticmethod
    def _answer(
        request: BaseHTTPRequestHandler,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(body).encode()
        try:
            request.send_response(status)
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            request.send_header("content-type", "application/json")
            request.send_header("content-length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except OSError:
            pass  # the sender gave up waiting

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
