"""score_words counts what jiwer counts: the same words, the same unit-cost alignment.

jiwer is a test-only dependency: the reference implementation the field uses, run here on
thousands of random pairs, empty texts, one-word texts and 10,000-word texts.
"""

from __future__ import annotations

import random

import jiwer
import pytest

from scribedesk.domain.scoring import score_batch, score_words

VOCABULARY = [f"w{i}" for i in range(40)] + ["the", "a", "Acme", "acme", "deal", "Deal."]


def random_text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def edited(rng: random.Random, text: str, rate: float) -> str:
    out = []
    for word in text.split():
        roll = rng.random()
        if roll < rate / 2:
            out.append(rng.choice(VOCABULARY))
        elif roll < rate * 0.75:
            continue
        elif roll < rate:
            out += [word, rng.choice(VOCABULARY)]
        else:
            out.append(word)
    return " ".join(out)


def jiwer_counts(reference: str, hypothesis: str) -> tuple[int, int, int, int, float]:
    out = jiwer.process_words(reference, hypothesis)
    return out.hits, out.substitutions, out.deletions, out.insertions, out.wer


def ours(reference: str, hypothesis: str) -> tuple[int, int, int, int, float]:
    score = score_words(reference, hypothesis, normalise=False)
    return score.hits, score.substitutions, score.deletions, score.insertions, score.wer


def random_pairs(count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = []
    for _ in range(count):
        reference = random_text(rng, rng.randint(1, 40))
        hypothesis = (
            edited(rng, reference, rng.choice([0.05, 0.2, 0.6]))
            if rng.random() < 0.8
            else random_text(rng, rng.randint(1, 40))
        )
        if not hypothesis:
            hypothesis = rng.choice(VOCABULARY)
        pairs.append((reference, hypothesis))
    return pairs


def test_thousands_of_random_pairs_count_as_jiwer_counts():
    """Hits, substitutions, deletions, insertions and WER all equal, pair by pair."""
    pairs = random_pairs(3_000, seed=20261201)
    mismatches = [(r, h) for r, h in pairs if ours(r, h) != jiwer_counts(r, h)]
    assert mismatches == []


def test_batch_scoring_counts_as_scoring_one_by_one():
    pairs = random_pairs(500, seed=7)
    batch = score_batch(pairs, normalise=False)
    assert [(s.hits, s.substitutions, s.deletions, s.insertions) for s in batch] == [
        jiwer_counts(r, h)[:4] for r, h in pairs
    ]


@pytest.mark.parametrize(
    ("reference", "hypothesis"),
    [
        ("X", "X X Y Y"),  # Morris et al.: wer 3
        ("X Y X", "X Z"),  # 2/3
        ("", "one two"),  # an empty reference: the WER is the insertions (jiwer 4)
        ("", "x"),
        ("word", ""),
        ("word", "word"),
        ("word", "other"),
        ("a", "a a a a"),
    ],
)
def test_edge_cases_follow_jiwers_conventions(reference, hypothesis):
    if not reference.strip() and not hypothesis.strip():
        pytest.skip("jiwer refuses two empty texts")
    assert ours(reference, hypothesis) == jiwer_counts(reference, hypothesis)


def test_two_empty_texts_are_a_perfect_match():
    """jiwer refuses them (ValueError); an empty transcript of an empty gold is no error."""
    score = score_words("", "", normalise=False)
    assert (score.hits, score.errors, score.wer) == (0, 0, 0.0)


def test_ten_thousand_word_texts_count_as_jiwer_counts():
    rng = random.Random(99)
    for rate in (0.02, 0.1, 0.5):
        reference = random_text(rng, 10_000)
        hypothesis = edited(rng, reference, rate)
        assert ours(reference, hypothesis) == jiwer_counts(reference, hypothesis)


def test_the_aligned_pairs_rebuild_both_texts():
    """Reading the pairs' reference side gives the reference, their hypothesis side the
    hypothesis; each kind counts as its total says."""
    for reference, hypothesis in random_pairs(200, seed=3):
        score = score_words(reference, hypothesis, normalise=False)
        pairs = score.pairs
        assert [p.reference for p in pairs if p.reference is not None] == reference.split()
        assert [p.hypothesis for p in pairs if p.hypothesis is not None] == hypothesis.split()
        kinds = [p.kind for p in pairs]
        assert kinds.count("equal") == score.hits
        assert kinds.count("substitute") == score.substitutions
        assert kinds.count("delete") == score.deletions
        assert kinds.count("insert") == score.insertions
