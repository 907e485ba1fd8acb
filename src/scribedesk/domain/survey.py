"""The survey report: every answer to every question of an anonymous survey template,
the ratings counted over their whole scale, and the spoken answers grouped by the words
they share ("search": three answers that speak of search).

Anonymous means the report carries the answers and nothing else: no caller, no account,
no author, no job. Grouping is greedy and explainable: the content word most answers
share makes the first group (its answers leave the pool), then the next, while a word
is shared by at least two answers; what is left is listed as said once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scribedesk.domain.fieldspec import NUMERIC_TYPES, FieldType
from scribedesk.domain.templates import Template

_WORD = re.compile(r"[a-z][a-z']+")
_STOP_WORDS = """
    a about after again all also am an and any are as at be been before being but by can
    could did do does doing don't each even every for from get got had has have he her here
    him his how i if in into is it it's its just like made make more most much my no not
    now of off on once one only or other our out over own really same she should so some
    still such than that the their them then there these they this those through to too
    under until up us very was way we well were what when where which while who why will
    with would yes you your
"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Group:
    """Answers that share a word."""

    word: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One question's answers: counted over the scale (a rating), or grouped (spoken)."""

    id: str
    label: str
    rating: bool
    answered: int
    counts: tuple[tuple[int, int], ...] = ()  # (value, how many), every value of the scale
    mean: float | None = None
    answers: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    said_once: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveyReport:
    """The report over the responses of one date range."""

    template: str
    since: str
    until: str
    responses: int
    questions: tuple[Question, ...] = field(default_factory=tuple)


class EmptySurvey(ValueError):
    """No response in the range: nothing to report."""


def survey_report(
    template: Template,
    responses: Sequence[tuple[Mapping[str, Any], str]],
    since: str,
    until: str,
) -> SurveyReport:
    """The report over ``responses`` (each: the fields and the narrative)."""
    if not responses:
        raise EmptySurvey(
            f"No {template.name.lower()} was finished between {since} and {until}: "
            "nothing to report. Choose a wider range."
        )
    questions = []
    for spec in template.fields:
        values = [fields.get(spec.id) for fields, _narrative in responses]
        if spec.type in NUMERIC_TYPES and spec.type is not FieldType.CURRENCY:
            questions.append(_rating(spec.id, spec.label, values, spec.rules))
        else:
            questions.append(_spoken(spec.id, spec.label, [_text(v) for v in values]))
    questions.append(
        _spoken("narrative", template.narrative.label, [n for _fields, n in responses])
    )
    return SurveyReport(template.name, since, until, len(responses), tuple(questions))


def _rating(id_: str, label: str, values: list[Any], rules: Mapping[str, Any]) -> Question:
    given = [int(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    low = int(rules.get("min", min(given, default=0)))
    high = int(rules.get("max", max(given, default=low)))
    counts = tuple((value, given.count(value)) for value in range(low, high + 1))
    mean = round(sum(given) / len(given), 2) if given else None
    return Question(id_, label, True, len(given), counts=counts, mean=mean)


def _spoken(id_: str, label: str, values: list[str]) -> Question:
    answers = tuple(v.strip() for v in values if v.strip())
    groups, rest = group_by_shared_words(answers)
    return Question(id_, label, False, len(answers), answers=answers, groups=groups, said_once=rest)


def group_by_shared_words(answers: Sequence[str]) -> tuple[tuple[Group, ...], tuple[str, ...]]:
    """Groups of answers by the content word they share, biggest first; the rest."""
    pool = list(dict.fromkeys(answers))
    words = {answer: content_words(answer) for answer in pool}
    groups = []
    while True:
        counts: dict[str, int] = {}
        for answer in pool:
            for word in words[answer]:
                counts[word] = counts.get(word, 0) + 1
        shared = [(n, w) for w, n in counts.items() if n >= 2]
        if not shared:
            break
        _n, word = min(shared, key=lambda nw: (-nw[0], nw[1]))
        members = tuple(a for a in pool if word in words[a])
        groups.append(Group(word, members))
        pool = [a for a in pool if a not in members]
    return tuple(groups), tuple(pool)


def content_words(text: str) -> frozenset[str]:
    """The words that carry meaning, folded to one form ("reports" and "report")."""
    out = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOP or len(word) < 3:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.add(word)
    return frozenset(out)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
