"""Quality-check benchmark: every rule on a 20,000-word narrative with 30 fields.

Figures (``BENCH <name> <value> <unit>``):
* quality_checks_20000_words_30_fields_p50 / _max (ms): run_checks with the real Hunspell
  dictionary through Enchant, the spell checker's cache cold for each run
* quality_checks_findings (count): how many findings that transcript has

Usage: python tests/benchmarks/bench_quality.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from scribedesk.domain.quality import CheckContext, KnownNames, run_checks  # noqa: E402
from scribedesk.domain.spelling import TeamDictionary  # noqa: E402
from scribedesk.domain.templates import parse_template  # noqa: E402
from scribedesk.services.spelling import SpellChecker  # noqa: E402
from scribedesk.shared.hunspell import EnchantDictionary  # noqa: E402

SENTENCES = [
    "Met Dana Whitfield at Acme Logistics on November 20 to review the renewal.",
    "The customer said route planning has been slow since the last update [00:01:05].",
    "HubSpot offered a discount of $12,000 on the first year, and procurement is listening.",
    "Raj wants the revised quote by December 4 [unclear 00:02:10] before the board meets.",
    "Our product team will call them on Friday to walk through the new dispatch screens.",
    "They run 1,200 trucks across three depots and expect 15,000 deliveries a week.",
    "The the custmer also asked (again) about the mobile app for drivers.",
]

TYPES = [
    {"type": "text", "rules": {"max_length": 200}},
    {"type": "long_text"},
    {"type": "date", "rules": {"date": "past"}},
    {"type": "number", "rules": {"min": 0}},
    {"type": "currency", "currency": "USD"},
    {"type": "single_choice", "choices": ["Prospecting", "Proposal", "Negotiation"]},
    {"type": "multi_choice", "choices": ["HubSpot", "Salesforce", "Zoho"]},
    {"type": "person", "multiple": True, "roles": ["Champion", "Procurement"]},
    {"type": "account"},
]
VALUES = [
    "Fleet renewal",
    "Send the revised quote and book the product call.",
    "2026-11-20",
    "1200",
    120000,
    "Proposal",
    ["HubSpot"],
    [{"name": "Dana Whitfield", "role": "Champion"}, {"name": "Raj Menon", "role": "Procurement"}],
    "Acme Logistics",
]


def template_and_fields(count: int) -> tuple[object, dict[str, object]]:
    fields: list[dict[str, object]] = []
    values: dict[str, object] = {}
    for index in range(count):
        kind = TYPES[index % len(TYPES)]
        field_id = f"field_{index}"
        fields.append({"id": field_id, "label": f"Field {index}", "required": True, **dict(kind)})
        values[field_id] = VALUES[index % len(VALUES)]
    raw = {
        "id": "bench",
        "name": "Bench",
        "fields": fields,
        "narrative": {"min_words": 50},
        "quality": {"mentions": ["field_8", "field_7"], "rules": {"marker-count": {"max": 5000}}},
    }
    return parse_template(raw, "bench"), values


def narrative(words: int) -> str:
    parts, count, index = [], 0, 0
    while count < words:
        sentence = SENTENCES[index % len(SENTENCES)]
        parts.append(sentence)
        count += len(sentence.split())
        index += 1
    return " ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args()
    template, fields = template_and_fields(30)
    text = narrative(20_000)
    minutes = 20_000 / 140  # a dictation that long, read at 140 words a minute
    audio_ms = int(minutes * 60_000)
    dictionary = EnchantDictionary.open("en_US")
    if dictionary is None:
        print("The en_US Hunspell dictionary is not installed (./dev setup installs it).")
        return 1
    times, findings = [], 0
    for _ in range(5 if args.quick else 20):
        checker = SpellChecker(dictionary, TeamDictionary())  # cold cache every run
        context = CheckContext(
            audio_ms=audio_ms,
            today=date(2026, 11, 23),
            heard=[(0, audio_ms)],
            is_word=checker.is_correct,
            known=KnownNames(["Acme Logistics"], ["Dana Whitfield"]),
            abbreviations=["nxs", "cust", "asap"],
        )
        began = time.perf_counter()
        report = run_checks(template, fields, text, context)  # type: ignore[arg-type]
        times.append((time.perf_counter() - began) * 1000)
        findings = len(report.findings)
    print(f"BENCH quality_checks_20000_words_30_fields_p50 {statistics.median(times):.1f} ms")
    print(f"BENCH quality_checks_20000_words_30_fields_max {max(times):.1f} ms")
    print(f"BENCH quality_checks_findings {findings} count")
    return 0


if __name__ == "__main__":
    sys.exit(main())
