"""The case list finds household members without a case (a child) and opens their household."""

from PySide6.QtCore import Qt


def test_a_child_without_a_case_is_found_and_opens_the_household(qtbot, store, repo, window_for):
    hid = repo.save("household", {"office": "AHL", "address": "Weststraße 5, Ahlen"})
    mother = repo.save("person", {"household_id": hid, "family_name": "Haddad", "given_names": "Rania",
                                  "birth_date": "1988-03-04"})
    repo.save("case", {"household_id": hid, "person_id": mother, "office": "AHL", "status": "active",
                       "case_number": "AHL-26-0001"})
    repo.save("person", {"household_id": hid, "family_name": "Haddad", "given_names": "Yara",
                         "birth_date": "2019-07-01", "relation": "child"})
    win = window_for(store)
    page = win.case_list
    assert page.proxy.rowCount() == 1 and page.count.text() == "1 Fall"
    qtbot.keyClicks(page.search, "Yara")
    page.apply_filter()  # (the search waits for a pause in typing)
    assert page.proxy.rowCount() == 1
    assert page.count.text() == "0 Fälle, 1 Haushaltsmitglied ohne Fall"
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert win.case_view.household_id == hid and win.case_view.case_id is None
    assert "Yara" in win.case_view.members.text()
