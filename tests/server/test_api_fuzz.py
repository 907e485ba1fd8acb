"""Schemathesis against the live service's /openapi.json: every check, every phase.

The schemathesis command runs as a client written from the document alone would: the
examples, coverage (schema-breaking and unsupported-method requests), fuzzing and
stateful phases (calls chained by the ids earlier answers returned), as a
transcriptionist, an administrator and an author, on SQLite and on PostgreSQL. Any
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


def schemathesis(live, token: str, report: Path) -> subprocess.CompletedProcess[str]:
    """One full run as the user of ``token`` (signing out would end it: not run)."""
    return subprocess.run(
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
        capture_output=True,
        text=True,
        timeout=900,
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
    failures = []
    for name, token in tokens.items():
        report = tmp_path / name
        report.mkdir()
        run = schemathesis(live, token, report)
        (report / "schemathesis.txt").write_text(run.stdout + run.stderr)
        if run.returncode != 0:
            failures.append(f"as {name}:\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}")
    assert failures == [], "\n\n".join(failures)
