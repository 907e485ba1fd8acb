"""The supervisor's view of the team: who holds what, today's output, rolling accuracy,
and the pool with the jobs that will miss their due time at the team's current pace.

A handful of aggregate queries, whatever the team's size: 50 transcriptionists and
10,000 jobs read in well under the Team page's 200 ms (bench_review.py).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scribedesk.domain.dictation import WORKING, Priority, Status
from scribedesk.domain.roles import Role
from scribedesk.domain.weighting import errors_to_lines
from scribedesk.server.db.models import Audio, Dictation, Review, TranscriptVersion, User
from scribedesk.server.gate import PRODUCTION

D = Dictation
#: The pace assumed per transcriptionist when the team submitted nothing lately: audio
#: minutes typed per hour (1 minute of audio in 4, the trade's usual ratio).
DEFAULT_PACE_PER_TYPIST = 15.0
#: How far back the team's current pace is measured.
PACE_WINDOW = timedelta(hours=2)
#: The at-risk jobs listed (all are counted).
MAX_AT_RISK = 500


def team_view(session: Session, now: datetime, rolling: int) -> dict[str, Any]:
    """Everything the Team page shows, as JSON-ready data."""
    typists = session.execute(
        select(User.id, User.username, User.display_name)
        .where(User.role == Role.TRANSCRIPTIONIST.value, User.active.is_(True))
        .order_by(User.username)
    ).all()
    in_hand: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in session.execute(
        select(
            D.id,
            D.assignee_id,
            D.status,
            D.priority,
            D.account,
            D.due_at,
            D.active_at,
            D.lease_expires_at,
            Audio.duration_ms,
        )
        .join(Audio, Audio.sha256 == D.audio_sha256)
        .where(D.status.in_([s.value for s in WORKING]), D.kind == PRODUCTION)
        .order_by(D.queue_order, D.due_at, D.id)
    ):
        in_hand[row.assignee_id].append(
            {
                "id": row.id,
                "status": Status(row.status).value,
                "priority": Priority(row.priority).value,
                "account": row.account,
                "due_at": row.due_at.isoformat(),
                "last_activity_at": row.active_at.isoformat() if row.active_at else None,
                "lease_expires_at": (
                    row.lease_expires_at.isoformat() if row.lease_expires_at else None
                ),
                "audio_ms": row.duration_ms,
            }
        )
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    done_today = dict(
        session.execute(
            select(TranscriptVersion.user_id, func.count(TranscriptVersion.id))
            .join(D, D.id == TranscriptVersion.dictation_id)
            .where(
                TranscriptVersion.kind == "submit",
                TranscriptVersion.created_at >= midnight,
                D.kind == PRODUCTION,
            )
            .group_by(TranscriptVersion.user_id)
        ).all()
    )
    accuracy = rolling_accuracy(session, rolling)
    people = [
        {
            "username": t.username,
            "display_name": t.display_name,
            "in_hand": len(in_hand[t.id]),
            "in_progress": sum(j["status"] == Status.IN_PROGRESS.value for j in in_hand[t.id]),
            "audio_ms_in_hand": sum(j["audio_ms"] for j in in_hand[t.id]),
            "done_today": int(done_today.get(t.id, 0)),
            "rolling_accuracy": accuracy.get(t.id),
            "jobs": in_hand[t.id],
        }
        for t in typists
    ]
    pace = _pace(session, now, len(typists))
    return {"transcriptionists": people, "pool": _pool(session, now, pace), "pace": pace}


def rolling_accuracy(session: Session, rolling: int) -> dict[int, float]:
    scores: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for reviewee, score in session.execute(
        select(Review.reviewee_id, Review.score)
        .where(Review.status == "done")
        .order_by(Review.reviewee_id, Review.completed_at.desc(), Review.id.desc())
    ):
        mine = scores[reviewee]
        if len(mine) < rolling:
            mine.append((int(score.get("lines", 1)), float(score.get("points", 0))))
    return {user: round(errors_to_lines(rows), 2) for user, rows in scores.items()}


def _pace(session: Session, now: datetime, typists: int) -> dict[str, Any]:
    """Audio minutes the team submitted per hour lately (or the assumed pace)."""
    recent_ms = session.scalar(
        select(func.coalesce(func.sum(Audio.duration_ms), 0))
        .select_from(TranscriptVersion)
        .join(D, D.id == TranscriptVersion.dictation_id)
        .join(Audio, Audio.sha256 == D.audio_sha256)
        .where(
            TranscriptVersion.kind == "submit",
            TranscriptVersion.created_at >= now - PACE_WINDOW,
            D.kind == PRODUCTION,
        )
    )
    measured = (recent_ms or 0) / 60_000 / (PACE_WINDOW.total_seconds() / 3600)
    if measured > 0:
        return {"audio_minutes_per_hour": round(measured, 1), "measured": True}
    assumed = DEFAULT_PACE_PER_TYPIST * max(1, typists)
    return {"audio_minutes_per_hour": assumed, "measured": False}


def _pool(session: Session, now: datetime, pace: dict[str, Any]) -> dict[str, Any]:
    """Waiting jobs by priority; in claim order, those the pace finishes after their due
    time. The running sum of the audio ahead and the comparison run in the database (a
    window function), so 10,000 waiting jobs cost a few small answers, not 10,000 rows."""
    per_hour_ms = pace["audio_minutes_per_hour"] * 60_000
    waiting = D.status == Status.NEW.value, D.assignee_id.is_(None), D.kind == PRODUCTION
    counts = {p.value: 0 for p in Priority}
    for priority, count in session.execute(
        select(D.priority, func.count(D.id)).where(*waiting).group_by(D.priority)
    ):
        counts[Priority(priority).value] = int(count)
    queue = (
        select(
            D.id,
            D.priority,
            D.account,
            D.due_at,
            func.sum(Audio.duration_ms)
            .over(order_by=(D.queue_order, D.due_at, D.id), rows=(None, 0))
            .label("ahead_ms"),
        )
        .join(Audio, Audio.sha256 == D.audio_sha256)
        .where(*waiting)
        .subquery()
    )
    # The job is reached ahead_ms / per_hour_ms hours from now; late when its due time
    # comes before that: due_at - now (in ms) < ahead_ms * 3,600,000 / per_hour_ms.
    late = _ms_until(session, queue.c.due_at, now) < queue.c.ahead_ms * (3_600_000 / per_hour_ms)
    total_ms = session.scalar(
        select(func.coalesce(func.sum(Audio.duration_ms), 0))
        .select_from(D)
        .join(Audio, Audio.sha256 == D.audio_sha256)
        .where(*waiting)
    )
    rows = session.execute(
        select(queue, func.count().over().label("late_total"))
        .where(late)
        .order_by(queue.c.ahead_ms)
        .limit(MAX_AT_RISK)
    ).all()
    at_risk_total = rows[0].late_total if rows else 0
    at_risk = [
        {
            "id": row.id,
            "priority": Priority(row.priority).value,
            "account": row.account,
            "due_at": _aware(row.due_at).isoformat(),
            "expected_at": (now + timedelta(hours=row.ahead_ms / per_hour_ms)).isoformat(),
        }
        for row in rows
    ]
    return {
        "waiting": counts,
        "audio_ms": int(total_ms or 0),
        "at_risk": at_risk,
        "at_risk_total": int(at_risk_total or 0),
    }


def _ms_until(session: Session, column: Any, now: datetime) -> Any:
    """Milliseconds from ``now`` to the timestamp ``column``, as SQL for this database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", column - now) * 1000  # now goes through UTCDateTime
    naive = now.astimezone(UTC).replace(tzinfo=None)
    return (func.julianday(column) - func.julianday(naive.isoformat(sep=" "))) * 86_400_000


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
