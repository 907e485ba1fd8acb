"""A job stays its transcriptionist's; a waiting submission is accepted, or kept as a conflict.

Over real HTTP on SQLite and PostgreSQL, with the service clock moved forward instead of
waiting out leases and idle limits.
"""

from __future__ import annotations

import time

from sqlalchemy import select

from scribedesk.domain.dictation import Priority
from scribedesk.server.db.models import TranscriptVersion
from tests.server.test_dispatch import body, make_jobs
from tests.support import Api, serve_on, wait_closed


def wait_status(api: Api, job_id: int, status: str) -> dict[str, object]:
    """Until the supervisor's view shows ``status`` (the reaper runs every 0.2 s here)."""
    deadline = time.monotonic() + 10
    while (seen := api.get(f"/dictations/{job_id}").json())["status"] != status:
        assert time.monotonic() < deadline, f"job {job_id} stayed {seen['status']}"
        time.sleep(0.05)
    return seen


def actions(sam: Api, job_id: int) -> list[str]:
    return [e["action"] for e in sam.get(f"/dictations/{job_id}/audit").json()]


def test_an_idle_assignment_goes_back_to_the_pool_and_its_writer_may_still_submit(
    live, demo_users, clock
):
    """Past the routine idle limit (8 h) the job returns to the pool, the message says why,
    and the transcript written for it is still accepted while nobody else took it."""
    make_jobs(live, [Priority.ROUTINE])
    tara, sam = Api.login(live.url, "tara"), Api.login(live.url, "sam")
    job = tara.post("/jobs/next").json()
    clock.advance(7 * 3600)
    idle = sam.get("/dictations", params={"idle": "true"}).json()
    assert idle == []  # 7 h is within the limit
    clock.advance(3600 + 60)
    assert [d["id"] for d in sam.get("/dictations", params={"idle": "true"}).json()] in (
        [job["id"]],
        [],  # the reaper may already have released it
    )
    wait_status(sam, job["id"], "new")
    assert "idle_released" in actions(sam, job["id"])
    lost = tara.post(f"/jobs/{job['id']}/heartbeat", json={"lease_token": job["lease_token"]})
    assert lost.status_code == 409 and lost.json()["code"] == "idle_released"
    assert "went back to the pool" in lost.json()["detail"]
    assert "8 hours without any activity" in lost.json()["detail"]
    sent = tara.post(
        f"/jobs/{job['id']}/submit", json=body(job["lease_token"]), headers={"Idempotency-Key": "a"}
    )
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert sam.get(f"/dictations/{job['id']}").json()["assignee"] == "tara"
    assert "retaken_for_submission" in actions(sam, job["id"])


def test_a_stat_job_is_released_after_fifteen_idle_minutes(live, demo_users, clock):
    """Each priority has its own idle limit; STAT work does not wait for an absent typist."""
    make_jobs(live, [Priority.STAT])
    tara, theo, sam = (Api.login(live.url, n) for n in ("tara", "theo", "sam"))
    job = tara.post("/jobs/next").json()
    clock.advance(14 * 60)
    assert theo.post("/jobs/next").status_code == 204
    clock.advance(2 * 60)
    wait_status(sam, job["id"], "new")
    assert theo.post("/jobs/next").json()["id"] == job["id"]


