"""The audio player over python-vlc (libvlc 3): load, play, pause, seek, speed, volume.

Facts measured on libvlc 3.0 that shape this class:

- ``get_time()`` returns a requested time the instant ``set_time()`` is called and then
  updates only every 250-1000 ms, so the position shown comes from PlaybackClock
  (interpolated, re-anchored on every seek) and never proves where audio really is.
- Time-stretch (pitch kept at any speed) is libvlc's default; ``--audio-time-stretch``
  is passed anyway so a user's vlcrc cannot turn it off.
- libvlc events arrive on libvlc's own threads and libvlc must not be called from them.
  Listeners registered with ``on_ended``/``on_error`` run on that thread: they must only
  hand the news over (the workstation emits a Qt signal, delivered on the GUI thread).

Threading: call the player's methods from one thread (the GUI thread).
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from scribedesk.playback.clock import PlaybackClock
from scribedesk.playback.heard import HeardTracker

MIN_RATE, MAX_RATE = 0.5, 3.0


class PlaybackUnavailable(RuntimeError):
    """libvlc is missing; the message says how to install it on this platform."""


class PlayerError(RuntimeError):
    """The audio cannot be played (missing, unreadable, corrupt); the message says which."""


def install_hint(platform: str = sys.platform) -> str:
    """How to get libvlc on ``platform``."""
    if platform.startswith("linux"):
        return (
            "Install VLC's library: on Debian/Ubuntu 'sudo apt-get install libvlc5 "
            "vlc-plugin-base', on Fedora 'sudo dnf install vlc-libs vlc-plugins-base'."
        )
    if platform == "darwin":
        return "Install VLC from videolan.org into /Applications (ScribeDesk uses its library)."
    if platform.startswith("win"):
        return (
            "Install the 64-bit VLC from videolan.org (it must match 64-bit Python); "
            "ScribeDesk finds it in Program Files."
        )
    return "Install VLC (libvlc 3) for this platform."


def load_vlc() -> ModuleType:
    """Import python-vlc lazily; PlaybackUnavailable with an install hint when libvlc is absent."""
    try:
        import vlc
    except (ImportError, OSError, NotImplementedError, AttributeError) as exc:
        raise PlaybackUnavailable(f"Audio playback needs VLC ({exc}). {install_hint()}") from None
    module: ModuleType = vlc
    return module


def wav_duration_ms(path: Path) -> int:
    """Duration from a WAV's fmt and data chunks (PCM, mu-law, A-law); PlayerError if damaged."""
    try:
        with path.open("rb") as f:
            head = f.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                raise ValueError("no RIFF/WAVE header")
            byte_rate = 0
            while chunk := f.read(8):
                if len(chunk) < 8:
                    break
                name, size = chunk[:4], int(struct.unpack("<I", chunk[4:])[0])
                if name == b"fmt ":
                    fmt = f.read(size)
                    byte_rate = int(struct.unpack("<I", fmt[8:12])[0])
                    f.seek(size & 1, 1)
                elif name == b"data":
                    if not byte_rate:
                        raise ValueError("data before fmt chunk")
                    available = min(size, path.stat().st_size - f.tell())
                    if available <= 0:
                        raise ValueError("no samples")
                    return round(available * 1000 / byte_rate)
                else:
                    f.seek(size + (size & 1), 1)
        raise ValueError("no data chunk")
    except (ValueError, OSError, struct.error) as exc:
        raise PlayerError(f"{path.name} is not a playable WAV file ({exc}).") from None


