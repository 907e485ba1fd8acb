"""Dispatch benchmark: transcriptionist clients claim, heartbeat and submit until none is left.

Runs the real service (``scribedesk-server serve``) in its own process on loopback over
SQLite and over a throwaway PostgreSQL, and drives it with client processes, each running
a share of the client threads over real HTTP. Prints ``BENCH <name> <value> <unit>`` lines:

* claims per second over the whole drain,
* claim round-trip p50/p99 (POST /jobs/next, client side),
* the number of jobs handed to two clients (must be 0),
* a second, paced run at a realistic load for claim latency without queueing,
* and another user's heartbeat latency while 500,000-character transcripts are
  submitted (large_submit.py).

Usage: python tests/benchmarks/bench_dispatch.py [--quick] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.large_submit import heartbeats_during_large_submits  # noqa: E402
from tests.pgserver import free_port, start_postgres  # noqa: E402

PASSWORD = "bench-password"


def seed(db_url: str, data_dir: Path, jobs: int, clients: int) -> None:
    """Migrate, create one transcriptionist per client and ``jobs`` dictations in bulk."""
    from sqlalchemy import insert

    from scribedesk.domain.dictation import Priority, Status
    from scribedesk.server import dictations
    from scribedesk.server.app import build_state
    from scribedesk.server.db.models import Dictation, User
    from scribedesk.server.dictations import Intake
    from scribedesk.server.security import hash_password
    from scribedesk.server.settings import ServerSettings

    state = build_state(ServerSettings(data_dir=data_dir, db_url=db_url))
    now = state.clock()
    digest = hash_password(PASSWORD)
    with (ROOT / "resources" / "demo" / "memo-pricing.wav").open("rb") as f:
        info = state.store.add(f, "memo-pricing.wav")
    with state.write() as session:
        session.add(
            User(
                username="author",
                display_name="A",
                role="author",
                password_hash=digest,
                active=True,
                created_at=now,
            )
        )
        session.add_all(
            User(
                username=f"typist{i}",
                display_name=f"Typist {i}",
                role="transcriptionist",
                password_hash=digest,
                active=True,
                created_at=now,
            )
            for i in range(clients)
        )
        session.flush()
        author = session.query(User).filter_by(username="author").one()
        first = dictations.create(
            session,
            author,
            Intake("Seed", "general-memo"),
            state.templates["general-memo"],
            info,
            "memo.wav",
            state.settings.turnaround,
            now,
        )
        priorities = list(Priority)
        rows = [
            {
                "author_id": author.id,
                "audio_sha256": info.sha256,
                "account": f"Account {i}",
                "title": "",
                "author_note": "",
                "template_id": "general-memo",
                "template_version": 1,
                "priority": priorities[i % 3].value,
                "queue_order": priorities[i % 3].queue_order,
                "status": Status.NEW.value,
                "received_at": now,
                "due_at": state.settings.turnaround.due(now, priorities[i % 3]),
                "manual_assignment": False,
                "attempt": 0,
                "return_note": "",
                "updated_at": now,
            }
            for i in range(jobs - 1)
        ]
        session.execute(insert(Dictation), rows)
        assert first.id
    state.engine.dispose()


def client_process(
    base: str,
    names: list[str],
    pace: float,
    ready: Any,  # multiprocessing queues and events
    go: Any,
    out: Any,
) -> None:
    """Run one thread per user name; each drains jobs and reports (latencies, claimed ids).

    Every thread signs in first; the drain starts for all at once when ``go`` is set,
    so the (deliberately slow) password hashing stays out of the measurement.
    """
    results: list[tuple[list[float], list[int], int]] = []
    lock = threading.Lock()
    signed_in = threading.Barrier(len(names), action=lambda: ready.put(len(names)))

    def run(name: str) -> None:
        http = requests.Session()
        token = http.post(
            f"{base}/api/v1/auth/login", json={"username": name, "password": PASSWORD}, timeout=60
        ).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        signed_in.wait()
        go.wait()
        jitter = random.Random(name)
        if pace:  # spread the clients' starts over one think time
            time.sleep(jitter.uniform(0, pace))
        latencies: list[float] = []
        claimed: list[int] = []
        errors = 0
        while True:
            started = time.perf_counter()
            answer = http.post(f"{base}/api/v1/jobs/next", timeout=120)
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.status_code == 204:
                break
            if answer.status_code != 200:
                errors += 1
                continue
            job = answer.json()
            claimed.append(job["id"])
            lease = {"lease_token": job["lease_token"]}
            if (
                http.post(
                    f"{base}/api/v1/jobs/{job['id']}/heartbeat", json=lease, timeout=120
                ).status_code
                != 200
            ):
                errors += 1
            body = {
                **lease,
                "fields": {"subject": "Bench"},
                "narrative": "Done. " * 40,
                "quality": {"heard": [[0, 86_400_000]]},
            }
            submitted = http.post(
                f"{base}/api/v1/jobs/{job['id']}/submit",
                json=body,
                headers={"Idempotency-Key": str(uuid.uuid4())},
                timeout=120,
            )
            if submitted.status_code != 200:
                errors += 1
            if pace:  # think time averaging ``pace`` seconds
                time.sleep(jitter.uniform(0, 2 * pace))
        with lock:
            results.append((latencies, claimed, errors))

    threads = [threading.Thread(target=run, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(results)


def drain(base: str, clients: int, processes: int, pace: float) -> dict[str, float]:
    """Drive ``clients`` threads spread over ``processes`` until no job is left."""
    names = [f"typist{i}" for i in range(clients)]
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    ready: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    go = mp.Event()
    procs = [
        mp.Process(target=client_process, args=(base, names[i::processes], pace, ready, go, queue))
        for i in range(processes)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get()
    started = time.perf_counter()
    go.set()
    results = [r for _ in procs for r in queue.get()]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for lat, _, _ in results for x in lat)
    claimed = Counter(i for _, ids, _ in results for i in ids)
    q = statistics.quantiles(latencies, n=100)
    return {
        "jobs": float(sum(claimed.values())),
        "claims_per_s": sum(claimed.values()) / elapsed,
        "p50": q[49],
        "p99": q[98],
        "double": float(sum(n - 1 for n in claimed.values() if n > 1)),
        "errors": float(sum(e for _, _, e in results)),
        "seconds": elapsed,
    }


def serve(
    db_url: str,
    data_dir: Path,
    workers: int,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """``scribedesk-server serve`` in its own process, once it answers; (process, URL)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scribedesk.server.cli",
            "serve",
            "--db-url",
            db_url,
            "--data-dir",
            str(data_dir),
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/api/v1/health", timeout=1).ok:
                return proc, base
        except requests.ConnectionError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(
        f"service did not start: {proc.stderr.read().decode() if proc.stderr else ''}"
    )


