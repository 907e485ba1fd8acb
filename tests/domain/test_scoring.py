"""The normaliser, weighted AHDI scores and field-level scoring: what a supervisor reads."""

from __future__ import annotations

import pytest

from scribedesk.domain.fieldspec import FieldSpec, FieldType
from scribedesk.domain.scoring import NORMALISER_VERSION, Normaliser, score_words
from scribedesk.domain.weighting import (
    ClassifiedError,
    PolicyError,
    ScoringPolicy,
    Severity,
    errors_to_lines,
    lines_of,
    parse_policy,
    score_fields,
    weighted_score,
)


@pytest.mark.parametrize(
    ("reference", "hypothesis"),
    [
        ("Hello, world.", "hello world"),
        ("They’re “ready” — sign Monday", 'they\'re "ready" sign monday'),
        ("a follow-up call", "a follow up call"),
        ("Acme's  renewal\n\tis   due", "acme's renewal is due"),
        ("U.S. office", "us office"),
        ("price: $5k, 3.5% off", "price $5k 3.5% off"),
        ("at 10:30 on 3/14", "at 10:30 on 3/14."),
        ("co\u00adoperate", "cooperate"),
    ],
)
def test_the_normaliser_ignores_case_punctuation_and_typography(reference, hypothesis):
    score = score_words(reference, hypothesis)
    assert score.errors == 0, (score.reference_words, score.hypothesis_words)
    assert score.normaliser_version == NORMALISER_VERSION


def test_markers_leave_the_word_stream_and_are_counted_apart():
    """[inaudible …] is no word error, but a missing marker is seen on its own."""
    gold = "Call [inaudible 00:01:23] Acme on Monday [00:02:00] about [unclear 00:02:10] terms"
    typed = "call acme on monday about terms"
    score = score_words(gold, typed)
    assert score.errors == 0
    assert score.markers.reference == {"inaudible": 1, "timestamp": 1, "unclear": 1}
    assert score.markers.hypothesis == {} and score.markers.differences == 3


def test_numbers_are_canonical_only_when_the_template_says_so():
    assert score_words("120,000 units", "120000 units").errors == 1
    canonical = Normaliser(canonical_numbers=True)
    assert score_words("120,000 units", "120000 units", normaliser=canonical).errors == 0
    assert score_words("$5k", "$5000", normaliser=canonical).errors == 1  # stays as written


def test_exact_comparison_keeps_every_character():
    assert score_words("Hello, world.", "hello world", normalise=False).substitutions == 2


def test_a_critical_error_fails_whatever_the_score():
    errors = [
        ClassifiedError(Severity.NON_CRITICAL, "spelling", "recieve"),
        ClassifiedError(Severity.CRITICAL, "amount", "120,000", field="amount"),
        ClassifiedError(Severity.FEEDBACK, "style", "gonna"),
    ]
    result = weighted_score(errors)
    assert (result.points, result.score, result.critical, result.passed) == (4, 96, 1, False)
    lenient = ScoringPolicy(critical_fails=False, pass_mark=95)
    assert weighted_score(errors, lenient).passed


def test_the_same_error_repeated_counts_once():
    """The typist wrote 'Acmee' five times: one non-critical error, 99, a pass."""
    repeated = [ClassifiedError(Severity.NON_CRITICAL, "spelling", "Acme")] * 5
    result = weighted_score(repeated)
    assert (result.points, result.score, result.passed, len(result.counted)) == (1, 99, True, 1)
    same = ClassifiedError(Severity.NON_CRITICAL, "spelling", "acme.")
    assert weighted_score([*repeated, same]).points == 1  # the same words once normalised
    other = ClassifiedError(Severity.NON_CRITICAL, "x", "y")
    assert weighted_score([*repeated, *repeated, other]).score == 98


