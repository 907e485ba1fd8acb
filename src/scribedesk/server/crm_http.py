"""What the CRM connectors share: one HTTP call, its failures turned into delivery outcomes,
the dictation as a mapping reads it, and the records' external keys.

Every failure that is not the CRM's answer to a good request stops the delivery with an
:class:`Outcome` (raised as :class:`Stopped`): a network error, a timeout, a 429, a 5xx
or an answer that is not the API's JSON (an HTML error page from a proxy) is retried with
the delivery's backoff; anything else is the CRM's message for the administrator. Every
write is an upsert by a ScribeDesk key, so a retry after a lost answer writes nothing
twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from scribedesk.domain.crm_mapping import CrmMapping, Dictated, Plan, plan
from scribedesk.server.delivery import Outcome

#: A CRM record found by name: its id and its name.
Candidate = tuple[str, str]
#: The status codes that are worth trying again.
RETRIED = frozenset({408, 429, 500, 502, 503, 504})


class Stopped(Exception):
    """The delivery cannot go on now; ``outcome`` says why and whether to retry."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome.detail)
        self.outcome = outcome


def key(*parts: object) -> str:
    """An external key: lower-case letters, digits and dashes, stable for the same parts."""
    return "-".join(re.sub(r"[^a-z0-9]+", "-", str(p).lower()).strip("-") for p in parts)


def dictated(data: Mapping[str, Any]) -> Dictated:
    """The delivery payload's ``data`` as a mapping reads it."""
    received = str(data.get("received_at", ""))
    return Dictated(
        job_id=int(data["dictation_id"]),
        title=str(data.get("title") or ""),
        author=str(data.get("author") or ""),
        transcriptionist=str(data.get("transcriptionist") or ""),
        dictated_at=received[:10] or date.today().isoformat(),
        audio_url=str(data.get("audio_url") or ""),
        fields=dict(data.get("fields") or {}),
        narrative=str(data.get("narrative") or ""),
    )


class CrmClient:
    """Plain HTTP to one CRM with a bearer token; ``explain`` reads the CRM's error body."""

    def __init__(
        self,
        name: str,
        base_url: str,
        token: str,
        explain: Callable[[int, Any], tuple[str, bool]],
        timeout_s: float,
    ) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        import requests

        self.http = requests.Session()  # requests: imported with the first destination
        self.http.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json"})
        self.explain = explain
        self.timeout_s = timeout_s
        self.calls = 0

    def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """One request; the status and parsed JSON of a success, or :class:`Stopped`."""
        import requests

        self.calls += 1
        try:
            answer = self.http.request(
                method, self.base_url + path, timeout=(5, self.timeout_s), **kwargs
            )
        except requests.Timeout:
            late = Outcome(False, None, f"{self.name} did not answer in time.", retry=True)
            raise Stopped(late) from None
        except requests.ConnectionError:
            where = f"{self.name} at {self.base_url} could not be reached (is the address right?)."
            raise Stopped(Outcome(False, None, where, retry=True)) from None
        except requests.RequestException as exc:
            lost = Outcome(False, None, f"{self.name} could not be reached: {exc}", retry=True)
            raise Stopped(lost) from None
        status = answer.status_code
        data: Any = None
        if answer.content:
            try:
                data = answer.json()
            except ValueError:
                kind = answer.headers.get("content-type", "no content type").split(";")[0]
                raise Stopped(
                    Outcome(
                        False,
                        status,
                        f"{self.name} answered {status} with {kind}, not its API's JSON: "
                        f"{answer.text[:200]!r}",
                        retry=True,
                    )
                ) from None
        if 200 <= status < 300:
            return status, data
        message, retry = self.explain(status, data)
        retry = retry or status in RETRIED
        wait = _retry_after(answer.headers.get("retry-after", ""))
        raise Stopped(
            Outcome(False, status, f"{self.name} answered {status}: {message}", retry, wait)
        )


def _retry_after(value: str) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def iso_day(value: Any) -> str:
    """A date field's value as YYYY-MM-DD (the CRMs' date format)."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)[:10]


class MappedDestination:
    """What the CRM destinations share: the templates they have a mapping for, and the
    records one delivery's payload becomes under its template's mapping."""

    def __init__(self, mappings: Mapping[str, CrmMapping]) -> None:
        self.mappings = dict(mappings)

    def accepts(self, template_id: str) -> bool:
        return template_id in self.mappings

    def wants_document(self, template_id: str) -> bool:
        return self.mappings[template_id].attach_document

    def planned(self, body: Mapping[str, Any]) -> tuple[Mapping[str, Any], Plan]:
        """The payload's ``data`` and the records it becomes."""
        data = body["data"]
        return data, plan(self.mappings[data["template_id"]], dictated(data))


def matched_account(
    crm: str,
    nouns: tuple[str, str],
    records: Plan,
    known: Mapping[str, Any],
    found: list[Candidate],
) -> str | Outcome | None:
    """The account by name: the one match's id; None when there is none and it may be
    created (the mapping allows it, or a person chose to); otherwise a held Outcome with
    the candidates, for a person to pick. ``nouns``: the CRM's word, one and several."""
    if len(found) == 1:
        return found[0][0]
    if not found and (records.create_account or known.get("create_account")):
        return None
    one, several = nouns
    why = (
        f"{len(found)} {crm} {several} are named {records.account_name!r}: pick one."
        if found
        else f"No {crm} {one} is named {records.account_name!r}, and the mapping does not "
        f"create {several}: pick one, or create it."
    )
    candidates = [{"id": record_id, "name": name} for record_id, name in found]
    return Outcome(False, 200, why, held=True, answer={"candidates": candidates})


def mappings_for(crm: str, mappings: Mapping[tuple[str, str], CrmMapping]) -> dict[str, CrmMapping]:
    """The mappings of one CRM, by template id."""
    return {template: m for (name, template), m in mappings.items() if name == crm}
