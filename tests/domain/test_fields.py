"""Field values checked against their specs, with sentences a transcriptionist can act on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scribedesk.domain.fields import check, is_empty, parse_number
from scribedesk.domain.templates import load_template_dir

TEMPLATES = load_template_dir(Path(__file__).resolve().parents[2] / "resources" / "templates")
SALES = TEMPLATES["sales-call-report"]
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "number"),
    [("120,000", 120000.0), ("1250.50", 1250.5), ("$99", 99.0), ("-3", -3.0), ("1 200", 1200.0)],
)
def test_numbers_parse_the_ways_people_type_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["12,00", "1.2.3", "abc", "", "1,2345"])
def test_non_numbers_are_refused(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("account", "", "Account is required."),
        ("amount", "lots", "Amount must be a number"),
        ("amount", -5, "Amount must be at least 0"),
        ("amount", 10.555, "at most 2 decimal"),
        ("meeting_date", "2026-02-30", "must be a real date"),
        ("meeting_date", "2026-12-01", "cannot be in the future"),
        ("follow_up_date", "2026-11-01", "must be after today"),
        ("stage", "Maybe", "choose one of Prospecting"),
        ("contacts", [{"name": "Dana", "role": "Boss"}], "Boss is not one of the roles"),
        ("contacts", [{"name": "", "role": "Champion"}], "Contacts is required."),
        ("opportunity", "x" * 121, "limited to 120 characters"),
    ],
)
def test_bad_values_get_a_sentence(field, value, problem):
    message = check(SALES.field(field), value, TODAY)
    assert message is not None and problem in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "120,000"),
        ("amount", 0),
        ("meeting_date", "2026-11-20"),
        ("follow_up_date", "2026-12-01"),
        ("stage", "Negotiation"),
        ("competitors", ["HubSpot", "A new rival"]),  # allow_other
        ("contacts", [{"name": "Dana Whitfield", "role": "Decision maker"}]),
        ("customer_concerns", ""),
    ],  # optional
)
def test_good_values_pass(field, value):
    assert check(SALES.field(field), value, TODAY) is None


def test_pattern_hint_uses_the_placeholder():
    spec = TEMPLATES["proposal-section"].field("section_id")
    assert check(spec, "4.2.1", TODAY) is None
    assert "for example e.g. 3.2.1" in (check(spec, "section four", TODAY) or "")


@given(
    st.one_of(
        st.none(),
        st.text(),
        st.integers(),
        st.floats(allow_nan=True),
        st.lists(st.text()),
        st.dictionaries(st.text(), st.text()),
    )
)
def test_no_value_crashes_any_field(value):
    for template in TEMPLATES.values():
        for spec in template.fields:
            result = check(spec, value, TODAY)
            assert result is None or isinstance(result, str)
    assert isinstance(is_empty(value), bool)
