"""The survey's grouping and the proposal's order, as pure logic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scribedesk.domain.proposal import (
    EmptyProposal,
    OutlineError,
    OutlineItem,
    Section,
    compile_draft,
    parse_outline,
)
from scribedesk.domain.survey import content_words, group_by_shared_words


def test_answers_are_grouped_by_the_word_most_of_them_share_first():
    answers = [
        "Search is slow.",
        "The search never finds old invoices.",
        "Invoices arrive late.",
        "Reminders go out at the wrong time.",
        "Search again.",
    ]
    groups, rest = group_by_shared_words(answers)
    assert [(g.word, len(g.answers)) for g in groups] == [("search", 3)]
    assert "Invoices arrive late." in rest  # its partner went to "search" first
    assert content_words("The reports and the report") == {"report"}


def section(id_: str, version: int = 1, day: int = 1, text: str = "text") -> Section:
    finished = datetime(2026, 11, day, tzinfo=UTC)
    return Section(id_, f"Title {id_}", "Maria", 10 + version, version, finished, text)


def test_without_an_outline_sections_go_in_number_order_and_the_newest_wins():
    draft = compile_draft(
        "RFP", "STA", [], [section("4.10"), section("4.2"), section("4.2", 2, 3, "new")]
    )
    assert [item.id for item, _s in draft.items] == ["4.2", "4.10"]
    assert draft.items[0][1] is not None and draft.items[0][1].text == "new"
    assert draft.missing == ()


def test_an_outline_keeps_its_order_lists_what_is_missing_and_keeps_the_rest():
    outline = parse_outline([{"id": "10", "title": "Pricing"}, {"id": "2"}, {"id": "3.1"}])
    draft = compile_draft("RFP", "STA", outline, [section("2"), section("9")])
    assert [item.id for item, _s in draft.items] == ["10", "2", "3.1"]
    assert draft.missing == (OutlineItem("10", "Pricing"), OutlineItem("3.1", ""))
    assert [s.id for s in draft.outside] == ["9"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "1 to 500"),
        ([{"id": "three"}], "not a section number"),
        ([{"title": "x"}], "needs an 'id'"),
    ],
)
def test_a_bad_outline_says_which_entry(raw, message):
    with pytest.raises(OutlineError, match=message):
        parse_outline(raw)


def test_a_proposal_with_nothing_is_refused_clearly():
    with pytest.raises(EmptyProposal, match="nothing to compile"):
        compile_draft("RFP", "", [], [])
