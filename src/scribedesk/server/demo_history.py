"""Reviewed history for the demo: three weeks of submitted, sampled and reviewed jobs for
both demo transcriptionists, so the Team, Review and Feedback pages are not empty.

Each past job reuses a demo dictation: its script and fields are what was said (the
corrected version), and a seeded mix of mistakes makes what the transcriptionist
typed: a misspelt name, a dropped phrase, now and then a wrong amount. The reviews are
scored by the service's own rule (review_scoring.compute_score). The newest review of the
second transcriptionist carries an open dispute.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from scribedesk.domain.dictation import Priority, Status
from scribedesk.domain.weighting import Severity
from scribedesk.server import dictations
from scribedesk.server.api.state import AppState
from scribedesk.server.db.models import Review, User
from scribedesk.server.dictations import Intake
from scribedesk.server.dispatch import audit
from scribedesk.server.review_scoring import DISPUTED, ErrorIn, compute_score, error_record
from scribedesk.server.transcripts import TranscriptContent, add_version

#: Past jobs per transcriptionist: the first 20 were all reviewed (new transcriptionist).
JOBS_EACH = 24
REVIEWED_FIRST = 20


def _mistakes(rng: random.Random, script: str) -> tuple[str, list[ErrorIn]]:
    """The script as a transcriptionist might have typed it, and the reviewer's errors."""
    words = script.split()
    errors: list[ErrorIn] = []
    names = [i for i, w in enumerate(words) if w[:1].isupper() and len(w) > 4 and i > 0]
    if names and rng.random() < 0.35:
        at = rng.choice(names)
        right = words[at]
        words[at] = right[:-2] + right[-1] + right[-2] if len(right) > 5 else right + "e"
        if rng.random() < 0.2:  # a contact's name wrong in the CRM: critical
            errors.append(
                ErrorIn(
                    Severity.CRITICAL, "contact", right, comment="A contact's name is critical."
                )
            )
        else:
            errors.append(ErrorIn(Severity.NON_CRITICAL, "spelling", right, comment="Check names."))
    if len(words) > 30 and rng.random() < 0.2:
        at = rng.randrange(5, len(words) - 5)
        dropped = words[at : at + 2]
        del words[at : at + 2]
        errors.append(ErrorIn(Severity.NON_CRITICAL, "omission", " ".join(dropped)))
    amounts = [i for i, w in enumerate(words) if any(c.isdigit() for c in w)]
    if amounts and rng.random() < 0.3:
        at = rng.choice(amounts)
        right = words[at]
        words[at] = right.replace("0", "", 1) if "0" in right else right + "0"
        errors.append(ErrorIn(Severity.CRITICAL, "amount", right, comment="Amounts are critical."))
    if rng.random() < 0.3:
        errors.append(ErrorIn(Severity.FEEDBACK, "style", words[min(3, len(words) - 1)]))
    return " ".join(words), errors


def seed_history(state: AppState, manifest: dict[str, Any], folder: Path, now: datetime) -> int:
    """Past reviewed work for the demo transcriptionists; returns the jobs created."""
    rng = random.Random(20261201)
    with state.write() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    typists = [u["username"] for u in manifest["users"] if u["role"] == "transcriptionist"]
    supervisor = next(u["username"] for u in manifest["users"] if u["role"] == "supervisor")
    author = next(u["username"] for u in manifest["users"] if u["role"] == "author")
    specs = manifest["dictations"]
    made = 0
    for typist_index, name in enumerate(typists):
        for index in range(JOBS_EACH):
            spec = specs[(index + typist_index * 5) % len(specs)]
            day = now - timedelta(days=21 - index * 21 / JOBS_EACH, hours=typist_index)
            reviewed = index < REVIEWED_FIRST or rng.random() < 0.1
            _past_job(
                state,
                spec,
                folder,
                users[author],
                users[name],
                users[supervisor],
                day,
                reviewed,
                rng,
                dispute=typist_index == 1 and index == REVIEWED_FIRST - 1,
            )
            made += 1
    return made


def _past_job(
    state: AppState,
    spec: dict[str, Any],
    folder: Path,
    author: User,
    typist: User,
    supervisor: User,
    day: datetime,
    reviewed: bool,
    rng: random.Random,
    dispute: bool,
) -> None:
    template = state.templates[spec["template_id"]]
    with (folder / spec["file"]).open("rb") as stream:
        info = state.store.add(stream, spec["file"])
    typed, errors = _mistakes(rng, spec["script"])
    with state.write() as session:
        intake = Intake(spec["account"], spec["template_id"], Priority(spec["priority"]))
        job = dictations.create(
            session, author, intake, template, info, spec["file"], state.settings.turnaround, day
        )
        job.assignee_id = job.last_assignee_id = typist.id
        submitted = add_version(
            session,
            job,
            typist,
            "submit",
            TranscriptContent(fields=dict(spec["fields"]), narrative=typed, time_spent_s=900),
            day + timedelta(minutes=25),
        )
        audit(session, day, typist, job.id, "submitted", version=submitted.number)
        if not reviewed:
            job.status = Status.SUBMITTED
            return
        done_at = day + timedelta(hours=3)
        corrected = add_version(
            session,
            job,
            supervisor,
            "review",
            TranscriptContent(fields=dict(spec["fields"]), narrative=spec["script"]),
            done_at,
        )
        records = [error_record(e) for e in errors]
        if dispute and records:
            records[0] = {
                **records[0],
                "status": DISPUTED,
                "dispute": {"reason": "The rep spelled it that way.", "at": done_at.isoformat()},
            }
        session.add(
            Review(
                dictation_id=job.id,
                version=submitted.number,
                reviewee_id=typist.id,
                reason_code="new_transcriptionist",
                reason="One of the first 20 jobs: every one is reviewed.",
                status="done",
                reviewer_id=supervisor.id,
                corrected_version=corrected.number,
                feedback="Good work." if not errors else "Check names and amounts against the CRM.",
                errors=records,
                score=compute_score(template, submitted, corrected, records),
                created_at=day + timedelta(minutes=25),
                updated_at=done_at,
                completed_at=done_at,
            )
        )
        job.status = Status.REVIEWED
        audit(session, done_at, supervisor, job.id, "reviewed")
