"""Dictation audio on local disk: resumable downloads, checked checksums, a size limit (LRU).

Files are named by the working copy's SHA-256. A download goes to ``<sha>.part`` and
continues from where it stopped (HTTP Range) after an interruption; the finished file is
checked against the service's checksum before it is renamed into place, so a damaged
copy is never played. When the cache is over its size, the least recently used files
go first (never the one being opened). Blocking: run it off the GUI thread.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from scribedesk.domain.audio import AudioRef
from scribedesk.domain.failure import Failure, FailureKind

_CHUNK = 1 << 16


class CacheError(Failure):
    """The audio could not be cached; the message says why (disk full: DISK; the download
    arrived damaged: SERVER, worth another try)."""

    def __init__(self, message: str, kind: FailureKind = FailureKind.DISK) -> None:
        super().__init__(message, kind)


class AudioSource(Protocol):
    """Where audio comes from (the API client): a byte stream from an offset."""

    def audio_chunks(
        self, job_id: int, start: int = 0, chunk: int = _CHUNK
    ) -> tuple[object, Iterator[bytes]]: ...


#: progress(done_bytes, total_bytes)
Progress = Callable[[int, int], None]


#: An audio file the worklist will need (job, working-copy checksum, size).
Wanted = AudioRef


class AudioCache:
    """A folder of working copies, at most ``limit_bytes`` large."""

    def __init__(self, root: Path, limit_bytes: int) -> None:
        self.root = root
        self.limit_bytes = limit_bytes
        root.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path(self, sha256: str) -> Path:
        """Where the finished file lives."""
        return self.root / f"{sha256}.wav"

    def has(self, sha256: str) -> bool:
        """True when the audio is complete on disk."""
        return self.path(sha256).exists()

    def fetch(
        self, source: AudioSource, wanted: Wanted, progress: Progress = lambda _d, _t: None
    ) -> Path:
        """The local file for ``wanted``, downloading (or resuming) it when needed.

        Raises CacheError with a sentence when the disk is full or the checksum is wrong
        (the partial file is then discarded so the next try starts clean).
        """
        with self._lock_for(wanted.sha256):
            final = self.path(wanted.sha256)
            if final.exists():
                os.utime(final)  # most recently used
                progress(wanted.size, wanted.size)
                return final
            part = final.with_suffix(".part")
            self._make_room(wanted.size, keep=wanted.sha256)
            done = part.stat().st_size if part.exists() else 0
            if done > wanted.size:
                part.unlink()
                done = 0
            try:
                if done < wanted.size:
                    _response, chunks = source.audio_chunks(wanted.job_id, start=done)
                    with part.open("ab") as out:
                        done = _copy(chunks, out, done, wanted.size, progress)
            except OSError as exc:
                raise CacheError(_disk_message(exc)) from None
            if _sha256(part) != wanted.sha256:
                part.unlink(missing_ok=True)
                raise CacheError(
                    "The downloaded audio does not match its checksum; "
                    "it was discarded and will be fetched again.",
                    FailureKind.SERVER,
                )
            os.replace(part, final)
            return final

    def prefetch(
        self,
        source: AudioSource,
        wanted: Iterable[Wanted],
        on_error: Callable[[Wanted, str], None] = lambda _w, _m: None,
    ) -> None:
        """Fetch each in turn (call it on a worker thread); errors are reported, not raised."""
        for item in wanted:
            try:
                self.fetch(source, item)
            except CacheError as exc:
                on_error(item, str(exc))
            except Exception as exc:  # network trouble: the job opens later with a message
                on_error(item, str(exc))

    def size(self) -> int:
        """Bytes in the cache (finished and partial files)."""
        return sum(p.stat().st_size for p in self.root.iterdir() if p.is_file())

    def _make_room(self, needed: int, keep: str) -> None:
        files = sorted(
            (p for p in self.root.glob("*.wav") if p.stem != keep), key=lambda p: p.stat().st_mtime
        )
        total = self.size()
        while files and total + needed > self.limit_bytes:
            victim = files.pop(0)
            total -= victim.stat().st_size
            victim.unlink(missing_ok=True)

    def _lock_for(self, sha256: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(sha256, threading.Lock())


def _copy(chunks: Iterator[bytes], out: object, done: int, total: int, progress: Progress) -> int:
    for chunk in chunks:
        out.write(chunk)  # type: ignore[attr-defined]
        done += len(chunk)
        progress(done, total)
    out.flush()  # type: ignore[attr-defined]
    return done


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _disk_message(exc: OSError) -> str:
    if exc.errno == 28:  # ENOSPC
        return "The disk is full: the audio could not be stored. Free some space and try again."
    return f"The audio could not be stored: {exc.strerror or exc}."
