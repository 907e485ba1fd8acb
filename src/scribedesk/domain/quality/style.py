"""Style rules: repeated words, leftover abbreviations, spacing, brackets, amounts and dates."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from scribedesk.domain.quality.model import CheckContext, Finding, Severity
from scribedesk.domain.quality.registry import Settings, rule
from scribedesk.domain.spelling import words

if TYPE_CHECKING:
    from scribedesk.domain.templates import Template


_REPEAT = re.compile(r"\b([A-Za-z]+)(\s+)\1\b", re.IGNORECASE)
_LEGITIMATE_REPEATS = frozenset({"had", "that", "is"})


@rule("repeated-word", "No repeated words", Severity.WARNING)
def _repeated(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for match in _REPEAT.finditer(narrative):
        word = match.group(1)
        if word.casefold() in _LEGITIMATE_REPEATS or "\n" in match.group(2):
            continue
        yield rule.finding(f"“{word}” is repeated.", start=match.start(), end=match.end())


@rule("abbreviation", "No leftover abbreviations", Severity.WARNING)
def _abbreviations(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
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


@rule("double-space", "No double spaces", Severity.WARNING)
def _double_spaces(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    for match in _DOUBLE_SPACE.finditer(narrative):
        yield rule.finding("Double space.", start=match.start(), end=match.end())


_PAIRS = {")": "(", "]": "[", "}": "{", "”": "“"}
_OPENERS = frozenset(_PAIRS.values())


@rule("brackets", "Brackets and quotes balanced", Severity.WARNING)
def _brackets(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
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


def _mixed(rule: Settings, what: str, used: dict[str, list[re.Match[str]]]) -> Iterator[Finding]:
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


@rule("number-style", "Amounts written one way", Severity.WARNING)
def _number_style(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    yield from _mixed(rule, "Amounts", _styles(_AMOUNT_STYLES, narrative))
    yield from _mixed(rule, "Large numbers", _styles(_GROUPING, narrative))


@rule("date-style", "Dates written one way", Severity.WARNING)
def _date_style(
    rule: Settings, t: Template, fields: Mapping[str, Any], narrative: str, c: CheckContext
) -> Iterator[Finding]:
    yield from _mixed(rule, "Dates", _styles(_DATE_STYLES, narrative))
