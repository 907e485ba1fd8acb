"""Bring audio files in from disk: single files, a watch folder, and the demo data."""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from scribedesk.domain.dictation import Priority
from scribedesk.domain.roles import Role
from scribedesk.server import dictations
from scribedesk.server.api.state import AppState
from scribedesk.server.db.models import Dictation, User
from scribedesk.server.demo_history import seed_history
from scribedesk.server.dictations import Intake
from scribedesk.server.errors import Invalid, ServiceError
from scribedesk.server.exercise_import import seed_training
from scribedesk.server.reports import set_outline
from scribedesk.server.users import create_user

log = logging.getLogger(__name__)
AUDIO_SUFFIXES = {
    ".wav",
    ".mp3",
    ".m4a",
    ".aac",
    ".ogg",
    ".opus",
    ".flac",
    ".amr",
    ".dss",
    ".ds2",
    ".wma",
    ".mp4",
    ".3gp",
}


def author_named(state: AppState, username: str) -> User:
    """The active user who will be recorded as the dictation's author."""
    with state.read() as session:
        user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None or not user.active:
        raise Invalid(f"There is no active user {username!r} to record as the author.")
    return user


def import_file(state: AppState, author: User, path: Path, intake: Intake) -> Dictation:
    """Store one audio file and create its dictation; ServiceError says what is wrong."""
    template = dictations.check_intake(intake, state.templates)
    with path.open("rb") as stream:
        info = state.store.add(stream, path.name)
    with state.write() as session:
        return dictations.create(
            session,
            author,
            intake,
            template,
            info,
            path.name,
            state.settings.turnaround,
            state.clock(),
        )


def _sidecar(path: Path, default: Intake) -> Intake:
    """Per-file overrides from ``<audio>.json`` (account, template_id, priority, title, note)."""
    side = path.with_name(path.name + ".json")
    if not side.exists():
        return default
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
        values: dict[str, Any] = {
            k: data[k] for k in ("account", "template_id", "title", "note") if k in data
        }
        if "priority" in data:
            values["priority"] = Priority(data["priority"])
    except (ValueError, TypeError, KeyError) as exc:
        raise Invalid(f"{side.name}: not a valid sidecar ({exc})") from None
    return replace(default, **values)


def watch(
    state: AppState,
    author: User,
    folder: Path,
    default: Intake,
    *,
    interval: float = 2.0,
    once: bool = False,
    stop: Callable[[], bool] = lambda: False,
) -> int:
    """Import audio dropped into ``folder`` until ``stop()``; returns how many were imported.

    A file is taken once its size has not changed between two polls (still being
    copied otherwise). Imported files move to ``imported/``; refused ones to
    ``failed/`` beside a ``.error.txt`` that says why.
    """
    done, failed = folder / "imported", folder / "failed"
    done.mkdir(parents=True, exist_ok=True)
    failed.mkdir(parents=True, exist_ok=True)
    sizes: dict[Path, int] = {}
    imported = 0
    while True:
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.suffix.lower() not in AUDIO_SUFFIXES:
                continue
            size = path.stat().st_size
            if sizes.get(path) != size and not once:
                sizes[path] = size
                continue
            sizes.pop(path, None)
            side = path.with_name(path.name + ".json")
            try:
                item = import_file(state, author, path, _sidecar(path, default))
            except ServiceError as exc:
                log.warning("refused %s: %s", path.name, exc.message)
                (failed / (path.name + ".error.txt")).write_text(
                    exc.message + "\n", encoding="utf-8"
                )
                target = failed
            else:
                log.info("imported %s as dictation %d", path.name, item.id)
                imported += 1
                target = done
            shutil.move(str(path), target / path.name)
            if side.exists():
                shutil.move(str(side), target / side.name)
        if once or stop():
            return imported
        time.sleep(interval)


def seed_demo(state: AppState, manifest_path: Path) -> tuple[int, int]:
    """Demo users (one per role) and dictations from resources/demo; safe to run twice.

    Returns (users created, dictations waiting in the queue). Dictations, and the demo's
    reviewed history (demo_history.py), are added only to a database that has none, so
    re-running never duplicates them.
    """
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    users_made = 0
    now = state.clock()
    with state.write() as session:
        for spec in manifest["users"]:
            if session.scalar(select(User.id).where(User.username == spec["username"])) is None:
                create_user(
                    session,
                    spec["username"],
                    spec["display_name"],
                    Role(spec["role"]),
                    manifest["password"],
                    now,
                )
                users_made += 1
        existing = session.scalar(select(func.count(Dictation.id)))
    if existing:
        return users_made, 0
    author = author_named(
        state, next(u["username"] for u in manifest["users"] if u["role"] == Role.AUTHOR.value)
    )
    # Three weeks of reviewed work first, so that the pages have a history on first run.
    seed_history(state, manifest, manifest_path.parent, now)
    seed_training(state, manifest_path, now)
    with state.write() as session:  # the RFP outlines the demo's proposal sections answer
        for spec in manifest.get("proposals", []):
            set_outline(session, spec["proposal"], spec["account"], spec["outline"], author, now)
    made = 0
    for spec in manifest["dictations"]:
        intake = Intake(
            account=spec["account"],
            template_id=spec["template_id"],
            priority=Priority(spec["priority"]),
            title=spec.get("title", ""),
        )
        import_file(state, author, manifest_path.parent / spec["file"], intake)
        made += 1
    return users_made, made
