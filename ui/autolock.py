"""Idle auto-lock: after N minutes without keyboard or mouse input, emit `idle`.

Installed as an application-wide event filter; any key press, mouse press or
wheel event restarts the timer. 0 minutes switches auto-lock off.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.MouseMove}


class IdleWatcher(QObject):
    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._ms = int(minutes * 60_000)
        self.restart()

    def restart(self) -> None:
        if self._ms > 0:
            self._timer.start(self._ms)
        else:
            self._timer.stop()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _INPUT:
            self.restart()
        return False
