"""Upload, audio store and download over real HTTP; bad input stores nothing."""

from __future__ import annotations

import hashlib
import wave
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from scribedesk.server.db.models import Dictation
from tests.conftest import DEMO
from tests.support import Api, speech

DEMO_FILES = sorted(p for p in DEMO.iterdir() if p.suffix != ".json")


def count_dictations(live) -> int:
    with live.state.read() as session:
        return session.scalar(select(func.count(Dictation.id)))


def stored_files(live) -> set[Path]:
    root = live.state.store.root
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("audio", DEMO_FILES, ids=lambda p: p.suffix[1:] + "-" + p.stem)
def test_upload_every_format_detects_duration_and_serves_working_copy(live, demo_users, audio):
    """MP3, Opus, M4A, FLAC, mu-law/A-law WAV: duration measured, seek-exact WAV served."""
    alex = Api.login(live.url, "alex")
    made = alex.upload(audio, priority="urgent", title="Test")
    assert made.status_code == 201, made.text
    item = made.json()
    soxi = float(
        __import__("subprocess")
        .run(["soxi", "-D", str(audio)], capture_output=True, text=True)
        .stdout
        or 0
    )
    if soxi:  # sox reads wav/flac/mp3; for those, agree within 100 ms
        assert abs(item["audio"]["duration_ms"] - soxi * 1000) < 100
    assert item["audio"]["duration_ms"] > 5000
    assert item["due_at"] > item["received_at"]
    sam = Api.login(live.url, "sam")
    full = sam.get(f"/dictations/{item['id']}/audio")
    assert full.status_code == 200
    assert hashlib.sha256(full.content).hexdigest() == full.headers["X-Content-SHA256"]
    assert full.headers["X-Content-SHA256"] == item["audio"]["working_sha256"]
    path = live.state.store.working_path(item["audio"]["original_sha256"])
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        assert abs(w.getnframes() / w.getframerate() * 1000 - item["audio"]["duration_ms"]) <= 1
    original = sam.get(f"/dictations/{item['id']}/audio", params={"variant": "original"})
    assert original.content == audio.read_bytes()


