"""Deliveries: where each final transcript went, what failed and why, and replay."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from scribedesk.server import delivery, dictations
from scribedesk.server.api.deps import CurrentUser, Overseer, StateDep
from scribedesk.server.api.schemas import Id, Strict
from scribedesk.server.db.models import Delivery, TranscriptVersion
from scribedesk.server.documents import Filed, call_report_docx
from scribedesk.server.errors import Conflict

router = APIRouter(tags=["delivery"])
State = Literal["pending", "sending", "delivered", "failed", "dead", "held"]


class DeliveryOut(BaseModel):
    id: int
    dictation_id: int
    version: int
    destination: str
    message_id: str
    state: State
    attempts: int
    next_attempt_at: datetime | None
    last_status: int | None
    last_error: str
    answer: dict[str, Any]
    created_at: datetime
    delivered_at: datetime | None


def delivery_out(row: Delivery) -> DeliveryOut:
    waiting = row.state in (delivery.PENDING, delivery.SENDING)
    return DeliveryOut(
        id=row.id,
        dictation_id=row.dictation_id,
        version=row.version,
        destination=row.destination,
        message_id=row.message_id,
        state=row.state,  # type: ignore[arg-type]
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at if waiting else None,
        last_status=row.last_status,
        last_error=row.last_error,
        answer=row.answer,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
    )


@router.get("/deliveries", summary="Deliveries, newest first (failed and dead: the dead letters)")
def list_deliveries(
    _user: Overseer,
    state: StateDep,
    status: Annotated[list[State] | None, Query(alias="state")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[DeliveryOut]:
    with state.read() as session:
        query = select(Delivery).order_by(Delivery.id.desc()).limit(limit)
        if status:
            query = query.where(Delivery.state.in_(status))
        return [delivery_out(d) for d in session.scalars(query)]


@router.post(
    "/deliveries/{delivery_id}/replay",
    summary="Send a failed or dead delivery again (the same message id: no duplicate)",
)
def replay(delivery_id: Id, user: Overseer, state: StateDep) -> DeliveryOut:
    with state.write() as session:
        return delivery_out(delivery.replay(session, delivery_id, user, state.clock()))


class PickAccount(Strict):
    """The CRM account a held delivery goes to."""

    account_id: str = Field(min_length=1, max_length=64)


class CreateAccount(Strict):
    """Create the account in the CRM (a person decided it is new)."""

    create: Literal[True]


@router.post(
    "/deliveries/{delivery_id}/account",
    summary="Answer a held delivery: this CRM account, or create it",
)
def choose_account(
    delivery_id: Id, body: PickAccount | CreateAccount, user: Overseer, state: StateDep
) -> DeliveryOut:
    account = body.account_id if isinstance(body, PickAccount) else None
    with state.write() as session:
        return delivery_out(
            delivery.choose_account(session, delivery_id, account, user, state.clock())
        )


_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get(
    "/dictations/{dictation_id}/document.docx",
    responses={200: {"content": {_DOCX: {}}}},
    response_class=Response,
    summary="The transcript as a Word document (the final version, or the latest submitted)",
)
def document(dictation_id: Id, user: CurrentUser, state: StateDep) -> Response:
    with state.read() as session:
        job = dictations.get_visible(session, user, dictation_id)
        version = session.scalars(
            select(TranscriptVersion)
            .where(
                TranscriptVersion.dictation_id == job.id,
                TranscriptVersion.kind.in_(["submit", "review"]),
            )
            .order_by(TranscriptVersion.number.desc())
            .limit(1)
        ).first()
        if version is None:
            raise Conflict(f"Dictation {dictation_id} has no submitted transcript yet.")
        who = state.usernames(session, [job.author_id, version.user_id, job.last_assignee_id])
        typist = who.get(job.last_assignee_id or version.user_id, "")
        filed = Filed(
            job_id=job.id,
            account=job.account,
            title=job.title,
            author=who.get(job.author_id, ""),
            transcriptionist=typist,
            received_at=job.received_at,
            version=version.number,
            reviewed=version.kind == "review",
            fields=dict(version.fields),
            narrative=version.narrative,
        )
        template = state.template(job.template_id)
    data = call_report_docx(template, filed)
    name = f"dictation-{dictation_id}-v{filed.version}.docx"
    return Response(
        data, media_type=_DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/dictations/{dictation_id}/deliveries", summary="Where this dictation was delivered")
def dictation_deliveries(dictation_id: Id, user: CurrentUser, state: StateDep) -> list[DeliveryOut]:
    with state.read() as session:
        dictations.get_visible(session, user, dictation_id)
        rows = session.scalars(
            select(Delivery).where(Delivery.dictation_id == dictation_id).order_by(Delivery.id)
        )
        return [delivery_out(d) for d in rows]
