"""The workstation's API client against the real service, and against a service gone wrong."""

from __future__ import annotations

import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from scribedesk.client.api import ApiClient, ApiError
from scribedesk.domain.failure import Failure
from tests.conftest import DEMO
from tests.pgserver import free_port
from tests.support import Api

#: The client does not care which database the service uses: SQLite is enough here.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@sqlite_only
def test_sign_in_claim_heartbeat_submit_once(live, demo_users):
    """The whole job cycle through the client; a repeated submit returns the first answer."""
    Api.login(live.url, "alex").upload(DEMO / "memo-pricing.wav", template_id="general-memo")
    client = ApiClient(live.url)
    assert client.login("tara", "scribedesk")["user"]["role"] == "transcriptionist"
    job = client.next_job()
    assert job is not None and client.next_job() is None
    client.heartbeat(job.id, job.lease_token)
    client.start(job.id, job.lease_token)
    body = {
        "lease_token": job.lease_token,
        "fields": {"subject": "Discounts"},
        "narrative": "Any discount above fifteen percent needs approval.",
        "quality": {"heard": [[0, 86_400_000]]},
    }
    key = str(uuid.uuid4())
    first = client.submit(job.id, body, key)
    assert client.submit(job.id, body, key) == first
    assert len(client.peaks(job.id)) > 0


@sqlite_only
def test_service_errors_carry_its_sentence(live, demo_users):
    """A wrong password and a lost lease come back as the service's own words."""
    client = ApiClient(live.url)
    with pytest.raises(ApiError) as wrong:
        client.login("tara", "not-the-password")
    assert wrong.value.status == 401 and wrong.value.message == "Wrong user name or password."
    assert not wrong.value.retryable
    client.login("tara", "scribedesk")
    with pytest.raises(ApiError) as lost:
        client.heartbeat(999, "0" * 32)
    assert lost.value.status == 404


def test_unreachable_service_is_retryable():
    """Nothing listening: a clear sentence and 'try again later'."""
    client = ApiClient(f"http://127.0.0.1:{free_port()}", timeout=(1.0, 1.0))
    with pytest.raises(ApiError) as failed:
        client.my_jobs()
    assert failed.value.retryable and "Cannot reach the service" in failed.value.message


class Garbage(BaseHTTPRequestHandler):
    """Answers 200 with whatever the path asks for."""

    def do_GET(self) -> None:
        bodies = {
            "/api/v1/jobs": b"<html>proxy error</html>",
            "/api/v1/templates": b'{"a": 1}',
            "/api/v1/auth/me": b'{"detail": "broken',
        }
        body = bodies.get(self.path, b"")
        status = 502 if self.path == "/api/v1/dictations/1/peaks" else 200
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_garbage_answers_become_clear_errors():
    """HTML instead of JSON, the wrong shape, truncated JSON, a 502: each a readable error."""
    port = free_port()
    server = HTTPServer(("127.0.0.1", port), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = ApiClient(f"http://127.0.0.1:{port}")
        for call, phrase in (
            (client.my_jobs, "not valid JSON"),
            (client.templates, "cannot read (not a list)"),
            (client.me, "not valid JSON"),
            (lambda: client.peaks(1), "502"),
        ):
            with pytest.raises(Failure) as failed:  # ApiError is one
                call()
            assert phrase in failed.value.message
            assert failed.value.retryable
    finally:
        server.shutdown()
