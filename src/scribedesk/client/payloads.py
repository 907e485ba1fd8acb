"""The service's answers, parsed once into domain types (pure functions, no I/O).

Whatever the service sends that does not have the promised shape becomes a Failure of
kind SERVER with a sentence saying what was wrong; optional fields that are missing or
null take their defaults. tests/client/test_payloads.py runs these on JSON recorded from
the real service (tests/data/ws_data/), including missing and null fields.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from scribedesk.domain.dictation import Status
from scribedesk.domain.failure import Failure, FailureKind
from scribedesk.domain.job import (
    Directory,
    Job,
    PoolCounts,
    Receipt,
    Submitted,
    job_from_record,
)

if TYPE_CHECKING:
    from scribedesk.domain.templates import Template

T = TypeVar("T")


def garbage(what: str, problem: object) -> Failure:
    return Failure(
        f"The service sent {what} ScribeDesk cannot read ({problem}).", FailureKind.SERVER
    )


def parse_job(data: Any) -> Job:
    """One job (GET /jobs item, POST /jobs/next, /lease, /start, /heartbeat)."""
    try:
        return job_from_record(data)
    except KeyError as exc:
        raise garbage("a job", f"{exc.args[0]!r} is missing") from None
    except (TypeError, ValueError) as exc:
        raise garbage("a job", exc) from None


def parse_receipt(data: Any) -> Receipt:
    """The answer to a submission (POST /jobs/{id}/submit)."""
    try:
        if not isinstance(data, dict):
            raise TypeError("not an object")
        version = data["version"]
        job_id = data["dictation_id"]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (version, job_id)):
            raise TypeError(f"version {version!r} of job {job_id!r}")
        submitted = datetime.fromisoformat(str(data["submitted_at"]).replace("Z", "+00:00"))
        return Receipt(job_id, Status(data["status"]), version, submitted)
    except KeyError as exc:
        raise garbage("the submission's receipt", f"{exc.args[0]!r} is missing") from None
    except (TypeError, ValueError) as exc:
        raise garbage("the submission's receipt", exc) from None


def parse_jobs(data: Any) -> list[Job]:
    """The worklist (GET /jobs)."""
    return _list_of(data, parse_job, "the worklist")


def parse_history(data: Any) -> list[Submitted]:
    """My history (GET /jobs/history)."""

    def one(item: Any) -> Submitted:
        job = parse_job(item)
        try:
            at = datetime.fromisoformat(str(item["submitted_at"]).replace("Z", "+00:00"))
            return Submitted(job, at if at.tzinfo else at.replace(tzinfo=UTC), int(item["version"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise garbage("your history", exc) from None

    return _list_of(data, one, "your history")


def parse_pool(data: Any) -> PoolCounts:
    """Jobs waiting by priority (GET /jobs/waiting); a missing priority counts 0."""
    if not isinstance(data, dict):
        raise garbage("the pool counts", "not an object")
    counts = {}
    for name in ("stat", "urgent", "routine"):
        value = data.get(name) or 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise garbage("the pool counts", f"{name} is {value!r}")
        counts[name] = value
    return PoolCounts(**counts)


def parse_directory(data: Any) -> Directory:
    """The names the CRM knows (GET /directory); entries that are not text are left out."""
    if not isinstance(data, dict):
        raise garbage("the directory", "not an object")
    return Directory(
        accounts=tuple(v for v in data.get("accounts") or [] if isinstance(v, str)),
        people=tuple(v for v in data.get("people") or [] if isinstance(v, str)),
    )


def parse_templates(data: Any, warn: Callable[[str], None]) -> dict[str, Template]:
    """The templates (GET /templates), validated here too; a broken one is reported to
    ``warn`` and left out (the others still work)."""
    from scribedesk.domain.templates import TemplateError, parse_template  # after the start

    if not isinstance(data, list):
        raise garbage("the templates", "not a list")
    templates = {}
    for raw in data:
        source = f"template {raw.get('id')!r} from the service" if isinstance(raw, dict) else ""
        try:
            template = parse_template(raw, source or "a template from the service")
        except TemplateError as exc:
            warn(str(exc))
            continue
        templates[template.id] = template
    return templates


def _list_of(data: Any, parse: Callable[[Any], T], what: str) -> list[T]:
    if not isinstance(data, list):
        raise garbage(what, "not a list")
    return [parse(item) for item in data]
