"""Sampled review over real HTTP: the queue and its leases, the service's own score, feedback,
disputes and supervisors' moves, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from scribedesk.domain.dictation import Priority
from scribedesk.domain.sampling import SamplingPolicy
from tests.conftest import LiveServer, running_live_server
from tests.server.test_dispatch import body, make_jobs
from tests.support import PASSWORD, Api

NARRATIVE = "From Monday any discount above fifteen percent needs approval from Dana."
CORRECTED = "From Monday any discount above fifteen percent needs approval from Donna."


@pytest.fixture
def reviewing(settings, clock, demo_users) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    """The service with the team's default sampling (a new transcriptionist's first 20 jobs
    are all reviewed), over the database the demo users were written to."""
    with running_live_server(settings.with_overrides(sampling=SamplingPolicy()), clock) as running:
        yield running


def submitted(live: LiveServer, narrative: str = NARRATIVE) -> tuple[int, dict[str, Any]]:
    """A job tara claimed and submitted; (job id, the submit answer)."""
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    answer = tara.post(
        f"/jobs/{job_id}/submit",
        json=body(job["lease_token"], narrative=narrative),
        headers={"Idempotency-Key": f"submit-{job_id}"},
    )
    assert answer.status_code == 200, answer.text
    return job_id, answer.json()


def test_a_new_transcriptionists_work_waits_for_review(reviewing):
    """Sampled at submit time with its reason; the job is in review, not final."""
    job_id, answer = submitted(reviewing)
    assert answer["status"] == "in_review"
    sam = Api.login(reviewing.url, "sam")
    [queued] = sam.get("/reviews", params={"status": "queued"}).json()
    assert queued["dictation_id"] == job_id and queued["reason_code"] == "new_transcriptionist"
    assert "first 20" in queued["reason"] and queued["transcriptionist"] == "tara"
    assert sam.get(f"/dictations/{job_id}").json()["status"] == "in_review"


def test_unsampled_work_is_final_and_can_be_sent_to_review_by_hand(live, demo_users):
    """With nothing sampled, a supervisor may still send a transcript to review, once."""
    job_id, answer = submitted(live)
    assert answer["status"] == "submitted"
    sam = Api.login(live.url, "sam")
    assert sam.get("/reviews").json() == []
    sent = sam.post(f"/dictations/{job_id}/review", json={"reason": "Customer complaint"})
    assert sent.status_code == 201 and sent.json()["reason"] == "Customer complaint"
    again = sam.post(f"/dictations/{job_id}/review")
    assert again.status_code == 409 and "already in review" in again.json()["detail"]
    [fresh] = make_jobs(live, [Priority.ROUTINE])
    never = sam.post(f"/dictations/{fresh}/review")
    assert never.status_code == 409 and "only a submitted transcript" in never.json()["detail"]


def add_supervisor(live: LiveServer, name: str) -> Api:
    ada = Api.login(live.url, "ada")
    made = ada.post("/users", json={"username": name, "role": "supervisor", "password": PASSWORD})
    assert made.status_code == 201, made.text
    return Api.login(live.url, name)


def test_no_review_is_handed_to_two_supervisors_and_a_lapsed_lease_frees_it(reviewing, clock):
    submitted(reviewing)
    sam, sue = Api.login(reviewing.url, "sam"), add_supervisor(reviewing, "sue")
    mine = sam.post("/reviews/next")
    assert mine.status_code == 200 and mine.json()["submitted"]["narrative"] == NARRATIVE
    assert sue.post("/reviews/next").status_code == 204
    token = {"lease_token": mine.json()["lease_token"]}
    assert sam.post(f"/reviews/{mine.json()['id']}/heartbeat", json=token).status_code == 200
    clock.advance(120)  # past the 60 s lease without a heartbeat
    taken = sue.post("/reviews/next")
    assert taken.status_code == 200 and taken.json()["id"] == mine.json()["id"]
    lost = sam.post(f"/reviews/{mine.json()['id']}/heartbeat", json=token)
    assert lost.status_code == 409
    assert lost.json()["detail"].startswith(f"Your lease on review {mine.json()['id']} has ended")


def claim(live: LiveServer) -> tuple[Api, dict[str, Any]]:
    sam = Api.login(live.url, "sam")
    review = sam.post("/reviews/next").json()
    return sam, review


def completion(review: dict[str, Any], **extra: object) -> dict[str, Any]:
    return {
        "lease_token": review["lease_token"],
        "fields": {"subject": "Discount approvals"},
        "narrative": CORRECTED,
        "errors": [
            {
                "severity": "critical",
                "category": "contact",
                "words": "Donna",
                "comment": "The approver is Donna.",
            },
            {"severity": "feedback", "category": "style", "words": "Dana"},
        ],
        "feedback": "Check names against the CRM.",
        **extra,
    }


def test_the_service_scores_the_review_itself(reviewing):
    """Corrected copy, classified differences: the score is computed from the two versions
    and the classifications; a score sent by the client is refused."""
    job_id, _ = submitted(reviewing)
    sam, review = claim(reviewing)
    forged = sam.post(f"/reviews/{review['id']}/complete", json=completion(review, score=100))
    assert forged.status_code == 422
    done = sam.post(f"/reviews/{review['id']}/complete", json=completion(review))
    assert done.status_code == 200, done.text
    score = done.json()["score"]
    assert (score["score"], score["points"], score["critical"], score["passed"]) == (
        97,
        3,
        1,
        False,
    )
    assert (score["substitutions"], score["hits"]) == (1, 10)
    assert score["markers"]["differences"] == 0 and score["normaliser_version"] == 1
    assert done.json()["corrected"]["narrative"] == CORRECTED
    assert sam.get(f"/dictations/{job_id}").json()["status"] == "reviewed"
    kinds = [v["kind"] for v in sam.get(f"/dictations/{job_id}/versions").json()]
    assert kinds == ["submit", "review"]
    again = sam.post(f"/reviews/{review['id']}/complete", json=completion(review))
    assert again.status_code == 409 and "the review is done" in again.json()["detail"]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (
            {"errors": [{"severity": "critical", "category": "amount", "words": "twenty"}]},
            "'twenty' is not among the words that differ",
        ),
        (
            {"errors": [{"severity": "critical", "category": "account", "field": "subject"}]},
            "is the same in the submitted and the corrected version",
        ),
        (
            {"errors": [{"severity": "non_critical", "category": "x", "field": "nope"}]},
            "has no field 'nope'",
        ),
        ({"fields": {"amount": 5}}, "has no field(s) 'amount'"),
        ({"errors": [{"severity": "major", "category": "x", "words": "Donna"}]}, "severity"),
    ],
)
def test_a_review_that_names_no_real_difference_is_refused_and_stores_nothing(
    reviewing, change, says
):
    job_id, _ = submitted(reviewing)
    sam, review = claim(reviewing)
    refused = sam.post(f"/reviews/{review['id']}/complete", json=completion(review, **change))
    assert refused.status_code == 422 and says in refused.json()["detail"], refused.text
    assert [v["kind"] for v in sam.get(f"/dictations/{job_id}/versions").json()] == ["submit"]
    assert sam.get(f"/reviews/{review['id']}").json()["status"] == "in_review"


def test_feedback_and_disputes(reviewing, clock):
    """The transcriptionist reads the score and feedback, disputes an error in the window;
    the supervisor withdraws it and the score is computed again; all of it audited."""
    job_id, _ = submitted(reviewing)
    sam, review = claim(reviewing)
    sam.post(f"/reviews/{review['id']}/complete", json=completion(review))
    tara, theo = Api.login(reviewing.url, "tara"), Api.login(reviewing.url, "theo")
    [mine] = tara.get("/reviews/mine").json()
    assert mine["feedback"] == "Check names against the CRM." and mine["score"]["score"] == 97
    detail = tara.get(f"/reviews/{review['id']}").json()
    assert detail["submitted"]["narrative"] == NARRATIVE
    assert detail["corrected"]["narrative"] == CORRECTED
    assert theo.get(f"/reviews/{review['id']}").status_code == 404
    url = f"/reviews/{review['id']}/errors/1"
    assert theo.post(f"{url}/dispute", json={"reason": "not mine"}).status_code == 403
    disputed = tara.post(f"{url}/dispute", json={"reason": "The rep said Dana twice."})
    assert disputed.status_code == 200 and disputed.json()["errors"][0]["status"] == "disputed"
    assert tara.post(f"{url}/dispute", json={"reason": "again"}).status_code == 409
    assert (
        tara.post(f"/reviews/{review['id']}/errors/9/dispute", json={"reason": "x"}).status_code
        == 404
    )
    decided = sam.post(f"{url}/decide", json={"uphold": False, "note": "Audio says Dana."})
    assert decided.status_code == 200
    assert decided.json()["errors"][0]["status"] == "withdrawn"
    assert (decided.json()["score"]["score"], decided.json()["score"]["passed"]) == (100, True)
    clock.advance(8 * 86400)
    tara, sam = Api.login(reviewing.url, "tara"), Api.login(reviewing.url, "sam")
    late = tara.post(f"/reviews/{review['id']}/errors/2/dispute", json={"reason": "late"})
    assert late.status_code == 409 and "open for 7 days" in late.json()["detail"]
    actions = [e["action"] for e in sam.get(f"/dictations/{job_id}/audit").json()]
    for step in ("sampled", "review_claimed", "reviewed", "disputed", "dispute_withdrawn"):
        assert step in actions


def test_supervisors_move_work_in_flight_with_a_reason(live, demo_users):
    """Change priority (the due time follows), requeue, reassign, cancel: each audited
    with its reason."""
    done = submitted(live)[0]
    a, b = make_jobs(live, [Priority.ROUTINE, Priority.ROUTINE])
    sam = Api.login(live.url, "sam")
    before = sam.get(f"/dictations/{a}").json()
    stat = sam.post(f"/dictations/{a}/priority", json={"priority": "stat", "reason": "CEO"})
    assert stat.status_code == 200 and stat.json()["priority"] == "stat"
    assert stat.json()["due_at"] < before["due_at"]
    theo_id = next(u["id"] for u in sam.get("/users").json() if u["username"] == "theo")
    sam.post(f"/dictations/{a}/assign", json={"user_id": theo_id, "reason": "Knows Acme"})
    sam.post(f"/dictations/{a}/requeue", json={"reason": "Theo is out"})
    sam.post(f"/dictations/{b}/cancel", json={"reason": "Duplicate"})
    reasons = {
        e["action"]: e["detail"].get("reason")
        for job in (a, b)
        for e in sam.get(f"/dictations/{job}/audit").json()
    }
    assert reasons["priority_changed"] == "CEO" and reasons["assigned"] == "Knows Acme"
    assert reasons["requeued"] == "Theo is out" and reasons["cancelled"] == "Duplicate"
    late = sam.post(f"/dictations/{done}/priority", json={"priority": "stat"})
    assert late.status_code == 409 and "not yet submitted" in late.json()["detail"]


def test_the_team_view_shows_who_holds_what_and_the_jobs_at_risk(live, demo_users, clock):
    """In hand, in progress, done today, rolling accuracy; the pool by priority with the
    jobs the team's pace finishes after their due time."""
    submitted(live)
    theo = Api.login(live.url, "theo")
    stat, *_rest = make_jobs(live, [Priority.STAT, Priority.ROUTINE, Priority.ROUTINE])
    held = theo.post("/jobs/next").json()
    assert held["id"] == stat
    theo.post(f"/jobs/{stat}/start", json={"lease_token": held["lease_token"]})
    sam = Api.login(live.url, "sam")
    view = sam.get("/team")
    assert view.status_code == 200, view.text
    people = {p["username"]: p for p in view.json()["transcriptionists"]}
    assert people["tara"]["done_today"] == 1 and people["tara"]["in_hand"] == 0
    assert (people["theo"]["in_hand"], people["theo"]["in_progress"]) == (1, 1)
    assert people["theo"]["jobs"][0]["id"] == stat and people["theo"]["audio_ms_in_hand"] > 0
    pool = view.json()["pool"]
    assert pool["waiting"] == {"routine": 2, "urgent": 0, "stat": 0}
    assert view.json()["pace"]["measured"] is True  # tara's submission sets the pace
    assert pool["at_risk"] == []  # two 15 s memos are done long before tomorrow
    clock.advance(30 * 3600)  # a day later all are overdue
    sam = Api.login(live.url, "sam")
    # theo's STAT job sat idle past its 15 minutes: the reaper puts it back into the pool
    deadline = time.monotonic() + 30
    while sam.get(f"/dictations/{stat}").json()["status"] != "new":
        assert time.monotonic() < deadline, "the idle job was never released"
        time.sleep(0.05)
    later = sam.get("/team").json()
    assert [j["priority"] for j in later["pool"]["at_risk"]] == ["stat", "routine", "routine"]
    assert later["pace"]["measured"] is False  # nothing submitted in the last two hours
    assert Api.login(live.url, "tara").get("/team").status_code == 403


