"""The worklist asked for first thing at a start, before the window's code is imported.

The local service keeps running between sessions (client.local_service) and its address
and the tokens it issued are in service.json. One GET /jobs over the standard library's
http.client, on a thread of its own, is answered by the service while this process
imports Qt: the live worklist is on screen without waiting for the import of requests
(90 ms) or for the rest of the desk. The full connection (LocalConnection.connect) follows
behind it; when this look fails (no service yet, a token it no longer knows), the window
simply waits for that.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from scribedesk.domain.job import Job


def begin(folder: Path, user: str, timeout_s: float = 2.0) -> Callable[[], list[Job]]:
    """Ask now, on a thread. The function returned waits for the answer and parses it
    (blocking: the window calls it off the GUI thread); it raises what stopped the look."""
    answer: Future[Any] = Future()

    def ask_into() -> None:
        try:
            answer.set_result(ask(folder, user, timeout_s))
        except Exception as exc:  # any failure only means: wait for the full connection
            answer.set_exception(exc)

    threading.Thread(target=ask_into, name="first-look", daemon=True).start()

    def jobs() -> list[Job]:
        from scribedesk.client.payloads import parse_jobs

        return parse_jobs(answer.result(timeout=timeout_s + 3))

    return jobs


def ask(folder: Path, user: str, timeout_s: float) -> Any:
    """GET /jobs from the local service service.json names, as ``user``; LookupError when
    there is none or it does not answer 200, OSError when it cannot be reached."""
    from scribedesk.client.local_service import read

    service = read(folder)
    if service is None:
        raise LookupError("The local service has not been started on this computer.")
    where = urlsplit(service.url)
    connection = http.client.HTTPConnection(where.hostname or "", where.port, timeout=timeout_s)
    try:
        connection.request(
            "GET",
            f"{where.path.rstrip('/')}/api/v1/jobs",
            headers={"Authorization": f"Bearer {service.token_for(user)}"},
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise LookupError(f"The local service answered {response.status}.")
    return json.loads(body)
