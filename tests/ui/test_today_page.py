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

    key = next(k for k in page.walk_in_choices() if "Rahimi" in k)
    qtbot.keyClicks(page.search, key)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.queue_model.rowCount() == 1
    assert "Zahra Rahimi" in page.queue_model.index(0, 0).data() and "wartet 0 Min" in page.queue_model.index(0, 0).data()


def test_a_new_household_from_the_walk_in_flow_joins_the_queue(qtbot, store, window_for):
    """"New household…" opens the household dialog with the page's town; saved, its case waits in the queue
    and the case list counts it."""
    from ui.household_dialog import HouseholdDialog

    with Repository(store).transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    hours = win.session.hours
    hours.booking.clock = lambda: dt.datetime(2027, 5, 4, 9, 30)
    page.date.setDate(QDate(2027, 5, 4))
    assert page.queue_model.rowCount() == 0
    qtbot.mouseClick(page.new_household, Qt.MouseButton.LeftButton)
    dialog = page.household_dialog
    assert isinstance(dialog, HouseholdDialog) and dialog.isVisible()
    assert dialog.office.currentData() == "TEL"
    dialog.editor.family_name.setText("Ahmadi")
    dialog.editor.given_names.setText("Farid")
    dialog.editor.interpreter.setCurrentIndex(dialog.editor.interpreter.findData("prs"))
    dialog.editor.rechtskreis.setCurrentIndex(dialog.editor.rechtskreis.findData("SGB II"))
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.saved_case_ids
    assert page.queue_model.rowCount() == 1
    text = page.queue_model.index(0, 0).data()
    assert text.startswith("09:30  Farid Ahmadi (TEL-") and "Dari" in text and "wartet 0 Min" in text
    [walk_in] = [a for a in hours.repo.find("appointment", case_id=dialog.saved_case_ids[0])]
    assert (walk_in["walk_in"], walk_in["office"], walk_in["outcome"]) == (True, "TEL", "arrived")
    assert any(r.case_id == dialog.saved_case_ids[0] for r in win.case_list.model.rows)


def test_a_new_household_without_a_case_is_saved_but_waits_for_nothing(qtbot, store, window_for, answer_questions):
    from ui.household_dialog import HouseholdDialog

    with Repository(store).transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    page.date.setDate(QDate(2027, 5, 4))
    qtbot.mouseClick(page.new_household, Qt.MouseButton.LeftButton)
    dialog = page.household_dialog
    assert isinstance(dialog, HouseholdDialog)
    dialog.editor.family_name.setText("Ahmadi")
    dialog.editor.given_names.setText("Farid")
    dialog.editor.has_case.setChecked(False)
    answer_questions("save")  # the information box is read and closed
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.saved_id and dialog.saved_case_ids == []
    assert page.queue_model.rowCount() == 0


def test_without_the_clients_consent_the_day_shows_only_booking_data(qtbot, tmp_path, window_for):
    """The Jobcenter's intake worker has no consent from the client: name, purpose and interpreter are there,
    the due items and open measures are not, and the row says so."""
    from app.booking import Booking
    from app.store import Store
    from tests.conftest import PASSPHRASE

    store, _recovery = Store.create(tmp_path / "s", PASSPHRASE, login="anna", name="Anna Admin")
    store.add_member("jc.intake", PASSPHRASE, "Ida Intake", "JC", "intake")
    repo = Repository(store, today=MONDAY.date())
    a = _case(repo)
    cw = CaseWork(repo)
    item = cw.catalogue.by_phase()[0][1][0]
    cw.measures.add(a, item.id, status="waiting", date="2027-04-01")
    Booking(repo, clock=lambda: MONDAY).book(a, "TEL", "2027-05-04T09:00", agency="JC", purpose="Profiling")
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    store.close()
    win = window_for(Store.open(tmp_path / "s", PASSPHRASE, "jc.intake"))
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    page.date.setDate(QDate(2027, 5, 4))
    model = page.model
    row = [model.index(r, 2).data() for r in range(model.rowCount())].index("Amal Haddad")
    assert (model.index(row, 4).data(), model.index(row, 7).data()) == ("Profiling", "nur Termindaten")


