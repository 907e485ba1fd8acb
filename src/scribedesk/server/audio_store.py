"""Content-addressed audio store: originals by SHA-256, seek-exact working copies and peaks.

Every upload is decoded once with PyAV (FFmpeg). That single pass proves the file is
audio, measures its true duration, writes the working copy (16-bit PCM WAV, mono,
original sample rate) that the workstation plays because WAV seeks land exactly, and
computes the waveform peaks (min/max per 10 ms). The original is kept untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import tempfile
import wave
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from scribedesk.server.errors import Invalid, TooLarge, UnsupportedMedia

MIN_DURATION_MS = 300
_CHUNK = 1 << 20


@dataclass(frozen=True)
class AudioInfo:
    """What the decode pass learned about an upload."""

    sha256: str
    size: int
    container: str
    codec: str
    sample_rate: int
    channels: int
    duration_ms: int
    working_sha256: str
    working_size: int


class AudioStore:
    """Files under ``root``: ``original/ab/<sha>``, ``work/<sha>.wav``, ``peaks/<sha>.peaks``."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        for sub in ("original", "work", "peaks", "tmp"):
            (root / sub).mkdir(parents=True, exist_ok=True)

    def original_path(self, sha256: str) -> Path:
        """Where the untouched upload lives."""
        return self.root / "original" / sha256[:2] / sha256

    def working_path(self, sha256: str) -> Path:
        """Where the seek-exact WAV working copy lives."""
        return self.root / "work" / f"{sha256}.wav"

    def peaks_path(self, sha256: str) -> Path:
        """Where the peaks (int16 min/max pairs, 100 per second) live."""
        return self.root / "peaks" / f"{sha256}.peaks"

    def has(self, sha256: str) -> bool:
        """True when the original and its derived files are all present."""
        return all(
            p.exists()
            for p in (
                self.original_path(sha256),
                self.working_path(sha256),
                self.peaks_path(sha256),
            )
        )

    def add(self, stream: BinaryIO, original_name: str) -> AudioInfo:
        """Store an upload read from ``stream``; raise TooLarge, UnsupportedMedia or Invalid.

        Blocking (disk and decoding): call it from a worker thread. Nothing is left
        behind when the upload is refused.
        """
        fd, tmp_name = tempfile.mkstemp(dir=self.root / "tmp", suffix=".upload")
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise TooLarge(
                            f"The audio file is larger than the limit of "
                            f"{self.max_bytes // (1 << 20)} MB."
                        )
                    digest.update(chunk)
                    out.write(chunk)
            return self.add_spooled(tmp, digest.hexdigest(), size, original_name)
        finally:
            tmp.unlink(missing_ok=True)

    @property
    def spool_dir(self) -> Path:
        """Where uploads are received before they are stored (same file system)."""
        return self.root / "tmp"

    def add_spooled(self, spooled: Path, sha: str, size: int, original_name: str) -> AudioInfo:
        """Store an upload already received into ``spooled`` (under spool_dir) with its
        SHA-256 and size; the caller deletes ``spooled``. Raises like ``add``."""
        if size == 0:
            raise Invalid(f"{original_name} is empty (0 bytes): no audio arrived.")
        if self.has(sha):
            return self._info_from_existing(sha, spooled, size, original_name)
        return self._ingest(spooled, sha, size, original_name)

    def _info_from_existing(self, sha: str, tmp: Path, size: int, name: str) -> AudioInfo:
        # Same bytes were stored before: probe again cheaply from the working copy.
        with wave.open(str(self.working_path(sha)), "rb") as w:
            duration_ms = round(w.getnframes() * 1000 / w.getframerate())
            rate = w.getframerate()
        container, codec, channels = _probe_names(tmp)
        return self._info(sha, size, _Decoded(container, codec, rate, channels, duration_ms))

    def _info(self, sha: str, size: int, decoded: _Decoded) -> AudioInfo:
        working = self.working_path(sha)
        return AudioInfo(
            sha256=sha,
            size=size,
            container=decoded.container,
            codec=decoded.codec,
            sample_rate=decoded.sample_rate,
            channels=decoded.channels,
            duration_ms=decoded.duration_ms,
            working_sha256=_sha256_file(working),
            working_size=working.stat().st_size,
        )

    def _ingest(self, tmp: Path, sha: str, size: int, original_name: str) -> AudioInfo:
        _refuse_known_unsupported(tmp, original_name)
        _check_riff_complete(tmp, size)
        work_tmp = tmp.with_suffix(".wav")
        peaks_tmp = tmp.with_suffix(".peaks")
        try:
            decoded = _decode_to_working_copy(tmp, work_tmp, original_name)
            if decoded.duration_ms < MIN_DURATION_MS:
                raise Invalid(
                    f"{original_name}: the audio is only {decoded.duration_ms} ms long; "
                    "a dictation needs at least a few words."
                )
            from scribedesk.shared.peaks import compute_peaks_from_wav, write_peaks  # numpy

            write_peaks(compute_peaks_from_wav(work_tmp), peaks_tmp)
            original = self.original_path(sha)
            original.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp, original)
            os.replace(work_tmp, self.working_path(sha))
            os.replace(peaks_tmp, self.peaks_path(sha))
        finally:
            work_tmp.unlink(missing_ok=True)
            peaks_tmp.unlink(missing_ok=True)
        return self._info(sha, size, decoded)


@dataclass(frozen=True)
class _Decoded:
    container: str
    codec: str
    sample_rate: int
    channels: int
    duration_ms: int


