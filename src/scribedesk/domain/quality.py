"""Quality checks: the rules a careful supervisor runs on a transcript before it leaves the desk.

The workstation runs them as the transcriptionist works; the service runs the very same
rules on every submission, so a finding means the same on both sides. Each finding has a
rule id, a severity, a sentence a person understands and the place it points to: a
field, or a character range of the narrative.

Rules are configured per template under ``quality`` (see docs/quality.md)::

    "quality": {
      "rules": {"pace": {"min_wpm": 80}, "spelling": {"enabled": false}},
      "mentions": ["account"]
    }
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from scribedesk.domain import fields as field_values
from scribedesk.domain.audio import HeardRanges
from scribedesk.domain.spelling import TeamDictionary, words
from scribedesk.domain.templates import FieldType, Template
from scribedesk.domain.transcript import MARKER, find_markers, format_time

REPORT_VERSION = 1


class Severity(StrEnum):
    ERROR = "error"  # blocks submission (unless the rule allows acknowledging it)
    WARNING = "warning"  # needs a confirmation


@dataclass(frozen=True)
class Rule:
    """A rule's id, what it checks, and its defaults (a template may override them)."""

    id: str
    title: str
    severity: Severity
    acknowledgeable: bool = True
    defaults: Mapping[str, Any] = field(default_factory=dict)


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("required-field", "Required fields filled", Severity.ERROR, acknowledgeable=False),
        Rule("field-value", "Field values valid", Severity.ERROR, acknowledgeable=False),
        Rule("new-name", "Names known to the CRM", Severity.WARNING),
        Rule("spelling", "Spelling", Severity.WARNING),
        Rule("marker-format", "Markers well formed", Severity.ERROR, acknowledgeable=False),
        Rule("marker-range", "Markers inside the audio", Severity.ERROR, acknowledgeable=False),
        Rule("marker-order", "Markers in order", Severity.WARNING),
        Rule("marker-count", "Not too many gaps", Severity.WARNING, defaults={"max": 10}),
        Rule(
            "audio-coverage",
            "Whole dictation heard",
            Severity.ERROR,
            acknowledgeable=False,
            defaults={"min_percent": 95, "min_gap_s": 1},
        ),
        Rule(
            "pace", "Plausible length", Severity.WARNING, defaults={"min_wpm": 60, "max_wpm": 220}
        ),
        Rule("repeated-word", "No repeated words", Severity.WARNING),
        Rule("abbreviation", "No leftover abbreviations", Severity.WARNING),
        Rule("double-space", "No double spaces", Severity.WARNING),
        Rule("brackets", "Brackets and quotes balanced", Severity.WARNING),
        Rule("number-style", "Amounts written one way", Severity.WARNING),
        Rule("date-style", "Dates written one way", Severity.WARNING),
        Rule("narrative", "Narrative written", Severity.ERROR, acknowledgeable=False),
        Rule("placeholder", "No placeholder text", Severity.WARNING),
        Rule("field-mention", "Fields agree with the narrative", Severity.WARNING),
    )
}
#: Settings every rule takes, besides its own thresholds.
COMMON_SETTINGS = frozenset({"enabled", "severity", "acknowledgeable"})


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, how bad, what to do, and where."""

    rule: str
    severity: Severity
    message: str
    field: str | None = None
    start: int | None = None  # narrative character range [start, end)
    end: int | None = None
    acknowledgeable: bool = True

    @property
    def key(self) -> str:
        """Stable across client and service: what an acknowledgement names."""
        if self.field is not None:
            return f"{self.rule}@{self.field}"
        if self.start is not None:
            return f"{self.rule}@{self.start}-{self.end}"
        return self.rule

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "field": self.field,
            "start": self.start,
            "end": self.end,
            "acknowledgeable": self.acknowledgeable,
        }


@dataclass(frozen=True)
class QualityReport:
    """Every finding of one run, errors first, then in reading order."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    def blocking(self, acknowledged: Collection[str] = ()) -> list[Finding]:
        """Errors that stop a submission: every error not acknowledged where allowed."""
        return [f for f in self.errors if not (f.acknowledgeable and f.key in acknowledged)]

    def unconfirmed(self, acknowledged: Collection[str] = ()) -> list[Finding]:
        """Warnings nobody has confirmed yet."""
        return [f for f in self.warnings if f.key not in acknowledged]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": REPORT_VERSION,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }


