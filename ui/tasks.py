"""One background primitive: run a function off the GUI thread, get the result back by signal.

`run_in_background(fn, on_done, on_error)` runs `fn()` in the global
QThreadPool and calls `on_done(result)` or `on_error(exc)` on the GUI thread.
`run_operation(session, fn, on_done, on_error, on_changed)` does the same for
work that writes (a sync, an import): it notes the change log's mark first and
calls `on_changed(session.changes_since(mark))` on the GUI thread afterwards,
so that every open view can refresh from what changed. There is no synchronous mode for tests:
they wait for the real pool (the `settle` fixture in tests/ui/conftest.py).

At interpreter exit the pool is waited for (`wait_for_tasks`, before any
atexit handler), so that no task (a document being rendered, a sync) runs
while Python, Qt or a library it uses shuts down.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

EXIT_WAIT_MS = 30_000  # a sync's network calls time out well within this
_alive: set = set()  # keep signal carriers alive until they have fired


def wait_for_tasks(msecs: int = EXIT_WAIT_MS) -> bool:
    """Block until every background task has finished; False if some still run after `msecs`."""
    return QThreadPool.globalInstance().waitForDone(msecs)


# Before every atexit handler (as concurrent.futures does): libraries imported later on a pool thread
# (pypdfium2) register atexit handlers of their own that would run first and pull the ground away.
getattr(threading, "_register_atexit", atexit.register)(wait_for_tasks)


class _Carrier(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], carrier: _Carrier):
        super().__init__()
        self.fn = fn
        self.carrier = carrier

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the GUI thread, shown there
            self.carrier.failed.emit(exc)
        else:
            self.carrier.done.emit(result)


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception], None]) -> None:
    carrier = _Carrier()
    _alive.add(carrier)

    def finish(cb, value):
        _alive.discard(carrier)
        cb(value)

    carrier.done.connect(lambda r: finish(on_done, r))
    carrier.failed.connect(lambda e: finish(on_error, e))
    QThreadPool.globalInstance().start(_Task(fn, carrier))


def run_operation(session, fn: Callable[[], Any], on_done: Callable[[Any], None],
                  on_error: Callable[[Exception], None], on_changed: Callable[[Any], None]) -> None:
    """`run_in_background` for work that changes the store; `on_changed(Changed)` runs before `on_done`,
    also after a failure (a sync that stopped half-way has applied its first pages)."""
    mark = session.change_mark()

    def changed() -> None:
        if session.is_open:
            on_changed(session.changes_since(mark))

    def done(result) -> None:
        changed()
        on_done(result)

    def failed(exc) -> None:
        changed()
        on_error(exc)

    run_in_background(fn, done, failed)
