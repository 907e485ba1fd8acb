"""Uploads: refused from the headers before the body is read, streamed under the limit,
names kept apart for identical bytes, and nothing stored by a refused upload."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from urllib.parse import urlsplit

import requests

from tests.conftest import DEMO
from tests.support import Api

BOUNDARY = "scribedeskboundary"


def _head(url: str, token: str | None, length: int | None) -> bytes:
    parts = urlsplit(url)
    lines = [
        "POST /api/v1/dictations HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
        "Connection: close",
    ]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    lines.append(
        f"Content-Length: {length}" if length is not None else "Transfer-Encoding: chunked"
    )
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def answer_before_the_body(
    url: str, token: str | None, declared: int
) -> tuple[int, dict[str, str]]:
    """Send an upload's headers and its first kilobyte only, then read the answer: a
    service that waits for the rest of the body never answers (socket timeout)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(_head(url, token, declared))
        sock.sendall(
            (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="big.wav"\r\n\r\n'
            ).encode()
            + b"\0" * 1024
        )
        received = b""
        while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, payload = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(payload[payload.index(b"{") :])


def test_no_token_or_no_right_is_answered_before_the_body_is_read(live, demo_users):
    """Anyone without a sign-in, or a trainee, is refused from the headers: the service
    does not receive and spool a large body first."""
    declared = 15 << 20  # under the 20 MB limit: only the missing right refuses it
    status, body = answer_before_the_body(live.url, None, declared)
    assert status == 401 and body["code"] == "unauthorized"
    status, body = answer_before_the_body(live.url, "not-a-token", declared)
    assert status == 401
    trey = Api.login(live.url, "trey").http.headers["Authorization"].split()[1]
    status, body = answer_before_the_body(live.url, trey, declared)
    assert status == 403 and "upload" in body["detail"]
    alex = Api.login(live.url, "alex").http.headers["Authorization"].split()[1]
    status, body = answer_before_the_body(live.url, alex, 200 << 20)
    assert status == 413 and "20 MB" in body["detail"]
    assert list((live.state.store.root / "tmp").iterdir()) == []


def test_a_chunked_upload_past_the_limit_is_a_413(live, demo_users):
    """A body without a Content-Length is counted as it streams and stopped at the limit."""
    alex = Api.login(live.url, "alex")

    def body():  # type: ignore[no-untyped-def]
        yield (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="account"\r\n\r\nAcme\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="long.wav"\r\n\r\n'
        ).encode()
        for _ in range(25 * 16):
            yield b"\0" * 65536

    answer = alex.http.post(
        f"{alex.base}/dictations",
        data=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
        timeout=60,
    )
    assert answer.status_code == 413 and "20 MB" in answer.json()["detail"]
    assert list((live.state.store.root / "tmp").iterdir()) == []


def _store_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_refused_upload_stores_nothing(live, demo_users, tmp_path):
    """A NUL in the file name, an unknown template or a bad priority: 422, no audio left."""
    alex = Api.login(live.url, "alex")
    audio = (DEMO / "memo-pricing.wav").read_bytes()
    before = _store_files(live.state.store.root)
    for files, data in (
        ({"file": ("memo\x00.wav", audio)}, {"account": "Acme", "template_id": "general-memo"}),
        ({"file": ("memo.wav", audio)}, {"account": "Acme", "template_id": "no-such-one"}),
        (
            {"file": ("memo.wav", audio)},
            {"account": "Acme", "template_id": "general-memo", "priority": "whenever"},
        ),
        ({"file": ("memo.wav", audio)}, {"template_id": "general-memo"}),
        ({}, {"account": "Acme", "template_id": "general-memo"}),
    ):
        refused = alex.post("/dictations", files=files or {"x": ("", b"")}, data=data)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "invalid"
    assert _store_files(live.state.store.root) == before
    assert alex.get("/dictations").json() == []


def test_identical_bytes_keep_each_uploads_own_name(live, demo_users):
    """Two people upload the same recording under their own names: each original download
    carries the name its uploader gave it."""
    audio = (DEMO / "memo-pricing.wav").read_bytes()
    ids = []
    for user, name in (("alex", "alex-monday.wav"), ("sam", "sam-copy.wav")):
        created = Api.login(live.url, user).post(
            "/dictations",
            files={"file": (name, audio)},
            data={"account": "Acme", "template_id": "general-memo"},
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    sam = Api.login(live.url, "sam")
    for dictation_id, name in zip(ids, ("alex-monday.wav", "sam-copy.wav"), strict=True):
        original = sam.get(f"/dictations/{dictation_id}/audio", params={"variant": "original"})
        assert original.status_code == 200 and original.content == audio
        assert name in original.headers["content-disposition"]
    assert requests.get(f"{live.url}/api/v1/health", timeout=10).status_code == 200