class KnownNames:
    """The CRM's account and person names, prepared once for many checks: folded for the
    new-name rule, split into words for the spell check. None for a list not known."""

    def __init__(
        self, accounts: Iterable[str] | None = None, people: Iterable[str] | None = None
    ) -> None:
        self.accounts = None if accounts is None else frozenset(map(_fold, accounts))
        self.people = None if people is None else frozenset(map(_fold, people))
        self.words = TeamDictionary([*(accounts or ()), *(people or ())])


def _fold(name: str) -> str:
    return name.casefold().strip()


@dataclass(frozen=True)
class CheckContext:
    """What the rules need besides the transcript itself.

    ``is_word`` is the language dictionary (None: the spelling rule is skipped);
    ``known`` holds the CRM's names (None: not checked);
    ``accepted_words`` are words the transcriptionist's team dictionary accepts.
    """

    audio_ms: int
    today: date
    heard: Sequence[tuple[int, int]] = ()
    is_word: Callable[[str], bool] | None = None
    known: KnownNames | None = None
    accepted_words: Collection[str] = ()
    abbreviations: Collection[str] = ()


# -- configuration ----------------------------------------------------------------------------


def config_problems(quality: Mapping[str, Any], template: Template | None = None) -> list[str]:
    """What is wrong with a template's ``quality`` object (empty when it is fine)."""
    problems = []
    unknown = set(quality) - {"rules", "mentions"}
    if unknown:
        problems.append(f"unknown key(s) {', '.join(sorted(unknown))}")
    rules = quality.get("rules", {})
    if not isinstance(rules, dict):
        return [*problems, "'rules' must be an object"]
    for rule_id, settings in rules.items():
        rule = RULES.get(rule_id)
        if rule is None:
            problems.append(f"unknown rule {rule_id!r} (known: {', '.join(sorted(RULES))})")
            continue
        if not isinstance(settings, dict):
            problems.append(f"rule {rule_id!r} must be an object")
            continue
        for key, value in settings.items():
            if key not in COMMON_SETTINGS and key not in rule.defaults:
                allowed = ", ".join(sorted(COMMON_SETTINGS | set(rule.defaults)))
                problems.append(f"rule {rule_id!r} has no setting {key!r} (it takes {allowed})")
            elif key in ("enabled", "acknowledgeable") and not isinstance(value, bool):
                problems.append(f"rule {rule_id!r}: {key!r} must be true or false")
            elif key == "severity" and value not in {s.value for s in Severity}:
                problems.append(f"rule {rule_id!r}: 'severity' must be 'error' or 'warning'")
            elif key in rule.defaults and (
                not isinstance(value, int | float) or isinstance(value, bool) or value < 0
            ):
                problems.append(f"rule {rule_id!r}: {key!r} must be a number ≥ 0")
    mentions = quality.get("mentions", [])
    if not isinstance(mentions, list) or not all(isinstance(m, str) for m in mentions):
        problems.append("'mentions' must be a list of field ids")
    elif template is not None:
        for field_id in mentions:
            if field_id not in template.field_ids:
                problems.append(f"'mentions' names {field_id!r}, which is not a field")
    return problems


@dataclass(frozen=True)
class _Settings:
    rule: Rule
    enabled: bool
    severity: Severity
    acknowledgeable: bool
    values: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def finding(self, message: str, **place: Any) -> Finding:
        return Finding(
            self.rule.id, self.severity, message, acknowledgeable=self.acknowledgeable, **place
        )


def _settings(template: Template) -> dict[str, _Settings]:
    overrides = template.quality.get("rules", {}) if isinstance(template.quality, Mapping) else {}
    result = {}
    for rule in RULES.values():
        own = overrides.get(rule.id, {}) if isinstance(overrides, Mapping) else {}
        own = own if isinstance(own, Mapping) else {}
        severity = Severity(own.get("severity", rule.severity))
        result[rule.id] = _Settings(
            rule,
            bool(own.get("enabled", True)),
            severity,
            # A warning can always be confirmed; an error only where the rule (or the
            # template) allows it.
            severity is Severity.WARNING or bool(own.get("acknowledgeable", rule.acknowledgeable)),
            {**rule.defaults, **{k: v for k, v in own.items() if k in rule.defaults}},
        )
    return result


# -- the engine -------------------------------------------------------------------------------


