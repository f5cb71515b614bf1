"""The central office merges the same person registered twice in two offices, reviewed field by field."""

from PySide6.QtCore import Qt

from app.caselist import CaseIndex
from app.households import save_household
from app.repository import Repository
from app.session import Session
from ui.main import build_main_window


def _two_registrations(repo):
    a = save_household(repo, {"office": "AHL", "address": "Weststraße 5"}, [
        {"relation": "head", "family_name": "Al-Hassan", "given_names": "Mohammed", "family_name_orig": "الحسن",
         "birth_date": "1985-01-01", "sex": "m", "phone": "+49 2382 1111",
         "languages": [{"code": "ar", "level": "native"}, {"code": "de", "level": "A2"}],
         "case": {"rechtskreis": "AsylbLG"}},
        {"relation": "child", "family_name": "Al-Hassan", "given_names": "Yusuf", "birth_date": "2014-06-03",
         "sex": "m"}])
    b = save_household(repo, {"office": "WAF", "address": "Markt 3"}, [
        {"relation": "head", "family_name": "Alhasan", "given_names": "Muhammad", "birth_date": "1985-03-12",
         "sex": "m", "phone": "+49 2581 2222", "languages": [{"code": "de", "level": "B1"}],
         "case": {"rechtskreis": "SGB II"}},
        {"relation": "child", "family_name": "Alhasan", "given_names": "Jussuf", "birth_date": "2014-06-03",
         "sex": "m"}])
    save_household(repo, {"office": "WAF"}, [{"family_name": "Tesfay", "given_names": "Yonas"}])
    return a, b


def _page(qtbot, store):
    session = Session(store.path)
    session.attach(store)
    win = build_main_window(session)
    qtbot.addWidget(win)
    page = next(p for p in win.extra_pages if p.__class__.__name__ == "DuplicatesPage")
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 1, timeout=10_000)
    return session, page


def _cell(dialog, field, column):
    return dialog.model.index(dialog.model.field_row(field), column)


def test_review_choose_the_other_phone_and_merge(qtbot, store):
    repo = Repository(store)
    a, b = _two_registrations(repo)
    session, page = _page(qtbot, store)
    assert page.model.rowCount() == 2  # the fathers and the sons
    row = next(i for i in range(2) if "Mohammed" in page.model.index(i, 0).data() + page.model.index(i, 3).data())
    page.table.selectRow(row)
    dialog = page.merge(keep_first="Mohammed" in page.model.index(row, 0).data())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Personen zusammenführen" and dialog.keep_id == a.person_ids[0]
    m = dialog.model
    phone_keep, phone_away = _cell(dialog, "phone", 1), _cell(dialog, "phone", 2)
    assert (phone_keep.data(), phone_away.data()) == ("+49 2382 1111", "+49 2581 2222")
    assert phone_keep.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert m.differs(m.field_row("phone")) and phone_keep.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert not m.differs(m.field_row("sex")) and _cell(dialog, "sex", 1).data(Qt.ItemDataRole.BackgroundRole) is None
    # languages as they will be merged: one entry per language, the higher level
    assert _cell(dialog, "languages", 3).data() == "Arabisch Muttersprache, Deutsch B1"
    # the real birth date beats the placeholder 01.01.1985 by default
    assert _cell(dialog, "birth_date", 2).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    # keyboard: to the other record's phone, Space chooses it
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(phone_away)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    phone_keep, phone_away = _cell(dialog, "phone", 1), _cell(dialog, "phone", 2)
    assert phone_away.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert phone_keep.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert _cell(dialog, "phone", 3).data() == "+49 2581 2222"
    assert "Muhammad Alhasan" in _cell(dialog, "aliases", 3).data()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    # stored: the chosen phone, the filled fields, the alias; the case in the kept household
    kept = repo.get("person", a.person_ids[0])
    assert kept["phone"] == "+49 2581 2222" and kept["birth_date"] == "1985-03-12"
    assert kept["languages"] == [{"code": "ar", "level": "native"}, {"code": "de", "level": "B1"}]
    assert kept["aliases"] == [{"family_name": "Alhasan", "given_names": "Muhammad"}]
    assert repo.get("person", b.person_ids[0])["merged_into"] == a.person_ids[0]
    moved_case = repo.get("case", b.case_ids[0])
    assert (moved_case["person_id"], moved_case["household_id"]) == (a.person_ids[0], a.household_id)
    rows = session.list_rows()
    assert {rows[i].person_id for i in CaseIndex(rows).match("Muhammad Alhasan")} == {a.person_ids[0]}
    assert page.model.rowCount() == 1  # the fathers' pair is gone; the sons' stays
    # next: the sons are offered, reviewed in the same dialog
    assert dialog.stack.currentIndex() == 1 and dialog.pairs.rowCount() == 1
    assert "Yusuf" in dialog.pairs.index(0, 0).data() and "Jussuf" in dialog.pairs.index(0, 0).data()
    qtbot.keyClick(dialog.pairs_view, Qt.Key.Key_Return)
    assert dialog.stack.currentIndex() == 0 and dialog.keep_id == a.person_ids[1]
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert repo.get("person", b.person_ids[1])["merged_into"] == a.person_ids[1]
    assert repo.get("household", b.household_id)["merged_into"] == a.household_id  # the last one: it follows
    assert page.model.rowCount() == 0
    # undo the last merge from the dialog
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert repo.get("person", b.person_ids[1])["merged_into"] is None
    assert repo.get("household", b.household_id)["merged_into"] is None


