"""The main screens in the pseudo locales (i18n.pseudo: every text about 40 % longer; x-pseudo-rtl also
mirrored) on a 1366 x 768 laptop: the window fits, and no label, button or check box is cut off.

A text counts as cut off when a single-line widget is narrower than its text needs, a word-wrapped label is
lower than its wrapped lines, a form scrolls sideways, or a navigation entry does not fit its row.
Table cells, tab bars and combo boxes elide or scroll by design and are not judged."""

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton, QRadioButton, QScrollArea, QStyle, QWidget

from app.repository import Repository
from app.session import Session
from tests.app.family_o import register_family

LANGS = ("x-pseudo", "x-pseudo-rtl")


@pytest.fixture
def pseudo(qapp):
    from ui.main import apply_language

    def switch(lang: str) -> None:
        apply_language(qapp, lang)

    yield switch
    apply_language(qapp, "de")


def cut_off(root: QWidget) -> list[str]:
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.width() <= 0:
            continue
        where = f"{type(w).__name__} {w.objectName() or ''}"
        if isinstance(w, QLabel):
            if not w.text() or (w.pixmap() is not None and not w.pixmap().isNull()):
                continue
            if w.wordWrap():
                if w.heightForWidth(w.width()) > w.height() + 1:
                    out.append(f"{where}: {w.text()!r} needs {w.heightForWidth(w.width())} px, has {w.height()}")
            elif w.sizeHint().width() > w.width() + 1:
                out.append(f"{where}: {w.text()!r} needs {w.sizeHint().width()} px, has {w.width()}")
        elif isinstance(w, (QPushButton, QCheckBox, QRadioButton)):
            if w.text() and w.sizeHint().width() > w.width() + 1:
                out.append(f"{where}: {w.text()!r} needs {w.sizeHint().width()} px, has {w.width()}")
        elif isinstance(w, QScrollArea) and w.widgetResizable() and w.horizontalScrollBar().isVisible():
            out.append(f"{where} scrolls sideways: {type(w.widget()).__name__} needs "
                       f"{w.widget().minimumSizeHint().width()} px, has {w.viewport().width()}")
    return out


def nav_cut_off(win) -> list[str]:
    nav, fm = win.nav, QFontMetrics(win.nav.font())
    margin = 2 * (nav.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, nav) + 1)  # as Qt's item
    out = []
    for row in range(nav.count()):
        rect = nav.visualRect(nav.model().index(row, 0)).intersected(nav.viewport().rect())  # what is in view
        need = fm.boundingRect(QRect(0, 0, rect.width() - margin, 10_000), Qt.TextFlag.TextWordWrap,
                               nav.item(row).text())
        if need.height() > rect.height() or need.width() > rect.width() - margin:
            out.append(nav.item(row).text())
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_main_window_case_tabs_and_pages_show_every_text_in_the_pseudo_locale(qtbot, store, pseudo, lang):
    from ui.main import build_main_window

    pseudo(lang)
    res = register_family(Repository(store))
    session = Session(store.path)
    session.attach(store)
    win = build_main_window(session)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    assert QApplication.layoutDirection() == (Qt.RightToLeft if lang.endswith("rtl") else Qt.LeftToRight)
    assert win.case_view.interpret.text().startswith(("[", "\u202e["))  # the UI is in the pseudo language
    problems = []
    win.case_view.show_case(res.household_id, res.case_ids[0])
    for i in range(win.case_view.tabs.count()):
        win.case_view.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        problems += [f"case tab {win.case_view.tabs.tabText(i)}: {p}" for p in cut_off(win)]
    for row in range(win.nav.count()):  # the case list, the today view, the courses page, ...
        win.nav.setCurrentRow(row)
        QApplication.processEvents()
        problems += [f"page {win.nav.item(row).text()}: {p}" for p in cut_off(win)]
    assert problems == []
    assert nav_cut_off(win) == []
    assert win.minimumSizeHint().width() <= 1366 and win.minimumSizeHint().height() <= 768
    assert win.width() == 1366  # the window was not pushed wider than the screen


@pytest.mark.parametrize("lang", LANGS)
def test_lock_screen_household_dialog_and_interpreter_view_in_the_pseudo_locale(qtbot, store, pseudo, lang,
                                                                                 monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.household_dialog import HouseholdDialog
    from ui.interpreter_view import open_interpreter_view
    from ui.lock_screen import LockScreen

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    pseudo(lang)
    session = Session(store.path)
    lock = LockScreen(session)
    qtbot.addWidget(lock)
    lock.resize(1366, 740)
    lock.show()
    session.attach(store)
    dialog = HouseholdDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    view = open_interpreter_view("profiling_social", "fa", read_only=True)
    qtbot.addWidget(view)
    QApplication.processEvents()
    for window in (lock, dialog, view):
        assert cut_off(window) == [], type(window).__name__
        assert window.width() <= 1366 and window.height() <= 768
    assert dialog.minimumSizeHint().width() <= dialog.width()
