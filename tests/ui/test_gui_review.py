"""What a user sees: German texts instead of English msgids or codes, mnemonics on the main buttons,
language names in the UI language."""

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from app.casework import casework_for
from app.repository import Repository
from app.rules import Hint
from app.session import Session
from tests.app.family_o import register_family
from ui.casework.chronicle_tab import STATE_LABELS, hint_line
from ui.casework.due_list import DueModel
from ui.casework.measures_tab import MeasuresTab
from ui.household_dialog import HouseholdDialog
from ui.interpreter_view import open_interpreter_view
from i18n import _
from ui.statistics_page import StatisticsPage


def _headers(model):
    return [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]


def _family(store):
    return register_family(Repository(store))


def test_measure_table_and_due_list_speak_german(qtbot, store, window_for):
    res = _family(store)
    win = window_for(store)
    casework_for(win.session).measures.add(res.case_ids[0], "integrationskurs", status="registered",
                                           date="2017-07-06")
    win.case_view.show_case(res.household_id, res.case_ids[0])
    tab = next(w for w in win.case_view.tab_widgets if isinstance(w, MeasuresTab))
    win.case_view.tabs.setCurrentWidget(tab)
    headers = _headers(tab.view.model())
    assert headers[4:9] == ["Vorgeschlagen", "Angemeldet", "Beginn", "Ende", "Voraussichtlicher Beginn"]
    assert _headers(DueModel()) == ["Fällig", "Stand", "Fall", "Name", "Standort", "Frist oder Hinweis",
                                    "Rechtsgrundlage"]
    assert [_(STATE_LABELS[s]) for s in ("overdue", "due_soon", "info")] == ["überfällig", "bald fällig", "Hinweis"]


def test_chronicle_hint_state_is_german():
    h = Hint("r", "c", "deadline", "overdue", dt.date(2017, 8, 31), "Titel", "Text", "§ 44a AufenthG")
    assert hint_line(h).startswith("[überfällig 31.08.2017] Titel")


def test_the_due_list_says_its_state_in_a_whole_phrase():
    """The state column said just "seit" for a milestone: every state is a phrase counted from the day the list
    was evaluated on, with the plural right."""
    from app.casework import DueItem

    day = dt.date(2026, 12, 2)

    def item(state, due):
        return DueItem(Hint("r", "c", "milestone", state, due, "Titel", "Text", "§ 1"), "c", "WAF-1", "A B", "WAF")

    model = DueModel()
    model.day = day  # as the widget sets it with the rows of a day
    model.set_rows([item("overdue", dt.date(2026, 11, 29)), item("overdue", dt.date(2026, 12, 1)),
                             item("due_soon", day), item("due_soon", dt.date(2026, 12, 3)),
                             item("due_soon", dt.date(2026, 12, 9)), item("reached", dt.date(2026, 11, 20)),
                             item("reached", dt.date(2026, 12, 1)), item("reached", day), item("info", None)])
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == [
        "seit 3 Tagen überfällig", "seit 1 Tag überfällig", "heute fällig", "in 1 Tag fällig", "in 7 Tagen fällig",
        "vor 12 Tagen erreicht", "vor 1 Tag erreicht", "heute erreicht", "Hinweis"]


def test_statistics_show_labels_not_codes(qtbot, store, settle):
    res = _family(store)
    session = Session(store.path)
    session.attach(store)
    casework_for(session).measures.add(res.case_ids[0], "integrationskurs", status="registered", date="2017-07-06")
    page = StatisticsPage(session)
    qtbot.addWidget(page)
    page.refresh()
    settle()
    page.list_view.setCurrentIndex(page.list_model.index(page.list_model.rows.index("measures"), 0))
    model = page.view.model()
    texts = [model.index(r, 0).data() for r in range(model.rowCount())]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Integrationskurs" in texts and "wartend" in headers
    assert not {"integrationskurs", "registered", "waiting", "?"} & set(texts + headers)
    total = texts.index("Summe")
    assert model.index(total, model.columnCount() - 1).data() == "< 5"  # one measure: a small count, hidden


