"""Build the FastAPI application from settings: database, audio store, templates, routes."""

from __future__ import annotations

import functools
import gc
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse

import scribedesk
from scribedesk.domain.dictation import TransitionError
from scribedesk.domain.templates import load_template_dir
from scribedesk.server import delivery, idle
from scribedesk.server.api import (
    auth,
    contract,
    deliveries,
    dictations,
    handlers,
    history,
    jobs,
    reports,
    reviews,
    team,
    templates,
    training,
    uploads,
    users,
)
from scribedesk.server.api.limits import TRANSCRIPT_BODY_LIMIT, BodyLimit
from scribedesk.server.api.schemas import ERRORS, Health
from scribedesk.server.api.state import AppState, get_state, utc_now
from scribedesk.server.audio_store import AudioStore
from scribedesk.server.crm_http import mappings_for
from scribedesk.server.crm_mappings import load_mappings
from scribedesk.server.db.engine import make_engine
from scribedesk.server.db.migrate import upgrade
from scribedesk.server.documents import call_report_docx, filed_from
from scribedesk.server.hubspot import HubSpotDestination
from scribedesk.server.salesforce import SalesforceDestination
from scribedesk.server.settings import ServerSettings, from_environment
from scribedesk.server.webhook import WebhookDestination

log = logging.getLogger(__name__)
API = "/api/v1"


