"""Accuracy scoring: word alignment, the versioned normaliser, AHDI-weighted scores.

Shared by the service (reviews, training attempts) and the workstation (the review diff),
so that a score means the same on every screen. Pure computation: the standard library
and rapidfuzz, whose Levenshtein opcodes (C++) align the words. The counts are jiwer's:
the same unit-cost alignment on the same words (tests/domain/test_scoring_vs_jiwer.py).

- ``score_words(reference, hypothesis)``: hits, substitutions, deletions, insertions,
  WER and the aligned pairs, after the default normaliser; ``normalise=False`` compares
  the words of ``str.split()`` exactly.
- ``score_batch(pairs)``: the same for many pairs at once (one vocabulary, no per-pair
  set-up), for a transcript manager scoring thousands.
- Markers ([inaudible 00:01:23], [unclear …], [00:01:23]) are taken out of the word
  stream by the normaliser and compared on their own (``MarkerCounts``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

#: Stored with every score: a score is only comparable with scores of the same version.
NORMALISER_VERSION = 1

PairKind = Literal["equal", "substitute", "delete", "insert"]

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": "",  # a soft hyphen is not a word break
    }
)
#: Anything in square brackets: the transcript's markers and any other tag.
_MARKER = re.compile(r"\[([^\[\]\n]{0,200})\]")
#: Punctuation dropped from words. Kept: an apostrophe between letters (don't, Acme's),
#: a point, comma, slash or colon between digits (3.5, 120,000, 3/14, 10:30), and the
#: symbols that carry meaning ($ % & @ + #). ASCII text (nearly every transcript) takes
#: the fast path: bytes.translate for the plain marks, one regex for the contextual ones.
_ASCII_MARKS = b'!"()*;<=>?[\\]^_{|}~'
_CONTEXTUAL = re.compile(r"'(?:(?<!\w')|(?!\w))|[.,/:](?:(?<![0-9][.,/:])|(?![0-9]))")
_OTHER_MARKS = re.compile(r"(?!['.,/:])[^\w\s$%&@+#]|_")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


@dataclass(frozen=True)
class Normaliser:
    """How texts are made comparable (its ``version`` is stored with every score).

    Case, punctuation, whitespace, curly quotes and dashes go; a hyphen separates words
    (follow-up = follow up); markers leave the word stream. ``canonical_numbers`` also
    makes "120,000" equal "120000" (a template setting); "$5k" always stays as written.
    """

    canonical_numbers: bool = False
    version: int = NORMALISER_VERSION

    def words(self, text: str) -> list[str]:
        """The words of ``text`` as they are compared."""
        return self.split(text)[0]

    def split(self, text: str) -> tuple[list[str], list[str]]:
        """(words, markers): the compared words and the kinds of the markers taken out."""
        ascii_only = text.isascii()
        if not ascii_only:
            text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
        markers = [_marker_kind(m) for m in _MARKER.findall(text)] if "[" in text else []
        if markers:
            text = _MARKER.sub(" ", text)
        text = (text.lower() if ascii_only else text.casefold()).replace("-", " ")
        if self.canonical_numbers:
            text = _THOUSANDS.sub("", text)
        if ascii_only:
            marks_gone = text.encode("ascii").translate(None, _ASCII_MARKS).decode("ascii")
            text = marks_gone.replace("`", "'") if "`" in marks_gone else marks_gone
        else:
            text = _OTHER_MARKS.sub("", text)
        return _CONTEXTUAL.sub("", text).split(), markers


def _marker_kind(inside: str) -> str:
    head = inside.strip().split(" ", 1)[0].rstrip(":").casefold()
    if head in ("inaudible", "unclear"):
        return head
    return "timestamp" if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", head) else "other"


DEFAULT_NORMALISER = Normaliser()


@dataclass(frozen=True)
class Pair:
    """One step of the alignment: a reference word against a hypothesis word."""

    kind: PairKind
    reference: str | None
    hypothesis: str | None
    reference_index: int | None
    hypothesis_index: int | None


@dataclass(frozen=True)
class MarkerCounts:
    """Markers per kind in the reference and in the hypothesis."""

    reference: dict[str, int] = field(default_factory=dict)
    hypothesis: dict[str, int] = field(default_factory=dict)

    @property
    def differences(self) -> int:
        """How many markers one side has that the other lacks."""
        kinds = set(self.reference) | set(self.hypothesis)
        return sum(abs(self.reference.get(k, 0) - self.hypothesis.get(k, 0)) for k in kinds)


class WordScore:
    """The word-level comparison of a hypothesis with its reference."""

    __slots__ = (
        "_opcodes",
        "_pairs",
        "deletions",
        "hits",
        "hypothesis_words",
        "insertions",
        "markers",
        "normaliser_version",
        "reference_words",
        "substitutions",
    )

    def __init__(
        self,
        reference_words: Sequence[str],
        hypothesis_words: Sequence[str],
        opcodes: Sequence[tuple[str, int, int, int, int]],
        counts: tuple[int, int, int, int],
        markers: MarkerCounts | None,
        normaliser_version: int | None,
    ) -> None:
        self.reference_words = reference_words
        self.hypothesis_words = hypothesis_words
        self.hits, self.substitutions, self.deletions, self.insertions = counts
        self.markers = markers
        self.normaliser_version = normaliser_version
        self._opcodes = opcodes
        self._pairs: tuple[Pair, ...] | None = None

    @property
    def errors(self) -> int:
        """Substitutions, deletions and insertions."""
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float:
        """(S + D + I) / reference words; with an empty reference, the insertions (jiwer 4)."""
        total = self.hits + self.substitutions + self.deletions
        return self.errors / total if total else float(self.insertions)

    @property
    def accuracy(self) -> float:
        """Word accuracy in percent, 100 × (1 − WER), never below 0."""
        return max(0.0, 100.0 * (1.0 - self.wer))

    @property
    def pairs(self) -> tuple[Pair, ...]:
        """The alignment word by word (built on first use: batch scoring rarely needs it)."""
        if self._pairs is None:
            self._pairs = tuple(self._build_pairs())
        return self._pairs

    def _build_pairs(self) -> Iterable[Pair]:
        ref, hyp = self.reference_words, self.hypothesis_words
        for tag, r1, r2, h1, h2 in self._opcodes:
            if tag == "equal" or tag == "replace":
                kind: PairKind = "equal" if tag == "equal" else "substitute"
                for offset in range(r2 - r1):
                    yield Pair(kind, ref[r1 + offset], hyp[h1 + offset], r1 + offset, h1 + offset)
            elif tag == "delete":
                for index in range(r1, r2):
                    yield Pair("delete", ref[index], None, index, None)
            else:
                for index in range(h1, h2):
                    yield Pair("insert", None, hyp[index], None, index)

    def __repr__(self) -> str:
        return (
            f"WordScore(hits={self.hits}, substitutions={self.substitutions}, "
            f"deletions={self.deletions}, insertions={self.insertions}, wer={self.wer:.4f})"
        )


def _align(
    ref: Sequence[int], hyp: Sequence[int]
) -> tuple[list[tuple[str, int, int, int, int]], tuple[int, int, int, int]]:
    """Unit-cost alignment of two word-id sequences (rapidfuzz compares ints fastest)."""
    from rapidfuzz.distance import Levenshtein  # at the first score, not at every import

    blocks = cast(list[tuple[str, int, int, int, int]], Levenshtein.opcodes(ref, hyp).as_list())
    hits = substitutions = deletions = insertions = 0
    for tag, r1, r2, h1, h2 in blocks:
        if tag == "equal":
            hits += r2 - r1
        elif tag == "replace":
            substitutions += r2 - r1
        elif tag == "delete":
            deletions += r2 - r1
        else:
            insertions += h2 - h1
    return blocks, (hits, substitutions, deletions, insertions)


def _ids(ref: list[str], hyp: list[str], vocabulary: dict[str, int]) -> tuple[list[int], ...]:
    intern = vocabulary.setdefault
    return [intern(w, len(vocabulary)) for w in ref], [intern(w, len(vocabulary)) for w in hyp]


def score_words(
    reference: str,
    hypothesis: str,
    normalise: bool = True,
    normaliser: Normaliser = DEFAULT_NORMALISER,
) -> WordScore:
    """Compare ``hypothesis`` with ``reference`` word by word (unit-cost Levenshtein)."""
    if normalise:
        ref, ref_markers = normaliser.split(reference)
        hyp, hyp_markers = normaliser.split(hypothesis)
        markers: MarkerCounts | None = MarkerCounts(
            dict(Counter(ref_markers)), dict(Counter(hyp_markers))
        )
        version: int | None = normaliser.version
    else:
        ref, hyp, markers, version = reference.split(), hypothesis.split(), None, None
    opcodes, counts = _align(*_ids(ref, hyp, {}))
    return WordScore(ref, hyp, opcodes, counts, markers, version)


def align(reference: Sequence[str], hypothesis: Sequence[str]) -> WordScore:
    """Align two word lists exactly as given (already normalised, or any other keys)."""
    opcodes, counts = _align(*_ids(list(reference), list(hypothesis), {}))
    return WordScore(reference, hypothesis, opcodes, counts, None, None)


def score_batch(
    pairs: Iterable[tuple[str, str]],
    normalise: bool = True,
    normaliser: Normaliser = DEFAULT_NORMALISER,
) -> list[WordScore]:
    """``score_words`` for many (reference, hypothesis) pairs, sharing one vocabulary: every
    word becomes an int once, and rapidfuzz compares int sequences."""
    vocabulary: dict[str, int] = {}
    scores = []
    for reference, hypothesis in pairs:
        if normalise:
            ref, ref_markers = normaliser.split(reference)
            hyp, hyp_markers = normaliser.split(hypothesis)
            markers: MarkerCounts | None = MarkerCounts(
                dict(Counter(ref_markers)), dict(Counter(hyp_markers))
            )
        else:
            ref, hyp, markers = reference.split(), hypothesis.split(), None
        opcodes, counts = _align(*_ids(ref, hyp, vocabulary))
        version = normaliser.version if normalise else None
        scores.append(WordScore(ref, hyp, opcodes, counts, markers, version))
    return scores
