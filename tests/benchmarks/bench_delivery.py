"""Delivery benchmark: final transcripts to a signed-webhook receiver on loopback.

* delivery_webhook_per_second: 1,000 final transcripts delivered by the service's own
  delivery step (server.app.deliver_once, as its worker runs it), to a receiver that
  verifies every signature with the Standard Webhooks library; one answer in 20 comes too
  late (the record kept, the answer after the sender's timeout), so those are retried.
* delivery_duplicates: records the receiver got under more than one message id, or a
  dictation delivered twice (must be 0); delivery_retries: the attempts that were repeats.
* docx_call_report_p50 / _max / _first (ms): a call report's Word document (goal ≤ 100 ms).
* proposal_40_sections_p50 / _max (ms): a proposal of 40 dictated sections compiled into
  its draft .docx, from the database to the bytes (goal ≤ 2 s).

The service's clock jumps over each backoff instead of waiting it out; the figure is the
sending itself. Usage: python tests/benchmarks/bench_delivery.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def seed(
    state,
    count: int,
    template_id: str = "general-memo",
    fields=None,
    narrative: str = "",
    deliver: bool = True,
) -> None:  # type: ignore[no-untyped-def]
    """``count`` submitted dictations of a template, each with its final version (and a
    pending webhook delivery when ``deliver``); ``fields(n)`` gives the nth one's fields."""
    fields = fields or (lambda _n: {"subject": "Discount approvals"})
    narrative = narrative or "Any discount above fifteen percent needs approval. " * 20
    from sqlalchemy import insert

    from scribedesk.server import dictations
    from scribedesk.server.db.models import Delivery, Dictation, TranscriptVersion, User
    from scribedesk.server.security import hash_password

    now = state.clock()
    with (ROOT / "resources" / "demo" / "memo-pricing.wav").open("rb") as f:
        info = state.store.add(f, "memo-pricing.wav")
    with state.write() as session:
        user = User(
            username="tara",
            display_name="Tara",
            role="transcriptionist",
            password_hash=hash_password("bench"),
            active=True,
            created_at=now,
        )
        session.add(user)
        session.flush()
        dictations.ensure_audio(session, info, "memo.wav", now)
        rows = [
            {
                "author_id": user.id,
                "audio_sha256": info.sha256,
                "account": f"Account {n}",
                "title": "Memo",
                "author_note": "",
                "template_id": template_id,
                "template_version": 1,
                "priority": "routine",
                "queue_order": 2,
                "status": "submitted",
                "received_at": now,
                "due_at": now,
                "assignee_id": user.id,
                "last_assignee_id": user.id,
                "manual_assignment": False,
                "attempt": 1,
                "return_note": "",
                "updated_at": now,
            }
            for n in range(count)
        ]
        ids = session.scalars(insert(Dictation).returning(Dictation.id), rows).all()
        session.execute(
            insert(TranscriptVersion),
            [
                {
                    "dictation_id": i,
                    "number": 1,
                    "kind": "submit",
                    "user_id": user.id,
                    "fields": fields(n),
                    "narrative": narrative,
                    "markers": [],
                    "quality_report": {},
                    "time_spent_s": 60,
                    "note_to_supervisor": "",
                    "created_at": now,
                }
                for n, i in enumerate(ids)
            ],
        )
        if not deliver:
            return
        session.execute(
            insert(Delivery),
            [
                {
                    "dictation_id": i,
                    "version": 1,
                    "destination": "webhook",
                    "message_id": f"msg_sd_{i}_1_webhook",
                    "state": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "last_error": "",
                    "answer": {},
                    "created_at": now,
                    "updated_at": now,
                }
                for i in ids
            ],
        )


def bench(count: int) -> dict[str, float]:
    from sqlalchemy import func, select

    from scribedesk.server.app import build_state, deliver_once
    from scribedesk.server.db.models import Delivery
    from scribedesk.server.settings import ServerSettings
    from tests.webhook_receiver import SECRET, Receiver

    receiver = Receiver(slow_s=0.4)
    receiver.script = ["slow" if n % 20 == 7 else "ok" for n in range(count)]
    data = Path(tempfile.mkdtemp(prefix="bench-delivery-"))
    clock = Clock()
    settings = ServerSettings(
        data_dir=data,
        db_url=f"sqlite:///{data / 'delivery.db'}",
        webhook_url=receiver.url,
        webhook_secret=SECRET,
        webhook_timeout_s=0.25,
    )
    state = build_state(settings, clock)
    seed(state, count)
    started = time.perf_counter()
    sending = 0.0
    while True:
        began = time.perf_counter()
        if deliver_once(state):
            sending += time.perf_counter() - began
            continue
        with state.read() as session:
            left = session.scalar(
                select(func.count(Delivery.id)).where(Delivery.state != "delivered")
            )
        if not left:
            break
        clock.offset += timedelta(seconds=6)  # over the first backoff
    elapsed = time.perf_counter() - started
    with state.read() as session:
        attempts = session.scalar(select(func.sum(Delivery.attempts))) or 0
        delivered = session.scalar(
            select(func.count(Delivery.id)).where(Delivery.state == "delivered")
        )
    duplicates = (len(receiver.seen) - len(receiver.records)) + (int(delivered or 0) - count)
    receiver.close()
    return {
        "per_second": count / sending,
        "elapsed": elapsed,
        "duplicates": float(duplicates + len(receiver.refused)),
        "retries": float(attempts - count),
        "records": float(len(receiver.records)),
    }


