"""Schemathesis against the live service's /openapi.json: every check, every phase.

The schemathesis command runs as a client written from the document alone would: the
examples, coverage (schema-breaking and unsupported-method requests), fuzzing and
stateful phases (calls chained by the ids earlier answers returned), as a
transcriptionist, an administrator and an author at the same time, on SQLite and on
PostgreSQL. Any
failure fails the test: a 5xx, an undocumented status, a body or header that does not
match the document (Allow, HEAD), invalid data accepted, valid data refused.
tests/server/contract/schemathesis.toml says which operations' valid requests depend on
the service's data. SCRIBEDESK_FUZZ_EXAMPLES raises the examples per operation (the
suite runs 20; a release check runs 200).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO
from tests.support import Api

CONFIG = Path(__file__).parent / "contract" / "schemathesis.toml"
EXAMPLES = int(os.environ.get("SCRIBEDESK_FUZZ_EXAMPLES", "20"))
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def schemathesis(live, token: str, report: Path) -> subprocess.Popen[str]:
    """One full run as the user of ``token``, started (signing out would end it: not
    run). Its output goes to ``report``/schemathesis.txt."""
    with (report / "schemathesis.txt").open("w") as output:  # the run keeps its own copy
        return subprocess.Popen(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(CONFIG),
                "run",
                f"{live.url}/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                "20261201",
                "--generation-deterministic",
                "--exclude-path",
                "/api/v1/auth/logout",
                "--no-color",
                "--report-dir",
                str(report),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=report,
        )


@pytest.mark.slow
def test_the_service_keeps_its_contract_for_every_role(live, demo_users, tmp_path):
    """Every operation, every phase, as three roles: schemathesis finds nothing."""
    alex = Api.login(live.url, "alex")
    for audio in ("memo-pricing.wav", "survey-harbor.mp3"):
        assert alex.upload(DEMO / audio).status_code == 201
    # Signed in before the runs: their random sign-ins lock this address for a while.
    tokens = {
        name: Api.login(live.url, name).http.headers["Authorization"].split()[1]
        for name in ("tara", "ada", "alex")
    }
    Api(live.url, tokens["tara"]).post("/jobs/next")
    # The three at once, as three people at their desks: the service is asked by all of
    # them together (and the suite waits for the longest run, not for the sum).
    runs = {}
    for name, token in tokens.items():
        (tmp_path / name).mkdir()
        runs[name] = schemathesis(live, token, tmp_path / name)
    failures = []
    try:
        for name, run in runs.items():
            if run.wait(timeout=900) != 0:
                output = (tmp_path / name / "schemathesis.txt").read_text()
                failures.append(f"as {name}:\n{output[-8000:]}")
    finally:  # none left running when one did not end in time
        for run in runs.values():
            if run.poll() is None:
                run.kill()
    assert failures == [], "\n\n".join(failures)
