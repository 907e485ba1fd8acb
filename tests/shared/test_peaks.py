"""Waveform peaks: computed from a WAV, cached, served bytes read back, drawn at any zoom."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from scribedesk.shared.peaks import (
    cached_peaks,
    compute_peaks_from_wav,
    peaks_for_view,
    read_peaks,
    write_peaks,
)


@pytest.fixture
def tone_wav(tmp_path):
    """3.005 s at 8 kHz: silence for 1 s, a loud tone for 1 s, quiet noise after."""
    rate = 8000
    t = np.arange(rate) / rate
    samples = np.concatenate(
        [
            np.zeros(rate),
            np.sin(2 * np.pi * 440 * t) * 20000,
            np.random.default_rng(1).normal(0, 300, rate + 40),
        ]
    )
    path = tmp_path / "tone.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return path


def test_peaks_follow_the_audio(tone_wav):
    """100 columns a second (the last partial one included); loud where the tone is."""
    peaks = compute_peaks_from_wav(tone_wav)
    assert peaks.shape == (301, 2)
    assert (peaks[:100] == 0).all()
    assert peaks[100:200, 1].min() > 19000 and peaks[100:200, 0].max() < -19000
    assert np.abs(peaks[200:]).max() < 3000


def test_peaks_round_trip_and_cache(tone_wav, tmp_path):
    """Written peaks read back equal; the cache computes once and then reads the file."""
    peaks = compute_peaks_from_wav(tone_wav)
    write_peaks(peaks, tmp_path / "p.peaks")
    assert (read_peaks(tmp_path / "p.peaks") == peaks).all()
    cache = tmp_path / "cache"
    first = cached_peaks(tone_wav, cache)
    [stored] = list(cache.iterdir())
    stored.write_bytes(stored.read_bytes()[:-2])  # damage it: recomputed, not trusted
    assert (cached_peaks(tone_wav, cache) == first).all()
    with pytest.raises(ValueError):
        read_peaks(b"\x00\x01\x02")


def test_view_at_any_zoom(tone_wav):
    """Whole file in 30 px, one second in 1000 px (zoomed in), and past the end."""
    peaks = compute_peaks_from_wav(tone_wav)
    overview = peaks_for_view(peaks, 0, 3000, 30)
    assert overview.shape == (30, 2)
    assert (overview[:10] == 0).all() and overview[10:20, 1].min() > 19000
    zoomed = peaks_for_view(peaks, 1000, 2000, 1000)
    assert zoomed.shape == (1000, 2) and zoomed[:, 1].min() > 19000
    beyond = peaks_for_view(peaks, 2500, 4500, 20)
    assert (beyond[10:] == 0).all() and beyond[:5, 1].max() > 0
    assert peaks_for_view(peaks, 0, 3000, 0).shape == (0, 2)


def test_rendered_frame_shows_loud_and_silent_columns(tone_wav):
    """Silent columns are a thin line; a tone at 61 % of full scale fills 61 % of the height."""
    from scribedesk.shared.peaks import render_waveform

    view = peaks_for_view(compute_peaks_from_wav(tone_wav), 0, 3000, 30)
    pixels = render_waveform(view, 100, foreground=1, background=0)
    lit = (pixels == 1).sum(axis=0)
    assert pixels.shape == (100, 30)
    assert (lit[:10] <= 2).all() and (abs(lit[10:20] - 61) <= 2).all()


@pytest.mark.parametrize("rate", [8000, 11025, 22050, 44100, 48000])
def test_peak_columns_are_exactly_ten_ms_at_any_sample_rate(tmp_path, rate):
    """A click at 61:59.50 of a 62-minute recording is in column 371,950 at every rate:
    a column is 10 ms of audio, not a whole number of samples rounded once and repeated
    (at 22,050 Hz that drifted 8.5 s by the end)."""
    seconds = 62 * 60
    samples = np.zeros(seconds * rate, dtype="<i2")
    click = 3719.5
    samples[round(click * rate) : round(click * rate) + rate // 200] = 30000
    path = tmp_path / f"long-{rate}.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    peaks = compute_peaks_from_wav(path)
    assert len(peaks) == seconds * 100
    assert np.flatnonzero(peaks[:, 1]).tolist() == [371_950]
