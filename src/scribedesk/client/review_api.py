"""The supervisor's and the reviewed transcriptionist's side of the service: the team,
the review queue, a review's lease and completion, feedback and disputes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scribedesk.client.api import ApiClient
from scribedesk.client.payloads import garbage
from scribedesk.domain.review import ReviewItem, TeamView, review_from_record, team_from_record


def _review(data: Any) -> ReviewItem:
    try:
        return review_from_record(data)
    except ValueError as exc:
        raise garbage("a review", exc) from None


class ReviewApi:
    """Review calls over the signed-in ``ApiClient``."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def team(self) -> TeamView:
        try:
            return team_from_record(self.api.call("GET", "/team"))
        except ValueError as exc:
            raise garbage("the team view", exc) from None

    def queue(self) -> list[ReviewItem]:
        """Reviews waiting to be claimed."""
        data = self.api.call("GET", "/reviews?status=queued")
        return [_review(r) for r in data] if isinstance(data, list) else []

    def next_review(self) -> ReviewItem | None:
        data = self.api.call("POST", "/reviews/next")
        return None if data is None else _review(data)

    def heartbeat(self, review_id: int, token: str) -> ReviewItem:
        return _review(
            self.api.call("POST", f"/reviews/{review_id}/heartbeat", json={"lease_token": token})
        )

    def complete(self, review_id: int, body: Mapping[str, Any]) -> ReviewItem:
        return _review(self.api.call("POST", f"/reviews/{review_id}/complete", json=dict(body)))

    def mine(self) -> list[ReviewItem]:
        """The signed-in transcriptionist's reviewed jobs."""
        data = self.api.call("GET", "/reviews/mine")
        return [_review(r) for r in data] if isinstance(data, list) else []

    def review(self, review_id: int) -> ReviewItem:
        return _review(self.api.call("GET", f"/reviews/{review_id}"))

    def dispute(self, review_id: int, index: int, reason: str) -> ReviewItem:
        return _review(
            self.api.call(
                "POST", f"/reviews/{review_id}/errors/{index}/dispute", json={"reason": reason}
            )
        )

    def disputes(self) -> list[ReviewItem]:
        """Done reviews with an error under dispute (supervisors)."""
        data = self.api.call("GET", "/reviews?disputed=true")
        return [_review(r) for r in data] if isinstance(data, list) else []

    def decide(self, review_id: int, index: int, uphold: bool, note: str) -> ReviewItem:
        return _review(
            self.api.call(
                "POST",
                f"/reviews/{review_id}/errors/{index}/decide",
                json={"uphold": uphold, "note": note},
            )
        )

    def transcriptionists(self) -> dict[str, int]:
        """Active transcriptionists' ids by user name (to assign to)."""
        data = self.api.call("GET", "/users")
        return {
            str(u["username"]): int(u["id"])
            for u in (data if isinstance(data, list) else [])
            if isinstance(u, dict) and u.get("role") == "transcriptionist" and u.get("active")
        }

    def move(self, dictation_id: int, action: str, **body: Any) -> None:
        """A supervisor's move: ``requeue``, ``cancel``, ``assign`` or ``priority``."""
        self.api.call("POST", f"/dictations/{dictation_id}/{action}", json=body)
