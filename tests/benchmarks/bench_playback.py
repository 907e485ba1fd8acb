"""Playback benchmark: pedal and hotkey to audio, seek landing, opening, peaks, drawing.

Real parts throughout: libvlc (its audio captured through amem callbacks, which give
each buffer's due time), the pedal manager's thread and the Qt bridge and timers, pynput
under Xvfb pressed by xdotool, QPainter for drawing. The USB pedal itself is a scripted
HID bus (this machine has no /dev/uhid to make a virtual one). Prints ``BENCH`` lines:

* pedal_to_state p50/p99, pedal_to_first_audio p50/p99 (press plays, release pauses)
* hotkey_to_state p50/p99 (from starting xdotool, so process start-up is included)
* backstep/seek landing error, max, on the WAV working copy; raw MP3 VBR and Opus beside it
* open_60min_to_first_audio (load + play of the 60-minute working copy)
* peaks_60min (peaks of the 60-minute working copy, as at upload), frame_draw p99

Usage: python tests/benchmarks/bench_playback.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402

from scribedesk.playback.inputs import InputRouter  # noqa: E402
from scribedesk.playback.pedals.manager import EventKind, HidSource, PedalManager  # noqa: E402
from scribedesk.playback.player import VlcPlayer, load_vlc  # noqa: E402
from scribedesk.playback.transport import (  # noqa: E402
    Action,
    TransportController,
    TransportSettings,
)
from scribedesk.shared.peaks import (  # noqa: E402
    compute_peaks_from_wav,
    peaks_for_view,
    render_waveform,
)
from scribedesk.ui.bridge import QtScheduler, ThreadBridge  # noqa: E402
from tests.audio_probe import RATE, Capture, locate, make_speech_reference  # noqa: E402
from tests.playback.test_pedal_manager import VEC, FakeBus  # noqa: E402
from tests.xserver import start_xvfb  # noqa: E402

TEXT = (
    "Call report for Acme Logistics. I met with Dana Whitfield and Raj Menon on Tuesday. "
    "The renewal is at risk because the route planning module has been slow."
)


def pct(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] if len(values) > 1 else values[0]


def spin(app: QCoreApplication, condition, timeout: float = 5.0) -> float:  # type: ignore[no-untyped-def]
    """Process Qt events until ``condition()``; returns the perf_counter when it held."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition not reached")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
    return time.perf_counter()


def wait(app: QCoreApplication, seconds: float) -> None:
    """Let Qt run for ``seconds``."""
    until = time.perf_counter() + seconds
    spin(app, lambda: time.perf_counter() > until)


def bench_pedal(app: QCoreApplication, wav: Path, rounds: int) -> None:
    vlc = load_vlc()
    player = VlcPlayer(audio_output="adummy")
    capture = Capture(vlc, player.media_player)
    player.load(wav)
    transport = TransportController(player, QtScheduler(), TransportSettings(backstep_s=1.0))
    router = InputRouter(transport)
    bridge = ThreadBridge()
    bridge.pedal_event.connect(router.pedal)
    bus = FakeBus()
    bus.plug(VEC)
    manager = PedalManager(HidSource(bus), bridge.on_pedal, scan_interval_s=0.05)  # type: ignore[arg-type]
    connected: list[bool] = []
    bridge.pedal_event.connect(lambda e: connected.append(e.kind is EventKind.CONNECTED))
    manager.start()
    spin(app, lambda: any(connected))
    mp = player.media_player
    to_state, to_audio, to_pause = [], [], []
    for _ in range(rounds):
        mark = capture.mark()
        started = time.perf_counter()
        bus.reports.put(b"\x02\x00")  # middle pedal down
        playing_at = spin(app, lambda: mp.get_state() == vlc.State.Playing)
        to_state.append((playing_at - started) * 1000)
        due, _chunk = capture.wait_audio(mark, 160)
        to_audio.append((due - started) * 1000)
        wait(app, 0.3)
        started = time.perf_counter()
        bus.reports.put(b"\x00\x00")  # released: pause and step back
        paused_at = spin(app, lambda: mp.get_state() == vlc.State.Paused)
        to_pause.append((paused_at - started) * 1000)
        wait(app, 0.1)
    manager.stop()
    player.close()
    print(f"BENCH pedal_to_state_p50 {pct(to_state, 50):.1f} ms")
    print(f"BENCH pedal_to_state_p99 {pct(to_state, 99):.1f} ms")
    print(f"BENCH pedal_to_first_audio_p50 {pct(to_audio, 50):.1f} ms")
    print(f"BENCH pedal_to_first_audio_p99 {pct(to_audio, 99):.1f} ms")
    print(f"BENCH pedal_release_to_paused_p99 {pct(to_pause, 99):.1f} ms")


def bench_hotkey(app: QCoreApplication, wav: Path, rounds: int) -> None:
    from scribedesk.playback.hotkeys import PRESETS, GlobalHotkeys

    started_x = start_xvfb(first=120)
    if started_x is None:
        print("hotkey benchmark skipped: Xvfb/xdotool missing", file=sys.stderr)
        return
    server, display = started_x
    os.environ["DISPLAY"] = display
    vlc = load_vlc()
    player = VlcPlayer(audio_output="adummy")
    player.load(wav)
    router = InputRouter(TransportController(player, QtScheduler()))
    bridge = ThreadBridge()
    bridge.hotkey.connect(lambda name, down: router.hotkey(Action(name), down))
    keys = GlobalHotkeys(
        PRESETS["express_scribe"], bridge.on_hotkey_press, bridge.on_hotkey_release
    )
    keys.start()
    mp = player.media_player
    env = {**os.environ, "DISPLAY": display}
    latencies = []
    try:
        for i in range(rounds):
            want = vlc.State.Playing if i % 2 == 0 else vlc.State.Paused
            started = time.perf_counter()
            subprocess.Popen(["xdotool", "key", "F9"], env=env)
            latencies.append((spin(app, lambda w=want: mp.get_state() == w) - started) * 1000)
            wait(app, 0.25)
    finally:
        keys.stop()
        player.close()
        # pynput's XRecord thread ends on the next key event: send one, then stop X.
        subprocess.run(["xdotool", "key", "shift"], env=env, capture_output=True, timeout=10)
        time.sleep(0.2)
        server.terminate()
    print(f"BENCH hotkey_to_state_p50 {pct(latencies, 50):.1f} ms")
    print(f"BENCH hotkey_to_state_p99 {pct(latencies, 99):.1f} ms")