def bench_docx(rounds: int) -> dict[str, float]:
    """A call report's Word document (server.documents), from the demo's Acme dictation."""
    import json
    import statistics

    from scribedesk.domain.templates import load_template_dir
    from scribedesk.server.documents import Filed, call_report_docx

    entry = json.loads((ROOT / "resources" / "demo" / "manifest.json").read_text())["dictations"][0]
    template = load_template_dir(ROOT / "resources" / "templates")[entry["template_id"]]
    filed = Filed(
        7,
        entry["account"],
        entry["title"],
        "alex",
        "tara",
        datetime.now(UTC),
        1,
        False,
        entry["fields"],
        entry["script"] * 3,
    )
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        call_report_docx(template, filed)
        times.append((time.perf_counter() - began) * 1000)
    return {"p50": statistics.median(times[1:]), "max": max(times[1:]), "first": times[0]}


def bench_proposal(rounds: int) -> dict[str, float]:
    """A 40-section proposal compiled into its draft as GET /proposals/draft.docx does it:
    the newest finished sections read, put in the outline's order (45 sections, 5 of them
    missing), and the .docx written."""
    import statistics

    from scribedesk.domain.proposal import compile_draft
    from scribedesk.server import reports
    from scribedesk.server.app import build_state
    from scribedesk.server.db.models import User
    from scribedesk.server.report_documents import proposal_docx
    from scribedesk.server.settings import ServerSettings

    data = Path(tempfile.mkdtemp(prefix="bench-proposal-"))
    state = build_state(
        ServerSettings(data_dir=data, db_url=f"sqlite:///{data / 'proposal.db'}"), Clock()
    )
    name = "State Transit Authority CRM RFP"

    def section(n: int) -> dict[str, object]:
        return {
            "proposal": name,
            "account": "State Transit Authority",
            "section_id": f"{n // 5 + 1}.{n % 5 + 1}",
            "section_title": f"Section {n}",
            "content_owner": {"name": f"Owner {n % 7}"},
        }

    text = (
        "The authority's riders expect the new system on the first day of service. " * 8
        + "[00:01:23]\n"
    ) * 4
    seed(state, 40, "proposal-section", section, text, deliver=False)
    with state.write() as session:
        user = session.query(User).first()
        assert user is not None
        outline = [{"id": f"{n // 5 + 1}.{n % 5 + 1}", "title": f"Section {n}"} for n in range(45)]
        reports.set_outline(session, name, "State Transit Authority", outline, user, state.clock())
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        with state.read() as session:
            account, found = reports.sections(session, name)
            saved = reports.outline(session, name)
        draft = compile_draft(name, account, saved, found)
        document = proposal_docx(draft)
        times.append((time.perf_counter() - began) * 1000)
    assert len(draft.items) == 45 and len(draft.missing) == 5 and document[:2] == b"PK"
    state.engine.dispose()
    return {"p50": statistics.median(times), "max": max(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 deliveries (under a minute)")
    args = parser.parse_args()
    result = bench(200 if args.quick else 1000)
    print(f"BENCH delivery_webhook_per_second {result['per_second']:.1f} per_s")
    print(f"BENCH delivery_duplicates {int(result['duplicates'])} count")
    print(f"BENCH delivery_retries {int(result['retries'])} count")
    print(f"BENCH delivery_records {int(result['records'])} count")
    print(f"BENCH delivery_elapsed {result['elapsed'] * 1000:.0f} ms")
    docx = bench_docx(20 if args.quick else 100)
    print(f"BENCH docx_call_report_p50 {docx['p50']:.1f} ms")
    print(f"BENCH docx_call_report_max {docx['max']:.1f} ms")
    print(f"BENCH docx_call_report_first {docx['first']:.1f} ms")
    proposal = bench_proposal(3 if args.quick else 10)
    print(f"BENCH proposal_40_sections_p50 {proposal['p50']:.1f} ms")
    print(f"BENCH proposal_40_sections_max {proposal['max']:.1f} ms")
    good = result["duplicates"] == 0 and docx["max"] <= 100 and proposal["max"] <= 2000
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
