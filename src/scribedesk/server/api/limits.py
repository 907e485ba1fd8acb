"""Refuse request bodies over a size limit before they are read (ASGI middleware)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


#: Every body but an upload's: a 500,000-character narrative (the schema's limit) with
#: its quality context fits with room to spare; a real transcript is well under 200 KB.
TRANSCRIPT_BODY_LIMIT = 4 << 20


class BodyTooLarge(HTTPException):
    """Raised inside the app when a streamed (chunked) body passes the limit: an
    HTTPException, so that FastAPI's body parsing passes it on as the 413 it is instead
    of turning it into 400 "There was an error parsing the body"."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _message(limit))


class BodyLimit:
    """``upload_limit`` bytes of audio for ``upload_paths``, ``default_limit`` elsewhere.

    Uploads get 1 MB on top of their limit for the multipart envelope and form fields;
    the message names the audio limit the user knows.
    """

    ENVELOPE = 1 << 20

    def __init__(
        self, app: ASGIApp, upload_paths: set[str], upload_limit: int, default_limit: int
    ) -> None:
        self.app = app
        self.upload_paths = upload_paths
        self.upload_limit = upload_limit
        self.default_limit = default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"] in self.upload_paths
        nominal = self.upload_limit if upload else self.default_limit
        limit = nominal + (self.ENVELOPE if upload else 0)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                await _refuse(
                    send, 400, "The Content-Length header is not a number.", "bad_request"
                )
                return
            if too_big:
                await _refuse(send, 413, _message(nominal), "too_large")
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(nominal)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _refuse(send, 413, _message(nominal), "too_large")


def _message(limit: int) -> str:
    return f"The request body is larger than the limit of {limit // (1 << 20)} MB."


async def _refuse(send: Send, status: int, detail: str, code: str) -> None:
    body = json.dumps({"detail": detail, "code": code}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
