"""Each role's desk: its pages in the window's stack, their signals and the Go menu's list.

The window (ui.main_window.MainWindow) calls ``wire_desk`` once its worklist page and job
page exist; the pages are imported here, after the first page is on screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from scribedesk.domain.roles import Role


def wire_desk(window: Any) -> None:
    """Add the pages of ``window.role``'s desk to ``window`` and set ``window.desk``."""
    role = window.role
    if role in (Role.TRANSCRIPTIONIST, Role.TRAINEE):
        _transcription(window)
    elif role in (Role.SUPERVISOR, Role.ADMIN):
        _supervision(window)
    elif role is Role.AUTHOR:
        from scribedesk.ui.pages.author_page import AuthorPage
        from scribedesk.ui.pages.filing_desk import filing_pages

        window.author_page = AuthorPage(window.station)
        window.pages.addWidget(window.author_page)  # first: the page the desk opens on
        window.desk = [("&My dictations", "Ctrl+1", window.author_page)]
        window.desk += filing_pages(window, 2, overseer=False)
        window._page_signals(window.author_page)
        window.author_page.loaded.connect(lambda _items: window._online())
    elif role is Role.TRAINER:
        from scribedesk.ui.pages.trainer_desk import wire_trainer_desk

        window.desk = wire_trainer_desk(window, window.station)
    else:  # the desks of the other roles are not in this release yet
        window.pages.addWidget(QLabel(f"Signed in as a {role.value}: no desk for it yet."))


def _transcription(window: Any) -> None:
    """The worklist (already the window's first page), the job, feedback, training and
    my history; a trainee's desk has the worklist and training only."""
    from scribedesk.ui.pages.feedback_page import FeedbackPage
    from scribedesk.ui.pages.history_page import HistoryPage
    from scribedesk.ui.pages.training_page import TrainingPage

    lists, jobs, station = window.list_page, window.job_page, window.station
    window.pages.addWidget(jobs)  # after the worklist, which the window added first
    lists.open_requested.connect(window.open_job)
    lists.unreachable.connect(window._offline)
    lists.message.connect(window.say)
    jobs.shown.connect(lambda: window.pages.setCurrentWidget(jobs))
    jobs.left.connect(window._left_job)
    jobs.submitted.connect(lists.mark_sending)
    jobs.message.connect(window.say)
    jobs.saved_state.connect(window.saved.setText)
    jobs.failed.connect(window._failed)
    jobs.unreachable.connect(window._offline)
    window.bridge.download.connect(lists.download_progress)
    window.training_page = TrainingPage(station)
    window.training_page.open_job_requested.connect(lists.open_by_id)
    jobs.peek_requested.connect(window.training_page.peek)
    desk: list[tuple[str, str, QWidget]] = [("&Worklist", "Ctrl+1", lists)]
    if window.role is Role.TRAINEE:
        lists.training_only = True
        desk.append(("&Training", "Ctrl+2", window.training_page))
    else:
        window.feedback_page = FeedbackPage(station)
        window.history_page = HistoryPage(station)
        desk += [
            ("&Feedback", "Ctrl+2", window.feedback_page),
            ("&Training", "Ctrl+3", window.training_page),
            ("My &history", "Ctrl+4", window.history_page),
        ]
    window.desk = desk
    for _title, _keys, page in desk[1:]:
        window.pages.addWidget(page)
        window._page_signals(page)


def _supervision(window: Any) -> None:
    """A supervisor's (and an admin's) team, reviews, deliveries and reports."""
    from scribedesk.ui.pages.filing_desk import filing_pages
    from scribedesk.ui.pages.review_page import ReviewPage
    from scribedesk.ui.pages.team_page import TeamPage

    window.team_page, window.review_page = TeamPage(window.station), ReviewPage(window.station)
    for page in (window.team_page, window.review_page):
        window.pages.addWidget(page)
        window._page_signals(page)
    window.desk = [
        ("&Team", "Ctrl+1", window.team_page),
        ("&Reviews", "Ctrl+2", window.review_page),
    ]
    window.desk += filing_pages(window, 3, overseer=True)
    window.team_page.loaded.connect(lambda _view: window._online())
