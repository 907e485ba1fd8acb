"""The signed webhook destination, by the Standard Webhooks specification.

Every request carries ``webhook-id`` (the delivery's message id: the same on every
attempt, so a receiver drops a repeat), ``webhook-timestamp`` (Unix seconds of this
attempt) and ``webhook-signature`` (``v1,`` + base64 HMAC-SHA256 over
``id.timestamp.body`` with the shared ``whsec_`` secret), signed with the specification's
own Python library so a receiver verifies with any of the published ones.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from standardwebhooks.webhooks import Webhook

from scribedesk.server.delivery import Outcome

if TYPE_CHECKING:  # requests is imported with the first destination made
    import requests


class WebhookDestination:
    """POSTs a delivery's payload to one URL, signed."""

    name = "webhook"

    def __init__(self, url: str, secret: str, timeout_s: float = 15.0) -> None:
        self.url = url
        self.signer = Webhook(secret)
        self.timeout_s = timeout_s
        import requests

        self.http = requests.Session()

    def accepts(self, _template_id: str) -> bool:
        """Every template's transcripts go to the webhook."""
        return True

    def wants_document(self, _template_id: str) -> bool:
        """The receiver fetches the document itself (the payload has the job's id)."""
        return False

    def send(
        self, message_id: str, body: dict[str, Any], _known: Mapping[str, Any], _document: bytes
    ) -> Outcome:
        """One attempt; never raises for what the network or the receiver did."""
        import requests

        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        now = datetime.now(UTC)
        headers = {
            "content-type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": self.signer.sign(message_id, now, data),
            "user-agent": "ScribeDesk delivery",
        }
        try:
            answer = self.http.post(
                self.url, data=data.encode(), headers=headers, timeout=(5, self.timeout_s)
            )
        except requests.Timeout:
            return Outcome(False, None, "The receiver did not answer in time.", retry=True)
        except requests.ConnectionError:
            why = f"The receiver at {self.url} could not be reached (is it up, the address right?)"
            return Outcome(False, None, why, retry=True)
        except requests.RequestException as exc:
            return Outcome(False, None, f"The receiver could not be reached: {exc}", retry=True)
        status = answer.status_code
        if 200 <= status < 300:
            return Outcome(True, status, answer=_json(answer))
        detail = f"The receiver answered {status}: {answer.text[:500]}"
        if status == 429 or status >= 500 or status == 408:
            return Outcome(False, status, detail, retry=True, retry_after_s=_retry_after(answer))
        return Outcome(False, status, detail)


def _json(answer: requests.Response) -> dict[str, Any]:
    try:
        data = answer.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _retry_after(answer: requests.Response) -> float | None:
    value = answer.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