def test_a_submission_after_someone_else_took_the_job_is_kept_for_the_supervisor(
    live, demo_users, clock
):
    """Tara's transcript arrives after the job went to Theo: 409 that says so, the text kept
    as a conflict version (once, however often it is re-sent), and the supervisor keeps it."""
    make_jobs(live, [Priority.ROUTINE])
    tara, theo, sam = (Api.login(live.url, n) for n in ("tara", "theo", "sam"))
    job = tara.post("/jobs/next").json()
    clock.advance(8 * 3600 + 60)
    wait_status(sam, job["id"], "new")
    theirs = theo.post("/jobs/next").json()
    assert theirs["id"] == job["id"]
    mine = body(job["lease_token"], narrative="Tara's words, written before the outage.")
    first = tara.post(f"/jobs/{job['id']}/submit", json=mine, headers={"Idempotency-Key": "t"})
    again = tara.post(f"/jobs/{job['id']}/submit", json=mine, headers={"Idempotency-Key": "t"})
    assert first.status_code == again.status_code == 409
    assert first.json()["code"] == "submission_conflict"
    assert "theo took it from the pool" in first.json()["detail"]
    assert "kept on the service as version 1" in first.json()["detail"]
    assert again.json() == first.json()
    with live.state.read() as session:
        kinds = list(session.scalars(select(TranscriptVersion.kind)))
    assert kinds == ["conflict"]
    [conflict] = sam.get("/dictations/conflicts").json()
    assert (conflict["dictation_id"], conflict["user"], conflict["assignee"]) == (
        job["id"],
        "tara",
        "theo",
    )
    kept = sam.post(
        f"/dictations/{job['id']}/versions/1/resolve", json={"keep": True, "reason": "complete"}
    )
    assert kept.status_code == 200 and kept.json()["status"] == "submitted"
    assert kept.json()["assignee"] == "tara"
    versions = sam.get(f"/dictations/{job['id']}/versions").json()
    assert [(v["kind"], v["user"]) for v in versions] == [
        ("conflict-kept", "tara"),
        ("submit", "tara"),
    ]
    assert versions[1]["narrative"] == "Tara's words, written before the outage."
    assert sam.get("/dictations/conflicts").json() == []
    stale = theo.post(f"/jobs/{job['id']}/heartbeat", json={"lease_token": theirs["lease_token"]})
    assert stale.status_code == 409 and "already submitted by tara" in stale.json()["detail"]


def test_a_supervisor_can_set_a_conflict_aside(live, demo_users):
    """Setting a conflict aside leaves the job with whoever works it now."""
    make_jobs(live, [Priority.ROUTINE])
    tara, theo, sam = (Api.login(live.url, n) for n in ("tara", "theo", "sam"))
    job = tara.post("/jobs/next").json()
    theo_id = next(u["id"] for u in sam.get("/users").json() if u["username"] == "theo")
    sam.post(f"/dictations/{job['id']}/assign", json={"user_id": theo_id})
    refused = tara.post(
        f"/jobs/{job['id']}/submit", json=body(job["lease_token"]), headers={"Idempotency-Key": "x"}
    )
    assert refused.status_code == 409
    assert "sam reassigned it to theo" in refused.json()["detail"]
    dropped = sam.post(f"/dictations/{job['id']}/versions/1/resolve", json={"keep": False})
    assert dropped.status_code == 200 and dropped.json()["assignee"] == "theo"
    assert dropped.json()["status"] == "assigned"
    again = sam.post(f"/dictations/{job['id']}/versions/1/resolve", json={"keep": True})
    assert again.status_code == 409 and "not an open conflict" in again.json()["detail"]
    assert theo.get("/jobs").json()[0]["id"] == job["id"]


def test_opening_the_job_elsewhere_replaces_the_lease_but_not_the_right_to_submit(live, demo_users):
    """A second workstation (or a restart) takes a new lease: the first one is told plainly;
    a submission the first one queued is still accepted, since it is the same person's."""
    make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    newer = tara.post(f"/jobs/{job['id']}/lease").json()["lease_token"]
    old = tara.post(f"/jobs/{job['id']}/heartbeat", json={"lease_token": job["lease_token"]})
    assert old.status_code == 409 and old.json()["code"] == "lease_replaced"
    assert "opened again" in old.json()["detail"]
    assert tara.post(f"/jobs/{job['id']}/heartbeat", json={"lease_token": newer}).status_code == (
        200
    )
    sent = tara.post(
        f"/jobs/{job['id']}/submit", json=body(job["lease_token"]), headers={"Idempotency-Key": "o"}
    )
    assert sent.status_code == 200


