"""Where finished transcripts went, as the workstation reads the service's answers: the
deliveries an administrator looks after, and the proposals a draft compiles from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: What each delivery state means to the person looking after deliveries.
STATE_WORDS = {
    "pending": "waiting to be sent",
    "sending": "being sent",
    "delivered": "delivered",
    "failed": "refused: fix, then replay",
    "dead": "gave up after retries: replay",
    "held": "needs a person: pick the account",
}


@dataclass(frozen=True)
class Candidate:
    """A CRM account a held delivery may go to."""

    id: str
    name: str


@dataclass(frozen=True)
class DeliveryItem:
    """One final version on its way to one destination."""

    id: int
    dictation_id: int
    version: int
    destination: str
    state: str
    attempts: int
    message: str  # the destination's words about the last attempt
    record_id: str = ""
    candidates: tuple[Candidate, ...] = ()
    next_attempt_at: datetime | None = None

    @property
    def replayable(self) -> bool:
        return self.state in ("failed", "dead")


@dataclass(frozen=True)
class ProposalItem:
    """A proposal: its outline, what is dictated and what is missing."""

    proposal: str
    account: str
    dictated: tuple[str, ...]
    outline: tuple[str, ...]
    missing: tuple[str, ...]
    outline_titles: tuple[str, ...] = ()

    def outline_text(self) -> str:
        """The outline one section per line ("4.2 Data security"), as it is typed."""
        titles = list(self.outline_titles) + [""] * len(self.outline)
        lines = [f"{s} {t}".strip() for s, t in zip(self.outline, titles, strict=False)]
        return "\n".join(lines or self.dictated)


def delivery_from_record(data: Any) -> DeliveryItem:
    """ValueError when the record is not a delivery."""
    try:
        answer = data.get("answer") or {}
        return DeliveryItem(
            id=int(data["id"]),
            dictation_id=int(data["dictation_id"]),
            version=int(data["version"]),
            destination=str(data["destination"]),
            state=str(data["state"]),
            attempts=int(data["attempts"]),
            message=str(data.get("last_error") or ""),
            record_id=str(answer.get("record_id") or answer.get("id") or ""),
            next_attempt_at=_time(data.get("next_attempt_at")),
            candidates=tuple(
                Candidate(str(c["id"]), str(c.get("name", "")))
                for c in answer.get("candidates") or []
            ),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ValueError(f"not a delivery: {exc}") from None


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def proposal_from_record(data: Any) -> ProposalItem:
    """ValueError when the record is not a proposal."""
    try:
        return ProposalItem(
            proposal=str(data["proposal"]),
            account=str(data.get("account") or ""),
            dictated=tuple(str(s) for s in data["dictated"]),
            outline=tuple(str(s) for s in data["outline"]),
            missing=tuple(str(s) for s in data["missing"]),
            outline_titles=tuple(str(s) for s in data.get("outline_titles") or ()),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a proposal: {exc}") from None


def outline_from_text(text: str) -> list[dict[str, str]]:
    """An outline typed one section per line: its number, then its title ("4.2 Data
    security"); blank lines are skipped."""
    sections = []
    for line in text.splitlines():
        number, _, title = line.strip().partition(" ")
        if number:
            sections.append({"id": number.rstrip("."), "title": title.strip()})
    return sections
