"""CRM templates, read-only over the API (they are files in resources/templates/)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from scribedesk.server import quality
from scribedesk.server.api.deps import CurrentUser, ProductionReader, StateDep
from scribedesk.server.api.schemas import Directory
from scribedesk.server.errors import NotFound

router = APIRouter(prefix="/templates", tags=["templates"])


@router.get("", summary="Every template (id, name, fields, narrative)")
def list_templates(_user: CurrentUser, state: StateDep) -> list[dict[str, Any]]:
    return [t.to_dict() for t in sorted(state.templates.values(), key=lambda t: t.name)]


@router.get("/{template_id}", summary="One template")
def get_template(template_id: str, _user: CurrentUser, state: StateDep) -> dict[str, Any]:
    template = state.templates.get(template_id)
    if template is None:
        raise NotFound(f"There is no template {template_id!r}.")
    return template.to_dict()


directory_router = APIRouter(prefix="/directory", tags=["templates"])


@directory_router.get(
    "",
    summary="Names the CRM knows: accounts and people (completion and the new-name check)",
)
def get_directory(_user: ProductionReader, state: StateDep) -> Directory:
    with state.read() as session:
        accounts, people = quality.directory(session, state)
    return Directory(accounts=accounts, people=people)
