"""The reviewer's live diff, classification and score preview (pure: no service)."""

from __future__ import annotations

from pathlib import Path

from scribedesk.domain.review import ReviewItem, ReviewText
from scribedesk.domain.templates import load_template_dir
from scribedesk.domain.weighting import Severity
from scribedesk.services.review import ReviewWork

TEMPLATES = load_template_dir(Path(__file__).parents[2] / "resources" / "templates")
SUBMITTED = "[00:00:05] Met Dana at Acme. They want 12,000 units, delivery by March."


def item(narrative: str = SUBMITTED) -> ReviewItem:
    return ReviewItem(
        id=1,
        dictation_id=7,
        account="Acme",
        template_id="general-memo",
        transcriptionist="tara",
        reason="",
        status="in_review",
        lease_token="a" * 32,
        feedback="",
        errors=(),
        score={},
        audio_ms=60_000,
        audio_sha256="",
        audio_size=0,
        submitted=ReviewText(1, {"subject": "Renewal"}, narrative),
    )


def test_edits_become_differences_shown_as_tracked_changes():
    work = ReviewWork(item(), TEMPLATES["general-memo"])
    assert work.differences == []
    corrected = SUBMITTED.replace("Dana", "Donna").replace("12,000", "120,000")
    work.update(corrected + " Call back Friday.", {"subject": "Renewal terms"})
    kinds = [(d.kind, d.corrected, d.submitted) for d in work.differences]
    assert kinds == [
        ("substitute", "Donna", "Dana"),
        ("substitute", "120,000", "12,000"),
        ("omitted", "Call back Friday.", ""),
        ("field", "Renewal terms", "Renewal"),
    ]
    page = work.diff_html()
    assert '<s style="color:#e53935">Dana</s> <u style="color:#43a047">Donna</u>' in page
    assert "Acme." in page  # words as written, punctuation and case kept


def test_a_comma_or_a_capital_is_no_difference():
    work = ReviewWork(item(), TEMPLATES["general-memo"])
    work.update(SUBMITTED.replace("Met Dana", "met Dana,"), {"subject": "Renewal"})
    assert work.differences == []


def test_classifications_stick_to_their_difference_and_score_as_the_service_does():
    work = ReviewWork(item(), TEMPLATES["general-memo"])
    work.update(SUBMITTED.replace("Dana", "Donna").replace("March", "May"), {"subject": "Renewal"})
    name, month = work.differences
    work.classify(name, Severity.CRITICAL, "contact")
    work.classify(month, Severity.NON_CRITICAL)
    preview = work.preview()
    assert (preview.score, preview.passed, preview.critical) == (96, False, 1)
    work.update(work.narrative + " Thanks.", work.fields)  # an edit elsewhere
    assert [work.severity_of(d) for d in work.differences[:2]] == [
        Severity.CRITICAL,
        Severity.NON_CRITICAL,
    ]
    work.classify(name, None)
    assert work.preview().score == 99
    body = work.body("Names!")
    assert body["errors"] == [
        {
            "severity": "non_critical",
            "category": "wording",
            "kind": "substitution",
            "words": "May.",
            "field": None,
        }
    ]


def test_a_difference_is_found_in_the_audio():
    """After a timestamp marker: that time; otherwise in proportion to the text."""
    work = ReviewWork(item(), TEMPLATES["general-memo"])
    work.update(SUBMITTED.replace("March", "May"), work.fields)
    [month] = work.differences
    assert work.audio_ms(month) == 5_000
    plain = ReviewWork(item("one two three four"), TEMPLATES["general-memo"])
    plain.update("one two three five", plain.fields)
    assert plain.audio_ms(plain.differences[0]) == 45_000
