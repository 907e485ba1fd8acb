"""Who may see what, and sign-ins that must end: over real HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

from scribedesk.domain.dictation import Priority
from tests.server.test_dispatch import body, make_jobs
from tests.support import PASSWORD, Api


def test_only_production_roles_read_the_directory_of_names(live, demo_users):
    """The CRM's accounts and contacts are for those who transcribe or supervise them."""
    for name in ("tara", "sam", "ada"):
        assert Api.login(live.url, name).get("/directory").status_code == 200
    for name in ("trey", "tess", "alex"):
        refused = Api.login(live.url, name).get("/directory")
        assert refused.status_code == 403
        assert "transcribe or supervise production work" in refused.json()["detail"]


def test_an_author_does_not_read_the_work_in_progress(live, demo_users):
    """Drafts, versions and the note to the supervisor are not the author's to read."""
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    saved = tara.post(
        f"/jobs/{job_id}/versions",
        json=body(job["lease_token"], note_to_supervisor="The rep sounded unsure"),
    )
    assert saved.status_code == 201
    alex = Api.login(live.url, "alex")
    assert alex.get(f"/dictations/{job_id}").json()["status"] == "in_progress"
    refused = alex.get(f"/dictations/{job_id}/versions")
    assert refused.status_code == 403 and "status and the delivered record" in refused.text
    assert len(Api.login(live.url, "sam").get(f"/dictations/{job_id}/versions").json()) == 1


def test_a_password_reset_and_a_deactivation_end_every_earlier_sign_in(live, demo_users):
    """Old tokens stop working after a new password, and a re-activated user starts over."""
    ada = Api.login(live.url, "ada")
    users = {u["username"]: u["id"] for u in ada.get("/users").json()}
    before = Api.login(live.url, "tara")
    assert before.get("/jobs").status_code == 200
    reset = ada.patch(f"/users/{users['tara']}", json={"password": "a-new-passphrase"})
    assert reset.status_code == 200
    assert before.get("/jobs").status_code == 401
    theo = Api.login(live.url, "theo", PASSWORD)
    ada.patch(f"/users/{users['theo']}", json={"active": False})
    ada.patch(f"/users/{users['theo']}", json={"active": True})
    assert theo.get("/jobs").status_code == 401
    assert Api.login(live.url, "theo", PASSWORD).get("/jobs").status_code == 200


def test_an_empty_upload_is_called_empty(live, demo_users, tmp_path):
    """0 bytes is not 'a file the service cannot read': the author is told nothing arrived."""
    empty = tmp_path / "memo.wav"
    empty.write_bytes(b"")
    refused = Api.login(live.url, "alex").upload(empty, template_id="general-memo")
    assert refused.status_code == 422
    assert refused.json()["detail"] == "memo.wav is empty (0 bytes): no audio arrived."


def test_a_lease_on_someone_elses_job_answers_like_a_missing_one(live, demo_users):
    """Job ids and their owners cannot be probed: another transcriptionist's job and a job
    that does not exist get the same 404."""
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    assert Api.login(live.url, "tara").post("/jobs/next").json()["id"] == job_id
    theo = Api.login(live.url, "theo")
    theirs, missing = theo.post(f"/jobs/{job_id}/lease"), theo.post("/jobs/999999/lease")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["detail"].replace(str(job_id), "N") == missing.json()["detail"].replace(
        "999999", "N"
    )


def test_messages_a_person_reads_say_where_and_stay_short(live, demo_users):
    """Broken JSON says where it broke; 50,000 unknown field ids are summarised, not echoed."""
    [job_id] = make_jobs(live, [Priority.ROUTINE])
    tara = Api.login(live.url, "tara")
    job = tara.post("/jobs/next").json()
    broken = tara.post(
        f"/jobs/{job_id}/versions",
        data='{"lease_token": "' + job["lease_token"] + '", "narrative": }',
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 422
    assert broken.json()["detail"].startswith("The request body is not valid JSON: ")
    assert "at character" in broken.json()["detail"]
    for count, says in ((50_000, "at most 500"), (300, "and 295 more")):
        many = {f"field_{i}": "x" for i in range(count)}
        refused = tara.post(f"/jobs/{job_id}/versions", json=body(job["lease_token"], fields=many))
        assert refused.status_code == 422
        assert says in refused.json()["detail"] and len(refused.text) < 2_000