def test_the_demo_comes_with_reviewed_history(tmp_path, clock):
    """seed-demo: weeks of reviewed work for both demo transcriptionists, scored by the
    service's rule, with one open dispute; the queue itself is the demo's 12 dictations."""
    from sqlalchemy import func, select

    from scribedesk.server.app import build_state
    from scribedesk.server.db.models import Dictation, Review
    from scribedesk.server.importer import seed_demo
    from scribedesk.server.paths import resources_dir
    from scribedesk.server.settings import ServerSettings
    from scribedesk.server.team import team_view

    state = build_state(ServerSettings(data_dir=tmp_path), clock)
    _users, queued = seed_demo(state, resources_dir() / "demo" / "manifest.json")
    assert queued == 12
    with state.read() as session:
        reviews = list(session.scalars(select(Review)))
        waiting = session.scalar(select(func.count()).where(Dictation.status == "new"))
        view = team_view(session, clock(), 20)
    assert waiting == 12 and len(reviews) >= 40
    assert {r.status for r in reviews} == {"done"}
    disputed = [e for r in reviews for e in r.errors if e["status"] == "disputed"]
    assert len(disputed) == 1
    scores = [r.score["score"] for r in reviews]
    assert min(scores) < 98 <= max(scores)  # some pass, some fail
    accuracy = {m["username"]: m["rolling_accuracy"] for m in view["transcriptionists"]}
    assert all(85 < a < 100 for a in accuracy.values()), accuracy
    state.engine.dispose()