def _refuse_known_unsupported(path: Path, name: str) -> None:
    with path.open("rb") as f:
        head = f.read(4)
    if head[1:4] == b"ds2" or name.lower().endswith(".ds2"):
        raise UnsupportedMedia(
            f"{name}: DS2 (DSS Pro) is an unsupported format. Convert it to WAV or MP3 with "
            "the recorder vendor's software (Olympus ODMS or Philips SpeechExec) and upload that."
        )


def _check_riff_complete(path: Path, size: int) -> None:
    """A WAV whose RIFF header promises more bytes than arrived was cut off in transfer."""
    with path.open("rb") as f:
        head = f.read(12)
    if len(head) == 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        declared = struct.unpack("<I", head[4:8])[0] + 8
        # Streaming recorders write 0 or 0xFFFFFFFF when they cannot know the size.
        if declared not in (8, 0xFFFFFFFF + 8) and size < declared:
            raise Invalid(
                f"The WAV file is truncated: it has {size} of the {declared} bytes "
                "its header announces. Upload the complete file."
            )


def _probe_names(path: Path) -> tuple[str, str, int]:
    import av  # PyAV loads FFmpeg's libraries: only when audio arrives, not at start-up

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return (
            container.format.name,
            stream.codec_context.name,
            stream.codec_context.layout.nb_channels,
        )


#: Decoders that render what FFmpeg's own decoder refuses: AMR from phone systems sends
#: comfort-noise (SID) frames during pauses (DTX), which FFmpeg's native AMR decoder
#: answers with "not yet implemented"; the opencore decoders (bundled with PyAV) render
#: them as the comfort noise they describe.
_BETTER_DECODERS = {"amrnb": "libopencore_amrnb", "amrwb": "libopencore_amrwb"}
#: Containers whose header says how long the recording is (the MP3 only with a Xing,
#: Info or VBRI frame): a decode that ends well short of it got a cut-off file.
_ANNOUNCING = ("wav", "flac", "mov,mp4,m4a,3gp,3g2,mj2", "aiff", "mp3")
#: How short of the announced length a decode may end (encoder padding, rounding).
_SHORT_BY_S = 0.5


def _decoder(stream: Any) -> Any:
    import av

    name = _BETTER_DECODERS.get(stream.codec_context.name)
    if name is None or name not in av.codecs_available:
        return stream.codec_context
    context: Any = av.CodecContext.create(name, "r")
    context.sample_rate = stream.codec_context.sample_rate
    context.layout = stream.codec_context.layout
    return context


def _announced_s(container: Any, stream: Any, source: Path) -> float | None:
    """The length the file's header announces, where the header is trustworthy."""
    if container.format.name not in _ANNOUNCING:
        return None
    if container.format.name == "mp3" and not _has_mp3_length_header(source):
        return None  # the length is then only a bit-rate estimate
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return container.duration / 1_000_000 if container.duration else None


def _has_mp3_length_header(source: Path) -> bool:
    with source.open("rb") as f:
        head = f.read(64 << 10)
    return any(tag in head for tag in (b"Xing", b"Info", b"VBRI"))


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _decode_to_working_copy(source: Path, target: Path, name: str) -> _Decoded:
    import av

    try:
        container = av.open(str(source))
    except (av.error.FFmpegError, ValueError, OSError):
        raise UnsupportedMedia(
            f"{name}: this is not an audio file the service can read (or it was cut off "
            "before its header ended). Supported: WAV (PCM, mu-law, A-law), MP3, M4A/AAC, "
            "Ogg/Opus, FLAC, AMR, DSS."
        ) from None
    with container:
        if not container.streams.audio:
            raise UnsupportedMedia(f"{name}: the file contains no audio track.")
        stream = container.streams.audio[0]
        codec = stream.codec_context.name
        channels = stream.codec_context.layout.nb_channels
        rate = min(max(stream.codec_context.sample_rate or 16000, 8000), 48000)
        announced = _announced_s(container, stream, source)
        decoder = _decoder(stream)
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
        frames = 0
        with wave.open(str(target), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            try:
                for packet in container.demux(stream):
                    for frame in decoder.decode(packet):
                        frames += _write_frames(out, resampler.resample(frame))
                frames += _write_frames(out, resampler.resample(None))
            except (av.error.FFmpegError, ValueError) as exc:
                arrived = frames / rate
                of = f" of the {_clock(announced)} it announces" if announced else ""
                raise Invalid(
                    f"{name}: the audio is damaged after {_clock(arrived)}{of} "
                    f"({exc.__class__.__name__}). Upload an undamaged copy."
                ) from None
        decoded_s = frames / rate
        if announced and announced - decoded_s > max(_SHORT_BY_S, 0.03 * announced):
            raise Invalid(
                f"{name} is incomplete: only {decoded_s:.1f} s of the {announced:.1f} s its "
                f"header announces arrived ({decoded_s / announced:.0%}). The file was cut "
                "off in transfer or while recording; upload the complete file."
            )
        return _Decoded(
            container=container.format.name,
            codec=codec,
            sample_rate=rate,
            channels=channels,
            duration_ms=round(frames * 1000 / rate),
        )


def _write_frames(out: wave.Wave_write, frames: Iterable[Any]) -> int:
    count = 0
    for frame in frames:
        data = frame.to_ndarray().astype("<i2", copy=False).tobytes()
        out.writeframesraw(data)
        count += frame.samples
    return count


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
