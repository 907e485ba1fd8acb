"""Saving what the service makes (a Word document, a report, an export) where the user
says: Ctrl+D on the pages that list dictations, and the reports' keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from scribedesk.ui.tasks import Background


def save_download(
    page: Any,
    run: Background,
    fetch: Callable[[], bytes],
    ask: Callable[..., tuple[str, str]],
    suggested: str,
    kind: str,
    what: str,
) -> None:
    """Ask for a file name, then fetch and write the bytes off the GUI thread; the page's
    ``message`` says where it went, its ``failed`` why it did not (the service's words)."""
    path, _filter = ask(page, f"Save {what}", suggested, kind)
    if not path:
        return

    def save() -> Path:
        data = fetch()  # first: a refusal leaves no empty file behind
        target = Path(path)
        # Written beside it and renamed: the name never shows a half-written file, and a
        # full disk leaves a file already there as it was.
        part = target.with_name(f".{target.name}.part")
        try:
            part.write_bytes(data)
            part.replace(target)
        finally:
            part.unlink(missing_ok=True)
        return target

    run(
        save,
        lambda target: page.message.emit(f"{what[0].upper()}{what[1:]} saved as {target}.", 8000),
        page.failed.emit,
    )


def save_word_document(
    page: Any, run: Background, api: Any, job_id: int, ask: Callable[..., tuple[str, str]]
) -> None:
    """A dictation's .docx (Ctrl+D)."""
    save_download(
        page,
        run,
        lambda: api.document(job_id),
        ask,
        f"dictation-{job_id}.docx",
        "Word document (*.docx)",
        f"job {job_id}",
    )