class VlcPlayer:
    """One dictation's audio. ``audio_output`` e.g. "adummy" for a machine without sound."""

    def __init__(
        self,
        audio_output: str | None = None,
        extra_args: Sequence[str] = (),
        clock: PlaybackClock | None = None,
    ) -> None:
        self._vlc = load_vlc()
        args = [
            "--no-video",
            "--intf=dummy",
            "--no-xlib",
            "--audio-time-stretch",
            "--verbose=-1",
            *extra_args,
        ]
        if audio_output:
            args.append(f"--aout={audio_output}")
        self._instance = self._vlc.Instance(args)
        if self._instance is None:
            raise PlaybackUnavailable(f"libvlc could not start. {install_hint()}")
        self._mp = self._instance.media_player_new()
        self.clock = clock or PlaybackClock()
        self.heard = HeardTracker()
        self._path: Path | None = None
        self._duration_ms = 0
        self._playing = False
        self._rate = 1.0
        self._volume = 100
        self._pending_seek: int | None = 0
        self._opening_at = 0
        self._opened = False
        self._ended: list[Callable[[], None]] = []
        self._errors: list[Callable[[str], None]] = []
        events = self._mp.event_manager()
        events.event_attach(self._vlc.EventType.MediaPlayerEndReached, self._on_end)
        events.event_attach(self._vlc.EventType.MediaPlayerEncounteredError, self._on_error)

    # -- events (called on a libvlc thread) ----------------------------------------------------

    def on_ended(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (on a libvlc thread) when playback reaches the end."""
        self._ended.append(listener)

    def on_error(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(message)`` (on a libvlc thread) when libvlc cannot play the audio."""
        self._errors.append(listener)

    def _on_end(self, _event: Any) -> None:
        # Only Python state here: libvlc must not be called from its own event thread.
        # The last tick came up to a frame before the end: the rest was heard too.
        self.heard.observe(self._duration_ms, self._playing, self._rate)
        self._playing = False
        self._opened = False
        self._pending_seek = self._duration_ms
        for listener in self._ended:
            listener()

    def _on_error(self, _event: Any) -> None:
        self._playing = False
        self._opened = False
        name = self._path.name if self._path else "the audio"
        for listener in self._errors:
            listener(f"{name} could not be played: the file is damaged or not audio.")

    # -- loading -------------------------------------------------------------------------------

    def load(self, path: Path, duration_ms: int | None = None) -> None:
        """Open ``path`` paused at 0. PlayerError if it is missing or a damaged WAV.

        A WAV header is read directly (instant, exact); other formats get their
        duration from ``duration_ms`` or from libvlc once playing.
        """
        if not path.is_file():
            raise PlayerError(f"The audio file {path.name} is missing.")
        if path.suffix.lower() == ".wav":
            duration_ms = wav_duration_ms(path)
        self._mp.stop()
        self._opened = False
        self._path = path
        self._duration_ms = duration_ms or 0
        self._playing = False
        self._pending_seek = 0
        self.clock.seeked(0)
        self.heard = HeardTracker()

    @property
    def media_player(self) -> Any:
        """The underlying vlc.MediaPlayer (for diagnostics and measurements)."""
        return self._mp

    # -- transport (PlayerPort) --------------------------------------------------------------

    @property
    def playing(self) -> bool:
        """True from play() until pause(), stop(), the end or an error."""
        return self._playing

    @property
    def duration_ms(self) -> int:
        """Length of the loaded audio (0 until known)."""
        if not self._duration_ms and self._path is not None:
            length = self._mp.get_length()
            if length and length > 0:
                self._duration_ms = int(length)
        return self._duration_ms

    @property
    def position_ms(self) -> int:
        """Where playback is now (interpolated; the requested value right after a seek)."""
        if self._pending_seek is not None:
            return self._pending_seek
        raw = self._mp.get_time() if self._live() else None
        if raw is not None and (raw < 0 or raw < self._opening_at - 100):
            raw = None  # libvlc reports 0 until it has opened the file at its start time
        elif raw is not None:
            self._opening_at = 0
        position = self.clock.tick(raw, self._playing, self._rate)
        if self._duration_ms:
            position = min(position, self._duration_ms)
        return position

    def tick(self) -> int:
        """Read the position for display and record heard audio (call it at ~60 Hz)."""
        position = self.position_ms
        self.heard.observe(position, self._playing, self._rate)
        return position

    def _live(self) -> bool:
        """True when libvlc has the media open (playing or paused), so set_time works."""
        state = self._mp.get_state()
        return self._opened and state in (
            self._vlc.State.Playing,
            self._vlc.State.Paused,
            self._vlc.State.Buffering,
        )

    def _start_media(self, start: int) -> None:
        # A fresh media with a start time: set_time() is ignored until libvlc has opened
        # the file, the start-time option is not.
        assert self._path is not None
        media = self._instance.media_new_path(str(self._path))
        if start:
            media.add_option(f"start-time={start / 1000:.3f}")
        self._mp.set_media(media)
        self._mp.play()
        self._opened = True
        self._opening_at = start
        self.clock.seeked(start)

    def play(self) -> None:
        """Start or resume playback (from the start again after the end).

        Decisions use the player's own state, not libvlc's, which lags commands by a
        few milliseconds (a pause() just issued may still read as Playing).
        """
        if self._path is None:
            raise PlayerError("No audio is loaded.")
        if self._opened:
            self._mp.set_pause(0)
        else:
            start = self._pending_seek or 0
            if self._duration_ms and start >= self._duration_ms:
                start = 0
            self._start_media(start)
        self._pending_seek = None
        self._playing = True
        self._mp.set_rate(self._rate)

    def pause(self) -> None:
        """Pause where playback is."""
        if self._playing:
            self._mp.set_pause(1)
        self._playing = False

    def stop(self) -> None:
        """Stop and go back to the start."""
        self._mp.stop()
        self._opened = False
        self._playing = False
        self._pending_seek = 0
        self.clock.seeked(0)
        self.heard.seeked()

    def seek_ms(self, position_ms: int) -> None:
        """Go to ``position_ms`` (clamped to the audio); the display follows at once."""
        target = max(0, int(position_ms))
        if self.duration_ms:
            target = min(target, self.duration_ms)
        self.heard.seeked()
        self.clock.seeked(target)
        if not self._opened:
            self._pending_seek = target
        elif self._live():
            self._mp.set_time(target)
            self._opening_at = 0
        elif self._playing:  # still opening: start again at the target
            self._start_media(target)
        else:
            self._mp.stop()
            self._opened = False
            self._pending_seek = target

    @property
    def rate(self) -> float:
        """Playback speed (1.0 = normal)."""
        return self._rate

    def set_rate(self, rate: float) -> None:
        """Speed 0.5x-3.0x; pitch is kept (libvlc's scaletempo)."""
        _ = self.position_ms  # re-anchor the clock at the old rate before changing it
        self._rate = min(max(float(rate), MIN_RATE), MAX_RATE)
        self._mp.set_rate(self._rate)

    @property
    def volume(self) -> int:
        """Volume 0-100."""
        return self._volume

    def set_volume(self, volume: int) -> None:
        """Set the volume, 0-100."""
        self._volume = min(max(int(volume), 0), 100)
        self._mp.audio_set_volume(self._volume)

    def close(self) -> None:
        """Release libvlc resources."""
        self._mp.stop()
        self._mp.release()
        self._instance.release()
