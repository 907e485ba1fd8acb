"""The trainer's desk: the Trainees, Library and Curricula pages in the window's stack."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from scribedesk.ui.pages.curricula_page import CurriculaPage
from scribedesk.ui.pages.library_page import LibraryPage
from scribedesk.ui.pages.trainees_page import TraineesPage
from scribedesk.ui.workstation import Workstation


def wire_trainer_desk(window: Any, station: Workstation) -> list[tuple[str, str, QWidget]]:
    """Add the trainer's pages to ``window`` (a MainWindow); returns the desk for its Go
    menu. The Trainees page answering is what counts as being online."""
    window.trainees_page = TraineesPage(station)
    window.library_page = LibraryPage(station)
    window.curricula_page = CurriculaPage(station)
    desk: list[tuple[str, str, QWidget]] = [
        ("&Trainees", "Ctrl+1", window.trainees_page),
        ("&Library", "Ctrl+2", window.library_page),
        ("&Curricula", "Ctrl+3", window.curricula_page),
    ]
    for _title, _keys, page in desk:
        window.pages.addWidget(page)
        window._page_signals(page)
    window.trainees_page.loaded.connect(lambda _grid: window._online())
    window.trainees_page.alerted.connect(lambda title, text: window.notify(title, text))
    return desk
