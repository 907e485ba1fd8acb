"""Training on the service over real HTTP (SQLite and PostgreSQL): exercises with their
gold, a curriculum worked through in order, attempts scored on submit, certification,
the gate on production work, re-certification and promotion of a reviewed transcript."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scribedesk.domain.dictation import Priority
from tests.conftest import DEMO, LiveServer
from tests.server.test_dispatch import make_jobs
from tests.server.test_reviews import claim, completion, submitted
from tests.support import Api

MANIFEST = {d["file"]: d for d in json.loads((DEMO / "manifest.json").read_text())["dictations"]}
RULE = {"last_exercises": 2, "no_critical_last": 1, "min_pace": 0.2}


def add_exercise(tess: Api, file: str, **form: str) -> dict[str, Any]:
    entry = MANIFEST[file]
    with (DEMO / file).open("rb") as audio:
        answer = tess.post(
            "/training/exercises",
            files={"file": (file, audio)},
            data={
                "title": entry["title"],
                "template_id": entry["template_id"],
                "account": entry["account"],
                "difficulty": "2",
                "tags": "us accent, noise",
                "gold": json.dumps({"fields": entry["fields"], "narrative": entry["script"]}),
                **form,
            },
        )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@pytest.fixture
def enrolled(live: LiveServer, demo_users: dict[str, str]) -> dict[str, Any]:
    """Two exercises (a memo, a survey) in a curriculum assigned to trey."""
    tess = Api.login(live.url, "tess")
    memo = add_exercise(tess, "memo-pricing.wav")
    survey = add_exercise(tess, "survey-harbor.mp3")
    curriculum = tess.post(
        "/training/curricula",
        json={
            "name": "Starter",
            "steps": [
                {"exercise_id": memo["id"], "pass_mark": 98},
                {"exercise_id": survey["id"], "pass_mark": 98},
            ],
            "rule": RULE,
        },
    )
    assert curriculum.status_code == 201, curriculum.text
    trey_id = next(p["id"] for p in tess.get("/training/people").json() if p["username"] == "trey")
    enrol = tess.post(
        "/training/enrolments",
        json={"curriculum_id": curriculum.json()["id"], "user_id": trey_id},
    )
    assert enrol.status_code == 201, enrol.text
    return {"tess": tess, "memo": memo, "survey": survey, "enrolment": enrol.json()}


def attempt(trey: Api, file: str, narrative: str | None = None) -> dict[str, Any]:
    """Open trey's training job, type (the gold unless ``narrative``) and submit it."""
    [job] = trey.get("/jobs").json()
    assert job["kind"] == "training"
    lease = trey.post(f"/jobs/{job['id']}/lease").json()
    entry = MANIFEST[file]
    answer = trey.post(
        f"/jobs/{job['id']}/submit",
        json={
            "lease_token": lease["lease_token"],
            "fields": entry["fields"],
            "narrative": entry["script"] if narrative is None else narrative,
            "quality": {"heard": [[0, 86_400_000]]},
            "time_spent_seconds": 60,
        },
        headers={"Idempotency-Key": f"training-{job['id']}"},
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_a_trainee_is_kept_from_production_until_certified_then_claims_only_their_templates(
    live, enrolled
):
    alex, sam = Api.login(live.url, "alex"), Api.login(live.url, "sam")
    memo = alex.upload(DEMO / "memo-pricing.wav", template_id="general-memo").json()
    call = alex.upload(DEMO / "acme-renewal.mp3").json()  # a call report: not trained for
    trey = Api.login(live.url, "trey")
    for refused in (
        trey.post("/jobs/next"),
        trey.get(f"/dictations/{memo['id']}"),
        trey.get(f"/dictations/{memo['id']}/audio"),
        trey.get("/jobs/waiting"),
    ):
        assert refused.status_code == 403
        assert "training" in refused.json()["detail"]
    trey_id = next(
        p["id"] for p in enrolled["tess"].get("/training/people").json() if p["username"] == "trey"
    )
    assert (
        sam.post(f"/dictations/{memo['id']}/assign", json={"user_id": trey_id}).status_code == 422
    )
    # The supervisor never sees training work: not in the team view, not in the listing.
    [training_job] = trey.get("/jobs").json()
    assert training_job["id"] not in [d["id"] for d in sam.get("/dictations").json()]
    assert trey.get(f"/dictations/{training_job['id']}/audio").status_code == 200

    first = attempt(trey, "memo-pricing.wav", MANIFEST["memo-pricing.wav"]["script"][:-40])
    result = first["training"]
    assert not result["passed"] and result["errors"] >= 1 and result["next_job_id"]
    detail = trey.get(f"/training/attempts/{result['attempt_id']}").json()
    assert detail["gold"]["narrative"] == MANIFEST["memo-pricing.wav"]["script"]
    assert any(e["kind"] == "omission" for e in detail["result"]["errors"])
    [retry] = trey.get("/jobs").json()  # the same exercise again, attempt 2
    assert retry["id"] == result["next_job_id"] and "attempt 2" in retry["title"]

    assert attempt(trey, "memo-pricing.wav")["training"]["passed"]
    tess = enrolled["tess"]
    early = tess.post(f"/training/enrolments/{enrolled['enrolment']['id']}/certify")
    assert early.status_code == 409 and "not yet passed" in early.json()["detail"]
    last = attempt(trey, "survey-harbor.mp3")["training"]
    assert last["passed"] and last["certifiable"] and last["next_job_id"] is None

    certified = tess.post(f"/training/enrolments/{enrolled['enrolment']['id']}/certify")
    assert certified.status_code == 200, certified.text
    assert certified.json()["templates"] == ["customer-satisfaction-survey", "general-memo"]
    assert certified.json()["evidence"]["check"]["holds"]
    me = trey.get("/training/me").json()
    assert me["role"] == "transcriptionist" and me["enrolments"][0]["status"] == "certified"
    trey = Api.login(live.url, "trey")
    claimed = trey.post("/jobs/next")
    assert claimed.status_code == 200 and claimed.json()["id"] == memo["id"]
    assert trey.post("/jobs/next").status_code == 204  # the call report stays in the pool
    refused = sam.post(f"/dictations/{call['id']}/assign", json={"user_id": trey_id})
    assert refused.status_code == 403 and "sales-call-report" in refused.json()["detail"]


def test_the_first_production_jobs_after_certification_are_all_sampled(live, enrolled):
    from scribedesk.domain.sampling import SamplingPolicy
    from scribedesk.server.db.models import User
    from scribedesk.server.reviews import typist_record

    trey = Api.login(live.url, "trey")
    attempt(trey, "memo-pricing.wav")
    attempt(trey, "survey-harbor.mp3")
    tess = enrolled["tess"]
    assert tess.post(f"/training/enrolments/{enrolled['enrolment']['id']}/certify").ok
    with live.state.read() as session:
        user = session.query(User).filter_by(username="trey").one()
        record = typist_record(session, user.id, 20)
    assert record.jobs_done == 0  # training submissions do not count as production work
    assert record.jobs_done < SamplingPolicy().first_jobs


def test_a_transcriptionist_sent_back_to_training_stops_production_until_they_pass(live, enrolled):
    tess = enrolled["tess"]
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    assert tara.post("/jobs/next").json()["id"] == job_id
    tara_id = next(p["id"] for p in tess.get("/training/people").json() if p["username"] == "tara")
    curriculum = tess.get("/training/curricula").json()[0]["id"]
    no_reason = tess.post(
        "/training/enrolments", json={"curriculum_id": curriculum, "user_id": tara_id}
    )
    assert no_reason.status_code == 422
    sent = tess.post(
        "/training/enrolments",
        json={"curriculum_id": curriculum, "user_id": tara_id, "reason": "Accuracy 93 %"},
    )
    assert sent.status_code == 201, sent.text
    [only] = tara.get("/jobs").json()  # her production job went back to the pool
    assert only["kind"] == "training"
    stopped = tara.post("/jobs/next")
    assert stopped.status_code == 403 and "Accuracy 93 %" in stopped.json()["detail"]
    attempt(tara, "memo-pricing.wav")
    attempt(tara, "survey-harbor.mp3")
    assert tess.post(f"/training/enrolments/{sent.json()['id']}/certify").ok
    assert tara.post("/jobs/next").json()["id"] == job_id


def test_a_peek_at_the_gold_costs_points_and_only_when_the_curriculum_allows(live, enrolled):
    trey = Api.login(live.url, "trey")
    [job] = trey.get("/jobs").json()
    lease = trey.post(f"/jobs/{job['id']}/lease").json()["lease_token"]
    none = trey.post(f"/training/jobs/{job['id']}/peek", json={"lease_token": lease})
    assert none.status_code == 403 and "no peeks" in none.json()["detail"]
    tess, memo, survey = enrolled["tess"], enrolled["memo"], enrolled["survey"]
    curriculum = tess.get("/training/curricula").json()[0]
    hints = tess.put(
        f"/training/curricula/{curriculum['id']}",
        json={
            "name": "Starter",
            "steps": [{"exercise_id": memo["id"]}, {"exercise_id": survey["id"]}],
            "rule": RULE,
            "hints": {"peeks": 1, "peek_points": 1},
        },
    )
    assert hints.status_code == 200, hints.text
    script = MANIFEST["memo-pricing.wav"]["script"]
    typed = " ".join(script.split()[:3])
    peeked = trey.post(
        f"/training/jobs/{job['id']}/peek", json={"lease_token": lease, "narrative": typed}
    )
    assert peeked.status_code == 200, peeked.text
    assert peeked.json()["sentence"] in script and peeked.json()["peeks_used"] == 1
    again = trey.post(f"/training/jobs/{job['id']}/peek", json={"lease_token": lease})
    assert again.status_code == 409
    result = attempt(trey, "memo-pricing.wav")["training"]
    assert result["score"] == 99 and result["passed"] is True


def test_a_promoted_review_becomes_an_exercise_whose_gold_is_the_corrected_version(
    live, demo_users
):
    job_id, _answer = submitted(live, "From Monday any discount needs approval from Dana.")
    sam = Api.login(live.url, "sam")
    sent = sam.post(f"/dictations/{job_id}/review")
    assert sent.status_code == 201
    _sam, review = claim(live)
    done = sam.post(
        f"/reviews/{review['id']}/complete",
        json={**completion(review), "fields": {"subject": "Discount approvals"}},
    )
    assert done.status_code == 200, done.text
    tess = Api.login(live.url, "tess")
    assert [p["dictation_id"] for p in tess.get("/training/promotable").json()] == [job_id]
    kept = tess.post("/training/promotions", json={"dictation_id": job_id, "invent_names": False})
    assert kept.status_code == 201, kept.text
    exercise = kept.json()
    assert exercise["source"] == "promoted" and exercise["source_dictation_id"] == job_id
    with live.state.read() as session:
        from scribedesk.server.db.models import Exercise

        gold = session.get(Exercise, exercise["id"]).gold_narrative
    assert gold == completion(review)["narrative"]  # the corrected copy, not the submitted
    assert tess.get("/training/promotable").json() == []


def test_bad_exercises_and_curricula_are_refused_with_what_is_wrong(live, demo_users):
    tess = Api.login(live.url, "tess")
    with (DEMO / "memo-pricing.wav").open("rb") as audio:
        bad = tess.post(
            "/training/exercises",
            files={"file": ("memo.wav", audio)},
            data={"title": "x", "template_id": "general-memo", "gold": "{not json"},
        )
    assert bad.status_code == 422 and "'gold' must be JSON" in bad.json()["detail"]
    with (DEMO / "memo-pricing.wav").open("rb") as audio:
        unknown = tess.post(
            "/training/exercises",
            files={"file": ("memo.wav", audio)},
            data={
                "title": "x",
                "template_id": "general-memo",
                "gold": json.dumps({"fields": {"nope": 1}, "narrative": "Hello."}),
            },
        )
    assert unknown.status_code == 422 and "no field" in unknown.json()["detail"]
    missing = tess.post(
        "/training/curricula", json={"name": "Empty", "steps": [{"exercise_id": 999}]}
    )
    assert missing.status_code == 422 and "no exercise 999" in missing.json()["detail"]
    memo = add_exercise(tess, "memo-pricing.wav")
    rule = tess.post(
        "/training/curricula",
        json={"name": "Odd", "steps": [{"exercise_id": memo["id"]}], "rule": {"speed": 2}},
    )
    assert rule.status_code == 422 and "unknown rule key" in rule.json()["detail"]
    trey = Api.login(live.url, "trey")
    assert trey.get("/training/exercises").status_code == 403
    assert trey.post("/training/curricula", json={"name": "Mine", "steps": []}).status_code in (
        403,
        422,
    )


def test_a_curriculum_that_certifies_by_itself_does_so_on_the_passing_submit(live, enrolled):
    tess, memo, survey = enrolled["tess"], enrolled["memo"], enrolled["survey"]
    curriculum = tess.get("/training/curricula").json()[0]
    changed = tess.put(
        f"/training/curricula/{curriculum['id']}",
        json={
            "name": "Starter",
            "steps": [{"exercise_id": memo["id"]}, {"exercise_id": survey["id"]}],
            "rule": {**RULE, "auto_certify": True},
        },
    )
    assert changed.status_code == 200, changed.text
    trey = Api.login(live.url, "trey")
    assert attempt(trey, "memo-pricing.wav")["training"]["certified"] is False
    last = attempt(trey, "survey-harbor.mp3")
    assert last["training"]["certified"] is True and "enrolment_id" not in last
    me = trey.get("/training/me").json()
    assert me["role"] == "transcriptionist" and me["certificate"]["automatic"] is True


def test_a_promotion_can_invent_the_names(live, demo_users):
    job_id, _answer = submitted(live, "From Monday any discount needs approval from Dana.")
    sam = Api.login(live.url, "sam")
    assert sam.post(f"/dictations/{job_id}/review").status_code == 201
    _sam, review = claim(live)
    fields = {"subject": "Discount approvals", "account": "Acme Logistics"}
    sam.post(
        f"/reviews/{review['id']}/complete",
        json={
            **completion(review),
            "fields": fields,
            "narrative": "Acme Logistics asked Dana.",
            "errors": [],
        },
    ).raise_for_status()
    tess = Api.login(live.url, "tess")
    made = tess.post("/training/promotions", json={"dictation_id": job_id})
    assert made.status_code == 201, made.text
    from scribedesk.server.db.models import Exercise

    with live.state.read() as session:
        exercise = session.get(Exercise, made.json()["id"])
        assert "Acme" not in exercise.gold_narrative and "Acme" not in exercise.account
        assert exercise.gold_fields["account"] in exercise.gold_narrative