def build_state(settings: ServerSettings, clock: Callable[[], datetime] = utc_now) -> AppState:
    """Open (and migrate) the database, the audio store and the templates."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    store = AudioStore(settings.audio_dir, settings.max_upload_mb << 20)
    templates = load_template_dir(settings.templates_dir)
    return AppState(
        settings=settings,
        engine=engine,
        store=store,
        templates=templates,
        clock=clock,
        destinations=destinations_for(settings, templates),
    )


def destinations_for(settings: ServerSettings, templates: dict[str, Any]) -> dict[str, Any]:
    """The configured destinations; every CRM mapping is checked, configured or not."""
    mappings = load_mappings(settings.crm_dir, templates)
    destinations: dict[str, Any] = {}
    if settings.webhook_url:
        destinations["webhook"] = WebhookDestination(
            settings.webhook_url, settings.webhook_secret, settings.webhook_timeout_s
        )
    if settings.salesforce_url and settings.salesforce_token:
        destinations["salesforce"] = SalesforceDestination(
            settings.salesforce_url,
            settings.salesforce_token,
            mappings_for("salesforce", mappings),
            settings.salesforce_api_version,
            settings.crm_timeout_s,
        )
    if settings.hubspot_token:
        destinations["hubspot"] = HubSpotDestination(
            settings.hubspot_url,
            settings.hubspot_token,
            mappings_for("hubspot", mappings),
            settings.crm_timeout_s,
        )
    return destinations


def deliver_once(state: AppState) -> bool:
    """Send the next delivery that is due, if any (True: one was attempted)."""
    with state.write() as session:
        due = delivery.take_due(session, state.clock())
        if due is None:
            return False
        due_id, name, message_id = due.id, due.destination, due.message_id
        known = dict(due.answer)
        body = delivery.payload(session, due, f"http://{state.settings.host}:{state.settings.port}")
    destination = state.destinations.get(name)
    if destination is None:
        outcome = delivery.Outcome(False, None, f"No destination {name!r} is configured.")
    else:
        template_id = body["data"]["template_id"]
        document = b""
        if destination.wants_document(template_id):
            document = call_report_docx(state.template(template_id), filed_from(body["data"]))
        outcome = destination.send(message_id, body, known, document)
    with state.write() as session:
        delivery.record(session, due_id, outcome, state.clock())
    return True


def _deliverer(state: AppState, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            busy = deliver_once(state)
        except Exception:  # the worker must outlive a passing database error
            log.exception("delivery worker failed; retrying")
            busy = False
        if not busy:
            stop.wait(state.settings.delivery_interval_s)


def freeze_start_up() -> None:
    """Put every object made while starting (routes, models, templates, the ORM's
    mappers) out of the garbage collector's reach, so a full collection during a request
    scans only what requests made. Measured: a training submission's p99 went from 93 ms
    (full collections over the start-up objects) to 11 ms (bench_training.py)."""
    gc.collect()
    gc.freeze()


def warm_routes(routes: Iterable[Any]) -> int:
    """Make now what FastAPI makes for a route at its first request: its parameters'
    and its answer's validators, built per included router when a request first reaches
    it (0.16x; about 100 ms for a router here, paid by whoever asked first: a supervisor
    opening the Team page waited 240 ms instead of 90). Returns how many routes were made;
    0, and no harm, on a FastAPI that makes them some other way."""
    made = 0
    for route in routes:
        candidates = getattr(route, "effective_candidates", None)
        if candidates is None:
            continue
        nested = []
        for candidate in candidates():
            if hasattr(candidate, "effective_candidates"):
                nested.append(candidate)
            else:
                made += 1
        route.effective_low_priority_routes()
        made += warm_routes(nested)
    return made


def _warm_then_freeze(app: FastAPI) -> None:
    try:
        warm_routes(app.router.routes)
    except Exception:  # only the first requests are slower without it
        log.exception("the routes could not be made ahead of the first requests")
    freeze_start_up()


def _reaper(state: AppState, stop: threading.Event) -> None:
    while not stop.wait(state.settings.reaper_interval_s):
        try:
            with state.write() as session:
                idle.reap_idle(session, state.clock(), state.settings.idle)
        except Exception:  # the reaper must outlive a passing database error
            log.exception("idle-assignment reaper failed; retrying")


@functools.cache
def api_router() -> APIRouter:
    """Every endpoint under /api/v1, gathered once per process: including a router builds
    each route's validation again, a quarter of a second for each service made (tests
    make hundreds)."""
    api = APIRouter(prefix=API, responses=ERRORS)

    @api.get("/health", tags=["service"], summary="Is the service up")
    def health(s: AppState = Depends(get_state)) -> Health:
        return Health(status="ok", version=scribedesk.__version__, database=s.engine.dialect.name)

    for module in (
        auth,
        deliveries,
        users,
        templates,
        uploads,
        dictations,
        history,
        jobs,
        reports,
        reviews,
        team,
        training,
    ):
        api.include_router(module.router)
    api.include_router(templates.directory_router)
    return api


def create_app(
    settings: ServerSettings,
    clock: Callable[[], datetime] = utc_now,
    state: AppState | None = None,
) -> FastAPI:
    """The service as an ASGI app; blocking start-up work (migrations) happens here.

    ``state`` reuses an already opened database and store (build_state).
    """
    state = state or build_state(settings, clock)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = threading.Thread(
            target=_reaper, args=(state, stop), name="idle-reaper", daemon=True
        )
        thread.start()
        sender = threading.Thread(
            target=_deliverer, args=(state, stop), name="delivery", daemon=True
        )
        if state.destinations:
            sender.start()
        # The routes are made on a thread of their own: the service answers meanwhile.
        threading.Thread(
            target=_warm_then_freeze, args=(_app,), name="warm-routes", daemon=True
        ).start()
        try:
            yield
        finally:
            gc.unfreeze()  # a stopped service's objects may be collected again
            stop.set()
            thread.join(timeout=5)
            if sender.is_alive():
                sender.join(timeout=20)

    app = FastAPI(
        title="ScribeDesk service",
        version=scribedesk.__version__,
        description=(
            "Dictations in, transcripts out. Authors upload dictations; transcriptionists claim "
            "jobs under a lease renewed by heartbeat and submit exactly once with an "
            "Idempotency-Key; supervisors assign, reassign and review. Every error is JSON "
            '`{"detail": sentence, "code": word}`.'
        ),
        lifespan=lifespan,
        openapi_url="/openapi.json",
    )
    app.state.scribedesk = state
    handlers.install(app)

    @app.exception_handler(TransitionError)
    async def transition_error(_request: Request, exc: TransitionError) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc).capitalize() + ".", "code": "conflict"}, status_code=409
        )

    app.include_router(api_router())
    contract.install(app, state.templates)
    app.add_middleware(
        BodyLimit,  # type: ignore[arg-type]
        upload_paths={f"{API}/dictations", f"{API}/training/exercises"},
        upload_limit=settings.max_upload_mb << 20,
        default_limit=TRANSCRIPT_BODY_LIMIT,
    )
    return app


def app_from_environment() -> FastAPI:
    """Factory for ``uvicorn --factory`` (several worker processes): settings from SCRIBEDESK_*."""
    return create_app(from_environment())
