"""The Qt binding the app runs on survives a long working day of signals.

PySide6 6.12.0 released one reference to Python's True per Signal.emit(); after
about a thousand emits (a thousand keystrokes in the interpreter view) Python
aborted with "bool_dealloc". pyproject.toml excludes that release; this test
catches a binding with the same fault.
"""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(str, object)
    plain = Signal()


def test_signal_emits_do_not_leak_or_release_references():
    e = _Emitter()
    seen = []
    e.changed.connect(lambda key, value: seen.append(key))
    e.plain.connect(lambda: None)
    before = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    for i in range(200):
        e.changed.emit("field", i)
        e.plain.emit()
    after = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    assert len(seen) == 200
    assert all(abs(a - b) < 50 for a, b in zip(after, before, strict=True)), (before, after)