def test_amr_phone_recording_is_accepted(live, demo_users, tmp_path):
    """An AMR-NB recording (as phones make) is decoded into an 8 kHz working copy."""
    import av

    source = speech(tmp_path / "call.wav", "Please call the customer back tomorrow.", rate=8000)
    amr = tmp_path / "call.amr"
    with wave.open(str(source)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    with av.open(str(amr), "w", format="amr") as out:
        stream = out.add_stream("libopencore_amrnb", rate=8000, layout="mono")
        stream.bit_rate = 12200
        for start in range(0, len(pcm) - 160, 160):
            frame = av.AudioFrame.from_ndarray(
                pcm[None, start : start + 160], format="s16", layout="mono"
            )
            frame.sample_rate = 8000
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    alex = Api.login(live.url, "alex")
    made = alex.upload(amr)
    assert made.status_code == 201, made.text
    assert made.json()["audio"]["original_codec"].startswith("amr")
    assert made.json()["audio"]["sample_rate"] == 8000
    assert abs(made.json()["audio"]["duration_ms"] - len(pcm) / 8) < 100


def test_range_requests_resume_a_download(live, demo_users):
    """Two Range requests stitched together equal the whole file (resume and seek)."""
    alex = Api.login(live.url, "alex")
    item = alex.upload(DEMO / "survey-bluebird.wav").json()
    whole = alex.get(f"/dictations/{item['id']}/audio").content
    head = alex.get(f"/dictations/{item['id']}/audio", headers={"Range": "bytes=0-9999"})
    tail = alex.get(f"/dictations/{item['id']}/audio", headers={"Range": "bytes=10000-"})
    assert (head.status_code, tail.status_code) == (206, 206)
    assert head.headers["Content-Range"] == f"bytes 0-9999/{len(whole)}"
    assert head.content + tail.content == whole
    beyond = alex.get(
        f"/dictations/{item['id']}/audio", headers={"Range": f"bytes={len(whole) + 10}-"}
    )
    assert beyond.status_code == 416


def test_peaks_describe_the_speech(live, demo_users):
    """Peaks come at 100 per second and are loud where the speech is."""
    alex = Api.login(live.url, "alex")
    item = alex.upload(DEMO / "memo-pricing.wav").json()
    answer = alex.get(f"/dictations/{item['id']}/peaks")
    peaks = np.frombuffer(answer.content, dtype="<i2").reshape(-1, 2)
    assert answer.headers["X-Peaks-Per-Second"] == "100"
    assert abs(len(peaks) - item["audio"]["duration_ms"] / 10) <= 1
    assert (peaks[:, 0] <= peaks[:, 1]).all()
    assert peaks[:, 1].max() > 3000


def test_same_audio_twice_is_stored_once(live, demo_users):
    """Content addressing: two dictations on identical bytes share one stored file."""
    alex = Api.login(live.url, "alex")
    first = alex.upload(DEMO / "survey-maple.opus").json()
    files = stored_files(live)
    second = alex.upload(DEMO / "survey-maple.opus").json()
    assert first["id"] != second["id"]
    assert first["audio"] == second["audio"]
    assert stored_files(live) == files


def test_transcriptionist_sees_only_own_audio_and_trainee_none(live, demo_users):
    """Tara can fetch the audio of her job, not of another; a trainee sees no production
    audio (403 saying why) and lists only their training attempts (none yet)."""
    alex = Api.login(live.url, "alex")
    a = alex.upload(DEMO / "memo-pricing.wav").json()
    b = alex.upload(DEMO / "survey-harbor.mp3").json()
    tara, trey = Api.login(live.url, "tara"), Api.login(live.url, "trey")
    mine = tara.post("/jobs/next").json()["id"]
    other = b["id"] if mine == a["id"] else a["id"]
    assert tara.get(f"/dictations/{mine}/audio", headers={"Range": "bytes=0-1"}).status_code == 206
    assert tara.get(f"/dictations/{other}/audio").status_code == 404
    assert tara.get(f"/dictations/{other}").status_code == 404
    refused = trey.get(f"/dictations/{mine}/audio")
    assert refused.status_code == 403
    assert "training" in refused.json()["detail"]
    assert trey.get("/dictations").json() == []
    assert [d["id"] for d in tara.get("/dictations").json()] == [mine]


def test_authors_see_their_own_dictations_only(live, demo_users, password_hash):
    """One rep cannot list or open another rep's dictations."""
    from scribedesk.server.db.models import User

    with live.state.write() as session:
        session.add(
            User(
                username="bea",
                display_name="Bea",
                role="author",
                password_hash=password_hash,
                active=True,
                created_at=live.state.clock(),
            )
        )
    alex, bea = Api.login(live.url, "alex"), Api.login(live.url, "bea")
    item = alex.upload(DEMO / "memo-pricing.wav").json()
    assert bea.get("/dictations").json() == []
    assert bea.get(f"/dictations/{item['id']}").status_code == 404
    assert [d["id"] for d in alex.get("/dictations").json()] == [item["id"]]


def bad_uploads(tmp: Path) -> dict[str, tuple[Path, int, str]]:
    """name -> (file, expected status, phrase the message must contain)."""
    text = tmp / "notes.wav"
    text.write_text("Dear customer, this is not audio at all.\n" * 50)
    noise = tmp / "noise.mp3"
    noise.write_bytes(np.random.default_rng(1).integers(0, 256, 20000, dtype=np.uint8).tobytes())
    speech_file = speech(tmp / "speech.wav", "The meeting went well and the customer will sign.")
    truncated = tmp / "truncated.wav"
    truncated.write_bytes(speech_file.read_bytes()[: speech_file.stat().st_size // 2])
    ds2 = tmp / "dictation.ds2"
    ds2.write_bytes(b"\x03ds2" + bytes(4000))
    tiny = tmp / "tiny.wav"
    with wave.open(str(tiny), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(bytes(800))
    empty = tmp / "empty.mp3"
    empty.write_bytes(b"")
    cut_mp3 = tmp / "cut.mp3"  # the first 20 KB of a 37 s recording
    cut_mp3.write_bytes((DEMO / "acme-renewal.mp3").read_bytes()[:20_000])
    cut_flac = tmp / "cut.flac"
    cut_flac.write_bytes((DEMO / "umbrella-lost.flac").read_bytes()[:183_000])
    return {
        "cut_mp3": (cut_mp3, 422, "only 4.9 s of the 37.3 s its header announces arrived (13%)"),
        "cut_flac": (cut_flac, 422, "of the 00:00:20 it announces"),
        "text": (text, 415, "not an audio file"),
        "noise": (noise, 415, "not an audio file"),
        "truncated": (truncated, 422, "truncated"),
        "ds2": (ds2, 415, "DS2"),
        "too_short": (tiny, 422, "only 50 ms"),
        "empty": (empty, 422, "is empty (0 bytes)"),
    }


@pytest.mark.parametrize(
    "case", ["text", "noise", "truncated", "cut_mp3", "cut_flac", "ds2", "too_short", "empty"]
)
def test_bad_audio_is_refused_and_nothing_is_stored(live, demo_users, tmp_path, case):
    """Not audio, truncated (WAV, MP3, FLAC: saying how much arrived), DS2, too short,
    empty: a 4xx that says why; no dictation, no file."""
    path, status, phrase = bad_uploads(tmp_path)[case]
    alex = Api.login(live.url, "alex")
    before = stored_files(live)
    answer = alex.upload(path)
    assert answer.status_code == status, answer.text
    assert phrase in answer.json()["detail"]
    assert count_dictations(live) == 0
    assert stored_files(live) == before


def test_oversize_upload_is_refused_before_storing(live, demo_users, tmp_path):
    """An upload over the size limit gets 413 and leaves nothing behind."""
    big = tmp_path / "long.wav"
    with wave.open(str(big), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(48000)
        w.writeframes(bytes(22 << 20))
    alex = Api.login(live.url, "alex")
    answer = alex.upload(big)
    assert answer.status_code == 413
    assert "larger than the limit of 20 MB" in answer.json()["detail"]
    assert count_dictations(live) == 0
    assert not [p for p in stored_files(live) if "original" in p.parts]


@pytest.mark.parametrize(
    ("form", "phrase"),
    [
        ({"template_id": "no-such-template"}, "Unknown template"),
        ({"priority": "whenever"}, "priority"),
        ({"account": ""}, "account"),
    ],
)
def test_bad_intake_is_refused(live, demo_users, form, phrase):
    """Unknown template, unknown priority, no account: 422 naming the problem, nothing stored."""
    alex = Api.login(live.url, "alex")
    answer = alex.upload(DEMO / "memo-pricing.wav", **form)
    assert answer.status_code == 422
    assert phrase in answer.json()["detail"]
    assert count_dictations(live) == 0


def test_only_authors_and_overseers_upload(live, demo_users):
    """A transcriptionist cannot upload dictations."""
    tara = Api.login(live.url, "tara")
    answer = tara.upload(DEMO / "memo-pricing.wav")
    assert answer.status_code == 403


def test_malformed_json_and_unknown_keys_get_readable_422(live, demo_users):
    """Broken JSON or a misspelt key: 422 with a sentence, never a 500."""
    ada = Api.login(live.url, "ada")
    broken = ada.post("/users", data="{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 422 and broken.json()["code"] == "invalid"
    typo = ada.post(
        "/users",
        json={"username": "zed", "role": "author", "password": "long-enough", "rol": "admin"},
    )
    assert typo.status_code == 422 and "rol" in typo.json()["detail"]


def test_due_time_follows_turnaround_policy(live, demo_users):
    """STAT is due within an hour of receipt, routine within a day (defaults)."""
    from datetime import datetime

    alex = Api.login(live.url, "alex")
    for priority, hours in (("stat", 1), ("urgent", 4), ("routine", 24)):
        item = alex.upload(DEMO / "memo-pricing.wav", priority=priority).json()
        received = datetime.fromisoformat(item["received_at"])
        due = datetime.fromisoformat(item["due_at"])
        assert (due - received).total_seconds() == hours * 3600


def amr_with_comfort_noise(path: Path) -> tuple[Path, float]:
    """An AMR-NB phone recording with DTX: speech, three seconds of pause sent as
    comfort-noise (SID) and no-data frames, speech again. Made with the opencore encoder."""
    import av

    words = speech(path.with_suffix(".wav"), "Met with Acme today about the renewal.", rate=8000)
    with wave.open(str(words)) as w:
        said = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    pcm = np.concatenate([said, np.zeros(3 * 8000, dtype="<i2"), said])
    pcm = np.pad(pcm, (0, -len(pcm) % 160))
    with av.open(str(path), "w", format="amr") as out:
        stream = out.add_stream("libopencore_amrnb", rate=8000, options={"dtx": "1"})
        stream.bit_rate = 12200
        stream.layout = "mono"
        for start in range(0, len(pcm), 160):
            frame = av.AudioFrame.from_ndarray(
                pcm[start : start + 160].reshape(1, -1), format="s16", layout="mono"
            )
            frame.sample_rate, frame.pts = 8000, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    data = path.read_bytes()
    assert data.startswith(b"#!AMR\n")
    frame_types = set()
    at = 6
    while at < len(data):
        kind = data[at] >> 3 & 15
        frame_types.add(kind)
        at += (13, 14, 16, 18, 20, 21, 27, 32, 6, 0, 0, 0, 0, 0, 0, 1)[kind] or 1
    assert {8, 15} <= frame_types, "the recording has comfort-noise and no-data frames"
    return path, len(pcm) / 8000


def test_a_phone_recording_with_comfort_noise_frames_is_accepted(live, demo_users, tmp_path):
    """AMR-NB with DTX, as phone systems send it, decodes to its whole length."""
    path, seconds = amr_with_comfort_noise(tmp_path / "voicemail.amr")
    answer = Api.login(live.url, "alex").upload(path, template_id="general-memo")
    assert answer.status_code == 201, answer.text
    audio = answer.json()["audio"]
    assert audio["original_codec"] == "amrnb"
    assert abs(audio["duration_ms"] / 1000 - seconds) < 0.1
