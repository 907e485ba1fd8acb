"""Assignment over real HTTP on SQLite and PostgreSQL: order, leases, fencing, submit once."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from scribedesk.domain.dictation import Priority
from scribedesk.server.db.models import Submission, TranscriptVersion
from tests.conftest import DEMO, LiveServer
from tests.support import Api


def make_jobs(live: LiveServer, priorities: list[Priority]) -> list[int]:
    """Dictations straight into the service's store and database, in the order given."""
    from scribedesk.server import dictations
    from scribedesk.server.db.models import User
    from scribedesk.server.dictations import Intake

    state = live.state
    with (DEMO / "memo-pricing.wav").open("rb") as f:
        info = state.store.add(f, "memo-pricing.wav")
    ids = []
    with state.write() as session:
        author = session.scalar(select(User).where(User.username == "alex"))
        for index, priority in enumerate(priorities):
            intake = Intake(
                account=f"Account {index}", template_id="general-memo", priority=priority
            )
            item = dictations.create(
                session,
                author,
                intake,
                state.templates["general-memo"],
                info,
                "memo.wav",
                state.settings.turnaround,
                state.clock(),
            )
            ids.append(item.id)
    return ids


def body(token: str, **extra: object) -> dict[str, object]:
    return {
        "lease_token": token,
        "fields": {"subject": "Discount approvals"},
        "narrative": "From Monday any discount above fifteen percent needs approval.",
        "quality": {"heard": [[0, 86_400_000]]},  # the whole dictation was heard
        **extra,
    }


def test_next_job_serves_stat_first_then_urgent_then_routine(live, demo_users):
    """A transcriptionist asking for work gets STAT before urgent before routine."""
    make_jobs(live, [Priority.ROUTINE, Priority.URGENT, Priority.STAT, Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    got = [tara.post("/jobs/next").json()["priority"] for _ in range(4)]
    assert got == ["stat", "urgent", "routine", "routine"]
    assert tara.post("/jobs/next").status_code == 204


def test_two_claimers_one_job_exactly_one_wins(live, demo_users):
    """Two transcriptionists pressing 'next job' together never get the same job."""
    make_jobs(live, [Priority.ROUTINE])
    clients = [Api.login(live.url, "tara"), Api.login(live.url, "theo")]
    barrier = threading.Barrier(2)

    def claim(api: Api) -> int:
        barrier.wait()
        return api.post("/jobs/next").status_code

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(claim, clients))
    assert codes == [200, 204]


def test_concurrent_claimers_drain_queue_without_duplicates(live, demo_users):
    """Eight claimers drain 40 jobs: every job handed out once, none twice, none left."""
    ids = make_jobs(live, [Priority.ROUTINE, Priority.URGENT, Priority.STAT, Priority.ROUTINE] * 10)
    apis = [Api.login(live.url, "tara" if i % 2 else "theo") for i in range(8)]

    def drain(api: Api) -> list[int]:
        mine = []
        while (answer := api.post("/jobs/next")).status_code == 200:
            job = answer.json()
            mine.append(job["id"])
            assert (
                api.post(
                    f"/jobs/{job['id']}/submit",
                    json=body(job["lease_token"]),
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                ).status_code
                == 200
            )
        assert answer.status_code == 204
        return mine

    with ThreadPoolExecutor(8) as pool:
        claimed = [job for batch in pool.map(drain, apis) for job in batch]
    counts = Counter(claimed)
    assert [job for job, n in counts.items() if n > 1] == []
    assert sorted(counts) == sorted(ids)


def test_a_lapsed_lease_keeps_the_job_its_transcriptionists(live, demo_users, clock):
    """The lease runs out (workstation closed): nobody else gets the job, it stays on the
    worklist, the old token renews and the transcript is accepted."""
    make_jobs(live, [Priority.ROUTINE])
    tara, theo = Api.login(live.url, "tara"), Api.login(live.url, "theo")
    job = tara.post("/jobs/next").json()
    clock.advance(3 * 60)
    assert theo.post("/jobs/next").status_code == 204
    assert [j["id"] for j in tara.get("/jobs").json()] == [job["id"]]
    beat = tara.post(f"/jobs/{job['id']}/heartbeat", json={"lease_token": job["lease_token"]})
    assert beat.status_code == 200
    clock.advance(30 * 60)  # a long outage: the renewed lease lapsed again
    late = tara.post(
        f"/jobs/{job['id']}/submit", json=body(job["lease_token"]), headers={"Idempotency-Key": "k"}
    )
    assert late.status_code == 200 and late.json()["status"] == "submitted"


def test_heartbeat_keeps_the_lease_alive(live, demo_users, clock):
    """A workstation that heartbeats keeps its job past the original lease length."""
    make_jobs(live, [Priority.ROUTINE])
    tara, theo = Api.login(live.url, "tara"), Api.login(live.url, "theo")
    job = tara.post("/jobs/next").json()
    for _ in range(3):
        clock.advance(45)
        assert (
            tara.post(
                f"/jobs/{job['id']}/heartbeat", json={"lease_token": job["lease_token"]}
            ).status_code
            == 200
        )
    assert theo.post("/jobs/next").status_code == 204


def test_repeated_submit_returns_first_result_and_stores_once(live, demo_users):
    """Submitting twice with one Idempotency-Key stores one version and answers the same."""
    make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    saved = tara.post(f"/jobs/{job['id']}/versions", json=body(job["lease_token"]))
    assert saved.status_code == 201 and saved.json()["number"] == 1
    first = tara.post(
        f"/jobs/{job['id']}/submit",
        json=body(job["lease_token"]),
        headers={"Idempotency-Key": "abc"},
    )
    second = tara.post(
        f"/jobs/{job['id']}/submit",
        json=body(job["lease_token"]),
        headers={"Idempotency-Key": "abc"},
    )
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert first.json()["version"] == 2
    assert second.headers.get("Idempotent-Replayed") == "true"
    different = tara.post(
        f"/jobs/{job['id']}/submit",
        json=body(job["lease_token"], narrative="x"),
        headers={"Idempotency-Key": "abc"},
    )
    assert different.status_code == 422
    with live.state.read() as session:
        assert session.scalar(select(func.count(Submission.idempotency_key))) == 1
        kinds = session.scalars(select(TranscriptVersion.kind).order_by(TranscriptVersion.number))
        assert list(kinds) == ["save", "submit"]


def test_concurrent_duplicate_submits_store_one_transcript(live, demo_users):
    """Six retries of one submission racing each other produce a single transcript."""
    make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    barrier = threading.Barrier(6)

    def send(_: int) -> tuple[int, dict[str, object]]:
        api = Api(live.url, tara.http.headers["Authorization"].split()[1])
        barrier.wait()
        answer = api.post(
            f"/jobs/{job['id']}/submit",
            json=body(job["lease_token"]),
            headers={"Idempotency-Key": "same-key"},
        )
        return answer.status_code, answer.json()

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(send, range(6)))
    assert {code for code, _ in results} == {200}
    assert len({payload["version"] for _, payload in results}) == 1
    with live.state.read() as session:
        assert session.scalar(select(func.count(TranscriptVersion.id))) == 1


