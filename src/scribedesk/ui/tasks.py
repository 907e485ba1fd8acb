"""The single helper that runs work off the GUI thread and delivers the outcome on it.

``run_in_background(fn, on_done, on_error)`` runs ``fn()`` on the current pool (Qt's
global thread pool unless ``use_pool`` chose another). Exactly one of the callbacks is
then called, on the GUI thread (queued signal): with fn's result, or with the exception
it raised. ``fn`` must not touch widgets; the callbacks may. Keep a reference to nothing:
the task owns itself until it reports.

Tests swap the pool for ``InlinePool``, which runs ``fn`` at once on the calling thread
and reports before ``run_in_background`` returns, so a page is tested with its work run
inline (as Picard's FakeThreadPool).

``AfterPaint(widget, then)`` calls ``then`` once ``widget`` has been painted: the window
makes the rest of its desk after its first page is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal
from shiboken6 import isValid

_running: set[_Task] = set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.relay = _Relay()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class Pool(Protocol):
    """Where tasks run: QThreadPool's ``start``."""

    def start(self, runnable: QRunnable) -> None: ...


class InlinePool:
    """Runs each task at once on the calling thread (for tests)."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


_pool: list[Pool] = []


class Background:
    """``run_in_background`` bound to an owner widget (see its ``owner``)."""

    def __init__(self, owner: QObject) -> None:
        self.owner = owner

    def __call__(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] = lambda _r: None,
        on_error: Callable[[Exception], None] = lambda _e: None,
    ) -> None:
        run_in_background(fn, on_done, on_error, owner=self.owner)


def use_pool(pool: Pool | None) -> None:
    """Run tasks on ``pool`` from now on (None: Qt's global thread pool again)."""
    _pool[:] = [] if pool is None else [pool]


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] = lambda _r: None,
    on_error: Callable[[Exception], None] = lambda _e: None,
    *,
    owner: QObject | None = None,
) -> None:
    """Run ``fn`` on a worker thread; report on the GUI thread.

    With ``owner`` (the widget the callbacks update), nothing is reported once it was
    deleted: a window closed while its work was under way is not touched.
    """
    task = _Task(fn)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(task)
        if owner is not None and not isValid(owner):
            return
        callback(value)

    task.relay.done.connect(lambda result: finish(on_done, result))
    task.relay.failed.connect(lambda error: finish(on_error, error))
    _running.add(task)
    (_pool[0] if _pool else QThreadPool.globalInstance()).start(task)


class AfterPaint(QObject):
    """Calls ``then`` once ``widget`` has been painted (soon after, should it stay hidden)."""

    def __init__(self, widget: QObject, then: Callable[[], Any]) -> None:
        super().__init__(widget)
        self._then: Callable[[], Any] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(1_000, self, self._fire)  # a window not on screen does not paint

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._fire)  # after this paint is on screen
        return False

    def _fire(self) -> None:
        if self._then is not None:
            then, self._then = self._then, None
            then()
