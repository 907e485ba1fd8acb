"""The menu bar (every action of the desk with its key, where people look first), the
list of keys the Help menu shows, and which guide F1 opens for the page on screen.

Keys that the pages and the global hotkeys already bind are shown in the menus as labels
(the text after a tab), so one key never has two owners; the menu entry calls the same
thing. The keys only the menu has (F1, Ctrl+/, Ctrl+G, Ctrl+Alt+R, Ctrl+Q) are bound here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

import scribedesk
from scribedesk.domain.roles import Role
from scribedesk.playback.transport import Action
from scribedesk.ui.dialogs.help import HelpDialog, ShortcutsDialog

#: (menu title, action title, key, what it does), as the list of keys shows them.
Group = tuple[str, list[tuple[str, str]]]

TRANSPORT = (
    (Action.PLAY_TOGGLE, "Play / pause"),
    (Action.REWIND, "Rewind (while held)"),
    (Action.FFWD, "Fast-forward (while held)"),
    (Action.STOP, "Stop"),
    (Action.SPEED_UP, "Faster"),
    (Action.SPEED_DOWN, "Slower"),
    (Action.SPEED_RESET, "Normal speed"),
    (Action.JUMP_START, "To the start"),
    (Action.MARK, "Mark: a timestamp in the narrative"),
)

GENERAL = [
    ("Ctrl+,", "Settings"),
    ("Ctrl+Shift+O", "The outbox: what waits to be sent, and why"),
    ("Ctrl+Shift+S", "Send what waits, now"),
    ("F1", "Help for this page"),
    ("Ctrl+/", "This list of keys"),
    ("Ctrl+Q", "Quit"),
]
WORKLIST = [
    ("Ctrl+N", "Take the next job from the pool and open it (a trainee: the next exercise)"),
    ("Enter", "Open the selected job; in the search, the selected or first match"),
    ("Ctrl+F", "Search the worklist"),
]
JOB = [
    ("Ctrl+Enter", "Submit (the checks run first)"),
    ("F7", "Check: the quality rules; Enter on a finding goes there, Esc back"),
    ("F6", "Between the fields and the narrative"),
    ("Ctrl+T", "Insert [hh:mm:ss] at the audio position"),
    ("Ctrl+I / Ctrl+U", "Insert [inaudible …] / [unclear …]"),
    ("Ctrl+J", "In a marker: jump the audio there"),
    ("Ctrl+G", "Go to a time (hh:mm:ss)"),
    ("Ctrl+Alt+R", "Replay the last seconds (Settings → Playback says how many)"),
    ("Ctrl+Alt+Shift+R", "Replay them at three quarters of the speed"),
    ("Ctrl+= / Ctrl+-", "Larger / smaller text"),
    ("Ctrl+Shift+R", "Return the job with a reason"),
    ("Ctrl+Shift+H", "A training exercise: peek at the gold sentence"),
    ("Ctrl+W", "Back to the worklist (the draft is kept)"),
]
PAGES: dict[str, list[tuple[str, str]]] = {
    "FeedbackPage": [("D", "Dispute the selected error"), ("F5", "Reload")],
    "HistoryPage": [
        ("Ctrl+K", "Today or the last 7 days"),
        ("Enter", "A read-only copy of what I submitted"),
        ("Ctrl+D", "Save it as a Word document"),
        ("F5", "Reload"),
    ],
    "TrainingPage": [
        ("Enter / Ctrl+O", "Open the current exercise"),
        ("Enter (attempts)", "Show that attempt's result"),
        ("Enter (errors)", "Play the audio from just before the error"),
        ("F5", "Reload"),
    ],
    "TeamPage": [
        ("Ctrl+P", "Change the priority"),
        ("Ctrl+Shift+A", "Reassign"),
        ("Ctrl+R", "Back into the pool"),
        ("Ctrl+Delete", "Cancel the dictation"),
        ("F5", "Reload"),
    ],
    "ReviewPage": [
        ("Ctrl+N", "Claim the next review"),
        ("1 / 2 / 3 / 0", "Critical / non-critical / feedback / clear"),
        ("Enter", "Play the audio at the difference"),
        ("Ctrl+Return", "Complete the review"),
        ("Ctrl+D", "Disputes waiting for a decision"),
    ],
    "TraineesPage": [
        ("Ctrl+K", "Pick the curriculum"),
        ("Enter", "Open the cell's latest attempt (Ctrl+Return saves a comment)"),
        ("Ctrl+E", "Certify the selected trainee"),
        ("Ctrl+Shift+A", "Assign a curriculum"),
        ("Enter (alerts)", "Send the transcriptionist back to training"),
        ("F5", "Reload"),
    ],
    "LibraryPage": [
        ("Ctrl+U", "New exercise from a recording"),
        ("Ctrl+I", "Import a manifest"),
        ("Ctrl+P", "Promote a reviewed transcript"),
        ("F2", "Edit tags and difficulty"),
        ("Delete", "Retire (or offer again)"),
        ("F5", "Reload"),
    ],
    "AuthorPage": [
        ("Ctrl+U", "Upload recordings (or drop audio files on the page)"),
        ("Ctrl+D", "Save the selected dictation's Word document"),
        ("F5", "Reload"),
    ],
    "DeliveriesPage": [
        ("Ctrl+K", "Which deliveries: needing attention, on the way, delivered, all"),
        ("Enter", "Pick the CRM account of a held one; send a failed one again"),
        ("Ctrl+D", "Save the selected delivery's job as a Word document"),
        ("F5", "Reload"),
    ],
    "ReportsPage": [
        ("Ctrl+R / Ctrl+Shift+R", "Save the survey report as Word / CSV"),
        ("Enter / Ctrl+D", "Save the selected proposal's draft"),
        ("Ctrl+O", "Edit the selected proposal's RFP outline"),
        ("Ctrl+E", "Export delivered records (supervisors and administrators)"),
        ("F5", "Reload"),
    ],
    "CurriculaPage": [
        ("Ctrl+N", "New curriculum"),
        ("Insert / Delete", "Add / remove an exercise"),
        ("Alt+Up / Alt+Down", "Move the exercise"),
        ("Ctrl+S", "Save"),
        ("F5", "Reload"),
    ],
}
#: The guide and section F1 opens for a page (by class name; the trainee's own guide).
HELP = {
    "WorklistPage": ("workstation.md", "Worklist"),
    "JobPage": ("workstation.md", "Job workspace"),
    "FeedbackPage": ("workstation.md", "Feedback"),
    "HistoryPage": ("workstation.md", "My history"),
    "TrainingPage": ("trainees.md", "Your result"),
    "TeamPage": ("supervisors.md", "Team"),
    "ReviewPage": ("supervisors.md", "Reviews"),
    "TraineesPage": ("trainers.md", "Trainees"),
    "LibraryPage": ("trainers.md", "Library"),
    "CurriculaPage": ("trainers.md", "Curricula"),
    "AuthorPage": ("authors.md", "A new dictation"),
    "DeliveriesPage": ("crm.md", "Deliveries"),
    "ReportsPage": ("crm.md", "Reports"),
}
TRAINEE_HELP = {
    "WorklistPage": ("trainees.md", "Your exercises"),
    "JobPage": ("trainees.md", "Your exercises"),
}


def chord_label(chord: str) -> str:
    """ "ctrl+alt+equal" as people read it: "Ctrl+Alt+=", in the menus and the list."""
    names = {"equal": "=", "minus": "-", "plus": "+", "home": "Home", "end": "End"}
    return "+".join(
        names.get(p, p.upper() if len(p) == 1 else p.capitalize()) for p in chord.split("+")
    )


def help_topic(page: Any, role: Role) -> tuple[str, str]:
    """The guide and section for the page on screen."""
    name = type(page).__name__
    if role is Role.TRAINEE and name in TRAINEE_HELP:
        return TRAINEE_HELP[name]
    return HELP.get(name, ("workstation.md", ""))


def shortcut_groups(window: Any) -> list[Group]:
    """Every key of the window's desk, grouped as the list shows them."""
    groups: list[Group] = [("Everywhere", list(GENERAL))]
    goes = [(keys, title.replace("&", "")) for title, keys, _page in window.desk]
    groups.append(("Pages (the Go menu)", goes))
    if window.role in (Role.TRANSCRIPTIONIST, Role.TRAINEE):
        groups += [("Worklist", WORKLIST), ("Job", JOB)]
    if window.transport is not None and window.role is not Role.AUTHOR:
        hotkeys = window.station.hotkeys
        playback = [
            (chord_label(hotkeys[action]), what) for action, what in TRANSPORT if action in hotkeys
        ]
        playback.append(("pedal", "As Settings → Pedal maps it (left rewinds, middle plays)"))
        groups.append(("Playback (global: from any application)", playback))
    for _title, _keys, page in window.desk:
        keys = PAGES.get(type(page).__name__)
        if keys:
            groups.append((_title.replace("&", ""), keys))
    return groups


