"""The author's upload: sign-in first, then the audio streamed into the store."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from scribedesk.domain.dictation import Priority
from scribedesk.server import dictations
from scribedesk.server.api.deps import StateDep, Uploader
from scribedesk.server.api.dictations import dictation_out
from scribedesk.server.api.handlers import describe_validation
from scribedesk.server.api.schemas import NO_NUL, DictationOut, Strict
from scribedesk.server.api.state import AppState
from scribedesk.server.api.upload_form import Received, receive_upload
from scribedesk.server.db.models import User
from scribedesk.server.dictations import Intake
from scribedesk.server.errors import Invalid

router = APIRouter(prefix="/dictations", tags=["dictations"])


class UploadForm(Strict):
    """The form fields of an upload (the audio is the ``file`` part): all text, so they
    are read as strings are (``priority`` "stat" is the enum's value)."""

    model_config = ConfigDict(extra="forbid", strict=False)

    account: str = Field(min_length=1, max_length=200)
    template_id: str = Field(min_length=1, max_length=64)
    priority: Priority = Priority.ROUTINE
    title: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=4000)


#: Text with at least one visible character and no NUL (what check_intake accepts).
_SOME_TEXT = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "account", "template_id"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "The audio file",
                        },
                        "account": {"type": "string", "maxLength": 200, "pattern": _SOME_TEXT},
                        "template_id": {
                            "type": "string",
                            "description": "One of the service's templates (the enum is "
                            "filled in from them when the document is served)",
                        },
                        "priority": {
                            "type": "string",
                            "enum": [p.value for p in Priority],
                            "default": Priority.ROUTINE.value,
                        },
                        "title": {"type": "string", "maxLength": 200, "pattern": NO_NUL},
                        "note": {"type": "string", "maxLength": 4000, "pattern": NO_NUL},
                    },
                    "additionalProperties": False,
                }
            }
        },
    }
}


@router.post(
    "",
    status_code=201,
    summary="Upload a dictation (audio file plus account, template and priority)",
    openapi_extra=_UPLOAD_BODY,
)
async def upload(request: Request, user: Uploader, state: StateDep) -> DictationOut:
    """The sign-in and the role are checked from the headers before a byte of the body
    is read; the audio then streams into the store's spool under the size limit."""
    received = await receive_upload(request, state.store.spool_dir, state.store.max_bytes)
    try:
        return await run_in_threadpool(_store_upload, state, user, received)
    finally:
        assert received.path is not None
        await run_in_threadpool(received.path.unlink, missing_ok=True)


def _store_upload(state: AppState, user: User, received: Received) -> DictationOut:
    try:
        form = UploadForm.model_validate(received.fields)
    except ValidationError as exc:
        raise Invalid(describe_validation(list(exc.errors()))) from None
    intake = Intake(
        account=form.account,
        template_id=form.template_id,
        priority=form.priority,
        title=form.title,
        note=form.note,
    )
    template = dictations.check_intake(intake, state.templates)  # before storing any audio
    name = received.filename or "upload"
    assert received.path is not None
    info = state.store.add_spooled(received.path, received.sha256, received.size, name)
    with state.write() as session:
        item = dictations.create(
            session, user, intake, template, info, name, state.settings.turnaround, state.clock()
        )
        return dictation_out(state, session, item)
