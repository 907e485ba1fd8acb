"""The service re-runs the quality checks on every submission, over real HTTP.

It stores its report with the version, refuses errors with the findings unless they are
acknowledged where the rule allows it, and reaches the very same report as the workstation.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from scribedesk.client.api import ApiClient, ApiError
from scribedesk.domain.job import Job
from scribedesk.domain.quality import KnownNames
from scribedesk.domain.spelling import TeamDictionary
from scribedesk.server.db.models import TranscriptVersion
from scribedesk.services.quality import QualityCheck
from scribedesk.services.spelling import SpellChecker
from scribedesk.shared.hunspell import EnchantDictionary
from tests.conftest import DEMO

MANIFEST = json.loads((DEMO / "manifest.json").read_text())
ACME = next(d for d in MANIFEST["dictations"] if d["file"] == "acme-renewal.mp3")
TODAY = datetime.now(UTC).date()


def gold_fields() -> dict[str, Any]:
    return {
        **ACME["fields"],
        "meeting_date": (TODAY - timedelta(days=2)).isoformat(),
        "follow_up_date": (TODAY + timedelta(days=10)).isoformat(),
    }


@pytest.fixture
def claimed(live, demo_users) -> tuple[ApiClient, Job]:  # type: ignore[no-untyped-def]
    from tests.support import Api

    assert Api.login(live.url, "alex").upload(DEMO / ACME["file"]).status_code == 201
    client = ApiClient(live.url)
    client.login("tara", "scribedesk")
    job = client.next_job()
    assert job is not None
    return client, job


def body(job: Job, narrative: str, **quality: Any) -> dict[str, Any]:
    return {
        "lease_token": job.lease_token,
        "fields": gold_fields(),
        "narrative": narrative,
        "quality": {"today": TODAY.isoformat(), **quality},
    }


def test_errors_are_refused_with_the_findings(claimed, live):
    """Half the audio heard and no narrative: refused, and acknowledging does not help."""
    from tests.support import Api

    client, job = claimed
    half = job.audio.duration_ms // 2
    with pytest.raises(ApiError) as refused:
        client.submit(job.id, body(job, "", heard=[[0, half]]), str(uuid.uuid4()))
    error = refused.value
    assert error.status == 422 and error.code == "quality_failed" and not error.retryable
    assert "2 quality check(s)" in error.message
    answer = Api(live.url, client.token).post(
        f"/jobs/{job.id}/submit",
        json=body(job, "", heard=[[0, half]], acknowledged=["audio-coverage", "narrative"]),
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert answer.status_code == 422
    findings = {f["rule"]: f for f in answer.json()["findings"]}
    assert set(findings) == {"audio-coverage", "narrative"}  # neither may be acknowledged
    assert "Not heard: " in findings["audio-coverage"]["message"]
    fixed = body(job, ACME["script"], heard=[[0, job.audio.duration_ms]])
    assert client.submit(job.id, fixed, str(uuid.uuid4())).version == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_warnings_are_stored_with_their_acknowledgements(claimed, live):
    client, job = claimed
    narrative = ACME["script"] + " the the"
    full = [[0, job.audio.duration_ms]]
    client.submit(
        job.id,
        body(job, narrative, heard=full, acknowledged=["repeated-word@999999-0"]),
        str(uuid.uuid4()),
    )
    with live.state.read() as session:
        [version] = session.scalars(select(TranscriptVersion)).all()
    report = version.quality_report
    assert report["errors"] == 0
    assert "repeated-word" in {f["rule"] for f in report["findings"]}
    assert report["acknowledged"] == []  # a key of no finding is not kept


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_workstation_and_the_service_reach_the_same_report(claimed, live):
    """Same transcript, same rules, same answer: run on the workstation, then submitted."""
    client, job = claimed
    template = client.templates()[job.template_id]
    directory = client.directory()
    assert "Acme Logistics" in directory.accounts
    team = TeamDictionary(["Whitfield", "Menon"])
    check = QualityCheck(
        template,
        job.audio.duration_ms,
        SpellChecker(EnchantDictionary.open("en_US"), team),
        abbreviations=["nxs"],
        known=KnownNames(directory.accounts, directory.people),
    )
    narrative = (
        ACME["script"]
        + "  Raj wants the the custmer quote by 12/01 [inaudible 00:00:07] (nxs. Amount TBD."
    )
    heard = [(0, job.audio.duration_ms // 2)]
    fields = gold_fields()
    mine = check.run(fields, narrative, heard, TODAY).report
    assert {"spelling", "new-name", "repeated-word", "double-space", "abbreviation"} <= {
        f.rule for f in mine.findings
    }
    assert not mine.errors or all(f.rule == "audio-coverage" for f in mine.errors)
    heard = [(0, job.audio.duration_ms)]  # listen to the end: no error left
    checked = check.run(fields, narrative, heard, TODAY)
    mine = checked.report
    assert not mine.errors and mine.warnings
    acknowledged = [f.key for f in mine.warnings]
    client.submit(
        job.id,
        {
            "lease_token": job.lease_token,
            "fields": fields,
            "narrative": narrative,
            "quality_report": mine.to_dict(),
            "quality": checked.submission(acknowledged),
        },
        str(uuid.uuid4()),
    )
    with live.state.read() as session:
        [version] = session.scalars(select(TranscriptVersion)).all()
    stored = dict(version.quality_report)
    assert sorted(stored.pop("acknowledged")) == sorted(acknowledged)
    assert stored == mine.to_dict()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_people_in_submitted_transcripts_join_the_directory_within_a_minute(claimed, live, clock):
    client, job = claimed
    assert "Raj Menon" not in client.directory().people
    full = [[0, job.audio.duration_ms]]
    client.submit(job.id, body(job, ACME["script"], heard=full), str(uuid.uuid4()))
    clock.advance(61)
    people = client.directory().people
    assert {"Dana Whitfield", "Raj Menon"} <= set(people)