def _add(
    menu: QMenu, title: str, keys: str, slot: Callable[[], Any], bind: bool = False
) -> QAction:
    """An entry; ``bind``: the menu owns the key, else the key is only shown."""
    action = QAction(title if bind or not keys else f"{title}\t{keys}", menu)
    if bind and keys:
        action.setShortcut(QKeySequence(keys))
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menus(window: Any) -> None:
    """File, Go, Job, Playback and Help on the window's menu bar."""
    bar = window.menuBar()
    bar.clear()  # the menu that held the bar's place while the front page was painted
    file = bar.addMenu("&File")
    _add(file, "&Settings…", "Ctrl+,", window.open_settings)
    _add(file, "The &outbox…", "Ctrl+Shift+O", window.outbox.open_dialog)
    _add(file, "Send waiting &now", "Ctrl+Shift+S", window.outbox.send_now)
    file.addSeparator()
    _add(file, "&Quit", "Ctrl+Q", window.close, bind=True)
    go = bar.addMenu("&Go")
    for title, keys, page in window.desk:
        _add(go, title, keys, partial(window.show_page, page), bind=True)
    if window.role in (Role.TRANSCRIPTIONIST, Role.TRAINEE):
        job = bar.addMenu("&Job")
        _add(job, "&Next job", "Ctrl+N", window.next_job)
        _add(job, "&Check", "F7", lambda: _workspace(window, "check_requested"))
        _add(job, "&Submit", "Ctrl+Enter", lambda: _workspace(window, "submit_requested"))
        _add(job, "&Return the job…", "Ctrl+Shift+R", lambda: _workspace(window, "_ask_return"))
        _add(job, "Back to the &worklist", "Ctrl+W", lambda: _workspace(window, "back_requested"))
        if window.role is Role.TRAINEE:
            _add(job, "&Peek at the gold", "Ctrl+Shift+H", window.job_page.peek)
    if window.transport is not None and window.role is not Role.AUTHOR:
        playback = bar.addMenu("&Playback")
        hotkeys = window.station.hotkeys
        for action, what in TRANSPORT:
            _add(
                playback,
                what,
                chord_label(hotkeys[action]) if action in hotkeys else "",
                partial(_tap, window, action),
            )
        playback.addSeparator()
        _add(playback, "&Go to a time…", "Ctrl+G", window.job_page.go_to_time, bind=True)
        _add(playback, "&Replay the last seconds", "Ctrl+Alt+R", window.job_page.replay, bind=True)
        _add(
            playback,
            "Replay them &slower",
            "Ctrl+Alt+Shift+R",
            lambda: window.job_page.replay(slower=True),
            bind=True,
        )
    help_menu = bar.addMenu("&Help")
    _add(help_menu, "&Help for this page", "F1", partial(open_help, window), bind=True)
    _add(help_menu, "&Keyboard shortcuts", "Ctrl+/", partial(open_shortcuts, window), bind=True)
    _add(help_menu, "&About ScribeDesk", "", lambda: _about(window))


def open_help(window: Any) -> HelpDialog:
    """The guide at the section of the page on screen (F1)."""
    guide, section = help_topic(window.pages.currentWidget(), window.role)
    dialog = window.help_dialog = HelpDialog(guide, section, window)
    dialog.show()
    return dialog


def open_shortcuts(window: Any) -> ShortcutsDialog:
    """Every key of this desk, printable (Ctrl+/)."""
    dialog = window.shortcuts_dialog = ShortcutsDialog(shortcut_groups(window), window)
    dialog.show()
    return dialog


def _workspace(window: Any, name: str) -> None:
    workspace = window.workspace
    if workspace is None:
        window.say("Open a job first.", 4000)
        return
    member = getattr(workspace, name)
    member.emit() if hasattr(member, "emit") else member()


def _tap(window: Any, action: Action) -> None:
    """A transport action from the menu: pressed and released, as a tap of its key."""
    if window.transport is not None:
        window.transport.press(action, "menu")
        window.transport.release(action, "menu")


def _about(window: Any) -> None:
    QMessageBox.about(
        window,
        "About ScribeDesk",
        f"ScribeDesk {scribedesk.__version__}: the transcriptionist's workstation. "
        f"Signed in as a {window.role.value} to {window.station.api.base_url}.",
    )
