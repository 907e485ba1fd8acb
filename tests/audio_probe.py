"""Measure what libvlc really plays: capture its output samples (amem) and find where they are.

``get_time()`` proves nothing about a seek (it echoes the request at once), so tests and
benchmarks capture the decoded audio through libvlc's audio callbacks, each buffer with
the time libvlc wants it heard, and locate it in the reference by cross-correlation.
"""

from __future__ import annotations

import subprocess
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

RATE = 16000
_KEPT: list[tuple[Any, ...]] = []  # libvlc audio callbacks, alive until the process ends


def make_speech_reference(path: Path, text: str, seconds: float | None = None) -> np.ndarray:
    """Real espeak-ng speech at 16 kHz mono with a quiet noise bed (-40 dB), written to ``path``.

    The noise bed makes every offset unique for the correlation, also in pauses between
    words. Returns the samples as float32.
    """
    raw = path.with_suffix(".speech.wav")
    subprocess.run(
        ["espeak-ng", "-s", "160", "-w", str(raw), text], check=True, capture_output=True
    )
    subprocess.run(
        [
            "sox",
            str(raw),
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            str(path.with_suffix(".16k.wav")),
        ],
        check=True,
        capture_output=True,
    )
    with wave.open(str(path.with_suffix(".16k.wav"))) as w:
        speech = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32)
    if seconds:
        reps = int(np.ceil(seconds * RATE / len(speech)))
        speech = np.tile(speech, reps)[: int(seconds * RATE)]
    rng = np.random.default_rng(12345)
    signal = speech + rng.normal(0, 0.01 * 32767, len(speech)).astype(np.float32)
    signal = np.clip(signal, -32767, 32767)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(signal.astype("<i2").tobytes())
    raw.unlink()
    path.with_suffix(".16k.wav").unlink()
    return signal.astype(np.float32)


@dataclass
class Capture:
    """libvlc output captured through audio callbacks (16 kHz mono S16)."""

    vlc: Any
    media_player: Any
    buffers: list[tuple[float, int, np.ndarray]] = field(default_factory=list)
    flushes: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        vlc = self.vlc

        @vlc.CallbackDecorators.AudioPlayCb
        def play(_opaque: Any, samples: Any, count: int, pts: int) -> None:
            import ctypes

            data = np.ctypeslib.as_array(
                ctypes.cast(samples, ctypes.POINTER(ctypes.c_int16)), shape=(count,)
            ).astype(np.float32)
            due = time.perf_counter() + (pts - vlc.libvlc_clock()) / 1e6
            with self.lock:
                self.buffers.append((due, pts, data))

        @vlc.CallbackDecorators.AudioPauseCb
        def pause(_opaque: Any, _pts: int) -> None:
            pass

        @vlc.CallbackDecorators.AudioResumeCb
        def resume(_opaque: Any, _pts: int) -> None:
            pass

        @vlc.CallbackDecorators.AudioFlushCb
        def flush(_opaque: Any, _pts: int) -> None:
            with self.lock:
                self.flushes.append(len(self.buffers))

        @vlc.CallbackDecorators.AudioDrainCb
        def drain(_opaque: Any) -> None:
            pass

        # libvlc may call these until its player is stopped, which can be after this
        # Capture is gone (a fixture closes the player after the test returned): keep the
        # C callbacks alive for the whole process, or libvlc jumps into freed memory.
        self._callbacks = (play, pause, resume, flush, drain)
        _KEPT.append(self._callbacks)
        self.media_player.audio_set_callbacks(play, pause, resume, flush, drain, None)
        self.media_player.audio_set_format("S16N", RATE, 1)

    def mark(self) -> int:
        """An index: buffers captured after this call come after the mark."""
        with self.lock:
            return len(self.buffers)

    def wait_audio(
        self, after: int, samples: int, timeout: float = 5.0, flushed: bool = False
    ) -> tuple[float, np.ndarray]:
        """(due time of the first buffer after ``after``, the next ``samples`` samples).

        Buffers that libvlc flushed after handing them over never reach a real output's
        speaker (the device drops its queue), so only the audio after the last flush
        since ``after`` counts. Opening a file at a start time shows why: libvlc may
        deliver the file's first block before it applies the start time, then flush it.
        With ``flushed`` a flush must have come: a seek while playing discards the audio
        already queued, which may still arrive just after the call.
        """
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self.lock:
                later = [i for i in self.flushes if i >= after]
                if flushed and not later:
                    time.sleep(0.002)
                    continue
                start = later[-1] if later else after
                fresh = self.buffers[start:]
            if fresh and sum(len(b[2]) for b in fresh) >= samples:
                return fresh[0][0], np.concatenate([b[2] for b in fresh])[:samples]
            time.sleep(0.002)
        raise TimeoutError("libvlc produced no audio")


def locate(
    reference: np.ndarray, chunk: np.ndarray, expected_ms: float, search_ms: int = 600
) -> float:
    """Where (ms) ``chunk`` starts in ``reference``, searching ``search_ms`` around the guess."""
    center = int(expected_ms * RATE / 1000)
    lo = max(0, center - search_ms * RATE // 1000)
    hi = min(len(reference), center + search_ms * RATE // 1000 + len(chunk))
    window = reference[lo:hi]
    if len(window) < len(chunk):
        raise ValueError("search window shorter than the captured audio")
    a = chunk - chunk.mean()
    n = len(window) + len(a)
    corr = np.fft.irfft(np.fft.rfft(window, n) * np.conj(np.fft.rfft(a, n)), n)
    valid = corr[: len(window) - len(a) + 1]
    return (lo + int(np.argmax(valid))) * 1000 / RATE


def wait_for(condition: Any, timeout: float = 5.0) -> float:
    """Seconds until ``condition()`` is true (TimeoutError after ``timeout``)."""
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("condition not reached")
        time.sleep(0.0005)
    return time.perf_counter() - start
