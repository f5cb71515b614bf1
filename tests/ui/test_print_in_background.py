"""Printing from the case view renders off the GUI thread, on a worker session, with a visible wait.

These tests use the real thread pool (no `settle`): the PDF and its preview
pages are made on a pool thread by `Session.render_document` of a worker session
(its own connection), which writes the access log; the GUI shows "please wait"
meanwhile, a failure as a message box, and nothing after the laptop was locked.
"""

import threading

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from app.repository import Repository
from app.session import Session
from tests.app.family_o import register_family
from ui.print_dialog import DocumentDialog


def _case_view(store, window_for):
    res = register_family(Repository(store))
    win = window_for(store)
    win.case_view.show_case(res.household_id, res.case_ids[0])
    return win, win.case_view


def _previews():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, DocumentDialog) and w.isVisible()]


def test_document_is_made_on_a_pool_thread_by_a_worker_session(qtbot, store, window_for, monkeypatch):
    win, view = _case_view(store, window_for)
    calls = []
    original = Session.render_document

    def spy(self, *args, **kw):
        calls.append((threading.current_thread() is threading.main_thread(), self is win.session))
        return original(self, *args, **kw)

    monkeypatch.setattr(Session, "render_document", spy)
    view.print_document("consent")
    assert not _previews()  # not ready yet: it is being made
    assert view.busy.isVisibleTo(view) and view.busy.text() == "Dokument wird erstellt …"
    assert not view.print_button.isEnabled()
    view.print_document("consent")  # a second click while waiting starts nothing
    qtbot.waitUntil(lambda: any(isinstance(w, DocumentDialog) for w in view.windows), timeout=30000)
    assert calls == [(False, False)]  # once, on a pool thread, not on the GUI's session
    dialog = view.windows[-1]
    assert dialog.isVisible() and dialog.pages and dialog.pdf.startswith(b"%PDF")
    assert not view.busy.isVisibleTo(view) and view.print_button.isEnabled()
    # the access is logged by the worker session, visible on the GUI's connection
    assert store.conn.execute("SELECT action, entity_id FROM access_log WHERE action LIKE 'print:%'").fetchall() == [
        ("print:consent", view.case_number)]


def test_a_failure_is_a_message_not_a_traceback(qtbot, store, window_for, monkeypatch):
    win, view = _case_view(store, window_for)
    said = []
    monkeypatch.setattr("ui.case_view.QMessageBox.warning", lambda parent, title, text: said.append((title, text)))

    def broken(*a, **k):
        raise RuntimeError("Schrift fehlt")

    monkeypatch.setattr("app.documents.render", broken)
    view.print_document("consent")
    qtbot.waitUntil(lambda: not view.printing, timeout=30000)
    assert said == [("Drucken", "Das Dokument konnte nicht erstellt werden: Schrift fehlt")]
    assert not view.busy.isVisibleTo(view) and view.print_button.isEnabled()
    assert not _previews()


def test_a_document_made_while_the_laptop_locks_is_not_shown(qtbot, store, window_for, monkeypatch):
    win, view = _case_view(store, window_for)
    go, started = threading.Event(), threading.Event()
    original = Session.render_document

    def slow(self, *args, **kw):
        started.set()
        assert go.wait(20)
        return original(self, *args, **kw)

    monkeypatch.setattr(Session, "render_document", slow)
    said = []
    monkeypatch.setattr("ui.case_view.QMessageBox.warning", lambda *a: said.append(a))
    view.print_document("consent")
    assert started.wait(20)
    win.lock()  # auto-lock while the document is being made: the case view goes
    go.set()
    assert QThreadPool.globalInstance().waitForDone(30000)
    qtbot.wait(100)  # the result's signal reaches the GUI thread
    assert not _previews() and not said
    assert not win.session.is_open and win.lock_screen is not None
