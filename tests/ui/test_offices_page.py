"""The offices page: the central office edits an office, a recurring office hour and an exception, and the day
view shows the new slots; bad input shows German messages and saves nothing; other roles see it read-only."""

from PySide6.QtCore import QDate, Qt

from app.store import Store
from tests.conftest import PASSPHRASE
from ui.offices_page import OfficesPage
from ui.today_page import TodayPage


def _store_as(tmp_path, role: str):
    path = tmp_path / "store"
    store, _recovery = Store.create(path, PASSPHRASE, login="anna", name="Anna Admin")
    store.add_member("zora", PASSPHRASE, "Zora Beispiel", "JC", role)
    store.close()
    return Store.open(path, PASSPHRASE, "zora")


def _page(win, cls):
    page = next(p for p in win.extra_pages if isinstance(p, cls))
    win.nav.setCurrentRow(win.extra_pages.index(page) + 1)
    return page


def _changes(win) -> int:
    return win.session._repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]


def _slots(today: TodayPage, day: QDate) -> list[str]:
    today.office.setCurrentIndex(today.office.findData("TEL"))
    today.date.setDate(day)
    model = today.model
    return [f"{model.index(r, 0).data()} {model.index(r, 1).data()}" for r in range(model.rowCount())]


def test_the_central_office_edits_hours_and_the_day_view_follows(qtbot, tmp_path, window_for):
    win = window_for(_store_as(tmp_path, "central"))
    page = _page(win, OfficesPage)
    page.office.setCurrentIndex(page.office.findData("TEL"))
    assert page.readonly.isHidden() and page.t_save.isVisible() is False  # (on the first tab)
    page.o_phone.setText("02504 99-1")
    page.o_directions.setPlainText("Neuer Eingang im Hof")
    qtbot.mouseClick(page.o_save, Qt.MouseButton.LeftButton)
    tel = win.session.hours.office("TEL")
    assert tel.phone == "02504 99-1" and tel.directions_in("de") == "Neuer Eingang im Hof"

    page.tabs.setCurrentIndex(1)
    page.t_view.selectRow(0)  # Tuesday 09:00-12:00
    assert page.t_weekday.currentText() == "Dienstag" and page.t_ends.text() == "12:00"
    before = _changes(win)
    for ends, field, message in (("08:00", "Ende", "Die Sprechstunde muss nach ihrem Beginn enden."),
                                 ("11 Uhr", "Ende", "Bitte die Uhrzeit als HH:MM eingeben.")):
        page.t_ends.setText(ends)
        qtbot.mouseClick(page.t_save, Qt.MouseButton.LeftButton)
        assert page.t_error.isVisible() and page.t_error.text() == f"{field}: {message}"
    page.t_ends.setText("11:00")
    page.t_to.setText("31.02.2027")
    qtbot.mouseClick(page.t_save, Qt.MouseButton.LeftButton)
    assert page.t_error.text().startswith("Gültig bis:")
    assert _changes(win) == before  # nothing of the three attempts was saved
    page.t_to.clear()
    qtbot.mouseClick(page.t_save, Qt.MouseButton.LeftButton)
    assert page.t_error.isHidden() and page.t_model.index(0, 1).data() == "09:00–11:00"

    page.tabs.setCurrentIndex(2)
    qtbot.mouseClick(page.c_new, Qt.MouseButton.LeftButton)
    page.c_kind.setCurrentIndex(page.c_kind.findData("extra"))
    page.c_date.setText("05.05.2027")  # a Wednesday: no office hour in Telgte
    page.c_starts.setText("14:00")
    page.c_ends.setText("15:00")
    page.c_slot.setValue(30)
    page.c_desks.setText("jc")
    qtbot.mouseClick(page.c_save, Qt.MouseButton.LeftButton)
    assert page.c_error.isHidden() and page.c_model.rowCount() == 1
    assert page.c_model.index(0, 1).data() == "Zusätzliche Sprechstunde"

    qtbot.mouseClick(page.c_new, Qt.MouseButton.LeftButton)
    page.c_kind.setCurrentIndex(page.c_kind.findData("cancelled"))
    assert page.c_template.currentText().startswith("ganzer Tag")
    page.c_template.setCurrentIndex(page.c_template.findText("Do 09:00–12:00"))
    page.c_date.setText("13.05.2027")
    qtbot.mouseClick(page.c_save, Qt.MouseButton.LeftButton)
    assert page.c_model.rowCount() == 2 and page.c_model.index(1, 2).data() == "Do 09:00–12:00"

    qtbot.mouseClick(page.c_new, Qt.MouseButton.LeftButton)
    page.c_kind.setCurrentIndex(page.c_kind.findData("moved"))
    assert page.c_to.isVisible() and not page.c_desks.isEnabled()
    page.c_template.setCurrentIndex(page.c_template.findText("Di 09:00–11:00"))
    page.c_date.setText("11.05.2027")
    qtbot.mouseClick(page.c_save, Qt.MouseButton.LeftButton)
    assert page.c_error.text() == "Neues Datum: Bitte das Datum angeben, auf das sie verlegt wird." and page.c_model.rowCount() == 2
    page.c_to.setText("12.05.2027")
    page.c_starts.setText("13:00")
    page.c_ends.setText("14:00")
    qtbot.mouseClick(page.c_save, Qt.MouseButton.LeftButton)
    assert page.c_error.isHidden() and page.c_model.rowCount() == 3

    today = _page(win, TodayPage)
    tuesday = _slots(today, QDate(2027, 5, 4))
    assert len(tuesday) == 6 * 3 and tuesday[-1].startswith("10:40")  # 09:00-11:00, 20 minutes, three desks
    assert _slots(today, QDate(2027, 5, 5)) == ["14:00 1 · JC", "14:30 1 · JC"]
    assert _slots(today, QDate(2027, 5, 13)) == []
    assert today.interpreters.text() == "An diesem Tag ist keine Sprechstunde."
    assert _slots(today, QDate(2027, 5, 11)) == []
    assert [s[:5] for s in _slots(today, QDate(2027, 5, 12))][::3] == ["13:00", "13:20", "13:40"]


