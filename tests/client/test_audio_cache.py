"""The audio cache against the real service: resume, checksum, LRU, prefetch, disk errors."""

from __future__ import annotations

import errno
import hashlib

import pytest

from scribedesk.client.api import ApiClient
from scribedesk.client.audio_cache import AudioCache, CacheError, Wanted
from tests.conftest import DEMO
from tests.support import Api

#: The cache does not care which database the service uses: SQLite is enough here.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def job(live, demo_users):
    Api.login(live.url, "alex").upload(DEMO / "northwind-discovery.wav")
    client = ApiClient(live.url)
    client.login("tara", "scribedesk")
    claimed = client.next_job()
    assert claimed is not None
    return client, Wanted(claimed.id, claimed.audio.working_sha256, claimed.audio.working_size)


class Interrupted:
    """Passes the real stream on but breaks it after ``limit`` bytes, like a dropped network."""

    def __init__(self, client: ApiClient, limit: int) -> None:
        self.client, self.limit = client, limit

    def audio_chunks(self, job_id, start=0, chunk=1 << 16):  # type: ignore[no-untyped-def]
        response, chunks = self.client.audio_chunks(job_id, start, chunk=4096)

        def broken():  # type: ignore[no-untyped-def]
            sent = 0
            for piece in chunks:
                if sent + len(piece) > self.limit:
                    raise OSError(errno.ECONNRESET, "Connection reset by peer")
                sent += len(piece)
                yield piece

        return response, broken()


@sqlite_only
def test_interrupted_download_resumes_and_is_verified(job, tmp_path):
    """Cut off half-way, the next try continues from the part file and checks the sha256."""
    client, wanted = job
    cache = AudioCache(tmp_path / "cache", 50 << 20)
    with pytest.raises(CacheError):
        cache.fetch(Interrupted(client, wanted.size // 2), wanted)
    part = cache.path(wanted.sha256).with_suffix(".part")
    assert 0 < part.stat().st_size <= wanted.size // 2
    seen = []
    path = cache.fetch(client, wanted, lambda done, total: seen.append((done, total)))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == wanted.sha256
    assert seen[0][0] > part.stat().st_size if part.exists() else seen[0][0] > 0
    assert seen[-1] == (wanted.size, wanted.size)
    assert cache.fetch(client, wanted) == path  # cached: no network needed


@sqlite_only
def test_wrong_checksum_is_discarded(job, tmp_path):
    """A file that does not match the service's checksum is never kept."""
    client, wanted = job
    cache = AudioCache(tmp_path / "cache", 50 << 20)
    bad = Wanted(wanted.job_id, "0" * 64, wanted.size)
    with pytest.raises(CacheError, match="does not match its checksum"):
        cache.fetch(client, bad)
    assert not cache.has(bad.sha256) and cache.size() == 0


def test_least_recently_used_audio_goes_first(tmp_path):
    """Over the limit, the oldest-used files are removed to make room."""
    cache = AudioCache(tmp_path / "cache", 300)
    import os
    import time

    for i, name in enumerate(["a", "b", "c"]):
        path = cache.path(name * 64)
        path.write_bytes(bytes(100))
        os.utime(path, (time.time() - 100 + i, time.time() - 100 + i))
    os.utime(cache.path("a" * 64))  # "a" was just used
    cache._make_room(100, keep="d" * 64)
    assert cache.has("a" * 64) and not cache.has("b" * 64) and cache.has("c" * 64)


@sqlite_only
def test_full_disk_gives_a_clear_message(job, tmp_path, monkeypatch):
    """ENOSPC while writing becomes 'The disk is full' and nothing half-done is trusted."""
    client, wanted = job
    cache = AudioCache(tmp_path / "cache", 50 << 20)

    class FullDisk(Interrupted):
        def audio_chunks(self, job_id, start=0, chunk=1 << 16):  # type: ignore[no-untyped-def]
            def chunks():  # type: ignore[no-untyped-def]
                yield b"x" * 10
                raise OSError(errno.ENOSPC, "No space left on device")

            return None, chunks()

    with pytest.raises(CacheError, match="The disk is full"):
        cache.fetch(FullDisk(client, 0), wanted)
    assert not cache.has(wanted.sha256)


@sqlite_only
def test_prefetch_fetches_the_next_jobs_and_reports_failures(job, tmp_path):
    """Prefetch downloads what will be needed; a failure is reported, the rest still comes."""
    client, wanted = job
    cache = AudioCache(tmp_path / "cache", 50 << 20)
    failures = []
    cache.prefetch(
        client,
        [Wanted(wanted.job_id, "1" * 64, 10), wanted],
        on_error=lambda w, m: failures.append(w.sha256),
    )
    assert failures == ["1" * 64] and cache.has(wanted.sha256)
