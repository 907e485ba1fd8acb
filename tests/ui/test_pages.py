"""Pages tested with their work run inline (tasks.InlinePool) over fake ports, and the page
set a signed-in role gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from scribedesk.app import demo_role
from scribedesk.domain.dictation import Priority
from scribedesk.domain.job import Job, PoolCounts
from scribedesk.domain.roles import Role
from scribedesk.ui import tasks
from scribedesk.ui.pages.worklist_page import WorklistPage
from tests.fakes import make_job


class FakeService:
    """The service and the outbox as the worklist page's use case sees them."""

    base_url = "http://fake"

    def __init__(self) -> None:
        self.mine = [make_job(1, account="Initech"), make_job(2, priority=Priority.STAT)]
        self.pool = [make_job(9, account="Globex")]

    def my_jobs(self) -> list[Job]:
        return self.mine

    def waiting(self) -> PoolCounts:
        return PoolCounts(stat=1, routine=len(self.pool))

    def next_job(self) -> Job | None:
        return self.pool.pop() if self.pool else None


class Outbox:
    def __init__(self, waiting_jobs: list[int]) -> None:
        self.jobs = waiting_jobs

    def waiting(self) -> list[object]:
        return [type("Entry", (), {"job_id": j})() for j in self.jobs]


class Cache:
    def has(self, sha256: str) -> bool:
        return False

    def prefetch(self, source: object, wanted: object) -> None:
        self.wanted = list(wanted)  # type: ignore[call-overload]


class Team:
    def add_all(self, words: object) -> None:
        list(words)  # type: ignore[call-overload]


class Station:
    def __init__(self) -> None:
        self.api = FakeService()
        self.outbox = Outbox([1])
        self.cache = Cache()
        self.worklist_cache = None
        self.prefetch = 3
        self.checker = type("Checker", (), {"team": Team()})()


@pytest.fixture
def inline():  # type: ignore[no-untyped-def]
    tasks.use_pool(tasks.InlinePool())
    yield
    tasks.use_pool(None)


def test_the_worklist_page_loads_marks_and_claims_with_work_run_inline(qtbot, inline):
    """Refresh shows my jobs (the one waiting in the outbox as sending) and the pool;
    Ctrl+N claims and asks for the claimed job to be opened, all without a thread."""
    station = Station()
    page = WorklistPage(station, lambda: True, lambda *_: None)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() == 2
    assert {page.model.job(r).id: page.model.job(r).sending for r in range(2)} == {
        1: True,
        2: False,
    }
    assert page.pool.text() == "Waiting in the pool: 1 STAT, 0 urgent, 1 routine"
    assert [ref.job_id for ref in station.cache.wanted] == [1, 2]  # as the service sends them
    opened: list[tuple[Job, bool]] = []
    page.open_requested.connect(lambda job, claimed: opened.append((job, claimed)))
    page.next_job()
    assert [(job.id, claimed) for job, claimed in opened] == [(9, True)]
    said: list[str] = []
    page.message.connect(lambda text, _ms: said.append(text))
    page.next_job()
    assert said == ["No job is waiting."]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_each_role_gets_its_pages(live, demo_users, qtbot, tmp_path: Path):
    """A transcriptionist gets the worklist, feedback and training, a trainee the worklist
    and training, a supervisor the team, the reviews, deliveries and reports, a trainer the
    trainees, library and curricula, an author their dictations and reports. The Go menu
    lists the desk's pages with their keys."""
    from tests.ui.conftest import open_window

    assert demo_role("tara") is Role.TRANSCRIPTIONIST and demo_role("sam") is Role.SUPERVISOR
    window = open_window(live.url, tmp_path)
    qtbot.addWidget(window)
    assert window.pages.currentWidget() is window.worklist
    assert [keys for _t, keys, _p in window.desk] == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]
    assert window.desk[1][2] is window.feedback_page
    assert window.desk[2][2] is window.training_page
    from scribedesk.ui.main_window import MainWindow

    supervisor = MainWindow(window.station, window.bridge, Role.SUPERVISOR)
    qtbot.addWidget(supervisor)
    assert supervisor.pages.currentWidget() is supervisor.team_page
    assert [page for _t, _k, page in supervisor.desk][:2] == [
        supervisor.team_page,
        supervisor.review_page,
    ]
    assert [t for t, _k, _p in supervisor.desk[2:]] == ["&Deliveries", "Re&ports"]
    trainee = MainWindow(window.station, window.bridge, Role.TRAINEE)
    qtbot.addWidget(trainee)
    assert [p for _t, _k, p in trainee.desk] == [trainee.worklist, trainee.training_page]
    assert trainee.worklist.training_only
    trainer = MainWindow(window.station, window.bridge, Role.TRAINER)
    qtbot.addWidget(trainer)
    assert trainer.pages.currentWidget() is trainer.trainees_page
    assert [t for t, _k, _p in trainer.desk] == ["&Trainees", "&Library", "&Curricula"]
    author = MainWindow(window.station, window.bridge, Role.AUTHOR)
    qtbot.addWidget(author)
    assert author.pages.currentWidget() is author.author_page
    assert [(t, k) for t, k, _p in author.desk] == [
        ("&My dictations", "Ctrl+1"),
        ("Re&ports", "Ctrl+2"),
    ]
    window.station.writer.close()


def test_the_check_panel_counts_in_words(qtbot):
    """ "1 error to fix, 2 warnings to confirm": no "(s)"."""
    from scribedesk.domain.quality.model import Finding, QualityReport, Severity
    from scribedesk.ui.widgets.findings import FindingsPanel

    panel = FindingsPanel()
    qtbot.addWidget(panel)
    report = QualityReport(
        (
            Finding("narrative", Severity.ERROR, "Write the narrative."),
            Finding("spelling", Severity.WARNING, "Check 'recieve'.", start=1, end=8),
            Finding("spelling", Severity.WARNING, "Check 'teh'.", start=9, end=12),
        )
    )
    panel.show_report(report, set())
    text = panel.title.text()
    assert "1 error</span> to fix, 2 warnings to confirm" in text and "(s)" not in text


def test_a_job_assigned_to_me_is_announced_but_not_one_i_claimed(qtbot, inline):
    """A supervisor's assignment appears with a desktop notification at the next refresh;
    the jobs already there and the one I took with Ctrl+N are not announced."""
    station = Station()
    said: list[tuple[str, str]] = []
    page = WorklistPage(station, lambda: True, lambda *a: said.append(a))  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.refresh()
    assert said == []
    page.next_job()  # claims job 9 from the pool
    station.api.mine = [*station.api.mine, make_job(9), make_job(12, account="Umbrella")]
    page.refresh()
    assert [title for title, _text in said] == ["Job assigned to you"]
    assert "Job 12, Umbrella" in said[0][1]


def test_the_return_dialog_fits_its_text_and_other_needs_a_note(qtbot):
    """The note field shows its whole hint; OK with "Other" and no note says what is
    missing instead of sending a return the service would refuse."""
    from scribedesk.domain.dictation import ReturnReason
    from scribedesk.ui.widgets.job_workspace import ReturnDialog

    dialog = ReturnDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    hint = dialog.note.fontMetrics().horizontalAdvance(dialog.note.placeholderText())
    assert dialog.note.width() > hint
    dialog.reason.setCurrentIndex(dialog.reason.findData(ReturnReason.OTHER.value))
    dialog.accept()
    assert dialog.isVisible() and "Other needs a note" in dialog.problem.text()
    dialog.note.setText("The rep dictated two accounts")
    dialog.accept()
    assert not dialog.isVisible()
