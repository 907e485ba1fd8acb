"""The one place that builds concrete objects and wires them together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scribedesk.client.api import ApiClient, ApiError
from scribedesk.services.outbox import Sender, SubmitError


def submit_sender(client: ApiClient) -> Sender:
    """The outbox's sender over the API client (ApiError becomes SubmitError)."""

    def send(job_id: int, body: Mapping[str, Any], key: str) -> dict[str, Any]:
        try:
            return client.submit(job_id, body, key)
        except ApiError as exc:
            raise SubmitError(exc.message, exc.retryable) from None

    return send
