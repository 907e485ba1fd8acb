"""Heard ranges: merging intervals and tracking what was really played."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scribedesk.playback.heard import HeardRanges, HeardTracker


def test_overlapping_and_touching_spans_merge():
    """Spans that overlap or touch become one; separate ones stay apart."""
    heard = HeardRanges()
    for span in [(5000, 8000), (0, 1000), (900, 2000), (2000, 3000), (7000, 9000)]:
        heard.add(*span)
    assert heard.spans == [(0, 3000), (5000, 9000)]
    assert heard.heard_ms() == 7000


def test_coverage_and_unheard_gaps():
    """Coverage is the heard share; the unheard gaps are named."""
    heard = HeardRanges([(0, 3000), (5000, 9000)])
    assert heard.coverage(10_000) == 0.7
    assert heard.unheard(10_000) == [(3000, 5000), (9000, 10_000)]
    assert heard.unheard(10_000, min_gap_ms=1500) == [(3000, 5000)]


@given(st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 2_000)), max_size=40))
def test_merging_matches_a_per_millisecond_oracle(pieces):
    """Whatever order spans arrive in, the result covers exactly the union, merged and sorted."""
    heard = HeardRanges()
    union: set[int] = set()
    for start, length in pieces:
        heard.add(start, start + length)
        union.update(range(start, start + length))
    assert heard.heard_ms() == len(union)
    for (_, end), (start, _) in zip(heard.spans, heard.spans[1:], strict=False):
        assert end < start


def test_tracker_counts_listening_not_seeking_or_fast_forward():
    """Playing forward counts; a jump, a pause or 3x fast-forward does not."""
    tracker = HeardTracker()
    for position in range(0, 5001, 250):  # 5 s of normal play
        tracker.observe(position, True, 1.0)
    tracker.observe(30_000, True, 1.0)  # a seek
    for position in range(30_000, 31_001, 250):
        tracker.observe(position, True, 1.0)
    for position in range(31_000, 40_001, 750):
        tracker.observe(position, True, 3.0)  # fast-forward scan
    tracker.observe(40_000, False, 1.0)
    tracker.observe(45_000, True, 1.0)
    assert tracker.ranges.spans == [(0, 5000), (30_000, 31_000)]