def test_supervisor_reassignment_revokes_the_old_lease(live, demo_users):
    """A supervisor moves a job from Tara to Theo; Tara's lease dies, Theo can work it."""
    make_jobs(live, [Priority.ROUTINE])
    tara, theo, sam = (Api.login(live.url, n) for n in ("tara", "theo", "sam"))
    job = tara.post("/jobs/next").json()
    theo_id = next(u["id"] for u in sam.get("/users").json() if u["username"] == "theo")
    moved = sam.post(f"/dictations/{job['id']}/assign", json={"user_id": theo_id})
    assert moved.status_code == 200 and moved.json()["assignee"] == "theo"
    assert (
        tara.post(
            f"/jobs/{job['id']}/heartbeat", json={"lease_token": job["lease_token"]}
        ).status_code
        == 409
    )
    assert [j["id"] for j in theo.get("/jobs").json()] == [job["id"]]
    assert tara.get("/jobs").json() == []
    lease = theo.post(f"/jobs/{job['id']}/lease").json()["lease_token"]
    assert theo.post(f"/jobs/{job['id']}/start", json={"lease_token": lease}).json()["status"] == (
        "in_progress"
    )
    audit = [e["action"] for e in sam.get(f"/dictations/{job['id']}/audit").json()]
    assert audit == ["received", "claimed", "reassigned", "lease_taken", "started"]


def test_manual_assignment_is_not_taken_by_the_pool(live, demo_users, clock):
    """A job a supervisor gave to Theo stays his even when no lease is held."""
    [job_id] = make_jobs(live, [Priority.STAT])
    sam, tara = Api.login(live.url, "sam"), Api.login(live.url, "tara")
    theo_id = next(u["id"] for u in sam.get("/users").json() if u["username"] == "theo")
    sam.post(f"/dictations/{job_id}/assign", json={"user_id": theo_id})
    clock.advance(3600)
    assert tara.post("/jobs/next").status_code == 204


def test_return_job_with_reason_then_supervisor_requeues(live, demo_users):
    """A returned job shows its reason and goes back to the pool when the supervisor says so."""
    make_jobs(live, [Priority.ROUTINE])
    tara, sam = Api.login(live.url, "tara"), Api.login(live.url, "sam")
    job = tara.post("/jobs/next").json()
    vague = tara.post(
        f"/jobs/{job['id']}/return", json={"lease_token": job["lease_token"], "reason": "other"}
    )
    assert vague.status_code == 422
    returned = tara.post(
        f"/jobs/{job['id']}/return",
        json={
            "lease_token": job["lease_token"],
            "reason": "bad_audio",
            "note": "Wind noise throughout",
        },
    )
    assert returned.json()["status"] == "returned"
    seen = sam.get(f"/dictations/{job['id']}").json()
    assert (seen["return_reason"], seen["return_note"]) == ("bad_audio", "Wind noise throughout")
    assert sam.post(f"/dictations/{job['id']}/requeue").json()["status"] == "new"
    assert tara.post("/jobs/next").json()["id"] == job["id"]


@pytest.mark.parametrize("who", ["trainee", "trainer", "author", "supervisor"])
def test_only_transcriptionists_claim_jobs(live, demo_users, who):
    """A trainee (or anyone but a transcriptionist) gets 403 on the production queue; the
    trainee is told it opens once a trainer certifies them."""
    make_jobs(live, [Priority.ROUTINE])
    api = Api.login(live.url, demo_users[who])
    answer = api.post("/jobs/next")
    assert answer.status_code == 403
    expected = "certifies you" if who == "trainee" else "transcriptionist"
    assert expected in answer.json()["detail"]


def test_pool_counts_by_priority(live, demo_users):
    """A transcriptionist sees how many jobs wait, by priority, without seeing the jobs."""
    make_jobs(live, [Priority.STAT, Priority.ROUTINE, Priority.ROUTINE, Priority.URGENT])
    tara = Api.login(live.url, "tara")
    assert tara.get("/jobs/waiting").json() == {"stat": 1, "urgent": 1, "routine": 2}
    tara.post("/jobs/next")
    assert tara.get("/jobs/waiting").json() == {"stat": 0, "urgent": 1, "routine": 2}
    assert Api.login(live.url, "trey").get("/jobs/waiting").status_code == 403