def test_swap_keeps_the_other_record_and_the_choices(qtbot, store):
    repo = Repository(store)
    a, b = _two_registrations(repo)
    _session, page = _page(qtbot, store)
    row = next(i for i in range(2) if "Mohammed" in page.model.index(i, 0).data() + page.model.index(i, 3).data())
    page.table.selectRow(row)
    dialog = page.merge(keep_first="Mohammed" in page.model.index(row, 0).data())
    qtbot.addWidget(dialog)
    dialog.model.choose(_cell(dialog, "given_names", 2))  # "Muhammad" (a click on the other record's value)
    assert _cell(dialog, "given_names", 3).data() == "Muhammad"
    qtbot.mouseClick(dialog.swap_button, Qt.MouseButton.LeftButton)
    assert (dialog.keep_id, dialog.away_id) == (b.person_ids[0], a.person_ids[0])
    assert _cell(dialog, "family_name", 1).data() == "Alhasan"  # the kept record's column
    assert _cell(dialog, "given_names", 1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert _cell(dialog, "household", 3).data().startswith("Warendorf")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    kept = repo.get("person", b.person_ids[0])
    assert repo.get("person", a.person_ids[0])["merged_into"] == b.person_ids[0]
    assert kept["given_names"] == "Muhammad" and kept["family_name"] == "Alhasan"
    assert kept["family_name_orig"] == "الحسن" and kept["phone"] == "+49 2581 2222"
    assert {r.household_id for r in _session.list_rows() if r.person_id == b.person_ids[0]} == {b.household_id}


def test_the_review_fits_a_1366_by_768_screen_with_every_row_visible(qtbot, store):
    from PySide6.QtWidgets import QApplication

    from ui.merge_dialog import MergeDialog
    from ui.screen import FRAME

    repo = Repository(store)
    a, b = _two_registrations(repo)
    session = Session(store.path)
    session.attach(store)
    dialog = MergeDialog(session, a.person_ids[0], b.person_ids[0])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1366 and dialog.height() <= dialog.screen().availableGeometry().height() - FRAME
    dialog.resize(1366, 768 - FRAME)
    QApplication.processEvents()
    assert dialog.minimumSizeHint().width() <= 1366 and dialog.minimumSizeHint().height() <= 768 - FRAME
    last = dialog.model.rowCount() - 1
    assert dialog.model.index(last, 0).data() == "Weitere Schreibweisen"
    table = dialog.table
    assert table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height()
    assert dialog.merge_button.text() == "&Zusammenführen" and not dialog.merge_button.autoDefault()
