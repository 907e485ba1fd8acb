"""Saving a dictation's Word document where the user says (Ctrl+D on the pages that
list dictations)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from scribedesk.ui.tasks import Background


def save_word_document(
    page: Any, run: Background, api: Any, job_id: int, ask: Callable[..., tuple[str, str]]
) -> None:
    """Ask for a file name, then fetch and write the .docx off the GUI thread; the page's
    ``message`` says where it went, its ``failed`` why it did not."""
    path, _filter = ask(page, "Save as Word", f"dictation-{job_id}.docx", "Word document (*.docx)")
    if not path:
        return

    def save() -> Path:
        target = Path(path)
        target.write_bytes(api.document(job_id))
        return target

    run(
        save,
        lambda target: page.message.emit(f"Job {job_id} saved as {target}.", 8000),
        page.failed.emit,
    )