def test_a_free_slot_is_booked_from_the_today_view_and_cancelled_with_s(qtbot, store, window_for):
    """Enter on a free slot opens the booking dialog: the client by name, the person's interpreter language and
    the checklist filled in; booked, the row shows the client and the chronicle says so. A taken desk or a
    missing client is said in the dialog and nothing is written. S cancels."""
    from PySide6.QtCore import QTimer

    from ui.booking_dialog import BookingDialog

    repo = Repository(store)
    repo.today = MONDAY.date()
    tesfay = _case(repo, "Tesfay", "Yonas", interpreter="ti")
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    hours = win.session.hours
    hours.booking.clock = lambda: MONDAY
    page.date.setDate(QDate(2027, 5, 4))
    model = page.model
    free = next(r for r in range(model.rowCount()) if model.index(r, 2).data() == "frei")
    starts = model.rows[free].starts_at
    page.table.setFocus()
    page.table.selectRow(free)
    said = []

    def without_client():
        d = page.booking_dialog
        try:
            d.save()  # no client chosen: said, nothing booked
            said.append(d.error.text())
        finally:
            d.reject()

    QTimer.singleShot(0, without_client)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert said == ["Den Klienten bzw. die Klientin wählen: einen Namen oder eine Fallnummer aus der Liste."]
    assert not hours.repo.find("appointment")

    def book():
        d: BookingDialog = page.booking_dialog
        try:
            fill(d)
        finally:  # a failed assertion must not leave the modal dialog open
            if d.isVisible():
                d.reject()

    def fill(d):
        qtbot.keyClicks(d.case, "Yonas Tesfay")
        d._case_chosen(d.case.text())
        assert d.case_id == tesfay and d.interpreter.currentData() == "ti"
        assert d.bring_model.chosen()[:1] == ["Ausweisdokument (Pass, Aufenthaltstitel)"]
        qtbot.keyClicks(d.purpose, "Profiling II")
        d.bring_extra.setText("Zeugnis aus Eritrea; Mietvertrag")
        d.save()

    QTimer.singleShot(0, book)
    dialog = page.book_slot()
    assert dialog.booked_id
    (appt,) = hours.repo.find("appointment")
    assert (appt["case_id"], appt["starts_at"], appt["interpreter_language"], appt["purpose"]) == (
        tesfay, starts, "ti", "Profiling II")
    assert appt["bring"][-2:] == ["Zeugnis aus Eritrea", "Mietvertrag"]
    row = next(r for r in range(model.rowCount()) if model.index(r, 2).data() == "Yonas Tesfay")
    assert model.index(row, 5).data() == "Tigrinya"
    assert any(event_text(e, "de").startswith("Für die Sprechstunde in Telgte") and "gebucht" in event_text(e, "de")
               for e in hours.repo.find("event", case_id=tesfay))

    # the same desk and time again: refused in the dialog
    page.table.selectRow(row)
    other = _case(hours.repo, "Rahimi", "Zahra", "TEL", "fa")
    errors = []

    def double():
        d = page.booking_dialog
        try:
            d.choose_case(other)
            d.save()
            errors.append(d.error.text())
        finally:
            d.reject()

    page.table.selectRow(free if free != row else free + 1)
    taken = model.rows[row]
    QTimer.singleShot(0, double)
    page.book_slot(type(taken)(starts_at=starts, ends_at=taken.ends_at, desk=taken.desk, agency=taken.agency))
    assert errors and errors[0] and len(hours.repo.find("appointment")) == 1

    page.table.selectRow(row)
    qtbot.keyClick(page.table, Qt.Key.Key_S)
    assert hours.repo.get("appointment", appt["id"])["outcome"] == "cancelled"


def _day_views(store) -> list[str]:
    from app import audit

    return [e["action"] for e in audit.entries(store.conn) if e["action"].startswith("view:day")]


