"""Scoring an attempt against its gold, the certification rule, hints and invented names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scribedesk.domain.certification import (
    AttemptFact,
    CertificationRule,
    Step,
    current_step,
    evaluate,
    parse_rule,
)
from scribedesk.domain.invented_names import anonymise
from scribedesk.domain.templates import load_template_dir
from scribedesk.domain.training import (
    Hints,
    RuleError,
    parse_hints,
    peek,
    score_attempt,
)
from scribedesk.domain.weighting import Severity, weighted_score
from tests.conftest import ROOT

TEMPLATES = load_template_dir(ROOT / "resources" / "templates")
CALL = TEMPLATES["sales-call-report"]
MEMO = TEMPLATES["general-memo"]
GOLD = (
    "Call report for Acme Logistics. I met Dana Whitfield on Tuesday. The renewal is at "
    "risk. Next step: a revised quote by Friday."
)
FIELDS = {"account": "Acme Logistics", "contacts": [{"name": "Dana Whitfield", "role": "Buyer"}]}


def test_the_gold_typed_exactly_scores_100_and_passes():
    scored = score_attempt(CALL, FIELDS, GOLD, FIELDS, GOLD)
    assert scored.score == 100 and scored.passed and scored.errors == ()


def test_a_misheard_word_costs_a_point_like_a_reviewed_non_critical_error():
    scored = score_attempt(CALL, FIELDS, GOLD, FIELDS, GOLD.replace("risk", "rest"))
    [error] = scored.errors
    assert (error.kind, error.gold, error.typed) == ("substitution", "risk", "rest")
    assert error.severity is Severity.NON_CRITICAL
    assert scored.score == 99 == weighted_score([]).score - 1 and scored.passed


def test_a_misspelt_contact_in_the_narrative_is_critical_and_fails():
    scored = score_attempt(CALL, FIELDS, GOLD, FIELDS, GOLD.replace("Whitfield", "Whitford"))
    assert scored.critical == 1 and not scored.passed and scored.score == 97


def test_a_wrong_field_is_an_error_and_a_critical_one_for_the_account():
    typed = {**FIELDS, "account": "Acme Logistic"}
    scored = score_attempt(CALL, FIELDS, GOLD, typed, GOLD)
    [error] = scored.errors
    assert error.kind == "field" and error.field == "account"
    assert error.severity is Severity.CRITICAL and not scored.passed
    assert next(f for f in scored.fields if f["field"] == "account")["matches"] is False


def test_a_dropped_passage_counts_once_per_five_words():
    words = GOLD.split()
    typed = " ".join(words[:4] + words[16:])  # twelve words left out in one run
    scored = score_attempt(CALL, FIELDS, GOLD, FIELDS, typed)
    assert [e.kind for e in scored.errors if e.field is None] == ["omission"] * 3
    assert scored.deletions == 12


def test_peeks_cost_their_points_and_only_as_many_as_allowed():
    hints = Hints(peeks=2, peek_points=0.5)
    scored = score_attempt(CALL, FIELDS, GOLD, FIELDS, GOLD, peeks=5, hints=hints)
    assert scored.peeks == 2 and scored.score == 99.0


def test_pace_is_audio_time_over_working_time():
    scored = score_attempt(CALL, FIELDS, GOLD, FIELDS, GOLD, audio_ms=60_000, time_spent_s=120)
    assert scored.pace == 0.5 and scored.audio_minutes_per_hour == 30.0


def test_peek_gives_the_sentence_after_what_was_typed():
    assert peek(GOLD, "") == "Call report for Acme Logistics."
    assert peek(GOLD, "Call report for Acme Logistics. I met") == "I met Dana Whitfield on Tuesday."
    assert peek(GOLD, GOLD) == "Next step: a revised quote by Friday."


NOW = datetime(2026, 12, 1, tzinfo=UTC)
STEPS = [Step(1, "general-memo", 98), Step(2, "sales-call-report", 98)]


def fact(exercise: int, score: float, minutes: int, critical: int = 0) -> AttemptFact:
    template = "general-memo" if exercise == 1 else "sales-call-report"
    passed = score >= 98 and not critical
    return AttemptFact(
        exercise, template, score, passed, critical, 0.6, NOW + timedelta(minutes=minutes)
    )


def test_the_rule_holds_when_every_part_does():
    rule = CertificationRule(last_exercises=2, no_critical_last=1)
    check = evaluate(rule, STEPS, [fact(1, 96, 0), fact(1, 100, 1), fact(2, 99, 2)])
    assert check.holds and check.templates == {"general-memo", "sales-call-report"}


def test_the_rule_names_each_part_that_fails():
    rule = CertificationRule(last_exercises=2, no_critical_last=2)
    check = evaluate(rule, STEPS, [fact(1, 100, 0), fact(2, 97, 1, critical=1)])
    failed = {c.name: c.detail for c in check.criteria if not c.met}
    assert not check.holds
    assert set(failed) == {"complete", "accuracy", "templates", "critical"}
    assert "not yet passed: sales-call-report" in failed["templates"]


def test_a_curriculum_shorter_than_the_count_is_judged_on_each_exercise():
    check = evaluate(CertificationRule(), STEPS, [fact(1, 100, 0), fact(2, 100, 1)])
    accuracy = next(c for c in check.criteria if c.name == "accuracy")
    assert accuracy.met and "lowest 100" in accuracy.detail


def test_current_step_is_the_first_not_passed():
    assert current_step(STEPS, []) == 0
    assert current_step(STEPS, [fact(1, 100, 0)]) == 1
    assert current_step(STEPS, [fact(1, 100, 0), fact(2, 99, 1)]) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"speed": 1}, "unknown rule key"),
        ({"min_accuracy": 120}, "'min_accuracy'"),
        ({"last_exercises": True}, "'last_exercises'"),
        ({"auto_certify": "yes"}, "'auto_certify'"),
        ([], "must be an object"),
    ],
)
def test_a_bad_rule_says_which_key(raw, message):
    with pytest.raises(RuleError, match=message):
        parse_rule(raw)


def test_rules_and_hints_read_back_what_they_write():
    rule = CertificationRule(min_accuracy=97, auto_certify=True)
    assert parse_rule(rule.to_dict()) == rule
    assert parse_hints({"peeks": 3}) == Hints(3, 0.5)
    with pytest.raises(RuleError):
        parse_hints({"peeks": -1})


def test_invented_names_replace_the_account_and_the_people_everywhere():
    fields, narrative, names = anonymise(CALL, FIELDS, GOLD, seed=0)
    assert fields["account"] != "Acme Logistics" and "Acme" not in narrative
    assert fields["contacts"][0]["name"] != "Dana Whitfield"
    assert "Dana" not in narrative and "Whitfield" not in narrative
    assert fields["contacts"][0]["role"] == "Buyer"
    assert names["Acme Logistics"] in narrative
    memo, same, none = anonymise(MEMO, {"subject": "Pricing"}, "No names here.")
    assert (memo, same, none) == ({"subject": "Pricing"}, "No names here.", {})
