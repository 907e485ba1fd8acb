"""Where finished transcripts go: deliveries (replay, pick the account), the export of
delivered records, the survey report and proposal drafts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from scribedesk.client.api import ApiClient
from scribedesk.client.payloads import garbage
from scribedesk.domain.filing import (
    DeliveryItem,
    ProposalItem,
    delivery_from_record,
    proposal_from_record,
)


def _query(path: str, **params: Any) -> str:
    given = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(given)}" if given else path


class FilingApi:
    """Filing calls over the signed-in ``ApiClient``."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def deliveries(self, states: Sequence[str] = ()) -> list[DeliveryItem]:
        path = (
            "/deliveries?" + urlencode([("state", s) for s in states]) if states else "/deliveries"
        )
        data = self.api.call("GET", path)
        if not isinstance(data, list):
            raise garbage("the deliveries", "not a list")
        try:
            return [delivery_from_record(d) for d in data]
        except ValueError as exc:
            raise garbage("the deliveries", exc) from None

    def replay(self, delivery_id: int) -> None:
        self.api.call("POST", f"/deliveries/{delivery_id}/replay")

    def choose_account(self, delivery_id: int, account_id: str | None) -> None:
        """Send a held delivery to this CRM account (None: create it)."""
        body = {"account_id": account_id} if account_id else {"create": True}
        self.api.call("POST", f"/deliveries/{delivery_id}/account", json=body)

    def export(self, template_id: str, since: date, until: date, fmt: str) -> bytes:
        path = _query(
            "/exports/records", template_id=template_id, since=since, until=until, format=fmt
        )
        return self.api.request("GET", path).content

    def survey_report(self, since: date, until: date, fmt: str) -> bytes:
        path = _query("/reports/survey", since=since, until=until, format=fmt)
        return self.api.request("GET", path).content

    def proposals(self) -> list[ProposalItem]:
        data = self.api.call("GET", "/proposals")
        if not isinstance(data, list):
            raise garbage("the proposals", "not a list")
        try:
            return [proposal_from_record(p) for p in data]
        except ValueError as exc:
            raise garbage("the proposals", exc) from None

    def set_outline(self, proposal: str, account: str, sections: list[dict[str, str]]) -> None:
        body = {"proposal": proposal, "account": account, "sections": sections}
        self.api.call("PUT", "/proposals/outline", json=body)

    def proposal_draft(self, proposal: str) -> bytes:
        return self.api.request("GET", _query("/proposals/draft.docx", proposal=proposal)).content
