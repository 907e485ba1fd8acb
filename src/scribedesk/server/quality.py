"""The service's side of the quality checks: the same domain rules, re-run on every submission.

What only the workstation knows (which parts of the audio were heard, the local date,
the words its team dictionary accepted, its expansion abbreviations) travels with the
submission; everything else comes from the service's own records: the template, the
audio length, the names the CRM already knows, the language dictionary.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scribedesk.domain.quality import CheckContext, KnownNames, run_checks
from scribedesk.domain.templates import FieldType, Template
from scribedesk.server.api.state import AppState
from scribedesk.server.db.models import Dictation, TranscriptVersion
from scribedesk.server.errors import QualityRefused
from scribedesk.server.transcripts import TranscriptContent
from scribedesk.shared.hunspell import EnchantDictionary

#: How many recent transcripts the people directory is built from.
PEOPLE_FROM_LATEST = 5_000
#: How old the directory may be: it is read on every submission, and rebuilding it
#: reads thousands of transcripts.
DIRECTORY_MAX_AGE_S = 60.0


def directory(session: Session, state: AppState) -> tuple[list[str], list[str]]:
    """(accounts, people) the CRM knows, at most DIRECTORY_MAX_AGE_S old."""
    accounts, people, _known = _directory(session, state)
    return accounts, people


def known_names(session: Session, state: AppState) -> KnownNames:
    """The directory prepared for the rules (built once per directory, not per check)."""
    return _directory(session, state)[2]


def _directory(session: Session, state: AppState) -> tuple[list[str], list[str], KnownNames]:
    def build() -> tuple[list[str], list[str], KnownNames]:
        accounts, people = read_directory(session, state.templates)
        return accounts, people, KnownNames(accounts, people)

    return state.derived("directory", DIRECTORY_MAX_AGE_S, build)


def read_directory(session: Session, templates: dict[str, Template]) -> tuple[list[str], list[str]]:
    """(accounts, people) the CRM knows: every dictation's account, and everyone named in a
    person field of a submitted transcript."""
    accounts = sorted(
        {a for a in session.scalars(select(Dictation.account).distinct()) if a and a.strip()}
    )
    person_fields = {
        template_id: [spec.id for spec in template.fields if spec.type is FieldType.PERSON]
        for template_id, template in templates.items()
    }
    people: set[str] = set()
    rows = session.execute(
        select(Dictation.template_id, TranscriptVersion.fields)
        .join(Dictation, Dictation.id == TranscriptVersion.dictation_id)
        .where(TranscriptVersion.kind == "submit")
        .order_by(TranscriptVersion.id.desc())
        .limit(PEOPLE_FROM_LATEST)
    )
    for template_id, fields in rows:
        for field_id in person_fields.get(template_id, []):
            value = fields.get(field_id) if isinstance(fields, dict) else None
            for person in value if isinstance(value, list) else [value]:
                name = person.get("name") if isinstance(person, dict) else None
                if isinstance(name, str) and name.strip():
                    people.add(name.strip())
    return accounts, sorted(people)


#: Enchant (its broker, each dictionary) is not thread-safe, and request handlers run on
#: a thread pool: every call into it, opening included, goes through this lock.
_ENCHANT = threading.Lock()


def _dictionary(language: str) -> Callable[[str], bool] | None:
    """A thread-safe ``is_word`` for ``language``; None when it is not installed here."""
    with _ENCHANT:
        dictionary = _open(language)
    if dictionary is None:
        return None

    def is_word(word: str) -> bool:
        with _ENCHANT:
            return dictionary.check(word)

    return is_word


@functools.cache
def _open(language: str) -> EnchantDictionary | None:
    return EnchantDictionary.open(language)


def local_date(claimed: Any, today: date) -> date:
    """The workstation's date when it is plausible (time zones put it a day either side)."""
    if isinstance(claimed, str):
        try:
            claimed = date.fromisoformat(claimed)
        except ValueError:
            return today
    if isinstance(claimed, date) and abs(claimed - today) <= timedelta(days=1):
        return claimed
    return today


def review(
    session: Session, state: AppState, job: Dictation, template: Template, typed: TranscriptContent
) -> dict[str, Any]:
    """Run every rule on a submission; the report to store, or QualityRefused with findings."""
    context = typed.quality_context
    report = run_checks(
        template,
        typed.fields,
        typed.narrative,
        CheckContext(
            audio_ms=state.audio(session, job.audio_sha256).duration_ms,
            today=local_date(context.get("today"), state.clock().date()),
            heard=[tuple(span) for span in context.get("heard", [])],
            is_word=_dictionary(str(context.get("language") or "en_US")),
            known=known_names(session, state),
            accepted_words=context.get("accepted_words", []),
            abbreviations=context.get("abbreviations", []),
        ),
    )
    acknowledged = set(context.get("acknowledged", []))
    blocking = report.blocking(acknowledged)
    if blocking:
        first = blocking[0].message
        raise QualityRefused(
            f"The transcript fails {len(blocking)} quality check(s) that must be fixed "
            f"first. {first}",
            extra={
                "findings": [f.to_dict() for f in blocking[:KEPT_FINDINGS]],
                "report": _kept(report.to_dict()),
            },
        )
    return {
        **_kept(report.to_dict()),
        "acknowledged": sorted(k for k in acknowledged if k in {f.key for f in report.findings}),
    }


#: Findings stored with a version or sent back with a refusal: the counts stay exact,
#: the list stops here (a garbled 500,000-character text has 70,000 of them).
KEPT_FINDINGS = 1_000


def _kept(report: dict[str, Any]) -> dict[str, Any]:
    findings = report["findings"]
    if len(findings) <= KEPT_FINDINGS:
        return report
    return {**report, "findings": findings[:KEPT_FINDINGS], "findings_total": len(findings)}
