"""From the case view: the interpreter view feeds the open questionnaire; documents print in two languages."""

import io

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QLabel, QLineEdit
from pypdf import PdfReader

from app.repository import Repository
from tests.app.family_o import register_family


def test_interpreter_view_from_the_intake_tab(qtbot, store, window_for, settle):
    repo = Repository(store)
    res = register_family(repo)
    repo.save("person", {"interpreter_language": "ar"}, res.person_ids[0])
    win = window_for(store)
    view = win.case_view
    view.show_case(res.household_id, res.case_ids[0])
    assert view.client_lang.currentData() == "ar"  # proposed from the interpreter language
    view.tabs.setCurrentIndex(0)  # the intake survey
    page = view.tabs.currentWidget()
    interp = view.open_interpreter()
    assert interp.lang == "ar" and not interp.read_only
    field = interp._editors["accommodation_address"]
    assert isinstance(field, QLineEdit)
    qtbot.keyClicks(field, "Mintarder Str. 4")
    assert page.renderer.values()["accommodation_address"] == "Mintarder Str. 4"
    assert page.dirty
    # on a tab without a questionnaire the view shows questions only, nothing of the case
    view.tabs.setCurrentIndex(1)
    ro = view.open_interpreter()
    assert ro.read_only and not ro._editors
    texts = " ".join(w.text() for w in ro.findChildren(QLabel))
    assert "Karim" not in texts and "O." not in texts.split()
    with qtbot.waitSignal(view.preview_opened, timeout=20_000) as opened:
        view.print_document("consent")
    preview = opened.args[0]
    win.lock()
    assert not ro.isVisible() and not interp.isVisible() and not preview.isVisible()  # closed with the lock
    # and destroyed, not merely hidden: the answers typed there do not stay in memory
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not any(shiboken6.isValid(w) for w in (interp, ro, preview))


def test_print_consent_in_german_and_tigrinya(qtbot, store, window_for, settle):
    repo = Repository(store)
    res = register_family(repo)
    win = window_for(store)
    view = win.case_view
    view.show_case(res.household_id, res.case_ids[0])
    view.client_lang.setCurrentIndex(view.client_lang.findData("ti"))
    with qtbot.waitSignal(view.preview_opened, timeout=20_000) as opened:
        view.print_document("consent")
    dialog = opened.args[0]
    settle()  # the access log is written by the worker session before the preview opens
    assert dialog.pages  # preview rendered
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(dialog.pdf)).pages)
    assert "Einverständniserklärung" in text
    assert any("\u1200" <= ch <= "\u137f" for ch in text)  # Ge'ez script present
    assert "Karim" not in dialog.suggested_name  # no personal data in the file name
    accesses = store.conn.execute("SELECT action FROM access_log WHERE action LIKE 'print:%'").fetchall()
    assert accesses == [("print:consent",)]
