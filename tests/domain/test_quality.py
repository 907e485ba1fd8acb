"""Quality rules: each on a transcript that passes and one that fails; none crashes on any text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scribedesk.domain.quality import (
    RULES,
    CheckContext,
    KnownNames,
    QualityReport,
    Severity,
    run_checks,
)
from scribedesk.domain.templates import TemplateError, load_template_dir, parse_template

TEMPLATES = load_template_dir(Path(__file__).resolve().parents[2] / "resources" / "templates")
SALES = TEMPLATES["sales-call-report"]
TODAY = date(2026, 11, 23)
MINUTE = 60_000
GOOD_FIELDS: dict[str, Any] = {
    "account": "Acme Logistics",
    "contacts": [{"name": "Dana Whitfield", "role": "Champion"}],
    "meeting_date": "2026-11-20",
    "opportunity": "Fleet renewal",
    "stage": "Proposal",
    "amount": 120000,
    "competitors": ["HubSpot"],
    "next_steps": "Send the revised quote",
    "follow_up_date": "2026-12-01",
}
GOOD_NARRATIVE = (
    "Met Dana at Acme on Friday. The renewal is at risk because route planning has been "
    "slow since the last update, and HubSpot offered a discount of $12,000 on the first "
    "year. Dana wants a call with our product team before the board meets on December 4. "
    "[00:00:20] She will share the usage numbers by Monday. [unclear 00:00:31] Next we "
    "send the revised quote for $120,000 and book the call for December 8."
)
DICTIONARY_WORDS = (
    "met at on friday the renewal is risk because route planning has been slow since last "
    "update and offered a discount of first year wants call with our product team before "
    "board meets december she will share usage numbers by monday next we send revised "
    "quote for book customer said fleet"
)
ENGLISH = set(DICTIONARY_WORDS.split())


def context(**changes: Any) -> CheckContext:
    values: dict[str, Any] = {
        "audio_ms": MINUTE,
        "today": TODAY,
        "heard": [(0, MINUTE)],
        "is_word": lambda w: w.casefold() in ENGLISH,
        "known": KnownNames(["Acme Logistics", "Harbor Freight Lines"], ["Dana Whitfield"]),
        "abbreviations": ["nxs", "cust"],
    }
    values.update(changes)
    return CheckContext(**values)


def check(
    narrative: str = GOOD_NARRATIVE, fields: dict[str, Any] | None = None, **changes: Any
) -> QualityReport:
    return run_checks(
        SALES, GOOD_FIELDS if fields is None else fields, narrative, context(**changes)
    )


def rules_of(report: QualityReport) -> set[str]:
    return {f.rule for f in report.findings}


def test_a_clean_transcript_has_no_findings():
    assert check().findings == ()


def test_required_fields_and_invalid_values_are_errors_pointing_at_the_field():
    fields = {**GOOD_FIELDS, "opportunity": " ", "meeting_date": "2026-02-30", "stage": "Maybe"}
    report = check(fields=fields)
    by_key = {f.key: f for f in report.findings}
    assert by_key["required-field@opportunity"].severity is Severity.ERROR
    assert "real date" in by_key["field-value@meeting_date"].message
    assert "choose one of" in by_key["field-value@stage"].message
    assert report.blocking({"field-value@stage"})  # such errors cannot be acknowledged


def test_dates_must_be_in_the_future_where_the_template_says_so():
    report = check(fields={**GOOD_FIELDS, "follow_up_date": "2026-11-23"})
    assert [f.message for f in report.findings] == ["Follow-up date must be after today."]


def test_amounts_must_parse():
    report = check(fields={**GOOD_FIELDS, "amount": "about twelve"})
    assert {f.key for f in report.findings} == {"field-value@amount"}


def test_names_not_in_the_crm_are_flagged_as_new():
    fields = {**GOOD_FIELDS, "contacts": [{"name": "Dana Whitfeld", "role": "Champion"}]}
    report = check(GOOD_NARRATIVE.replace("Dana", "Dana Whitfeld"), fields=fields)
    [finding] = report.findings
    assert finding.key == "new-name@contacts" and finding.severity is Severity.WARNING
    assert "Dana Whitfeld" in finding.message
    no_people = KnownNames(["Acme Logistics", "Harbor Freight Lines"], None)
    assert rules_of(check(known=no_people, fields=fields)) == set()  # no list: not checked


def test_spelling_flags_unknown_words_but_never_names():
    text = GOOD_NARRATIVE + " The custmer said Whitfield."
    report = check(text)
    [finding] = report.findings
    assert finding.rule == "spelling" and text[finding.start : finding.end] == "custmer"
    assert check(text, accepted_words=["custmer"]).findings == ()
    assert check(text, is_word=None).findings == ()  # no dictionary: no spelling findings


def test_markers_must_be_well_formed_inside_the_audio_and_in_order():
    text = GOOD_NARRATIVE + " [inaudible 0:31] [unclear] [00:02:10] [00:00:10]"
    report = check(text)
    format_errors = [text[f.start : f.end] for f in report.findings if f.rule == "marker-format"]
    assert format_errors == ["[inaudible 0:31]", "[unclear]"]
    [late] = [f for f in report.findings if f.rule == "marker-range"]
    assert text[late.start : late.end] == "[00:02:10]" and late.severity is Severity.ERROR
    [order] = [f for f in report.findings if f.rule == "marker-order"]
    assert text[order.start : order.end] == "[00:00:10]"


def test_too_many_gaps_warn_that_the_audio_may_need_to_go_back():
    gaps = " ".join(f"[inaudible 00:00:{s:02d}]" for s in range(10, 19))  # 9 > the template's 8
    assert "marker-count" in rules_of(check(GOOD_NARRATIVE + " " + gaps))
    assert "marker-count" not in rules_of(check(GOOD_NARRATIVE + " " + gaps[:-22]))


def test_coverage_below_the_threshold_names_the_unheard_spans():
    report = check(heard=[(0, 20_000), (25_000, 40_000)])
    [finding] = [f for f in report.findings if f.rule == "audio-coverage"]
    assert finding.severity is Severity.ERROR and not finding.acknowledgeable
    assert "00:00:20–00:00:25" in finding.message and "00:00:40–00:01:00" in finding.message
    assert "audio-coverage" not in rules_of(check(heard=[(0, 57_500)]))  # 95.8 %


def test_pace_outside_the_band_warns():
    assert "pace" in rules_of(check(audio_ms=10 * MINUTE, heard=[(0, 10 * MINUTE)]))
    assert "pace" in rules_of(check(audio_ms=15_000, heard=[(0, 15_000)]))
    assert "pace" not in rules_of(check())


def test_typing_slips_are_found_where_they_are():
    text = "Dana said the the renewal  is at risk (route planning nxs. " + GOOD_NARRATIVE
    report = check(text)
    spans = {f.rule: text[f.start : f.end] for f in report.findings if f.start is not None}
    assert spans["repeated-word"] == "the the"
    assert spans["double-space"] == "  "
    assert spans["brackets"] == "("
    assert spans["abbreviation"] == "nxs"


def test_unbalanced_quotes_and_closing_brackets():
    report = check(GOOD_NARRATIVE + ' She said "call me.) ')
    messages = [f.message for f in report.findings if f.rule == "brackets"]
    assert any("closes nothing" in m for m in messages)
    assert any("quotation marks" in m for m in messages)


def test_amounts_and_dates_are_written_one_way():
    text = GOOD_NARRATIVE + " The add-on is 4,000 dollars from 12/08/2026."
    report = check(text)
    spans = {f.rule: text[f.start : f.end] for f in report.findings if f.start is not None}
    assert spans["number-style"] == "4,000 dollars"
    assert spans["date-style"] == "12/08/2026"


def test_large_numbers_grouped_one_way():
    report = check(GOOD_NARRATIVE + " They run 12000 trucks and 15,000 trailers.")
    assert "Large numbers" in next(f.message for f in report.findings if f.rule == "number-style")


def test_empty_or_placeholder_narrative_is_an_error():
    for text in ("", "   \n", "TBD", "[inaudible 00:00:03] ???"):
        [finding] = [f for f in check(text).findings if f.rule == "narrative"]
        assert finding.severity is Severity.ERROR, text
    short = check("Dana will call Acme.", audio_ms=15_000, heard=[(0, 15_000)])
    [finding] = [f for f in short.findings if f.rule == "narrative"]
    assert finding.severity is Severity.WARNING  # fewer words than the template expects


def test_placeholder_left_in_a_narrative():
    text = GOOD_NARRATIVE + " Amount TBD."
    [finding] = [f for f in check(text).findings if f.rule == "placeholder"]
    assert text[finding.start : finding.end] == "TBD"


def test_a_linked_field_the_narrative_never_mentions():
    fields = {**GOOD_FIELDS, "account": "Harbor Freight Lines"}
    [finding] = [f for f in check(fields=fields).findings if f.rule == "field-mention"]
    assert finding.field == "account" and "Harbor Freight Lines" in finding.message


def test_rules_are_configured_per_template():
    raw = SALES.to_dict()
    raw["quality"] = {
        "rules": {"pace": {"enabled": False}, "audio-coverage": {"min_percent": 50}},
        "mentions": [],
    }
    relaxed = parse_template(raw, "test")
    report = run_checks(
        relaxed,
        {**GOOD_FIELDS, "account": "Harbor Freight Lines"},
        GOOD_NARRATIVE,
        context(audio_ms=10 * MINUTE, heard=[(0, 6 * MINUTE)]),
    )
    assert not {"pace", "audio-coverage", "field-mention"} & rules_of(report)


def test_a_template_may_let_an_error_be_acknowledged():
    raw = SALES.to_dict()
    raw["quality"] = {"rules": {"audio-coverage": {"acknowledgeable": True}}}
    report = run_checks(
        parse_template(raw, "test"), GOOD_FIELDS, GOOD_NARRATIVE, context(heard=[(0, 1000)])
    )
    [finding] = report.errors
    assert report.blocking() == [finding] and report.blocking({finding.key}) == []


@pytest.mark.parametrize(
    ("quality", "problem"),
    [
        ({"rules": {"speling": {}}}, "unknown rule 'speling'"),
        ({"rules": {"pace": {"min": 3}}}, "has no setting 'min'"),
        ({"rules": {"pace": {"min_wpm": "fast"}}}, "must be a number"),
        ({"rules": {"pace": {"severity": "fatal"}}}, "'severity' must be"),
        ({"mentions": ["acount"]}, "'acount', which is not a field"),
        ({"rule": {}}, "unknown key(s) rule"),
    ],
)
def test_a_malformed_quality_section_names_the_problem(quality, problem):
    raw = SALES.to_dict()
    raw["quality"] = quality
    with pytest.raises(TemplateError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_template(raw, "sales-call-report.json")


def test_report_round_trips_as_json_ready_data():
    report = check(GOOD_NARRATIVE + " the the", fields={**GOOD_FIELDS, "stage": ""})
    data = report.to_dict()
    assert data["errors"] == 1 and data["warnings"] == 1
    assert [f["key"] for f in data["findings"]] == [
        "required-field@stage",
        f"repeated-word@{len(GOOD_NARRATIVE) + 1}-{len(GOOD_NARRATIVE) + 8}",
    ]


def test_every_rule_is_exercised_by_these_tests():
    source = Path(__file__).read_text()
    assert all(f'"{rule}"' in source or f"{rule}@" in source for rule in RULES)


text_strategy = st.lists(
    st.sampled_from([*"abc XYZ[]()\"“”'0123456789:/$,.-\n\t", "inaudible ", "unclear "]),
    max_size=300,
).map("".join)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    narrative=text_strategy,
    fields=st.dictionaries(st.sampled_from(SALES.field_ids), values, max_size=10),
    audio_ms=st.integers(min_value=-5, max_value=10**9),
    heard=st.lists(
        st.tuples(st.integers(-(10**6), 10**9), st.integers(-(10**6), 10**9)), max_size=5
    ),
    template_id=st.sampled_from(sorted(TEMPLATES)),
)
def test_no_rule_crashes_on_any_text(narrative, fields, audio_ms, heard, template_id):
    report = run_checks(
        TEMPLATES[template_id], fields, narrative, context(audio_ms=audio_ms, heard=heard)
    )
    for finding in report.findings:
        assert finding.message and finding.rule in RULES
        if finding.start is not None:
            assert 0 <= finding.start <= finding.end <= len(narrative)