def test_other_roles_see_the_offices_read_only_and_are_refused(qtbot, tmp_path, window_for):
    win = window_for(_store_as(tmp_path, "intake"))
    page = _page(win, OfficesPage)
    page.office.setCurrentIndex(page.office.findData("TEL"))
    assert page.readonly.isVisible()
    assert page.readonly.text() == ("Nur die Zentrale ändert Standorte und Sprechzeiten; "
                                    "Ihre Rolle (Eingangszone) kann sie nur ansehen.")
    assert not page.o_save.isVisible() and not page.o_phone.isEnabled()
    page.tabs.setCurrentIndex(1)
    assert page.t_model.rowCount() == 2 and not page.t_save.isVisible() and not page.t_ends.isEnabled()
    before = _changes(win)
    page.t_ends.setText("11:00")  # what a disabled field would hold, saved around the hidden button
    assert page.save_template() is False
    assert page.t_error.text() == page.readonly.text()
    assert _changes(win) == before
    assert win.session.hours.templates("TEL")[0]["ends"] == "12:00"


def test_the_directions_hint_names_languages_not_codes(qtbot, tmp_path, window_for):
    win = window_for(_store_as(tmp_path, "central"))
    page = _page(win, OfficesPage)
    page.office.setCurrentIndex(page.office.findData("TEL"))
    page.o_lang.setCurrentIndex(page.o_lang.findData("fa_AF"))
    page.o_directions.setPlainText("از ایستگاه قطار ۱۰ دقیقه پیاده")
    page.o_lang.setCurrentIndex(page.o_lang.findData("de"))  # the text is kept for Dari
    hint = page.o_directions_hint.text()
    assert hint.startswith("Vorhanden auf: ") and "Dari" in hint and "fa_AF" not in hint
