"""Cheap ways to stall the service, and writes that were stored and then answered 500."""

from __future__ import annotations

import threading

import pytest
import requests

from scribedesk.domain.dictation import Priority
from scribedesk.server import quality
from scribedesk.server.api.schemas import MAX_NARRATIVE
from tests.server.test_dispatch import body, make_jobs
from tests.support import Api

# A stalled request in these tests fails them after this long instead of hanging CI.
PATIENCE_S = 60


def test_a_costly_quality_review_holds_no_other_writer(live, demo_users, monkeypatch):
    """While one long submission is being reviewed, another user's heartbeat and claim go
    through: the review runs before the writer lock, not inside it."""
    make_jobs(live, [Priority.ROUTINE, Priority.ROUTINE])
    tara, theo = Api.login(live.url, "tara"), Api.login(live.url, "theo")
    mine = tara.post("/jobs/next").json()
    inside, release = threading.Event(), threading.Event()
    real_review = quality.review
    stalled: list[bool] = []

    def slow_review(*args, **kwargs):  # type: ignore[no-untyped-def]
        inside.set()
        # Held until the other user's writes went through: if the review held the writer
        # lock, they could not, and this wait would run out.
        if not release.wait(PATIENCE_S):
            stalled.append(True)
        return real_review(*args, **kwargs)

    monkeypatch.setattr(quality, "review", slow_review)
    answers: list[requests.Response] = []
    submitting = threading.Thread(
        target=lambda: answers.append(
            tara.post(
                f"/jobs/{mine['id']}/submit",
                json=body(mine["lease_token"]),
                headers={"Idempotency-Key": "long-one"},
            )
        )
    )
    submitting.start()
    try:
        assert inside.wait(PATIENCE_S), "the submission never reached its review"
        theirs = theo.post("/jobs/next")
        assert theirs.status_code == 200
        beat = theo.post(
            f"/jobs/{theirs.json()['id']}/heartbeat",
            json={"lease_token": theirs.json()["lease_token"]},
        )
        assert beat.status_code == 200
    finally:
        release.set()
        submitting.join(PATIENCE_S)
    assert stalled == [], "the other user's writes waited for the review"
    assert answers[0].status_code == 200, answers[0].text


def test_a_submission_that_cannot_be_accepted_costs_no_review(live, demo_users, monkeypatch):
    """Not your job, already submitted, a replay, a stale lease: refused before any check."""
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara, theo = Api.login(live.url, "tara"), Api.login(live.url, "theo")
    job = tara.post("/jobs/next").json()
    reviews: list[int] = []
    real_review = quality.review

    def counting_review(*args, **kwargs):  # type: ignore[no-untyped-def]
        reviews.append(1)
        return real_review(*args, **kwargs)

    monkeypatch.setattr(quality, "review", counting_review)
    huge = body(job["lease_token"], narrative="word " * (MAX_NARRATIVE // 5))
    not_theirs = theo.post(f"/jobs/{job_id}/submit", json=huge, headers={"Idempotency-Key": "x"})
    assert not_theirs.status_code == 404 and reviews == []
    done = tara.post(
        f"/jobs/{job_id}/submit",
        json=body(job["lease_token"]),
        headers={"Idempotency-Key": "first"},
    )
    assert done.status_code == 200 and len(reviews) == 1
    replay = tara.post(
        f"/jobs/{job_id}/submit",
        json=body(job["lease_token"]),
        headers={"Idempotency-Key": "first"},
    )
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true"
    again = tara.post(f"/jobs/{job_id}/submit", json=huge, headers={"Idempotency-Key": "second"})
    assert again.status_code == 409 and "already submitted" in again.json()["detail"]
    assert len(reviews) == 1


def test_bodies_past_the_limit_are_refused_before_they_are_read(live, demo_users):
    """A declared or a streamed (chunked) body past the limit is a 413, not a parse error."""
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    url = f"{tara.base}/jobs/{job_id}/versions"
    over = MAX_NARRATIVE + 1
    long_text = tara.post(
        f"/jobs/{job_id}/versions", json=body(job["lease_token"], narrative="a" * over)
    )
    assert long_text.status_code == 422 and "500000" in long_text.json()["detail"]
    declared = tara.http.post(
        url,
        data=b"{" + b" " * (5 << 20) + b"}",
        headers={"content-type": "application/json"},
        timeout=PATIENCE_S,
    )
    assert declared.status_code == 413 and "4 MB" in declared.json()["detail"]

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"narrative": "'
        for _ in range(80):
            yield b"a" * 65536
        yield b'"}'

    streamed = tara.http.post(
        url, data=chunks(), headers={"content-type": "application/json"}, timeout=PATIENCE_S
    )
    assert streamed.status_code == 413 and "4 MB" in streamed.json()["detail"]


@pytest.mark.parametrize(
    "raw",
    [
        '{"subject": NaN}',
        '{"subject": Infinity}',
        '{"subject": -Infinity}',
        '{"subject": 1e400}',
        '{"subject": 123456789012345678901234567890}',
        '{"subject": ' + "[" * 300 + "]" * 300 + "}",
        '{"recipients": {"name": "Ann", "role": {"deep": {"deeper": 1}}}}',
        '{"recipients": {"name": "Ann", "x": "y"}}',
        '{"subject": {"not": "text"}}',
        '{"account": [1, 2]}',
    ],
)
def test_field_values_that_no_database_stores_alike_are_refused(live, demo_users, raw):
    """Non-JSON numbers, deep nesting and values of the wrong shape get a 422, nothing is
    stored, and the dictation's versions stay readable for everyone."""
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    text = '{"lease_token": "' + job["lease_token"] + '", "fields": ' + raw + "}"
    for action, headers in (("versions", {}), ("submit", {"Idempotency-Key": "k"})):
        refused = tara.post(
            f"/jobs/{job_id}/{action}",
            data=text,
            headers={"content-type": "application/json", **headers},
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == "invalid"
    listed = tara.get(f"/dictations/{job_id}/versions")
    assert listed.status_code == 200 and listed.json() == []
    assert Api.login(live.url, "sam").get(f"/dictations/{job_id}/versions").status_code == 200


def test_every_route_is_made_before_the_first_request_reaches_it(tmp_path):
    """FastAPI makes a route's validators when a request first reaches its router (about
    100 ms: the first supervisor to open the Team page waited for it); the service makes
    them all at its start. Counted against the API's routes, so a FastAPI that makes them
    some other way fails here instead of making first requests slow again."""
    from fastapi.routing import APIRoute

    from scribedesk.server.app import create_app, warm_routes
    from scribedesk.server.settings import ServerSettings

    app = create_app(ServerSettings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'x.db'}"))

    def count(routes):  # type: ignore[no-untyped-def]
        return sum(
            1 if isinstance(route, APIRoute) else count(route.original_router.routes)
            for route in routes
            if isinstance(route, APIRoute) or hasattr(route, "original_router")
        )

    api_routes = count(app.router.routes)
    assert api_routes > 50
    assert warm_routes(app.router.routes) == api_routes