def run_checks(
    template: Template, fields: Mapping[str, Any], narrative: str, context: CheckContext
) -> QualityReport:
    """Every enabled rule of ``template`` on one transcript. Never raises on any text."""
    settings = _settings(template)
    found: list[Finding] = []
    for rule_id, check in _CHECKS.items():
        rule = settings[rule_id]
        if rule.enabled:
            found.extend(check(rule, template, fields, narrative, context))
    order = {rule_id: index for index, rule_id in enumerate(RULES)}
    field_order = {field_id: index for index, field_id in enumerate(template.field_ids)}
    found.sort(
        key=lambda f: (
            f.severity is not Severity.ERROR,
            f.start is not None,
            field_order.get(f.field or "", -1),
            f.start or 0,
            order[f.rule],
        )
    )
    return QualityReport(tuple(found))


Check = Callable[[_Settings, Template, Mapping[str, Any], str, CheckContext], Iterable[Finding]]


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _name_of(value: Any) -> str:
    return str(value.get("name", "")) if isinstance(value, dict) else str(value or "")


def _required(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for spec in t.fields:
        if spec.required and field_values.is_empty(fields.get(spec.id)):
            yield rule.finding(f"{spec.label} is required.", field=spec.id)


def _field_values(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for spec in t.fields:
        value = fields.get(spec.id)
        if field_values.is_empty(value):
            continue
        try:
            problem = field_values.check(spec, value, c.today)
        except (TypeError, ValueError, AttributeError):
            problem = f"{spec.label} has a value of the wrong kind."
        if problem:
            yield rule.finding(problem, field=spec.id)


def _new_names(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    if c.known is None:
        return
    for spec in t.fields:
        if spec.type is FieldType.ACCOUNT:
            known, kind = c.known.accounts, "account"
        elif spec.type is FieldType.PERSON:
            known, kind = c.known.people, "contact"
        else:
            continue
        if known is None:
            continue
        new = [
            name
            for name in map(_name_of, _values(fields.get(spec.id)))
            if name.strip() and _fold(name) not in known
        ]
        if new:
            names = ", ".join(new)
            yield rule.finding(
                f"{spec.label}: {names} is not in the CRM yet. Check the spelling, or confirm "
                f"it is a new {kind}.",
                field=spec.id,
            )


def _team_words(t: Template, fields: Mapping[str, Any], c: CheckContext) -> TeamDictionary:
    """Names that never flag (besides the CRM's, in ``c.known``): the template's choices,
    the names typed into account and person fields, and the words the team dictionary
    accepted."""
    team = TeamDictionary(c.accepted_words)
    for spec in t.fields:
        team.add_all(spec.choices)
        team.add_all(spec.roles)
        if spec.type in (FieldType.ACCOUNT, FieldType.PERSON):
            team.add_all(map(_name_of, _values(fields.get(spec.id))))
    return team


def _spelling(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
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


_MARKER_LIKE = re.compile(
    r"\[(?:inaudible|unclear)\b[^\]\n]{0,40}\]|\[\s*\d{1,3}:\d{1,3}(?::\d{1,3})?\s*\]",
    re.IGNORECASE,
)


def _marker_format(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for match in _MARKER_LIKE.finditer(narrative):
        if not MARKER.fullmatch(match.group()):
            yield rule.finding(
                f"“{match.group()}” is not a marker ScribeDesk understands: write "
                "[hh:mm:ss], [inaudible hh:mm:ss] or [unclear hh:mm:ss].",
                start=match.start(),
                end=match.end(),
            )


def _marker_range(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for marker in find_markers(narrative):
        if marker.at_ms > c.audio_ms:
            yield rule.finding(
                f"The marker at {format_time(marker.at_ms)} is past the end of the audio "
                f"({format_time(c.audio_ms)}).",
                start=marker.start,
                end=marker.end,
            )


def _marker_order(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    latest = None
    for marker in find_markers(narrative):
        if latest is not None and marker.at_ms < latest.at_ms:
            yield rule.finding(
                f"The marker at {format_time(marker.at_ms)} comes after one at "
                f"{format_time(latest.at_ms)}: markers should follow the audio.",
                start=marker.start,
                end=marker.end,
            )
        if latest is None or marker.at_ms >= latest.at_ms:
            latest = marker


def _marker_count(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    gaps = [m for m in find_markers(narrative) if m.kind != "timestamp"]
    if len(gaps) > rule["max"]:
        yield rule.finding(
            f"{len(gaps)} inaudible or unclear passages (more than {rule['max']:g}): the audio "
            "may need to go back to the author.",
            start=gaps[0].start,
            end=gaps[0].end,
        )


def _coverage(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    if c.audio_ms <= 0:
        return
    ranges = HeardRanges()
    for span in c.heard:
        try:
            start, end = int(span[0]), int(span[1])
        except (TypeError, ValueError, IndexError):
            continue
        ranges.add(max(0, start), min(end, c.audio_ms))
    share = ranges.coverage(c.audio_ms) * 100
    if share + 1e-9 >= rule["min_percent"]:
        return
    gaps = ranges.unheard(c.audio_ms, int(rule["min_gap_s"] * 1000))
    spans = ", ".join(f"{format_time(a)}–{format_time(b)}" for a, b in gaps[:5])
    more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
    yield rule.finding(
        f"Only {share:.0f} % of the dictation was heard (at least {rule['min_percent']:g} % "
        f"needed). Not heard: {spans}{more}."
    )


def _word_count(narrative: str) -> int:
    return sum(1 for _ in words(narrative))


def _pace(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    minutes = c.audio_ms / 60_000
    count = _word_count(narrative)
    if minutes < 0.25 or not count:  # too short to judge; an empty narrative is its own rule
        return
    pace = count / minutes
    if pace < rule["min_wpm"]:
        yield rule.finding(
            f"{pace:.0f} words per audio minute is slow for dictation (at least "
            f"{rule['min_wpm']:g} expected): is part of the audio missing from the text?"
        )
    elif pace > rule["max_wpm"]:
        yield rule.finding(
            f"{pace:.0f} words per audio minute is more than anyone dictates (at most "
            f"{rule['max_wpm']:g} expected): is there text that is not in the audio?"
        )


_REPEAT = re.compile(r"\b([A-Za-z]+)(\s+)\1\b", re.IGNORECASE)
_LEGITIMATE_REPEATS = frozenset({"had", "that", "is"})


def _repeated(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for match in _REPEAT.finditer(narrative):
        word = match.group(1)
        if word.casefold() in _LEGITIMATE_REPEATS or "\n" in match.group(2):
            continue
        yield rule.finding(f"“{word}” is repeated.", start=match.start(), end=match.end())


def _abbreviations(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    short = {a.casefold() for a in c.abbreviations if a.strip()}
    if not short:
        return
    for start, end, word in words(narrative):
        if word.casefold() in short:
            yield rule.finding(
                f"“{word}” is an expansion abbreviation left in the text.", start=start, end=end
            )


_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")


def _double_spaces(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for match in _DOUBLE_SPACE.finditer(narrative):
        yield rule.finding("Double space.", start=match.start(), end=match.end())


_PAIRS = {")": "(", "]": "[", "}": "{", "”": "“"}
_OPENERS = frozenset(_PAIRS.values())


def _brackets(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    stack: list[tuple[str, int]] = []
    for index, char in enumerate(narrative):
        if char in _OPENERS:
            stack.append((char, index))
        elif char in _PAIRS:
            if stack and stack[-1][0] == _PAIRS[char]:
                stack.pop()
            else:
                yield rule.finding(f"“{char}” closes nothing.", start=index, end=index + 1)
    for char, index in stack:
        yield rule.finding(f"“{char}” is never closed.", start=index, end=index + 1)
    quotes = [index for index, char in enumerate(narrative) if char == '"']
    if len(quotes) % 2:
        yield rule.finding(
            "An odd number of quotation marks: one is never closed.",
            start=quotes[-1],
            end=quotes[-1] + 1,
        )


_AMOUNT_STYLES = {
    "symbol": re.compile(r"[$€£]\s?\d[\d,.]*(?:\s?(?:k|m|bn|million|thousand)\b)?", re.I),
    "code": re.compile(r"\b(?:USD|EUR|GBP)\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:USD|EUR|GBP)\b"),
    "words": re.compile(
        r"\b\d[\d,.]*\s?(?:k\s|thousand\s|million\s)?(?:dollars|euros|pounds|bucks)\b", re.I
    ),
}
_GROUPING = {
    "grouped": re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])"),
    "ungrouped": re.compile(r"(?<![\d.,$€£])\d{5,}(?![\d,])"),
}
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DATE_STYLES = {
    "ISO (2026-11-23)": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "numeric (11/23/2026)": re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"),
    "month first (November 23)": re.compile(rf"\b{_MONTH}\.? \d{{1,2}}(?:st|nd|rd|th)?\b"),
    "day first (23 November)": re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}\b"),
}


def _styles(patterns: Mapping[str, re.Pattern[str]], text: str) -> dict[str, list[re.Match[str]]]:
    return {
        name: hits for name, pattern in patterns.items() if (hits := list(pattern.finditer(text)))
    }


def _mixed(rule: _Settings, what: str, used: dict[str, list[re.Match[str]]]) -> Iterator[Finding]:
    if len(used) < 2:
        return
    usual = max(used, key=lambda name: (len(used[name]), -used[name][0].start()))
    for name, hits in used.items():
        if name != usual:
            first = hits[0]
            yield rule.finding(
                f"{what} are written two ways: “{first.group().strip()}” here, "
                f"“{used[usual][0].group().strip()}” elsewhere ({len(used[usual])}×). "
                "Use one style.",
                start=first.start(),
                end=first.end(),
            )


def _number_style(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    yield from _mixed(rule, "Amounts", _styles(_AMOUNT_STYLES, narrative))
    yield from _mixed(rule, "Large numbers", _styles(_GROUPING, narrative))


def _date_style(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    yield from _mixed(rule, "Dates", _styles(_DATE_STYLES, narrative))


_PLACEHOLDER = re.compile(
    r"\b(?:TBD|TODO|FIXME|XXX+|lorem ipsum|insert (?:text|narrative) here|see audio)\b|\?\?\?+",
    re.IGNORECASE,
)


def _narrative(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    if not t.narrative.required:
        return
    text = MARKER.sub(" ", narrative)
    bare = _PLACEHOLDER.sub(" ", text)
    if not text.strip():
        yield rule.finding(f"The {t.narrative.label.lower()} is empty.")
    elif not re.search(r"[A-Za-z]{2}", bare):
        yield rule.finding(
            f"The {t.narrative.label.lower()} holds only placeholder text or markers."
        )
    elif (count := _word_count(narrative)) < t.narrative.min_words:
        yield Finding(
            rule.rule.id,
            Severity.WARNING,
            f"The {t.narrative.label.lower()} has {count} words; this template expects at "
            f"least {t.narrative.min_words}.",
        )


def _placeholders(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for match in _PLACEHOLDER.finditer(narrative):
        yield rule.finding(
            f"“{match.group()}” looks like placeholder text left in.",
            start=match.start(),
            end=match.end(),
        )


def _mentioned(name: str, folded_text: str) -> bool:
    """The name, or one of its words of 3+ letters, appears in the text."""
    name = name.casefold().strip()
    if not name:
        return True
    if name in folded_text:
        return True
    return any(
        len(word) >= 3 and re.search(rf"\b{re.escape(word.casefold())}\b", folded_text)
        for _s, _e, word in words(name)
    )


def _field_mentions(
    rule: _Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    mentions = t.quality.get("mentions", []) if isinstance(t.quality, Mapping) else []
    folded = narrative.casefold()
    for field_id in mentions if isinstance(mentions, list) else []:
        if field_id not in t.field_ids:
            continue
        spec = t.field(field_id)
        for name in map(_name_of, _values(fields.get(field_id))):
            if name.strip() and not _mentioned(name, folded):
                yield rule.finding(
                    f"{spec.label} says “{name}”, but the narrative never mentions it.",
                    field=field_id,
                )


_CHECKS: dict[str, Check] = {
    "required-field": _required,
    "field-value": _field_values,
    "new-name": _new_names,
    "spelling": _spelling,
    "marker-format": _marker_format,
    "marker-range": _marker_range,
    "marker-order": _marker_order,
    "marker-count": _marker_count,
    "audio-coverage": _coverage,
    "pace": _pace,
    "repeated-word": _repeated,
    "abbreviation": _abbreviations,
    "double-space": _double_spaces,
    "brackets": _brackets,
    "number-style": _number_style,
    "date-style": _date_style,
    "narrative": _narrative,
    "placeholder": _placeholders,
    "field-mention": _field_mentions,
}
assert set(_CHECKS) == set(RULES)
