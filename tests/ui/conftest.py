"""Qt test fixtures: the app's fonts, isolated QSettings, inline background tasks."""

import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication


@pytest.fixture(scope="session", autouse=True)
def _no_window_outlives_the_tests(qapp):
    """Delete every remaining top-level widget while Qt is fully alive, not in interpreter shutdown.

    (The app's own exit is tested in a subprocess: test_clean_exit.py.)"""
    yield
    for w in QApplication.topLevelWidgets():
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def _app_fonts(qapp):
    """The bundled fonts, registered as ui.main.build_app does for the app: layouts are measured with the
    fonts the app shows, whichever test runs first (test_layout_fits.py failed when run alone)."""
    from ui.main import load_fonts

    load_fonts(qapp)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings("Sprechstunde", "Sprechstunde").clear()
    yield


@pytest.fixture
def settle(qtbot):
    """settle() -> waits until every background task (ui.tasks, the real thread pool) has finished
    and its result has been delivered on the GUI thread."""
    from PySide6.QtCore import QThreadPool

    from ui import tasks

    def wait(timeout: int = 15_000) -> None:
        qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0 and not tasks._alive,
                        timeout=timeout)

    return wait


@pytest.fixture
def window_for(qtbot):
    """window_for(store) -> a shown MainWindow whose session has `store` open."""
    from app.session import Session
    from ui.main import build_main_window

    def make(store):
        session = Session(store.path)
        session.attach(store)
        win = build_main_window(session)
        qtbot.addWidget(win)
        win.show()
        return win

    return make


@pytest.fixture
def answer_questions(monkeypatch):
    """answer_questions("save" | "discard" | "cancel"): the next message boxes that ask are answered by
    clicking their button of that role (accept, destructive, reject), as a person would; nothing of
    the dialog's own code is skipped."""
    from PySide6.QtWidgets import QMessageBox

    roles = {"save": QMessageBox.ButtonRole.AcceptRole, "discard": QMessageBox.ButtonRole.DestructiveRole,
             "cancel": QMessageBox.ButtonRole.RejectRole}
    answer: list[str] = []

    def click(box) -> int:
        for button in box.buttons():
            if box.buttonRole(button) == roles[answer[-1]]:
                button.click()
                return 0
        raise AssertionError(f"no {answer[-1]} button among {[b.text() for b in box.buttons()]}")

    monkeypatch.setattr(QMessageBox, "exec", click)
    return answer.append
