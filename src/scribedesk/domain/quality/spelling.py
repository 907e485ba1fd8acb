"""The spelling rule: the language dictionary, the team's words and every name in sight."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from scribedesk.domain.fieldspec import FieldType
from scribedesk.domain.quality.model import CheckContext, Finding, Severity, name_of, values_of
from scribedesk.domain.quality.registry import Settings, rule
from scribedesk.domain.spelling import TeamDictionary, words

if TYPE_CHECKING:
    from scribedesk.domain.templates import Template


def _team_words(t: Template, fields: Mapping[str, Any], c: CheckContext) -> TeamDictionary:
    """Names that never flag (besides the CRM's, in ``c.known``): the template's choices,
    the names typed into account and person fields, and the words the team dictionary
    accepted."""
    team = TeamDictionary(c.accepted_words)
    for spec in t.fields:
        team.add_all(spec.choices)
        team.add_all(spec.roles)
        if spec.type in (FieldType.ACCOUNT, FieldType.PERSON):
            team.add_all(map(name_of, values_of(fields.get(spec.id))))
    return team


@rule("spelling", "Spelling", Severity.WARNING)
def _spelling(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    if c.is_word is None:
        return
    team = _team_words(t, fields, c)
    team.add_all(c.abbreviations)  # a leftover abbreviation is its own rule's finding
    verdicts: dict[str, bool] = {}

    def known(word: str) -> bool:
        verdict = verdicts.get(word)
        if verdict is None:
            verdict = verdicts[word] = (
                word in team
                or (c.known is not None and word in c.known.words)
                or _dictionary_says(c.is_word, word)
            )
        return verdict

    for spec in t.fields:
        if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
            text = fields.get(spec.id)
            unknown = [w for _s, _e, w in words(str(text))] if isinstance(text, str) else []
            unknown = sorted({w for w in unknown if not known(w)})
            if unknown:
                yield rule.finding(
                    f"{spec.label}: check the spelling of {', '.join(unknown[:5])}"
                    + (f" and {len(unknown) - 5} more." if len(unknown) > 5 else "."),
                    field=spec.id,
                )
    for start, end, word in words(narrative):
        if not known(word):
            yield rule.finding(f"Check the spelling of “{word}”.", start=start, end=end)


def _dictionary_says(is_word: Callable[[str], bool] | None, word: str) -> bool:
    try:
        return is_word is None or bool(is_word(word))
    except Exception:  # a dictionary that chokes on a word does not stop the checks
        return True
