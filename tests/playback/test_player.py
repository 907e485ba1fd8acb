"""The real libvlc player on its dummy output: where audio really lands, speed, formats, errors."""

from __future__ import annotations

import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from scribedesk.playback.player import PlaybackUnavailable, PlayerError, VlcPlayer, load_vlc
from tests.audio_probe import RATE, Capture, locate, make_speech_reference, wait_for
from tests.conftest import DEMO

TEXT = (
    "The customer asked for a revised quote by Friday and mentioned that HubSpot offered "
    "a discount. Next steps are a product call and a follow up next month."
)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, np.ndarray]:
    """40 s of espeak-ng speech as a 16 kHz working-copy WAV, and its samples."""
    path = tmp_path_factory.mktemp("speech") / "speech.wav"
    return path, make_speech_reference(path, TEXT, seconds=40)


@pytest.fixture
def player():
    made = VlcPlayer(audio_output="adummy")
    yield made
    made.close()


def landing_error(
    capture: Capture, reference: np.ndarray, target: int, action, flushed: bool = False
) -> float:
    """ms between where audio resumed after ``action()`` and ``target``."""
    mark = capture.mark()
    action()
    _due, chunk = capture.wait_audio(mark, RATE * 3 // 10, flushed=flushed)
    return locate(reference, chunk, target) - target


def test_seeks_land_exactly_on_the_working_copy(player, reference):
    """Seek while playing, while paused and while stopped: audio resumes within 1 ms of target."""
    path, samples = reference
    capture = Capture(load_vlc(), player.media_player)
    player.load(path)
    assert player.duration_ms == 40_000
    assert abs(landing_error(capture, samples, 0, player.play)) <= 1
    time.sleep(0.3)  # let the start settle, so its events are not taken for the seek's
    errors = []
    for target in (5_000, 12_345, 31_000):
        errors.append(
            landing_error(
                capture, samples, target, lambda t=target: player.seek_ms(t), flushed=True
            )
        )
        time.sleep(0.2)
    player.pause()
    player.seek_ms(8_000)
    errors.append(landing_error(capture, samples, 8_000, player.play))
    player.stop()
    player.seek_ms(22_000)
    errors.append(landing_error(capture, samples, 22_000, player.play))
    assert max(abs(e) for e in errors) <= 1, errors


def test_position_is_shown_at_once_after_a_seek_and_moves_smoothly(player, reference):
    """The display shows the target right away and advances between libvlc's updates."""
    path, _ = reference
    player.load(path)
    player.play()
    wait_for(lambda: player.media_player.get_time() > 0)
    player.seek_ms(20_000)
    assert player.position_ms == 20_000
    seen = []
    for _ in range(12):
        time.sleep(0.02)
        seen.append(player.position_ms)
    assert seen == sorted(seen) and 20_150 < seen[-1] < 20_600
    assert len(set(seen)) >= 10  # moves every tick, not in 250 ms jumps


def test_speed_keeps_pitch(player, tmp_path):
    """At 2x a 1 kHz tone is still 1 kHz (time-stretch) and the audio runs twice as fast."""
    tone = tmp_path / "tone.wav"
    t = np.arange(RATE * 20) / RATE
    with wave.open(str(tone), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.sin(2 * np.pi * 1000 * t) * 12000).astype("<i2").tobytes())
    capture = Capture(load_vlc(), player.media_player)
    player.load(tone)
    player.set_rate(2.0)
    mark = capture.mark()
    player.play()
    _due, chunk = capture.wait_audio(mark, RATE)
    spectrum = np.abs(np.fft.rfft(chunk[RATE // 4 :] * np.hanning(len(chunk) - RATE // 4)))
    peak_hz = np.argmax(spectrum) * RATE / (len(chunk) - RATE // 4)
    assert abs(peak_hz - 1000) < 15
    started = player.media_player.get_time()
    time.sleep(1.0)
    advanced = player.media_player.get_time() - started
    assert 1500 < advanced < 2600


def test_rate_and_volume_are_clamped(player, reference):
    """Speed stays within 0.5x-3.0x and volume within 0-100."""
    player.load(reference[0])
    player.set_rate(9)
    assert player.rate == 3.0
    player.set_rate(0.1)
    assert player.rate == 0.5
    player.set_volume(250)
    assert player.volume == 100


@pytest.mark.parametrize("name", sorted(p.name for p in DEMO.iterdir() if p.suffix != ".json"))
def test_every_demo_format_plays(player, name):
    """MP3, Opus, M4A, FLAC, mu-law and A-law WAV originals all produce audible audio."""
    capture = Capture(load_vlc(), player.media_player)
    player.load(DEMO / name, duration_ms=30_000)
    mark = capture.mark()
    player.play()
    _due, chunk = capture.wait_audio(mark, RATE)
    assert np.abs(chunk).max() > 1000


def test_heard_ranges_follow_real_playback(player, reference):
    """Playing 1 s from 5 s records about [5.0 s, 6.0 s] as heard."""
    player.load(reference[0])
    player.seek_ms(5_000)
    player.play()
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        player.tick()
        time.sleep(0.016)
    player.pause()
    [(start, stop)] = player.heard.ranges.spans
    assert abs(start - 5_000) <= 50 and 850 <= stop - start <= 1_150


def test_playing_to_the_end_reports_it_and_replay_starts_over(player, tmp_path):
    """At the end the ended listener fires; play again starts from the beginning."""
    short = tmp_path / "short.wav"
    make_speech_reference(short, "Short dictation.")
    ended = []
    player.on_ended(lambda: ended.append(True))
    player.load(short)
    player.play()
    wait_for(lambda: ended, timeout=10)
    assert not player.playing
    player.play()
    assert player.position_ms < 500


def test_damaged_wav_is_refused_with_a_message(player, tmp_path):
    """A WAV that is not one raises PlayerError naming the file; the player stays usable."""
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunk")
    with pytest.raises(PlayerError, match=r"broken\.wav is not a playable WAV"):
        player.load(broken)
    with pytest.raises(PlayerError, match="missing"):
        player.load(tmp_path / "nowhere.wav")


def test_undecodable_audio_reports_an_error_not_a_crash(player, tmp_path):
    """Garbage in a compressed format: the error (or end) listener fires, nothing raises."""
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(np.random.default_rng(3).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    news: list[str] = []
    player.on_error(news.append)
    player.on_ended(lambda: news.append("ended"))
    player.load(junk)
    player.play()
    wait_for(lambda: news, timeout=10)
    assert not player.playing


def test_missing_libvlc_gives_install_instructions(monkeypatch):
    """Without libvlc the player says how to install VLC instead of crashing at import."""
    monkeypatch.setitem(sys.modules, "vlc", None)
    with pytest.raises(PlaybackUnavailable, match="apt-get install libvlc5"):
        VlcPlayer()