def test_lost_lease_messages_say_what_happened(live, demo_users):
    """Requeued, reassigned, cancelled, returned, opened elsewhere, submitted: each
    refusal says the lease ended, what happened and who did it."""
    make_jobs(live, [Priority.ROUTINE] * 6)
    tara, sam = Api.login(live.url, "tara"), Api.login(live.url, "sam")
    jobs = [tara.post("/jobs/next").json() for _ in range(6)]
    theo_id = next(u["id"] for u in sam.get("/users").json() if u["username"] == "theo")
    sam.post(f"/dictations/{jobs[0]['id']}/requeue")
    sam.post(f"/dictations/{jobs[1]['id']}/assign", json={"user_id": theo_id})
    sam.post(f"/dictations/{jobs[2]['id']}/cancel")
    token = {"lease_token": jobs[3]["lease_token"]}
    tara.post(f"/jobs/{jobs[3]['id']}/return", json={**token, "reason": "bad_audio"})
    tara.post(f"/jobs/{jobs[4]['id']}/lease")
    tara.post(
        f"/jobs/{jobs[5]['id']}/submit",
        json=body(jobs[5]["lease_token"]),
        headers={"Idempotency-Key": "done"},
    )
    answers = [
        tara.post(f"/jobs/{j['id']}/heartbeat", json={"lease_token": j["lease_token"]}).json()
        for j in jobs
    ]
    assert [a["code"] for a in answers] == [
        "requeued",
        "assigned_elsewhere",
        "cancelled",
        "returned",
        "lease_replaced",
        "submitted",
    ]
    for job, answer in zip(jobs, answers, strict=True):
        assert answer["detail"].startswith(f"Your lease on job {job['id']} has ended: ")
    assert "put back into the pool by sam" in answers[0]["detail"]
    assert "sam reassigned it to theo" in answers[1]["detail"]
    assert "cancelled by sam" in answers[2]["detail"]
    assert all("Your text is kept" in a["detail"] for a in answers)
    assert all("already new" not in a["detail"] for a in answers)


def test_a_job_in_the_pool_cannot_be_leased_around_the_queue(live, demo_users):
    """A job Tara returned, or that a supervisor requeued, is claimed in queue order again."""
    make_jobs(live, [Priority.ROUTINE])
    tara, sam = Api.login(live.url, "tara"), Api.login(live.url, "sam")
    job = tara.post("/jobs/next").json()
    sam.post(f"/dictations/{job['id']}/requeue")
    jumped = tara.post(f"/jobs/{job['id']}/lease")
    assert jumped.status_code == 409 and jumped.json()["code"] == "requeued"


def test_a_refused_submission_right_after_a_restart_leaves_the_service_working(
    live, demo_users, settings, clock
):
    """After a restart, a submission refused by the quality checks must not poison the
    service's caches: claiming, listing and submitting go on normally."""
    make_jobs(live, [Priority.ROUTINE, Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    port = int(live.url.rsplit(":", 1)[1])
    live.server.should_exit = True
    wait_closed(port)
    server, thread = serve_on(settings, port, clock)
    try:
        unheard = body(job["lease_token"], quality={"heard": []})
        refused = tara.post(
            f"/jobs/{job['id']}/submit", json=unheard, headers={"Idempotency-Key": "q"}
        )
        assert refused.status_code == 422 and refused.json()["code"] == "quality_failed"
        theo = Api.login(live.url, "theo")
        claimed = theo.post("/jobs/next")
        assert claimed.status_code == 200, claimed.text
        assert theo.get("/jobs").status_code == 200
        assert tara.get("/jobs").status_code == 200
        sent = tara.post(
            f"/jobs/{job['id']}/submit",
            json=body(job["lease_token"]),
            headers={"Idempotency-Key": "r"},
        )
        assert sent.status_code == 200, sent.text
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        server.config.app.state.scribedesk.engine.dispose()
