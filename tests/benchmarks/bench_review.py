"""Review benchmark: the review workspace's diff after a keystroke, and the Team page load.

* review_diff_5000_words_keystroke_p50 / _p99 (ms): the real ReviewPage (offscreen Qt) on
  a 5,000-word transcript with about 5 % of the words corrected. Each keystroke is typed
  into the corrected copy, and the page recomputes the differences, the tracked changes
  and the list (goal p99 ≤ 50 ms).
* team_page_50_typists_10000_jobs_p50 / _p99 (ms): GET /team from the real service on
  loopback (SQLite) plus the page filling its tables. The team has 50 transcriptionists,
  each holding 2 jobs, and about 10,000 jobs (goal ≤ 200 ms); _first is the first load
  after the service started (its caches cold).

Usage: python tests/benchmarks/bench_review.py [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.benchmarks.bench_dispatch import PASSWORD, seed  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def bench_diff(keystrokes: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from scribedesk.domain.review import ReviewItem, ReviewText
    from scribedesk.domain.templates import load_template_dir
    from scribedesk.ui.pages.review_page import ReviewPage

    QApplication.instance() or QApplication([])
    manifest = json.loads((ROOT / "resources" / "demo" / "manifest.json").read_text())
    words: list[str] = []
    while len(words) < 5000:
        for spec in manifest["dictations"]:
            words += spec["script"].split()
    words = words[:5000]
    rng = random.Random(7)
    typed = [w + "x" if rng.random() < 0.05 else w for w in words]
    templates = load_template_dir(ROOT / "resources" / "templates")
    station = SimpleNamespace(
        templates=templates, api=None, player=None, cache=None, reviews=object()
    )
    page = ReviewPage(station)  # type: ignore[arg-type]
    page.resize(1600, 1000)
    item = ReviewItem(
        id=1,
        dictation_id=1,
        account="Acme",
        template_id="general-memo",
        transcriptionist="tara",
        reason="",
        status="in_review",
        lease_token="a" * 32,
        feedback="",
        errors=(),
        score={},
        audio_ms=1_800_000,
        audio_sha256="",
        audio_size=0,
        submitted=ReviewText(1, {"subject": "Bench"}, " ".join(typed)),
    )
    page.show_review(item)
    page.narrative.setPlainText(" ".join(words))  # the reviewer's corrections
    page._recompute()
    times = []
    cursor = page.narrative.textCursor()
    for _ in range(keystrokes):
        cursor.setPosition(rng.randrange(0, len(page.narrative.toPlainText())))
        cursor.insertText("e")
        started = time.perf_counter()
        page._recompute()  # what the page does when the typing pauses
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50": statistics.median(times),
        "p99": percentile(times, 0.99),
        "differences": float(len(page.work.differences)),  # type: ignore[union-attr]
    }


def bench_team(loads: int) -> dict[str, float]:
    import requests
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select, update

    from scribedesk.domain.review import team_from_record
    from scribedesk.server.app import build_state
    from scribedesk.server.db.models import Dictation, User
    from scribedesk.server.settings import ServerSettings
    from scribedesk.ui.pages.team_page import TeamPage
    from tests.pgserver import free_port
    from tests.support import serve_on

    QApplication.instance() or QApplication([])
    data = Path(tempfile.mkdtemp(prefix="bench-team-"))
    url = f"sqlite:///{data / 'team.db'}"
    seed(url, data, 10_000, 50)
    settings = ServerSettings(data_dir=data, db_url=url)
    state = build_state(settings)
    with state.write() as session:  # two jobs in hand per transcriptionist
        typists = list(session.scalars(select(User.id).where(User.role == "transcriptionist")))
        ids = list(session.scalars(select(Dictation.id).order_by(Dictation.id).limit(100)))
        for index, job_id in enumerate(ids):
            session.execute(
                update(Dictation)
                .where(Dictation.id == job_id)
                .values(
                    status="in_progress", assignee_id=typists[index // 2], active_at=state.clock()
                )
            )
    state.engine.dispose()
    server, thread = serve_on(settings, free_port())
    base = f"http://127.0.0.1:{server.config.port}/api/v1"
    http = requests.Session()
    token = http.post(f"{base}/auth/login", json={"username": "typist0", "password": PASSWORD})
    # The seed made transcriptionists only; a supervisor reads the team.
    state = build_state(settings)
    with state.write() as session:
        session.execute(update(User).where(User.username == "author").values(role="supervisor"))
    token = http.post(f"{base}/auth/login", json={"username": "author", "password": PASSWORD})
    http.headers["Authorization"] = f"Bearer {token.json()['token']}"
    page = TeamPage(SimpleNamespace(api=None, reviews=object()))  # type: ignore[arg-type]
    times, members, at_risk = [], 0, 0
    for _ in range(loads):
        started = time.perf_counter()
        view = team_from_record(http.get(f"{base}/team", timeout=60).json())
        page.show_team(view)
        times.append((time.perf_counter() - started) * 1000)
        members, at_risk = len(view.members), view.at_risk_total
    server.should_exit = True
    thread.join(timeout=10)
    return {
        "p50": statistics.median(times),
        "p99": percentile(times, 0.99),
        "first": times[0],
        "members": float(members),
        "at_risk": float(at_risk),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (under a minute)")
    args = parser.parse_args()
    diff = bench_diff(60 if args.quick else 200)
    print(f"BENCH review_diff_5000_words_keystroke_p50 {diff['p50']:.1f} ms")
    print(f"BENCH review_diff_5000_words_keystroke_p99 {diff['p99']:.1f} ms")
    print(f"BENCH review_diff_differences {int(diff['differences'])} count")
    team = bench_team(10 if args.quick else 30)
    print(f"BENCH team_page_50_typists_10000_jobs_p50 {team['p50']:.1f} ms")
    print(f"BENCH team_page_50_typists_10000_jobs_p99 {team['p99']:.1f} ms")
    print(f"BENCH team_page_50_typists_10000_jobs_first {team['first']:.1f} ms")
    print(f"BENCH team_page_members {int(team['members'])} count")
    print(f"BENCH team_page_at_risk {int(team['at_risk'])} count")
    return 0 if diff["p99"] <= 50 and team["p99"] <= 200 else 1


if __name__ == "__main__":
    sys.exit(main())