def landing_errors(path: Path, reference: np.ndarray, targets: list[int]) -> list[float]:
    """Where audio resumes after the backstep path (pause, seek back, play), per target."""
    vlc = load_vlc()
    player = VlcPlayer(audio_output="adummy")
    capture = Capture(vlc, player.media_player)
    player.load(path, duration_ms=len(reference) * 1000 // RATE)
    mark = capture.mark()
    player.play()
    capture.wait_audio(mark, RATE // 2)
    errors = []
    for target in targets:
        player.pause()
        time.sleep(0.05)
        player.seek_ms(target)
        mark = capture.mark()
        player.play()
        _due, chunk = capture.wait_audio(mark, RATE * 3 // 10)
        errors.append(locate(reference, chunk, target) - target)
        time.sleep(0.15)
    player.close()
    return errors


def bench_landing(tmp: Path, rounds: int) -> None:
    wav = tmp / "landing.wav"
    reference = make_speech_reference(wav, TEXT, seconds=60)
    rng = np.random.default_rng(5)
    targets = [int(t) for t in rng.integers(2_000, 55_000, rounds)]
    errors = landing_errors(wav, reference, targets)
    print(f"BENCH landing_error_working_copy_max {max(abs(e) for e in errors):.1f} ms")
    for name, args in (
        ("mp3_vbr", ["-c:a", "libmp3lame", "-q:a", "4"]),
        ("opus", ["-c:a", "libopus", "-b:a", "32k"]),
    ):
        encoded = tmp / f"landing.{name}.{'mp3' if 'mp3' in name else 'opus'}"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(wav), *args, str(encoded)],
            check=True,
        )
        raw = landing_errors(encoded, reference, targets)
        print(f"BENCH landing_error_raw_{name}_max {max(abs(e) for e in raw):.1f} ms")


def make_hour(tmp: Path, minutes: int) -> Path:
    piece = tmp / "piece.wav"
    make_speech_reference(piece, TEXT)
    long = tmp / f"{minutes}min.wav"
    seconds = float(
        subprocess.run(
            ["soxi", "-D", str(piece)], capture_output=True, text=True, check=True
        ).stdout
    )
    subprocess.run(
        ["sox", str(piece), str(long), "repeat", str(int(minutes * 60 / seconds))], check=True
    )
    return long


def bench_open(long: Path, minutes: int, rounds: int) -> None:
    vlc = load_vlc()
    times = []
    for _ in range(rounds):
        player = VlcPlayer(audio_output="adummy")
        capture = Capture(vlc, player.media_player)
        started = time.perf_counter()
        player.load(long)
        player.seek_ms(player.duration_ms // 2)  # reopen where the draft left off
        mark = capture.mark()
        player.play()
        due, _ = capture.wait_audio(mark, 160)
        times.append((due - started) * 1000)
        player.close()
    print(f"BENCH open_{minutes}min_to_first_audio_max {max(times):.1f} ms")
    print(f"BENCH open_{minutes}min_to_first_audio_p50 {statistics.median(times):.1f} ms")


def bench_peaks_and_drawing(long: Path, minutes: int) -> None:
    started = time.perf_counter()
    peaks = compute_peaks_from_wav(long)
    print(f"BENCH peaks_{minutes}min {(time.perf_counter() - started) * 1000:.0f} ms")
    from PySide6.QtGui import QImage, QPainter

    width, height = 1920, 120
    target = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    duration = len(peaks) * 10
    spans = [(0, duration), (duration // 3, duration // 3 + 60_000), (1_000, 11_000)]
    frames = []
    for i in range(300):
        start, end = spans[i % len(spans)]
        shift = (i * 37) % 1000
        begun = time.perf_counter()
        pixels = render_waveform(peaks_for_view(peaks, start + shift, end + shift, width), height)
        frame = QImage(pixels.data, width, height, QImage.Format.Format_ARGB32)
        painter = QPainter(target)
        painter.drawImage(0, 0, frame)
        painter.end()
        frames.append((time.perf_counter() - begun) * 1000)
    print(f"BENCH frame_draw_1920px_p50 {pct(frames, 50):.2f} ms")
    print(f"BENCH frame_draw_1920px_p99 {pct(frames, 99):.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 10-minute file")
    args = parser.parse_args()
    rounds = 15 if args.quick else 60
    minutes = 10 if args.quick else 60
    app = QCoreApplication.instance() or QCoreApplication([])
    QTimer()  # make sure the Qt event machinery is up
    tmp = Path(tempfile.mkdtemp(prefix="bench-playback-"))
    try:
        wav = tmp / "speech.wav"
        make_speech_reference(wav, TEXT, seconds=120)
        bench_pedal(app, wav, rounds)
        bench_hotkey(app, wav, rounds)
        bench_landing(tmp, 8 if args.quick else 24)
        long = make_hour(tmp, minutes)
        bench_open(long, minutes, 5 if args.quick else 10)
        bench_peaks_and_drawing(long, minutes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
