"""Layout on a typical office laptop (1366 x 768): the window fits, wrapped texts are not clipped."""

from PySide6.QtWidgets import QApplication, QWidget

from app.repository import Repository
from app.session import Session
from tests.app.family_o import register_family
from ui.casework.strategy_tab import StrategyTab
from ui.lock_screen import LockScreen


def test_main_window_fits_a_1366_pixel_screen(qtbot, store, window_for):
    from ui.screen import FRAME

    res = register_family(Repository(store))
    win = window_for(store)
    assert win.height() <= win.screen().availableGeometry().height() - FRAME  # first start: no saved geometry
    win.case_view.show_case(res.household_id, res.case_ids[0])
    strategy = next(w for w in win.case_view.tab_widgets if isinstance(w, StrategyTab))
    win.case_view.tabs.setCurrentWidget(strategy)  # the widest tab
    QApplication.processEvents()
    assert win.minimumSizeHint().width() <= 1366
    win.resize(1366, 768)
    QApplication.processEvents()
    assert win.width() == 1366


def test_lock_screen_shows_the_whole_info_text(qtbot, tmp_path):
    from app.store import Store

    path = tmp_path / "a" / "rather" / "long" / "folder" / ".local" / "share" / "sprechstunde" / "store"
    s, _recovery = Store.create(path, "richtig-geheim", login="anna", name="Anna")
    s.close()
    ls = LockScreen(Session(path))
    qtbot.addWidget(ls)
    ls.resize(1366, 740)
    ls.show()
    QApplication.processEvents()
    assert str(path) in ls.info.text()
    assert ls.info.height() >= ls.info.heightForWidth(ls.info.width())  # the wrapped second line is visible


def test_household_dialog_fits_a_768_pixel_screen_and_shows_its_messages(qtbot, store, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ui.household_dialog import HouseholdDialog

    # closing the dirty dialog at teardown must not wait for an answer
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)

    session = Session(store.path)
    session.attach(store)
    dialog = HouseholdDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.height() <= 700
    dialog.resize(980, 560)
    dialog.office.setCurrentIndex(1)
    dialog.editor.family_name.setText("O.")
    dialog.editor.given_names.setText("Karim")
    dialog.save()  # only the Rechtskreis is missing: its message sits at the bottom of the member form
    QApplication.processEvents()
    assert dialog.minimumSizeHint().height() <= 700
    error = dialog.editor.rows["case.rechtskreis"].error
    assert error.isVisible() and not error.visibleRegion().isEmpty()  # scrolled into view


def test_preview_and_interpreter_windows_fit_the_screen(qtbot):
    from ui.interpreter_view import open_interpreter_view
    from ui.print_dialog import DocumentDialog
    from ui.screen import FRAME

    host = QWidget()
    qtbot.addWidget(host)
    dialog = DocumentDialog(b"%PDF-1.4\n", "x.pdf", host)
    view = open_interpreter_view("intake", "ar", read_only=True, parent=host)
    for window in (dialog, view):
        avail = window.screen().availableGeometry()
        assert window.height() <= avail.height() - FRAME  # the offscreen screen is 800 px high
        assert window.width() <= 1366
    view.close()


def test_a_large_household_scrolls_in_the_case_header_and_leaves_the_tab_its_room(qtbot, store, window_for):
    from ui.casework.chronicle_tab import ChronicleTab

    win = window_for(store)
    small = win.session.save_household({"office": "WAF"}, [
        {"relation": "head", "family_name": "Tesfay", "given_names": "Saba", "case": {"rechtskreis": "AsylbLG"}}])
    big = win.session.save_household({"office": "WAF"}, [
        {"relation": "head", "family_name": "Haile", "given_names": "Yonas", "birth_date": "1980",
         "case": {"rechtskreis": "SGB II"}},
        *({"relation": "child", "family_name": "Haile", "given_names": name, "birth_date": f"{2010 + i}"}
          for i, name in enumerate(("Selam", "Ruta", "Filmon", "Senait", "Dawit", "Helen")))])
    win.resize(1366, 768)
    view = win.case_view
    chronicle = next(w for w in view.tab_widgets if isinstance(w, ChronicleTab))
    view.show_case(small.household_id, small.case_ids[0])
    view.tabs.setCurrentWidget(chronicle)
    QApplication.processEvents()
    shown = view.members.visibleRegion().boundingRect().height
    assert shown() >= view.members.heightForWidth(view.members.width())  # one member: all of it shown
    view.show_case(big.household_id, big.case_ids[0])
    QApplication.processEvents()
    assert view.members.text().count("\n") == 6  # every member is there ...
    assert shown() < view.members.heightForWidth(view.members.width()) / 2  # ... three lines shown, the rest scroll
    assert chronicle.table.viewport().height() >= 3 * chronicle.table.verticalHeader().defaultSectionSize()
