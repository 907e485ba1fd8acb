"""The single helper that runs work off the GUI thread and delivers the outcome on it.

``run_in_background(fn, on_done, on_error)`` runs ``fn()`` on Qt's global thread pool.
Exactly one of the callbacks is then called, on the GUI thread (queued signal): with
fn's result, or with the exception it raised. ``fn`` must not touch widgets; the
callbacks may. Keep a reference to nothing: the task owns itself until it reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

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


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] = lambda _r: None,
    on_error: Callable[[Exception], None] = lambda _e: None,
) -> None:
    """Run ``fn`` on a worker thread; report on the GUI thread."""
    task = _Task(fn)

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        _running.discard(task)
        callback(value)

    task.relay.done.connect(lambda result: finish(on_done, result))
    task.relay.failed.connect(lambda error: finish(on_error, error))
    _running.add(task)
    QThreadPool.globalInstance().start(task)
