"""Exports and reports of finished transcripts: delivered records as CSV or JSON, the
survey report, proposal outlines and drafts."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from scribedesk.domain.proposal import EmptyProposal, OutlineError, compile_draft
from scribedesk.domain.survey import EmptySurvey, survey_report
from scribedesk.server import reports
from scribedesk.server.api.deps import Overseer, StateDep, Uploader
from scribedesk.server.api.schemas import Strict
from scribedesk.server.errors import Conflict, Invalid, NotFound
from scribedesk.server.report_documents import proposal_docx, survey_csv, survey_docx

router = APIRouter(tags=["reports"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
Since = Annotated[date | None, Query(description="first day received (default: 30 days ago)")]
Until = Annotated[date | None, Query(description="last day received (default: today)")]
ProposalName = Annotated[str, Query(min_length=1, max_length=160)]
TemplateId = Annotated[str, Query(min_length=1, max_length=64)]


def _file(data: bytes, media: str, name: str) -> Response:
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get(
    "/exports/records",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, "application/json": {}}}},
    summary="The final records of one template in a date range, as CSV or JSON (an import file)",
)
def export_records(
    _user: Overseer,
    state: StateDep,
    template_id: TemplateId,
    since: Since = None,
    until: Until = None,
    format: Literal["csv", "json"] = "csv",
) -> Response:
    template = state.templates.get(template_id)
    if template is None:
        raise NotFound(f"There is no template {template_id!r}.")
    first, last = reports.day_range(since, until, state.clock().date())
    with state.read() as session:
        rows = reports.finals(session, template_id, first, last)
        name = f"{template_id}-{first}-{last}.{format}"
        if format == "json":
            return _file(reports.records_json(template, rows), "application/json", name)
        return _file(reports.records_csv(template, rows), "text/csv; charset=utf-8", name)


@router.get(
    "/reports/survey",
    response_class=Response,
    responses={200: {"content": {DOCX: {}, "text/csv": {}}}, 409: {"description": "No response"}},
    summary="The survey report (anonymous): every answer, ratings counted, answers grouped",
)
def survey(
    _user: Uploader,
    state: StateDep,
    since: Since = None,
    until: Until = None,
    template_id: TemplateId = "customer-satisfaction-survey",
    format: Literal["docx", "csv"] = "docx",
) -> Response:
    template = state.templates.get(template_id)
    if template is None or not template.anonymous:
        raise NotFound(f"There is no survey template (an anonymous one) {template_id!r}.")
    first, last = reports.day_range(since, until, state.clock().date())
    with state.read() as session:
        rows = reports.finals(session, template_id, first, last)
        answers = [(dict(r.version.fields), r.version.narrative) for r in rows]
    try:
        report = survey_report(template, answers, first.isoformat(), last.isoformat())
    except EmptySurvey as exc:
        raise Conflict(str(exc)) from None
    name = f"survey-{first}-{last}.{format}"
    if format == "csv":
        return _file(survey_csv(report), "text/csv; charset=utf-8", name)
    return _file(survey_docx(report), DOCX, name)


class ProposalOut(BaseModel):
    proposal: str
    account: str
    dictated: list[str] = Field(description="section numbers with a finished dictation")
    outline: list[str]
    outline_titles: list[str] = Field(description="the outline's section titles, in order")
    missing: list[str] = Field(description="outline sections nobody has dictated")
    changed_at: Any = Field(description="when a section last changed (null: none yet)")


class OutlineSection(Strict):
    id: str = Field(pattern=r"^[0-9]+(\.[0-9]+)*[a-z]?$", max_length=40, examples=["3.2.1"])
    title: str = Field(default="", max_length=200)


class OutlineIn(Strict):
    proposal: str = Field(min_length=1, max_length=160, pattern=r"\S")
    account: str = Field(default="", max_length=200)
    sections: list[OutlineSection] = Field(min_length=1, max_length=500)


@router.get("/proposals", summary="Proposals: their outline, what is dictated and missing")
def list_proposals(_user: Uploader, state: StateDep) -> list[ProposalOut]:
    with state.read() as session:
        return [ProposalOut.model_validate(p) for p in reports.proposals(session)]


@router.put("/proposals/outline", summary="Set a proposal's RFP outline (its sections in order)")
def put_outline(body: OutlineIn, user: Uploader, state: StateDep) -> ProposalOut:
    try:
        with state.write() as session:
            reports.set_outline(
                session,
                body.proposal.strip(),
                body.account,
                [s.model_dump() for s in body.sections],
                user,
                state.clock(),
            )
    except OutlineError as exc:
        raise Invalid(str(exc)) from None
    with state.read() as session:
        return next(
            ProposalOut.model_validate(p)
            for p in reports.proposals(session)
            if p["proposal"] == body.proposal.strip()
        )


@router.get(
    "/proposals/draft.docx",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}}, 409: {"description": "Nothing to compile"}},
    summary="The proposal draft: its sections in outline order (compiled from the newest)",
)
def proposal_draft(proposal: ProposalName, _user: Uploader, state: StateDep) -> Response:
    with state.read() as session:
        account, found = reports.sections(session, proposal)
        outline = reports.outline(session, proposal)
    try:
        draft = compile_draft(proposal, account, outline, found)
    except EmptyProposal as exc:
        raise Conflict(str(exc)) from None
    slug = "".join(c if c.isalnum() else "-" for c in proposal.lower()).strip("-")
    return _file(proposal_docx(draft), DOCX, f"{slug}-draft.docx")