def verify(db_url: str, jobs: int) -> int:
    """Submissions stored in the database; each job must have exactly one."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        per_job = conn.execute(
            sa.text(
                "SELECT dictation_id, count(*) FROM transcript_version WHERE kind='submit' "
                "GROUP BY dictation_id HAVING count(*) > 1"
            )
        ).fetchall()
        total = conn.execute(sa.text("SELECT count(*) FROM submission")).scalar_one()
    engine.dispose()
    if per_job:
        print(f"ERROR: {len(per_job)} jobs stored more than one submission", file=sys.stderr)
    return int(total)


def run_backend(name: str, db_url: str, tmp: Path, args: argparse.Namespace) -> bool:
    ok = True
    runs = [
        ("saturated", args.jobs, args.clients, 0.0),
        ("paced", args.paced_jobs, args.clients, args.pace),
        ("large", 0, 0, 0.0),
    ]
    for label, jobs, clients, pace in runs:
        if label not in args.runs:
            continue
        if label == "large":
            ok = large_run(name, db_url, tmp, args) and ok
            continue
        data = tmp / f"{name}-{label}"
        if name == "sqlite":
            url = f"sqlite:///{data / 'bench.db'}"
        else:
            url = db_url
            _reset_pg(db_url)
        data.mkdir(parents=True, exist_ok=True)
        seed(url, data, jobs, clients)
        proc, base = serve(url, data, args.workers if name == "postgresql" else 1)
        try:
            result = drain(base, clients, args.processes, pace)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        stored = verify(url, jobs)
        prefix = f"dispatch_{name}_{label}"
        print(f"BENCH {prefix}_claims_per_s {result['claims_per_s']:.1f} per_s")
        print(f"BENCH {prefix}_claim_p50 {result['p50']:.1f} ms")
        print(f"BENCH {prefix}_claim_p99 {result['p99']:.1f} ms")
        print(f"BENCH {prefix}_jobs_done {stored} jobs")
        print(f"BENCH {prefix}_double_assigned {int(result['double'])} jobs")
        print(f"BENCH {prefix}_request_errors {int(result['errors'])} requests")
        sys.stdout.flush()
        ok = ok and result["double"] == 0 and stored == jobs and result["errors"] == 0
    return ok


def large_run(name: str, db_url: str, tmp: Path, args: argparse.Namespace) -> bool:
    """Heartbeats of one user while another submits near-limit texts (large_submit.py)."""
    data = tmp / f"{name}-large"
    data.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{data / 'bench.db'}" if name == "sqlite" else db_url
    if name != "sqlite":
        _reset_pg(db_url)
    seed(url, data, args.large_submits + 5, 2)
    proc, base = serve(url, data, args.workers if name == "postgresql" else 1)
    try:
        result = heartbeats_during_large_submits(base, PASSWORD, args.large_submits)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    prefix = f"dispatch_{name}"
    for key in ("heartbeat_p50", "heartbeat_p99", "heartbeat_max"):
        print(f"BENCH {prefix}_{key}_during_large_submits {result[key]:.1f} ms")
    print(f"BENCH {prefix}_large_submit {result['large_submit_ms']:.0f} ms")
    print(f"BENCH {prefix}_large_request_errors {int(result['errors'])} requests")
    sys.stdout.flush()
    return result["errors"] == 0


def _reset_pg(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small run (under a minute)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=2, help="service workers on PostgreSQL")
    parser.add_argument("--paced-jobs", type=int, default=1_000)
    parser.add_argument(
        "--runs", default="saturated,paced,large", help="which runs, comma-separated"
    )
    parser.add_argument(
        "--large-submits", type=int, default=10, help="500,000-character submissions"
    )
    parser.add_argument(
        "--pace",
        type=float,
        default=6.5,
        help="seconds each client waits between jobs in the paced run",
    )
    args = parser.parse_args()
    if args.quick:
        args.jobs, args.paced_jobs, args.clients, args.pace = 160, 24, 8, 1.0
        args.large_submits = 1
    tmp = Path(tempfile.mkdtemp(prefix="bench-dispatch-"))
    ok = True
    try:
        if args.backend in ("sqlite", "both"):
            ok = run_backend("sqlite", "", tmp, args) and ok
        if args.backend in ("postgresql", "both"):
            pg_dir = Path(tempfile.mkdtemp(prefix="bench-pg-"))
            server = start_postgres(pg_dir)
            try:
                ok = run_backend("postgresql", server.admin_url, tmp, args) and ok
            finally:
                if server.stop_cmd:
                    subprocess.run(server.stop_cmd, capture_output=True)
                shutil.rmtree(pg_dir, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
