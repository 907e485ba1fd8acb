"""Templates load from JSON; a malformed one is refused with a message naming file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scribedesk.domain.templates import (
    FieldType,
    TemplateError,
    load_template_dir,
    load_template_file,
    parse_template,
)

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "templates"


def test_shipped_templates_load_with_the_promised_fields():
    """The four templates exist and carry the fields their users expect."""
    templates = load_template_dir(SHIPPED)
    assert set(templates) == {
        "sales-call-report",
        "customer-satisfaction-survey",
        "proposal-section",
        "general-memo",
    }
    sales = templates["sales-call-report"]
    assert sales.field_ids[:3] == ("account", "contacts", "meeting_date")
    for field_id in (
        "opportunity",
        "stage",
        "amount",
        "competitors",
        "customer_concerns",
        "next_steps",
        "follow_up_date",
    ):
        assert field_id in sales.field_ids
    assert sales.field("stage").type is FieldType.SINGLE_CHOICE
    assert "Decision maker" in sales.field("contacts").roles
    assert templates["customer-satisfaction-survey"].anonymous
    assert not any(
        f.type is FieldType.PERSON for f in templates["customer-satisfaction-survey"].fields
    )
    assert templates["proposal-section"].field("section_id").rules["pattern"]
    used = {f.type for t in templates.values() for f in t.fields}
    assert used == set(FieldType)


def test_round_trip_through_to_dict():
    """A template written out as data parses back to the same template."""
    for template in load_template_dir(SHIPPED).values():
        assert parse_template(template.to_dict(), "again.json") == template


def base(**fields: object) -> dict[str, object]:
    return {"id": "t", "name": "T", "fields": [{"id": "f", "label": "F", "type": "text", **fields}]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "top level: must be a JSON object"),
        ({"id": "t", "name": "T", "fields": [], "colour": 1}, "unknown key(s) colour"),
        ({"id": "Bad Id", "name": "T", "fields": []}, "'id': must be lower-case"),
        ({"id": "t", "fields": []}, "'name': is required"),
        ({"id": "t", "name": "T", "fields": {}}, "'fields': must be a list"),
        (base(type="choice"), "field 'f': 'type' 'choice' is not one of"),
        (base(type="single_choice"), "field 'f': single_choice needs a non-empty 'choices'"),
        (base(choices=["a"]), "field 'f': 'choices' only applies to choice fields"),
        (base(type="multi_choice", choices=["a", "a"]), "lists the same value twice"),
        (base(rules={"min": 1}), "rule 'min' does not apply to text fields"),
        (base(rules={"pattern": "("}), "rule 'pattern' is not a valid regular expression"),
        (base(rules={"speed": 1}), "unknown rule 'speed'"),
        (base(type="number", rules={"min": 5, "max": 1}), "'min' is larger than 'max'"),
        (base(type="date", rules={"date": "tomorrow"}), "rule 'date' must be one of"),
        (base(required="yes"), "'required' must be true or false"),
        (base(type="currency", currency="dollars"), "three-letter ISO 4217"),
        (base(roles=["Boss"]), "'roles' only applies to person fields"),
        (base(colour="red"), "field 'f': unknown key(s) colour"),
        (
            {
                "id": "t",
                "name": "T",
                "fields": [
                    {"id": "f", "label": "F", "type": "text"},
                    {"id": "f", "label": "G", "type": "text"},
                ],
            },
            "field 'f': id is used twice",
        ),
        ({"id": "t", "name": "T", "fields": [], "narrative": {"min_words": -1}}, "'min_words'"),
    ],
)
def test_malformed_template_names_file_and_field(data, message):
    """Each mistake is caught with a message a template author can act on."""
    with pytest.raises(TemplateError) as caught:
        parse_template(data, "broken.json")
    assert str(caught.value).startswith("broken.json: ")
    assert message in str(caught.value)


def test_bad_json_file_names_line_and_column(tmp_path):
    """A syntax error in the file says where."""
    path = tmp_path / "t.json"
    path.write_text('{"id": "t",\n "name": }')
    with pytest.raises(TemplateError, match=r"t.json: not valid JSON at line 2 column 10"):
        load_template_file(path)


def test_file_name_must_match_id(tmp_path):
    """A template saved under another name is refused, so ids stay findable."""
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"id": "memo", "name": "Memo", "fields": []}))
    with pytest.raises(TemplateError, match="must match the file name"):
        load_template_file(path)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    ["id", "name", "fields", "type", "label", "choices", "rules", "narrative"]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_any_json_either_parses_or_raises_template_error(data):
    """No input makes the parser crash with anything but TemplateError."""
    try:
        parse_template(data, "fuzz.json")
    except TemplateError as exc:
        assert str(exc).startswith("fuzz.json: ")
