"""Schemathesis against the live service's /openapi.json: no generated request gives a 500."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.conftest import DEMO
from tests.support import Api

EXAMPLES = 12


def fuzz(live, token: str, skip: set[str]) -> list[str]:
    """Run every operation with generated data as one user; return the failures."""
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        if label in skip:
            continue

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case) -> None:
            case.call_and_validate(
                base_url=live.url,
                headers={"Authorization": f"Bearer {token}"},
                checks=None,
            )

        try:
            run()
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # collect all operations' failures, then report together
            failures.append(f"{label}: {exc}"[:2000])
    return failures


@pytest.mark.slow
def test_no_generated_request_causes_a_server_error(live, demo_users):
    """Random but schema-shaped requests, as a transcriptionist and as an admin, never get 5xx."""
    alex = Api.login(live.url, "alex")
    for audio in ("memo-pricing.wav", "survey-harbor.mp3"):
        alex.upload(DEMO / audio)
    tara, ada = Api.login(live.url, "tara"), Api.login(live.url, "ada")
    tara.post("/jobs/next")
    skip = {"POST /api/v1/auth/logout"}
    failures = fuzz(live, tara.http.headers["Authorization"].split()[1], skip)
    failures += fuzz(live, ada.http.headers["Authorization"].split()[1], skip)
    assert failures == []