def test_opening_the_window_reads_the_day_once_and_the_walk_in_list_after_the_first_paint(qtbot, store, window_for):
    """The main window opens on the day: the day is read (and logged) once, not again when the window shows the
    page; the table is filled before the walk-in search list (every open case) is read, which follows right
    after the first paint; then the rows have their heights for wrapped text."""
    repo = Repository(store)
    repo.today = MONDAY.date()
    a = _case(repo)
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    assert win.pages.currentWidget() is page
    assert len(_day_views(store)) == 1
    assert page.model.rowCount() > 0 and page.completer.model().rowCount() == 0  # filled, painted next
    qtbot.waitUntil(lambda: page.completer.model().rowCount() == 1)
    assert "Amal Haddad" in page.completer.model().stringList()[0]
    assert len(_day_views(store)) == 1
    # another day, a write (the walk-in) read the day again; a second look at the same state does not
    win.session.hours.booking.clock = lambda: dt.datetime(2027, 5, 4, 9, 30)
    page.date.setDate(QDate(2027, 5, 4))
    assert len(_day_views(store)) == 2
    page.add_walk_in(a)
    assert len(_day_views(store)) == 3 and page.queue_model.rowCount() == 1
    page.refresh()
    assert len(_day_views(store)) == 3
    win.session.hours.booking.clock = lambda: dt.datetime(2027, 5, 4, 9, 31)  # a minute on: the waiting time
    page.refresh()
    assert len(_day_views(store)) == 4 and "wartet 1 Min" in page.queue_model.index(0, 0).data()


def test_a_longer_booking_from_the_dialog_spans_its_slots_and_v_reschedules_it(qtbot, store, window_for):
    """The booking dialog's length: two slots of the desk; the table shows 09:00–09:40 and the desk busy at
    09:20. V on the booking opens the dialog on the next free slot with the client and length kept; moved,
    the old booking is "rescheduled" and points to the new one, and the chronicle says so."""
    from PySide6.QtCore import QTimer

    repo = Repository(store)
    repo.today = MONDAY.date()
    tesfay = _case(repo, "Tesfay", "Yonas", interpreter="ti")
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    hours = win.session.hours
    hours.booking.clock = lambda: MONDAY
    page.date.setDate(QDate(2027, 5, 4))
    model = page.model
    first = next(r for r in range(model.rowCount()) if model.rows[r].desk == 2)  # 09:00, JC
    seen = {}

    def book():
        d = page.booking_dialog
        try:
            seen["lengths"] = [d.length.itemText(i) for i in range(d.length.count())]
            d.choose_case(tesfay)
            d.length.setCurrentIndex(d.length.findData(2))
            d.save()
        finally:
            if d.isVisible():
                d.reject()

    QTimer.singleShot(0, book)
    dialog = page.book_slot(model.rows[first])
    assert dialog.booked_id and seen["lengths"][:2] == ["1 Zeitfenster (20 Min.)", "2 Zeitfenster (40 Min.)"]
    assert len(seen["lengths"]) == 8  # nine slots in the office hour: up to eight
    appt = hours.appointment(dialog.booked_id)
    assert (appt["starts_at"], appt["ends_at"], appt["desk"]) == ("2027-05-04T09:00", "2027-05-04T09:40", 2)
    jc = [(model.index(r, 0).data(), model.index(r, 2).data(), model.index(r, 4).data())
          for r in range(model.rowCount()) if model.rows[r].desk == 2][:3]
    assert jc == [("09:00–09:40", "Yonas Tesfay", "Sprechstunde"), ("09:20", "↳ Yonas Tesfay", "(Fortsetzung)"),
                  ("09:40", "frei", "")]

    page.table.setFocus()
    page.table.selectRow(next(r for r in range(model.rowCount()) if model.rows[r].continued))
    moved = {}

    def move():
        d = page.booking_dialog
        try:
            moved["offered"] = [d.new_time.itemText(i) for i in range(d.new_time.count())]
            moved["first"] = d.new_time.currentText()
            moved["client"] = (d.case.text(), d.case.isEnabled(), d.length.currentData())
            d.new_time.setCurrentIndex(d.new_time.findText("10:20"))
            d.save()
        finally:
            if d.isVisible():
                d.reject()

    QTimer.singleShot(0, move)
    qtbot.keyClick(page.table, Qt.Key.Key_V)
    assert moved["first"] == "09:40" and "11:20" in moved["offered"] and "11:40" not in moved["offered"]
    assert moved["client"] == (f"Yonas Tesfay ({repo.get('case', tesfay)['case_number']})", False, 2)
    new = page.booking_dialog.booked_id
    old = hours.appointment(appt["id"])
    assert (old["outcome"], old["moved_to"]) == ("rescheduled", new)
    assert (hours.appointment(new)["starts_at"], hours.appointment(new)["ends_at"]) == (
        "2027-05-04T10:20", "2027-05-04T11:00")
    assert page.current_row().appointment_id == new
    assert any(event_text(e, "de").startswith("Termin verlegt vom") for e in hours.repo.find("event", case_id=tesfay))
    texts = [model.index(r, 0).data() for r in range(model.rowCount()) if model.rows[r].desk == 2]
    assert "10:20–11:00" in texts and "09:00–09:40" not in texts


