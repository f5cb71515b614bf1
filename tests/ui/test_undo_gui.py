"""Undo in the GUI: a merge from the duplicates page's dialog, the last edit from the case view's menu."""

from PySide6.QtWidgets import QPushButton

from app.duplicates import merge_persons
from app.households import save_household
from ui.unmerge_dialog import UnmergeDialog


def _household(session):
    return save_household(session._repo, {"office": "AHL", "address": "Weg 1"},
                          [{"relation": "head", "family_name": "Alazzawi", "given_names": "Omar",
                            "case": {"rechtskreis": "AsylbLG"}},
                           {"relation": "spouse", "family_name": "Alazawi", "given_names": "Omar",
                            "phone": "+49 2382 1", "case": {"rechtskreis": "AsylbLG"}}])


def test_unmerge_dialog_lists_the_merge_and_takes_it_back(qtbot, store, window_for):
    win = window_for(store)
    res = _household(win.session)
    keep, away = res.person_ids
    merge_persons(win.session._repo, keep, away)
    page = next(p for p in win.extra_pages if type(p).__name__ == "DuplicatesPage")
    assert page.findChild(QPushButton, "unmergeButton").text() == "Zusammenführung rückgängig…"
    dialog = UnmergeDialog(win.session, win)
    qtbot.addWidget(dialog)
    model = dialog.list.model()
    assert model.rowCount() == 1 and "wurde mit Omar Alazzawi zusammengeführt" in model.index(0, 0).data()
    dialog.undo_button.click()
    assert model.rowCount() == 0 and "Fälle 1" in dialog.info.text()
    assert win.session._repo.get("person", away)["merged_into"] is None
    assert [c["person_id"] for c in win.session._repo.find("case", id=res.case_ids[1])] == [away]


def test_the_case_views_undo_menu_takes_back_the_last_edit(qtbot, store, window_for, answer_questions):
    win = window_for(store)
    res = _household(win.session)
    pid = res.person_ids[0]
    win.session._repo.save("person", {"family_name": "Al-Azzawi"}, pid)
    win.refresh()
    view = win.case_view
    view.show_case(res.household_id, res.case_ids[0])
    assert "Al-Azzawi" in view.title.text()
    answer_questions("save")  # the question's accepting button: "Zurücknehmen"
    view.undo_button.menu().actions()[0].trigger()
    assert win.session._repo.get("person", pid)["family_name"] == "Alazzawi"
    assert "Alazzawi" in view.title.text()
