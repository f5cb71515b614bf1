"""The language lists: a stored code the list lacks (it came by sync, or an office added it) shows by its name."""

from ui.language_levels import language_combo, select


def test_a_language_the_list_lacks_is_shown_by_its_name_not_its_code(qtbot):
    box = language_combo("kein Dolmetschen")
    qtbot.addWidget(box)
    select(box, "ff")  # Fulfulde, heard at the office hours (Guinea, Senegal)
    assert box.currentData() == "ff" and box.currentText() == "Ful"
    select(box, "gsw")  # Swiss German: in CLDR, not in the list
    assert box.currentData() == "gsw" and box.currentText() == "Schweizerdeutsch"
    select(box, None)
    assert box.currentText() == "kein Dolmetschen"