def test_main_buttons_have_distinct_mnemonics(qtbot, store, window_for):
    win = window_for(store)
    cv = win.case_view
    menus = {QKeySequence.mnemonic(a.text()).toString() for a in win.menuBar().actions()}
    keys = [QKeySequence.mnemonic(b.text()).toString() for b in (cv.interpret, cv.print_button, cv.edit)]
    assert all(keys) and len(set(keys)) == 3 and not set(keys) & menus
    assert cv.print_button.menu() is not None and cv.print_button.menu().actions()
    dialog = HouseholdDialog(win.session, None, win)
    qtbot.addWidget(dialog)
    add = dialog.findChild(type(cv.edit), "addMember")
    assert QKeySequence.mnemonic(add.text()).toString()


def test_language_chooser_names_languages_in_the_ui_language(qtbot, store, window_for):
    win = window_for(store)
    view = open_interpreter_view("intake", "ar", read_only=True, parent=win)
    box = view.language_box
    assert box.itemText(box.findData("ar")) == "العربية – Arabisch"
    cv = win.case_view.client_lang
    assert cv.itemText(cv.findData("en")) == "English – Englisch"
    assert cv.itemText(cv.findData("ar")) == "العربية – Arabisch"
    view.close()


def test_language_rows_and_household_languages_in_german(qtbot):
    from app.forms import FormField
    from ui.casework.form_renderer import RowsEditor
    from ui.household_dialog import format_languages, parse_languages

    rows = RowsEditor(FormField("languages", "cefr", "Languages"))
    qtbot.addWidget(rows)
    assert rows.add.text() == "Sprache hinzufügen"
    rows.add_row({})
    language, _level = rows.rows[0][1]
    assert language.w.placeholderText() == "Sprache"
    assert "Niveau:" in [lab.text() for lab in rows.findChildren(QLabel)]
    langs = [{"code": "ar", "level": "native"}, {"code": "de", "level": "A2"}]
    assert format_languages(langs) == "ar:Muttersprache, de:A2"
    assert parse_languages(format_languages(langs)) == langs


def test_conflicts_name_the_field_and_show_a_german_date():
    import re

    from app.conflicts import Conflict, Side
    from ui.conflicts_page import ConflictModel

    model = ConflictModel()
    model.set_rows([Conflict("c1", "household", "0123456789ab", "address", "0123456789ab",
                             Side("Amselweg 1", "h1", "2017-09-12T08:30Z", "dev-a", "s1", "Anna"),
                             Side("Drosselweg 2", "h2", "2017-09-12T09:15Z", "dev-b", None, None))])
    cells = [model.index(0, col).data() for col in range(model.columnCount())]
    assert cells[0] == "Haushalt 01234567" and cells[1] == "Anschrift"
    assert re.fullmatch(r"Anna · 1[23]\.09\.2017 \d\d:30", cells[3])
    assert re.fullmatch(r"dev-b · 1[23]\.09\.2017 \d\d:15", cells[5])


def test_every_menu_entry_has_its_own_mnemonic(qtbot, store, window_for):
    win = window_for(store)
    for menu_action in win.menuBar().actions():
        entries = [a.text() for a in menu_action.menu().actions() if not a.isSeparator()]
        keys = [QKeySequence.mnemonic(t).toString() for t in entries]
        assert all(keys) and len(set(keys)) == len(keys), entries
    assert "&Sprache" in [a.text() for a in win.menuBar().actions()[1].menu().actions()]


def test_duplicate_pairs_give_german_reasons_and_a_percentage():
    from ui.duplicates_page import PairModel

    person = {"id": "p", "given_names": "Huda", "family_name": "Hamdan", "birth_date": "2022-01-01"}
    model = PairModel()
    model.set_rows([{"a": person, "b": {**person, "id": "q"}, "office_a": "AHL", "office_b": "SAS", "score": 0.91,
                     "reasons": ["same family name", "same birth year (placeholder date)"]}])
    assert model.index(0, 6).data() == "91\u00a0%"  # German: a no-break space before the sign
    assert model.index(0, 7).data() == "gleicher Familienname, gleiches Geburtsjahr (Platzhalterdatum)"
