"""The first working client: create a store, register a family of four, find it, auto-lock."""

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.session import Session
from ui.household_dialog import HouseholdDialog
from ui.main import build_main_window

PASS = "richtig-geheim"
SHOTS = os.environ.get("SPRECHSTUNDE_SCREENSHOTS")


def _shot(widget, name):
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def type_text(widget, text):
    """Type any script as key events (QTest.keyClicks aborts on non-Latin characters)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def _fill_member(dlg, qtbot, family, given, family_orig="", given_orig="", born="", relation=None, case=None):
    ed = dlg.editor
    if relation:
        ed.relation.setCurrentIndex(ed.relation.findData(relation))
    ed.family_name.clear()
    qtbot.keyClicks(ed.family_name, family)
    qtbot.keyClicks(ed.given_names, given)
    type_text(ed.family_name_orig, family_orig)
    type_text(ed.given_names_orig, given_orig)
    qtbot.keyClicks(ed.birth_date, born)
    ed.has_case.setChecked(case is not None)
    if case:
        ed.rechtskreis.setCurrentIndex(ed.rechtskreis.findData(case))


def _create_store(qtbot, tmp_path, settle, monkeypatch):
    monkeypatch.setattr("ui.lock_screen.RecoveryKeyDialog.exec", lambda self: 0)
    win = build_main_window(Session(tmp_path / "store"))
    qtbot.addWidget(win)
    win.show()
    ls = win.lock_screen
    assert ls.creating
    ls.login.setEditText("anna")
    qtbot.keyClicks(ls.passphrase, PASS)
    qtbot.keyClicks(ls.repeat, PASS)
    qtbot.keyClick(ls.repeat, Qt.Key.Key_Return)
    settle()
    assert win.session.is_open and win.workspace is not None
    return win


def test_register_family_find_and_autolock(qtbot, tmp_path, settle, monkeypatch):
    win = _create_store(qtbot, tmp_path, settle, monkeypatch)
    dlg = HouseholdDialog(win.session, None, win)
    qtbot.addWidget(dlg)
    dlg.office.setCurrentIndex(dlg.office.findData("AHL"))
    _fill_member(dlg, qtbot, "Al-Obaidi", "Mohammed", "العبيدي", "مُحَمَّد", "00.00.1978", "head", "AsylbLG")
    dlg.add_member()
    _fill_member(dlg, qtbot, "Al-Obaidi", "Fatima", "العبيدي", "فاطمة", "1982", "spouse", "AsylbLG")
    dlg.add_member()
    _fill_member(dlg, qtbot, "Al-Obaidi", "Ali", born="31.02.2010", relation="child")  # no such day
    dlg.add_member()
    _fill_member(dlg, qtbot, "Al-Obaidi", "Zainab", born="2014", relation="child")
    _shot(dlg, "household_dialog")
    dlg.save()
    # invalid date: not saved, message under the field of the member concerned, that member selected
    assert dlg.result() == 0 and win.session.case_rows() == []
    assert dlg.editor.given_names.text() == "Ali"
    assert dlg.editor.rows["birth_date"].error.isVisibleTo(dlg)
    assert "Tag" in dlg.editor.rows["birth_date"].error.text()
    _shot(dlg, "household_dialog_error")
    dlg.editor.birth_date.clear()
    qtbot.keyClicks(dlg.editor.birth_date, "12.03.2010")
    dlg.save()
    assert dlg.result() == 1, dlg.errors
    win.refresh()
    page = win.case_list
    assert page.proxy.rowCount() == 2  # the two adults have cases

    type_text(page.search, "محمد")  # without vowel marks
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1)
    assert page.proxy.index(0, 2).data() == "Mohammed"
    page.search.clear()
    qtbot.keyClicks(page.search, "obaid fat")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1 and page.proxy.index(0, 2).data() == "Fatima")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # a single hit opens
    assert "Fatima" in win.case_view.title.text()
    assert "Zainab" in win.case_view.members.text()
    _shot(win, "main_window")

    # auto-lock: the list disappears, the key is dropped, the passphrase is asked again
    win.idle.set_minutes(0.001)
    qtbot.waitUntil(lambda: win.lock_screen is not None, timeout=3000)
    assert not win.session.is_open and win.workspace is None
    texts = " ".join(w.text() for w in win.findChildren(type(win.status_label)))
    assert "Fatima" not in texts and "Obaidi" not in texts
    _shot(win, "locked")
    win.idle.set_minutes(0)
    qtbot.keyClicks(win.lock_screen.passphrase, "falsch-falsch")
    qtbot.keyClick(win.lock_screen.passphrase, Qt.Key.Key_Return)
    settle()
    assert not win.session.is_open and win.lock_screen.error.text()
    qtbot.keyClicks(win.lock_screen.passphrase, PASS)
    qtbot.keyClick(win.lock_screen.passphrase, Qt.Key.Key_Return)
    settle()
    assert win.session.is_open and win.case_list.proxy.rowCount() == 2


def test_unsaved_changes_are_asked_about(qtbot, tmp_path, settle, monkeypatch):
    win = _create_store(qtbot, tmp_path, settle, monkeypatch)
    dlg = HouseholdDialog(win.session, None, win)
    qtbot.addWidget(dlg)
    dlg.show()
    answers = []
    asked = []

    def question(*a, **k):
        asked.append(a[2] if len(a) > 2 else k.get("text"))
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.keyClicks(dlg.editor.family_name, "Tesfay")
    # Cancel: asked once, the dialog stays open with the input
    answers.append(QMessageBox.StandardButton.Cancel)
    dlg.reject()
    assert asked == ["Die Änderungen an diesem Haushalt verwerfen?"]
    assert dlg.isVisible()
    assert dlg.editor.family_name.text() == "Tesfay"
    # Discard: asked again, the dialog closes without saving
    answers.append(QMessageBox.StandardButton.Discard)
    dlg.reject()
    assert len(asked) == 2
    assert not dlg.isVisible() and dlg.result() == 0
    assert win.session.case_rows() == []
    # nothing typed: closes without asking
    clean = HouseholdDialog(win.session, None, win)
    qtbot.addWidget(clean)
    clean.show()
    clean.reject()
    assert len(asked) == 2 and not clean.isVisible()


def test_switch_to_english(qtbot, tmp_path, settle, monkeypatch):
    win = _create_store(qtbot, tmp_path, settle, monkeypatch)
    win.set_language("en")
    assert win.menuBar().actions()[0].text() == "&File"
    assert win.case_list.model.headerData(1, Qt.Orientation.Horizontal) == "Family name"
    win.set_language("de")
    assert win.case_list.model.headerData(1, Qt.Orientation.Horizontal) == "Familienname"
