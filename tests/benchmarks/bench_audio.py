"""Audio store benchmark: ingest a 60-minute dictation, then download it with Range requests.

Runs the real service in its own process on loopback. Prints ``BENCH`` lines:

* upload + decode + working copy + peaks of a 60-minute MP3 (ms),
* whole-file download throughput of the working copy (MB/s),
* resumable download in 4 MB Range chunks (MB/s),
* random 64 KB Range reads, as a player seeking, p50/p99 (ms).

Usage: python tests/benchmarks/bench_audio.py [--quick]   (--quick uses 10 minutes of audio)
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_dispatch import PASSWORD, serve  # noqa: E402


def make_long_mp3(tmp: Path, minutes: int) -> Path:
    """``minutes`` of real speech (the demo dictations, repeated) as a 32 kbit/s MP3."""
    pieces = sorted((ROOT / "resources" / "demo").glob("*.wav"))
    joined = tmp / "joined.wav"
    parts = [tmp / f"part{i}.wav" for i in range(len(pieces))]
    for src, dst in zip(pieces, parts, strict=True):
        subprocess.run(
            ["sox", str(src), "-r", "16000", "-e", "signed", "-b", "16", str(dst)], check=True
        )
    subprocess.run(["sox", *map(str, parts), str(joined)], check=True)
    seconds = float(
        subprocess.run(
            ["soxi", "-D", str(joined)], capture_output=True, text=True, check=True
        ).stdout
    )
    long_wav = tmp / "long.wav"
    repeats = int(minutes * 60 / seconds)
    subprocess.run(["sox", str(joined), str(long_wav), "repeat", str(repeats)], check=True)
    subprocess.run(
        [
            "sox",
            str(long_wav),
            str(long_wav.with_name("exact.wav")),
            "trim",
            "0",
            str(minutes * 60),
        ],
        check=True,
    )
    mp3 = tmp / f"dictation-{minutes}min.mp3"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-i",
            str(tmp / "exact.wav"),
            "-b:a",
            "32k",
            str(mp3),
        ],
        check=True,
    )
    return mp3


def seed_users(db_url: str, data_dir: Path) -> None:
    from scribedesk.server.app import build_state
    from scribedesk.server.db.models import User
    from scribedesk.server.security import hash_password
    from scribedesk.server.settings import ServerSettings

    state = build_state(ServerSettings(data_dir=data_dir, db_url=db_url))
    with state.write() as session:
        session.add(
            User(
                username="author",
                display_name="A",
                role="author",
                password_hash=hash_password(PASSWORD),
                active=True,
                created_at=state.clock(),
            )
        )
    state.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 minutes of audio instead of 60")
    args = parser.parse_args()
    minutes = 10 if args.quick else 60
    tmp = Path(tempfile.mkdtemp(prefix="bench-audio-"))
    proc = None
    try:
        mp3 = make_long_mp3(tmp, minutes)
        db_url = f"sqlite:///{tmp / 'bench.db'}"
        seed_users(db_url, tmp / "data")
        proc, base = serve(db_url, tmp / "data", 1)
        http = requests.Session()
        token = http.post(
            f"{base}/api/v1/auth/login", json={"username": "author", "password": PASSWORD}
        ).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"

        started = time.perf_counter()
        with mp3.open("rb") as f:
            answer = http.post(
                f"{base}/api/v1/dictations",
                files={"file": (mp3.name, f)},
                data={"account": "Bench", "template_id": "general-memo"},
            )
        ingest_ms = (time.perf_counter() - started) * 1000
        answer.raise_for_status()
        item = answer.json()
        url = f"{base}/api/v1/dictations/{item['id']}/audio"
        size = item["audio"]["working_size"]
        print(f"BENCH audio_ingest_{minutes}min_mp3 {ingest_ms:.0f} ms")
        print(f"BENCH audio_duration_detected {item['audio']['duration_ms'] / 60000:.2f} min")

        started = time.perf_counter()
        whole = http.get(url).content
        seconds = time.perf_counter() - started
        assert hashlib.sha256(whole).hexdigest() == item["audio"]["working_sha256"]
        print(f"BENCH audio_download_{minutes}min_whole {len(whole) / seconds / 1e6:.0f} MB_per_s")

        chunk = 4 << 20
        started = time.perf_counter()
        digest = hashlib.sha256()
        for offset in range(0, size, chunk):
            part = http.get(url, headers={"Range": f"bytes={offset}-{offset + chunk - 1}"})
            assert part.status_code == 206
            digest.update(part.content)
        seconds = time.perf_counter() - started
        assert digest.hexdigest() == item["audio"]["working_sha256"]
        print(f"BENCH audio_download_{minutes}min_range_4mb {size / seconds / 1e6:.0f} MB_per_s")

        rng = random.Random(7)
        latencies = []
        for _ in range(200):
            offset = rng.randrange(0, size - 65536)
            started = time.perf_counter()
            part = http.get(url, headers={"Range": f"bytes={offset}-{offset + 65535}"})
            latencies.append((time.perf_counter() - started) * 1000)
            assert len(part.content) == 65536
        q = statistics.quantiles(latencies, n=100)
        print(f"BENCH audio_range_seek_64kb_p50 {q[49]:.1f} ms")
        print(f"BENCH audio_range_seek_64kb_p99 {q[98]:.1f} ms")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
