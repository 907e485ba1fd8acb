"""A fault-injecting HTTP proxy on loopback, between a real client and a real service.

Each request is forwarded to the service on its own upstream connection (and answered
with ``Connection: close``), or meets one of the faults networks and gateways produce:

* ``refused``: nothing listens (an outage: ``outage(True)`` closes the listening socket);
* ``reset_before``: the connection is reset before the request reaches the service;
* ``error_500`` / ``error_502`` / ``error_503``: a gateway error, the service never sees it;
* ``delay_before``: held past the client's read timeout, then forwarded (the service
  handles a request whose client has given up);
* ``delay_after``: forwarded, and the answer held past the client's read timeout;
* ``reset_after``: forwarded and handled, then the connection reset before the answer.

Faults are drawn per request with the probabilities given to ``set_faults``. Runs an
asyncio loop on a thread of its own; ``counts`` tells how many of each were injected.
"""

from __future__ import annotations

import asyncio
import random
import socket
import threading
import time
from collections import Counter
from concurrent.futures import Future
from typing import Any

FAULTS = (
    "reset_before",
    "error_500",
    "error_502",
    "error_503",
    "delay_before",
    "delay_after",
    "reset_after",
)


class FaultProxy:
    """``url`` forwards to ``upstream_port`` on 127.0.0.1, with faults as configured."""

    def __init__(self, upstream_port: int, delay_s: float = 3.0, seed: int = 1) -> None:
        self.upstream_port = upstream_port
        self.delay_s = delay_s
        self.rng = random.Random(seed)
        self.faults: dict[str, float] = {}
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._active = 0  # requests being handled (a delayed one may still reach the service)
        self._tasks: set[asyncio.Task[None]] = set()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._server: asyncio.base_events.Server | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._call(self._listen())

    # -- control (any thread) ---------------------------------------------------------------

    def set_faults(self, faults: dict[str, float]) -> None:
        """Probabilities per fault (their sum at most 1); {} forwards everything."""
        unknown = set(faults) - set(FAULTS)
        assert not unknown, unknown
        with self._lock:
            self.faults = dict(faults)

    def outage(self, down: bool) -> None:
        """Refuse every connection (down) or listen again (up)."""
        if down:
            self._call(self._close())
            with self._lock:
                self.counts["refused_outage"] += 1
        else:
            self._call(self._listen())

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until no request is being handled (held back, forwarded or answered)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if not self._active:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError("the proxy is still handling requests")
            time.sleep(0.02)

    def stop(self) -> None:
        self._call(self._close())
        for task in list(self._tasks):
            self._loop.call_soon_threadsafe(task.cancel)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _call(self, coroutine: Any) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout=10)

    # -- the loop ---------------------------------------------------------------------------

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._handle, "127.0.0.1", self.port, reuse_address=True
            )

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def _draw(self) -> str:
        with self._lock:
            roll, total = self.rng.random(), 0.0
            for name, chance in self.faults.items():
                total += chance
                if roll < total:
                    self.counts[name] += 1
                    return name
            self.counts["forwarded"] += 1
            return ""

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:  # asyncio keeps only a weak reference to a handler's task
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        with self._lock:
            self._active += 1
        try:
            request = await _read_request(reader)
            if request is None:
                return
            fault = self._draw()
            if fault == "reset_before":
                _reset(writer)
                return
            if fault.startswith("error_"):
                status = int(fault[-3:])
                body = b'{"detail": "Bad gateway (injected).", "code": "gateway"}'
                writer.write(
                    f"HTTP/1.1 {status} Gateway Error\r\ncontent-type: application/json\r\n"
                    f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
                return
            if fault == "delay_before":
                await asyncio.sleep(self.delay_s)
            answer = await self._forward(request)
            if fault == "reset_after":
                _reset(writer)
                return
            if fault == "delay_after":
                await asyncio.sleep(self.delay_s)
            writer.write(answer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            if not writer.is_closing():
                writer.close()
            with self._lock:
                self._active -= 1

    async def _forward(self, request: bytes) -> bytes:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            up_writer.write(request)
            await up_writer.drain()
            return await up_reader.read()  # the service closes after its answer
        finally:
            up_writer.close()


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    """One HTTP/1.1 request with ``Connection: close`` put in its headers, or None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    kept, length = [lines[0]], 0
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        if name.strip().lower() == "connection":
            continue
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        kept.append(line)
    kept.append("Connection: close")
    body = await reader.readexactly(length) if length else b""
    return ("\r\n".join(kept) + "\r\n\r\n").encode("latin-1") + body


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST (SO_LINGER 0), as a crashed gateway does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        import struct

        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()