def test_aggregates_pool_error_points_over_lines():
    """4,000 lines with 20 points is 99.5 %, whatever the transcripts' own percentages."""
    assert errors_to_lines([(1000, 5), (3000, 15)]) == pytest.approx(99.5)
    assert errors_to_lines([(10, 3), (3990, 17)]) == pytest.approx(99.5)
    assert lines_of("x" * 130) == 2 and lines_of("x" * 131) == 3 and lines_of("") == 1
    assert errors_to_lines([]) == 100.0


def test_a_template_sets_its_own_scoring():
    policy = parse_policy(
        {"pass_mark": 97, "points": {"critical": 5}, "line_chars": 80, "canonical_numbers": True}
    )
    assert policy.points[Severity.CRITICAL] == 5 and policy.points[Severity.NON_CRITICAL] == 1
    assert (policy.pass_mark, policy.line_chars, policy.normaliser.canonical_numbers) == (
        97,
        80,
        True,
    )
    for bad, says in (
        ({"pass": 9}, "unknown key"),
        ({"points": {"major": 2}}, "not a severity"),
        ({"points": {"critical": -1}}, "0 or more"),
        ({"pass_mark": 101}, "0 to 100"),
        ({"line_chars": 0}, "positive"),
        ({"critical_fails": "yes"}, "true or false"),
    ):
        with pytest.raises(PolicyError, match=says):
            parse_policy(bad)


FIELDS = (
    FieldSpec("account", "Account", FieldType.ACCOUNT),
    FieldSpec("contacts", "Contacts", FieldType.PERSON, multiple=True),
    FieldSpec("amount", "Amount", FieldType.CURRENCY),
    FieldSpec("close", "Close date", FieldType.DATE),
    FieldSpec("stage", "Stage", FieldType.SINGLE_CHOICE, choices=("Proposal", "Won")),
    FieldSpec("competitors", "Competitors", FieldType.MULTI_CHOICE, choices=("Initech", "Globex")),
    FieldSpec("concerns", "Concerns", FieldType.LONG_TEXT),
)


def test_fields_are_compared_by_what_they_mean():
    gold = {
        "account": "Acme Logistics",
        "contacts": [{"name": "Dana Reyes", "role": "Buyer"}, {"name": "Li Wei", "role": ""}],
        "amount": 120000.0,
        "close": "2026-12-15",
        "stage": "Proposal",
        "competitors": ["Initech", "Globex"],
        "concerns": "Price, and the delivery window.",
    }
    typed = {
        "account": "acme logistics",
        "contacts": [{"name": "Li Wei", "role": ""}, {"name": "dana reyes", "role": "Buyer"}],
        "amount": "120,000",
        "close": "2026-12-15",
        "stage": "Proposal",
        "competitors": ["Globex", "Initech"],
        "concerns": "price and the delivery window",
    }
    results = {r.field: r for r in score_fields(FIELDS, gold, typed)}
    assert all(r.matches for r in results.values()), results
    wrong = {
        **typed,
        "amount": 12000,
        "close": "2026-12-16",
        "stage": "Won",
        "contacts": [{"name": "Dana Reyes", "role": "Champion"}],
        "concerns": "price and the shipping window",
    }
    results = {r.field: r for r in score_fields(FIELDS, gold, wrong)}
    assert [f for f, r in results.items() if not r.matches] == [
        "contacts",
        "amount",
        "close",
        "stage",
        "concerns",
    ]
    assert results["concerns"].word_errors == 1
    assert {f for f, r in results.items() if r.critical} == {
        "account",
        "contacts",
        "amount",
        "close",
        "stage",
    }


def test_a_template_file_carries_its_scoring_and_a_bad_one_is_named():
    from scribedesk.domain.templates import TemplateError, parse_template

    base = {"id": "memo", "name": "Memo", "fields": []}
    template = parse_template({**base, "scoring": {"pass_mark": 95, "canonical_numbers": True}})
    assert template.scoring.pass_mark == 95 and template.scoring.normaliser.canonical_numbers
    assert parse_template(template.to_dict()).scoring == template.scoring
    with pytest.raises(TemplateError, match=r"memo.json: 'scoring': 'pass_mark'"):
        parse_template({**base, "scoring": {"pass_mark": "high"}}, "memo.json")
