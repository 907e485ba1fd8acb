"""One run of bench_dispatch: another user's heartbeats while near-limit transcripts arrive.

A transcriptionist submits 500,000-character narratives of garbled words (the costliest
text for the quality checks) one after another, each on a fresh job; meanwhile another
transcriptionist heartbeats their own job continuously. The heartbeat latency says
whether the costly review holds the writers: it runs before the writer lock.
"""

from __future__ import annotations

import random
import statistics
import string
import threading
import time
import uuid

import requests

NARRATIVE_CHARS = 500_000


def garbled(chars: int, seed: int) -> str:
    """Words no dictionary has: every one a spelling finding."""
    rng = random.Random(seed)
    words: list[str] = []
    size = 0
    while size < chars:
        word = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9)))
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:chars]


def _session(base: str, name: str, password: str) -> requests.Session:
    http = requests.Session()
    answer = http.post(
        f"{base}/api/v1/auth/login", json={"username": name, "password": password}, timeout=60
    )
    http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return http


def heartbeats_during_large_submits(base: str, password: str, submits: int) -> dict[str, float]:
    """Heartbeat latencies (ms) of typist1 while typist0 submits ``submits`` large texts."""
    writer, beater = _session(base, "typist0", password), _session(base, "typist1", password)
    mine = beater.post(f"{base}/api/v1/jobs/next", timeout=60).json()
    lease = {"lease_token": mine["lease_token"]}
    done = threading.Event()
    review_ms: list[float] = []
    failures = 0

    def submit_all() -> None:
        nonlocal failures
        try:
            for index in range(submits):
                job = writer.post(f"{base}/api/v1/jobs/next", timeout=60).json()
                body = {
                    "lease_token": job["lease_token"],
                    "fields": {"subject": "Bench"},
                    "narrative": garbled(NARRATIVE_CHARS, index),
                    "quality": {"heard": [[0, 86_400_000]]},
                }
                started = time.perf_counter()
                answer = writer.post(
                    f"{base}/api/v1/jobs/{job['id']}/submit",
                    json=body,
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                    timeout=300,
                )
                review_ms.append((time.perf_counter() - started) * 1000)
                failures += answer.status_code != 200
        finally:
            done.set()

    thread = threading.Thread(target=submit_all)
    thread.start()
    latencies: list[float] = []
    while not done.is_set():
        started = time.perf_counter()
        beat = beater.post(f"{base}/api/v1/jobs/{mine['id']}/heartbeat", json=lease, timeout=60)
        latencies.append((time.perf_counter() - started) * 1000)
        failures += beat.status_code != 200
        time.sleep(0.02)
    thread.join()
    ordered = sorted(latencies)
    return {
        "heartbeat_p50": statistics.median(ordered),
        "heartbeat_p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "heartbeat_max": ordered[-1],
        "large_submit_ms": statistics.median(review_ms),
        "errors": float(failures),
    }
