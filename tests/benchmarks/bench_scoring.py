"""Scoring benchmark: domain.scoring against jiwer doing the same work in the same run.

One 10,000-word pair and 1,000 pairs of about 300 words (a vocabulary of 5,000 words,
about 10 % edits), compared two ways:
* exact: ``score_words(..., normalise=False)`` / ``score_batch`` against jiwer's default;
* normalised: the default normaliser against jiwer with ``wer_standardize``.

Figures (``BENCH <name> <value> <unit>``), times the best of several runs:
* scoring_10k_exact_ms, jiwer_10k_exact_ms, scoring_10k_exact_ratio_vs_jiwer
* scoring_1k_exact_ms, jiwer_1k_exact_ms, scoring_1k_exact_ratio_vs_jiwer
* the same four with ``normalised`` (goal: every ratio ≤ 1.0)

Every count is checked equal to jiwer's on the exact runs, so speed never buys a wrong
answer. Usage: python tests/benchmarks/bench_scoring.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import jiwer  # noqa: E402

from scribedesk.domain.scoring import score_batch, score_words  # noqa: E402

VOCABULARY = [f"Word{i:04d}," if i % 7 == 0 else f"word{i:04d}" for i in range(5000)]


def make_pair(rng: random.Random, words: int, rate: float = 0.10) -> tuple[str, str]:
    reference = [rng.choice(VOCABULARY) for _ in range(words)]
    hypothesis = []
    for word in reference:
        roll = rng.random()
        if roll < rate / 2:
            hypothesis.append(rng.choice(VOCABULARY))
        elif roll < rate * 0.75:
            continue
        elif roll < rate:
            hypothesis += [word, rng.choice(VOCABULARY)]
        else:
            hypothesis.append(word)
    return " ".join(reference), " ".join(hypothesis)


def best_ms(work: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (under a minute)")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    rng = random.Random(12345)
    long_pair = make_pair(rng, 10_000)
    pairs = [make_pair(rng, 300) for _ in range(1_000)]
    standardize = jiwer.wer_standardize
    runs: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "10k_exact": (
            lambda: score_words(*long_pair, normalise=False),
            lambda: jiwer.process_words(*long_pair),
        ),
        "1k_exact": (
            lambda: score_batch(pairs, normalise=False),
            lambda: [jiwer.process_words(r, h) for r, h in pairs],
        ),
        "10k_normalised": (
            lambda: score_words(*long_pair),
            lambda: jiwer.process_words(
                *long_pair, reference_transform=standardize, hypothesis_transform=standardize
            ),
        ),
        "1k_normalised": (
            lambda: score_batch(pairs),
            lambda: [
                jiwer.process_words(
                    r, h, reference_transform=standardize, hypothesis_transform=standardize
                )
                for r, h in pairs
            ],
        ),
    }
    ok = True
    for name, (ours, theirs) in runs.items():
        ours_ms, scored = best_ms(ours, repeat)
        theirs_ms, reference = best_ms(theirs, repeat)
        if name.endswith("exact"):
            mine = scored if isinstance(scored, list) else [scored]
            jiwers = reference if isinstance(reference, list) else [reference]
            same = all(
                (a.hits, a.substitutions, a.deletions, a.insertions)
                == (b.hits, b.substitutions, b.deletions, b.insertions)
                for a, b in zip(mine, jiwers, strict=True)
            )
            ok = ok and same
            print(f"BENCH scoring_{name}_counts_equal_jiwer {int(same)} bool")
        ratio = ours_ms / theirs_ms
        print(f"BENCH scoring_{name}_ms {ours_ms:.1f} ms")
        print(f"BENCH jiwer_{name}_ms {theirs_ms:.1f} ms")
        print(f"BENCH scoring_{name}_ratio_vs_jiwer {ratio:.2f} ratio")
        ok = ok and ratio <= 1.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
