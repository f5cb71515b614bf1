"""The sync corner of the status bar: online/offline, changes waiting, last sync, button, progress, cancel.

A sync runs off the GUI thread on its own connection to the store (SyncEngine
from sync.client); progress comes back by signal. Every 30 seconds the panel
checks whether the hub is reachable; with automatic sync on (the default) it
syncs when the hub becomes reachable and changes are waiting. Errors appear
as a sentence a person can act on (hub unreachable, device revoked, clock far
off, certificate changed).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QWidget

from i18n import _, ngettext
from sync.client import SyncEngine, SyncUI

from . import settings
from .tasks import run_in_background, run_operation

CHECK_INTERVAL_MS = 30_000
SERIOUS = {"revoked", "certificate_changed", "refused", "clock_wrong"}


class _Bridge(QObject, SyncUI):
    """Carries engine callbacks from the worker thread to the GUI thread."""

    progressed = Signal(str, int, int)
    said = Signal(str, str)

    def progress(self, phase: str, done: int, total: int) -> None:
        self.progressed.emit(phase, done, total)

    def message(self, level: str, text: str) -> None:
        self.said.emit(level, text)


class SyncPanel(QWidget):
    synced = Signal(object)  # SyncSummary
    changed = Signal(object)  # app.session.Changed: what the sync wrote here

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.engine: SyncEngine | None = None
        self.running = False
        self.online: bool | None = None
        self.dot = QLabel("●")
        self.dot.setObjectName("syncDot")
        self.state = QLabel()
        self.state.setObjectName("syncState")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        self.button = QPushButton(_("Synchronise"))
        self.button.setObjectName("syncButton")
        self.button.clicked.connect(self.start)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.dot, self.state, self.progress, self.button, self.cancel_button):
            lay.addWidget(w)
        self.bridge = _Bridge()
        self.bridge.progressed.connect(self._on_progress)
        self.bridge.said.connect(lambda _level, text: self.state.setToolTip(text))
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check_reachable)
        self.timer.start(CHECK_INTERVAL_MS)
        self.update_status()
        QTimer.singleShot(0, self.check_reachable)

    # -- status ----------------------------------------------------------------
    def _engine(self) -> SyncEngine | None:
        if not self.session.is_open:
            return None
        if self.engine is None or self.engine.store is not self.session.store:
            self.engine = SyncEngine(self.session.store)
        return self.engine

    def update_status(self) -> None:
        engine = self._engine()
        if engine is None:
            return
        st = engine.status()
        if not st.enrolled:
            self.dot.setStyleSheet("color: #888;")
            self.state.setText(_("Not enrolled at a hub"))
            self.button.setEnabled(False)
            return
        color = {True: "#1b7f3b", False: "#b00020", None: "#888"}[self.online]
        self.dot.setStyleSheet(f"color: {color};")
        self.dot.setToolTip(_("online") if self.online else _("offline"))
        waiting = ngettext("{n} change waiting", "{n} changes waiting", st.waiting).format(n=st.waiting)
        last = _("last sync {when}").format(when=_short_time(st.last_sync)) if st.last_sync else _("never synchronised")
        self.state.setText(f"{_('online') if self.online else _('offline')} · {waiting} · {last}")
        self.button.setEnabled(not self.running)
        self.waiting = st.waiting

    def check_reachable(self) -> None:
        engine = self._engine()
        if engine is None or self.running or not engine.enrolled():
            return
        probe = engine.reachability_probe()  # reads the settings here; the thread only talks HTTP
        was = self.online

        def done(ok: bool) -> None:
            if not shiboken6.isValid(self):
                return
            self.online = ok
            self.update_status()
            if ok and not was and settings.get(settings.AUTO_SYNC) and getattr(self, "waiting", 0) > 0:
                self.start()

        run_in_background(probe, done, lambda _e: done(False))

    # -- sync ------------------------------------------------------------------
    def start(self) -> None:
        if self.running or not self.session.is_open:
            return
        self.running = True
        self.button.setEnabled(False)
        self.cancel_button.show()
        self.progress.setRange(0, 0)
        self.progress.show()
        worker = self.session.worker()  # a connection of its own for the pool thread
        self.worker = SyncEngine(worker.store, self.bridge)

        def work():
            try:
                return self.worker.sync()
            finally:
                worker.lock()

        run_operation(self.session, work, self._finished, self._crashed, self.changed.emit)

    def cancel(self) -> None:
        if self.running:
            self.worker.cancel()

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress.setFormat({"connect": _("connecting"), "push": _("sending %v/%m"),
                                 "pull": _("receiving %v/%m")}.get(phase, "%v/%m"))

    def _finished(self, summary) -> None:
        if not shiboken6.isValid(self):  # the window was locked while the sync ran
            return
        self.running = False
        self.progress.hide()
        self.cancel_button.hide()
        self.online = summary.ok or summary.error_code not in ("unreachable",)
        self.update_status()
        self.state.setToolTip(summary.line())
        if not summary.ok:
            self.state.setText(summary.line())
            if summary.error_code in SERIOUS:
                QMessageBox.warning(self, _("Synchronisation"), summary.line())
        elif summary.warnings:
            QMessageBox.warning(self, _("Synchronisation"), " ".join(summary.warnings))
        self.synced.emit(summary)

    def _crashed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self.running = False
        self.progress.hide()
        self.cancel_button.hide()
        self.update_status()
        self.state.setText(_("Sync failed: {error}").format(error=type(exc).__name__))


def _short_time(stamp: str) -> str:
    """'2026-11-21T14:03:00+0100' -> '21.11. 14:03'."""
    try:
        date, time = stamp.split("T")
        y, m, d = date.split("-")
        return f"{d}.{m}. {time[:5]}"
    except ValueError:
        return stamp
