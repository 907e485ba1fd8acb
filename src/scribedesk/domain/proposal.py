"""Proposal drafts: sections dictated by their content owners against one proposal and
its RFP outline, put in the outline's order.

A section is one final proposal-section transcript (``section_id``, its title, its
owner, the narrative as the section's text). When a section was dictated more than once,
the newest final version wins. The outline is the RFP's list of sections in order; a
proposal without one is ordered by section number (4.2 before 4.10). Outline sections
nobody dictated are the draft's missing sections; sections dictated outside the outline
are kept, after it, so no one's words are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SECTION_ID = re.compile(r"^[0-9]+(\.[0-9]+)*[a-z]?$")


@dataclass(frozen=True)
class OutlineItem:
    """One section the RFP asks for."""

    id: str
    title: str


@dataclass(frozen=True)
class Section:
    """One dictated section, as finished."""

    id: str
    title: str
    owner: str
    job_id: int
    version: int
    finished_at: datetime
    text: str


@dataclass(frozen=True)
class Draft:
    """The proposal in outline order: each item with its section (None: missing)."""

    proposal: str
    account: str
    items: tuple[tuple[OutlineItem, Section | None], ...]
    outside: tuple[Section, ...]  # dictated, not in the outline

    @property
    def missing(self) -> tuple[OutlineItem, ...]:
        return tuple(item for item, section in self.items if section is None)


class OutlineError(ValueError):
    """An outline that cannot be used; the message says which entry and why."""


class EmptyProposal(ValueError):
    """A proposal with no finished section and no outline: nothing to compile."""


def parse_outline(raw: Any) -> tuple[OutlineItem, ...]:
    """An outline from JSON: a list of {id, title}; ids follow the RFP's numbering."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= 500:
        raise OutlineError("An outline is a list of 1 to 500 sections.")
    items, seen = [], set()
    for index, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise OutlineError(f"Outline entry {index}: needs an 'id' such as \"3.2.1\".")
        section_id = entry["id"].strip()
        if not SECTION_ID.match(section_id):
            raise OutlineError(f"Outline entry {index}: {section_id!r} is not a section number.")
        if section_id in seen:
            raise OutlineError(f"Outline entry {index}: section {section_id} is listed twice.")
        seen.add(section_id)
        items.append(OutlineItem(section_id, str(entry.get("title") or "").strip()[:200]))
    return tuple(items)


def section_key(section_id: str) -> tuple[tuple[int, str], ...]:
    """Numeric order of section numbers: 4.2 < 4.10 < 4.10a < 5."""
    out = []
    for part in section_id.split("."):
        match = re.match(r"(\d+)([a-z]?)", part)
        out.append((int(match[1]), match[2]) if match else (0, part))
    return tuple(out)


def compile_draft(
    proposal: str,
    account: str,
    outline: Sequence[OutlineItem],
    sections: Iterable[Section],
) -> Draft:
    """The draft: the outline's sections in order, each with its newest finished text."""
    newest: dict[str, Section] = {}
    for section in sections:
        kept = newest.get(section.id)
        newer = kept is None or (section.finished_at, section.version) > (
            kept.finished_at,
            kept.version,
        )
        if newer:
            newest[section.id] = section
    if not newest and not outline:
        raise EmptyProposal(
            f"No section of {proposal!r} has been dictated and finished yet, and it has no "
            "outline: there is nothing to compile."
        )
    ordered = list(outline) or sorted(
        (OutlineItem(s.id, s.title) for s in newest.values()), key=lambda i: section_key(i.id)
    )  # an outline given keeps its order (an RFP may put 10 before 2)
    items = tuple((item, newest.get(item.id)) for item in ordered)
    listed = {item.id for item in ordered}
    outside = tuple(
        sorted((s for s in newest.values() if s.id not in listed), key=lambda s: section_key(s.id))
    )
    return Draft(proposal, account, items, outside)
