"""The today view: the right clients, due items, measures and interpreter languages for a town and day;
K/M mark kept/missed and write the chronicle; a walk-in found by search joins the queue."""

import datetime as dt

from PySide6.QtCore import QDate, Qt

from app.booking import HOME_OFFICE_META
from app.casework import CaseWork
from app.repository import Repository
from app.rules import in_due_list
from tests.app.test_office_hours import MONDAY, _case
from app.chronicle_text import event_text
from ui.today_page import TodayPage

TUESDAY = dt.date(2027, 5, 4)


def test_today_view_lists_the_day_and_marks_kept_missed_and_walk_ins(qtbot, store, window_for):
    repo = Repository(store)
    repo.today = MONDAY.date()
    a, b, _c = _case(repo), _case(repo, "Tesfay", "Yonas", interpreter="ti"), _case(repo, "Rahimi", "Zahra", "TEL", "fa")
    cw = CaseWork(repo)
    item = cw.catalogue.by_phase()[0][1][0]
    cw.measures.add(a, item.id, status="waiting", date="2027-04-01")
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    assert win.pages.currentWidget() is page  # the laptop's town is known: the day opens first
    hours = win.session.hours
    hours.repo.today = MONDAY.date()
    hours.booking.clock = lambda: MONDAY
    hours.booking.book(a, "TEL", "2027-05-04T09:00", agency="AA", interpreter="ar", purpose="Profiling")
    hours.booking.book(b, "TEL", "2027-05-04T09:20", agency="JC", purpose="Antrag")
    page.date.setDate(QDate(2027, 5, 4))
    assert page.office.currentData() == "TEL"
    model = page.model
    names = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert names.count("Amal Haddad") == 1 and names.count("Yonas Tesfay") == 1 and names.count("frei") == 25
    row = names.index("Amal Haddad")
    assert model.index(row, 5).data() == "Arabisch" and "Integrationskurs (Warteliste)" in model.index(row, 7).data()
    due = [h.title for h in CaseWork(hours.repo).hints(a, TUESDAY) if in_due_list(h, TUESDAY)]
    assert all(t in model.index(row, 7).data() for t in due)
    assert "Arabisch (09:00)" in page.interpreters.text() and "Tigrinya (09:20)" in page.interpreters.text()

    hours.booking.clock = lambda: dt.datetime(2027, 5, 4, 9, 30)
    page.table.setFocus()
    page.table.selectRow(row)
    qtbot.keyClick(page.table, Qt.Key.Key_K)
    page.table.selectRow(names.index("Yonas Tesfay"))
    qtbot.keyClick(page.table, Qt.Key.Key_M)
    texts = [event_text(e, "de") for e in hours.repo.find("event", case_id=a)] + [
        event_text(e, "de") for e in hours.repo.find("event", case_id=b)]
    assert any(t.startswith("Termin wahrgenommen") for t in texts) and any(t.startswith("Termin versäumt") for t in texts)
    assert model.index(names.index("Yonas Tesfay"), 6).data() == "versäumt"

    key = next(k for k in page._choices if "Rahimi" in k)
    qtbot.keyClicks(page.search, key)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.queue_model.rowCount() == 1
    assert "Zahra Rahimi" in page.queue_model.index(0, 0).data() and "wartet 0 Min" in page.queue_model.index(0, 0).data()
