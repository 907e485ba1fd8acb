"""What the finished transcripts add up to: the export of delivered records (CSV and
JSON, per template and date range), the survey report and the proposal drafts.

A transcript counts once it is final: submitted and not waiting for review, or reviewed
(the corrected version). Dates are the day the dictation was received, inclusive.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import Status
from scribedesk.domain.proposal import OutlineItem, Section, parse_outline
from scribedesk.domain.templates import Template
from scribedesk.server.db.models import Dictation, ProposalOutline, TranscriptVersion, User
from scribedesk.server.documents import shown
from scribedesk.server.errors import Invalid

FINAL_STATUSES = (Status.SUBMITTED.value, Status.REVIEWED.value)
FINAL_KINDS = ("submit", "review", "conflict-kept")
PROPOSAL_TEMPLATE = "proposal-section"


@dataclass(frozen=True)
class Final:
    """One final transcript version and who made it."""

    job: Dictation
    version: TranscriptVersion
    author: str
    transcriptionist: str


def day_range(since: date | None, until: date | None, today: date) -> tuple[date, date]:
    """The range asked for; the last 30 days when it is not given."""
    until = until or today
    since = since or until - timedelta(days=30)
    if since > until:
        raise Invalid(f"The range starts ({since}) after it ends ({until}).")
    return since, until


def finals(
    session: Session, template_id: str, since: date | None = None, until: date | None = None
) -> list[Final]:
    """The final version of each production dictation of a template, oldest first."""
    newest = (
        select(TranscriptVersion.dictation_id, func.max(TranscriptVersion.number).label("n"))
        .where(TranscriptVersion.kind.in_(FINAL_KINDS))
        .group_by(TranscriptVersion.dictation_id)
        .subquery()
    )
    query = (
        select(Dictation, TranscriptVersion)
        .join(newest, newest.c.dictation_id == Dictation.id)
        .join(
            TranscriptVersion,
            (TranscriptVersion.dictation_id == Dictation.id)
            & (TranscriptVersion.number == newest.c.n),
        )
        .where(
            Dictation.template_id == template_id,
            Dictation.kind == "production",
            Dictation.status.in_(FINAL_STATUSES),
        )
        .order_by(Dictation.received_at, Dictation.id)
    )
    if since is not None:
        query = query.where(Dictation.received_at >= datetime.combine(since, time.min, UTC))
    if until is not None:
        end = datetime.combine(until, time.min, UTC) + timedelta(days=1)
        query = query.where(Dictation.received_at < end)
    rows = session.execute(query).all()
    ids = {u for job, v in rows for u in (job.author_id, job.last_assignee_id or v.user_id)}
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
    return [
        Final(
            job, v, names.get(job.author_id, ""), names.get(job.last_assignee_id or v.user_id, "")
        )
        for job, v in rows
    ]


def records(template: Template, rows: list[Final]) -> list[dict[str, Any]]:
    """The records as an import file holds them: one per dictation, the fields by id.
    An anonymous template's records carry no account, author or transcriptionist."""
    out = []
    for row in rows:
        record: dict[str, Any] = {
            "dictation_id": row.job.id,
            "received_on": row.job.received_at.date().isoformat(),
            "version": row.version.number,
            "reviewed": row.version.kind == "review",
        }
        if not template.anonymous:
            record |= {
                "account": row.job.account,
                "author": row.author,
                "transcriptionist": row.transcriptionist,
            }
        record["fields"] = {spec.id: row.version.fields.get(spec.id) for spec in template.fields}
        record["narrative"] = row.version.narrative
        if template.anonymous:
            del record["dictation_id"]
        out.append(record)
    return out


def records_json(template: Template, rows: list[Final]) -> bytes:
    data = {"template": template.id, "records": records(template, rows)}
    return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode()


def records_csv(template: Template, rows: list[Final]) -> bytes:
    """One row per record; the template's fields as columns named by their ids (people and
    lists as people read them), so a CRM's import maps them once."""
    head = ["received_on", "version", "reviewed"]
    if not template.anonymous:
        head = ["dictation_id", *head, "account", "author", "transcriptionist"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(head + [spec.id for spec in template.fields] + ["narrative"])
    for item in records(template, rows):
        values = [item[k] for k in head]
        for spec in template.fields:
            value = item["fields"].get(spec.id)
            values.append("" if value in (None, "", []) else shown(spec.type, value))
        writer.writerow([*values, item["narrative"]])
    return out.getvalue().encode("utf-8-sig")  # a BOM: spreadsheets read UTF-8 then


# -- proposals -------------------------------------------------------------------------


def sections(session: Session, proposal: str) -> tuple[str, list[Section]]:
    """The account and the finished sections of one proposal."""
    account, found = "", []
    for row in finals(session, PROPOSAL_TEMPLATE):
        fields = row.version.fields
        if str(fields.get("proposal", "")).strip() != proposal:
            continue
        account = account or str(fields.get("account") or row.job.account)
        owner = fields.get("content_owner")
        owner_name = str(owner.get("name", "")) if isinstance(owner, dict) else str(owner or "")
        found.append(
            Section(
                id=str(fields.get("section_id", "")).strip(),
                title=str(fields.get("section_title") or ""),
                owner=owner_name or row.author,
                job_id=row.job.id,
                version=row.version.number,
                finished_at=row.version.created_at,
                text=row.version.narrative,
            )
        )
    return account, found


def outline(session: Session, proposal: str) -> tuple[OutlineItem, ...]:
    row = session.scalar(select(ProposalOutline).where(ProposalOutline.proposal == proposal))
    return parse_outline(row.sections) if row else ()


def set_outline(
    session: Session, proposal: str, account: str, items: Any, user: User, now: datetime
) -> ProposalOutline:
    """Store (or replace) a proposal's outline; OutlineError names the bad entry."""
    parsed = parse_outline(items)
    row = session.scalar(select(ProposalOutline).where(ProposalOutline.proposal == proposal))
    if row is None:
        row = ProposalOutline(
            proposal=proposal, account=account, sections=[], updated_at=now, updated_by=user.id
        )
        session.add(row)
    row.account = account or row.account
    row.sections = [{"id": i.id, "title": i.title} for i in parsed]
    row.updated_at, row.updated_by = now, user.id
    session.flush()
    return row


def proposals(session: Session) -> list[dict[str, Any]]:
    """Every proposal with an outline or a finished section: what it has and lacks."""
    dictated: dict[str, set[str]] = {}
    accounts: dict[str, str] = {}
    changed: dict[str, datetime] = {}
    for row in finals(session, PROPOSAL_TEMPLATE):
        fields, at = row.version.fields, row.version.created_at
        name = str(fields.get("proposal", "")).strip()
        dictated.setdefault(name, set()).add(str(fields.get("section_id", "")))
        accounts[name] = accounts.get(name) or str(fields.get("account") or "")
        changed[name] = max(changed.get(name, at), at)
    outlines = {saved.proposal: saved for saved in session.scalars(select(ProposalOutline))}
    out = []
    for name in sorted(dictated.keys() | outlines.keys(), key=str.lower):
        saved, done = outlines.get(name), dictated.get(name, set())
        sections = saved.sections if saved else []
        outline = [s["id"] for s in sections]
        out.append(
            {
                "proposal": name,
                "account": accounts.get(name) or (saved.account if saved else ""),
                "dictated": sorted(done),
                "outline": outline,
                "outline_titles": [s.get("title", "") for s in sections],
                "missing": [s for s in outline if s not in done],
                "changed_at": changed.get(name),
            }
        )
    return out
