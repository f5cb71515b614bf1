"""A full disk while saving a household: the dialog says so and keeps every input."""

from PySide6.QtWidgets import QMessageBox

from app.session import Session
from tests.app.test_disk_full import _fill_disk
from ui.household_dialog import HouseholdDialog


def test_household_dialog_keeps_the_input_when_the_disk_is_full(qtbot, store, monkeypatch):
    session = Session(store.path)
    session.attach(store)
    dlg = HouseholdDialog(session)
    qtbot.addWidget(dlg)
    dlg.office.setCurrentIndex(dlg.office.findData("WAF"))
    qtbot.keyClicks(dlg.editor.family_name, "Haddad")
    qtbot.keyClicks(dlg.editor.given_names, "Rami " * 19)  # a name takes at most 100 characters
    dlg.editor.rechtskreis.setCurrentIndex(dlg.editor.rechtskreis.findData("SGB II"))
    for _i in range(8):  # enough to need a page more than the full disk has
        dlg.add_member()
        dlg.editor.given_names.setText("Rana " * 19)
    dlg.list.setCurrentIndex(dlg.list.model().index(0, 0))
    _fill_disk(store)
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(a[2]))
    dlg.save()
    assert said and ("voll" in said[0] or "full" in said[0])
    assert dlg.result() == 0 and dlg.editor.family_name.text() == "Haddad"
    assert session.case_rows() == []
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    dlg.save()
    assert dlg.result() == 1 and len(session.case_rows()) == 2  # the head's and the spouse's (second member)