def test_a_cancelled_day_shows_its_note_at_the_top(qtbot, store, window_for):
    from app import offices

    repo = Repository(store)
    offices.save_change(repo, {"office": "TEL", "date": "2027-05-11", "kind": "cancelled",
                               "template_id": "hours:TEL-1", "note": "Fortbildung"})
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    page.date.setDate(QDate(2027, 5, 11))
    assert page.closed.isVisible() and page.closed.text() == "Die Sprechstunde in Telgte am 11.05.2027 fällt aus: Fortbildung"
    assert page.model.rowCount() == 0 and page.interpreters.text() == "An diesem Tag ist keine Sprechstunde."
    page.date.setDate(QDate(2027, 5, 4))
    assert not page.closed.isVisible() and page.model.rowCount() == 27


def test_the_dialog_offers_only_lengths_whose_slots_are_free(qtbot, store, window_for):
    from PySide6.QtCore import QTimer

    repo = Repository(store)
    repo.today = MONDAY.date()
    a = _case(repo)
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    hours = win.session.hours
    hours.booking.clock = lambda: MONDAY
    hours.booking.book(a, "TEL", "2027-05-04T09:40", agency="SOZ")
    page.date.setDate(QDate(2027, 5, 4))
    free = next(r for r in page.model.rows if r.desk == 3 and r.starts_at.endswith("09:00"))
    offered = []

    def look():
        d = page.booking_dialog
        offered.extend(d.length.itemData(i) for i in range(d.length.count()))
        d.reject()

    QTimer.singleShot(0, look)
    page.book_slot(free)
    assert offered == [1, 2]  # 09:40 is taken at the SOZ desk


def test_the_day_is_painted_before_the_case_list_is_read_and_the_list_follows(qtbot, store, window_for):
    """At 20,000 cases the case list takes 0.8 s: the Today page opens first and paints its day, then the
    case list and the navigation counts are filled (once)."""
    repo = Repository(store)
    repo.today = MONDAY.date()
    a = _case(repo)
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, "TEL")
    win = window_for(store)
    page = next(p for p in win.extra_pages if isinstance(p, TodayPage))
    assert win.pages.currentWidget() is page
    assert win.case_list.model.rows == []  # not read yet: the day comes first
    from PySide6.QtCore import QEvent, QObject

    paints, fills = [], []

    class Paints(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                paints.append(len(win.case_list.model.rows))
            return False

    watcher = Paints()
    page.table.viewport().installEventFilter(watcher)
    real = win.case_list.refresh
    win.case_list.refresh = lambda: fills.append(1) or real()
    qtbot.waitUntil(lambda: bool(win.case_list.model.rows), timeout=5000)
    assert paints and paints[0] == 0  # the day was painted while the list was still empty
    assert any(r.case_id == a for r in win.case_list.model.rows)
    qtbot.wait(1200)  # past the fallback timer: the list was filled once, not twice
    assert fills == [1]
