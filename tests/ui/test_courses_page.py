"""The course planning page and the case's "Courses and handover" tab, driven like a person would."""

import datetime as dt

from PySide6.QtCore import Qt

from app.session import Session
from tests.app.course_kit import course, person, service
from ui.courses_case_tab import CoursesCaseTab
from ui.courses_page import CoursesPage

D = dt.date
TODAY = D(2026, 3, 1)


def _session(store):
    s = Session(store.path)
    s.attach(store)
    return s


def cells(model, row):
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_planning_courses_waitlist_and_transitions_tabs(qtbot, store, repo):
    svc = service(repo)
    a, b = person(repo, "Amir"), person(repo, "Bana", office="BEC")
    course(svc, 16, "2026-04-13", title="Integrationskurs A1 Ahlen")
    svc.waitlist.register(a, "integrationskurs", "A1", date="2026-02-01", obligated=True, obligated_since="2026-01-15")
    svc.waitlist.register(b, "integrationskurs", "A1", date="2026-01-20")
    session = _session(store)
    page = CoursesPage(session, today=TODAY)
    qtbot.addWidget(page)
    page.refresh()
    rows = [cells(page.plan_model, r) for r in range(page.plan_model.rowCount())]
    assert ["Ahlen", "Integrationskurs", "A1", "1", "0", "16", "1", "28", "28", "-15", "0", "unbekannt 1"] in rows
    # Beckum has no course, but the 16 seats in Ahlen are 30 minutes away by train
    assert ["Beckum", "Integrationskurs", "A1", "1", "0", "0", "0", "40", "40", "1", "16", "unbekannt 1"] in rows
    assert page.plan_totals.text() == "Gesamt: 2 wartend, 0 vorgeschlagen, 16 freie Plätze in 1 Kursen"
    # the waiting list, by keyboard: Alt+W opens its tab
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.keyClick(page, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert page.tabs.currentIndex() == 2
    assert cells(page.wait_model, 0)[:2] == ["1", "Amir Haddad"]
    assert cells(page.wait_model, 0)[6] == "Platz 1: verpflichtet seit 15.01.26, wartet 28 Tage"
    assert cells(page.wait_model, 1)[6] == "Platz 2: wartet 40 Tage"
    # Enter on a person opens the case
    opened = []
    page.open_case.connect(lambda hh, cid: opened.append(cid))
    page.wait_view.setFocus()
    page.wait_view.setCurrentIndex(page.wait_view.model().index(1, 0))
    qtbot.keyClick(page.wait_view, Qt.Key.Key_Return)
    assert opened == [b]
    # the courses: a new one typed into the form
    page.tabs.setCurrentIndex(1)
    assert page.course_model.rowCount() == 1 and page.c_save.isVisible()
    page.c_kind.setCurrentIndex(page.c_kind.findData("alphakurs"))
    page.c_level.setCurrentIndex(page.c_level.findData("alpha"))
    page.c_office.setCurrentIndex(page.c_office.findData("OEL"))
    page.c_title.clear()
    qtbot.keyClicks(page.c_title, "Alphakurs Oelde")
    page.c_start.setText("04.05.2026")
    page.c_end.setText("30.04.2027")
    page.c_seats.setValue(12)
    page.c_childcare.setChecked(True)
    qtbot.mouseClick(page.c_new, Qt.MouseButton.LeftButton)
    assert not page.c_error.isVisible(), page.c_error.text()
    titles = [page.course_model.index(r, 3).data() for r in range(page.course_model.rowCount())]
    assert titles == ["Integrationskurs A1 Ahlen", "Alphakurs Oelde"]
    # a bad date is one clear message and nothing is saved
    page.c_start.setText("31.02.2026")
    qtbot.mouseClick(page.c_new, Qt.MouseButton.LeftButton)
    assert page.c_error.isVisible() and page.course_model.rowCount() == 2
    # transitions: a planned handover
    svc.casework.consent.record(a, "JC", "given", "2026-01-10")
    svc.handovers.plan(a, "2026-03-10")
    page.tabs.setCurrentIndex(3)
    assert cells(page.transition_model, 0)[0] == "10.03.2026" and cells(page.transition_model, 0)[5] == "geplant"


def test_csv_of_the_planning_table(qtbot, store, repo, tmp_path):
    svc = service(repo)
    a = person(repo, "Amir")
    svc.waitlist.register(a, "alphakurs", "alpha", date="2026-02-01")
    page = CoursesPage(_session(store), today=TODAY)
    qtbot.addWidget(page)
    page.refresh()
    page.write_csv(str(tmp_path / "plan.csv"))
    text = (tmp_path / "plan.csv").read_text("utf-8-sig").splitlines()
    assert text[0] == ("Ort;Kurs;Niveau;Wartend;Vorgeschlagen;Freie Plätze;Kurse;Ø Wartetage;"
                       "Längste Wartezeit (Tage);Fehlbedarf;Freie Plätze in der Nähe;Fehlbedarf mit Plätzen in der Nähe;"
                       "Deutsch (Profiling II)")
    assert text[1].startswith("AHL;alphakurs;alpha;1;0;0;0;28;28;1")
    page.write_pdf("plan", str(tmp_path / "plan.pdf"))
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")


def test_case_tab_register_answer_offer_feedback_and_handover(qtbot, store, repo):
    svc = service(repo)
    case_id = person(repo, "Amir")
    cid = course(svc, 1, (dt.date.today() + dt.timedelta(days=30)).isoformat(), title="Integrationskurs A1 Ahlen")
    session = _session(store)
    tab = CoursesCaseTab(session)
    qtbot.addWidget(tab)
    hh = repo.get("case", case_id)["household_id"]
    tab.set_case(hh, case_id)
    tab.kind.setCurrentIndex(tab.kind.findData("integrationskurs"))
    tab.level.setCurrentIndex(tab.level.findData("A1"))
    assert tab.proposed.itemData(1) == cid  # the course can be proposed
    tab.proposed.setCurrentIndex(1)
    tab.register()
    assert repo.find("waitlist_entry", case_id=case_id)[0]["proposed_course_id"] == cid
    assert tab.model.rowCount() == 1 and tab.model.index(0, 4).data().startswith("Platz 1:")
    tab.register()  # twice: refused with a message, still one entry
    assert not tab.error.isHidden() and "bereits" in tab.error.text() and tab.model.rowCount() == 1
    session.courses.allocate()  # the hub's run (here on the same store)
    tab.refresh()
    assert tab.model.index(0, 3).data() == "Platz angeboten"
    offer_text = tab.findChild(type(tab.h_state), "seatOffer").text()
    assert offer_text.startswith("Platz angeboten: Integrationskurs A1 Ahlen, AHL")
    tab.answer(repo.find("seat_offer")[0]["id"], True)
    session.courses.allocate()
    tab.refresh()
    assert tab.model.index(0, 3).data() == "Platz vergeben"
    m = repo.get("measure", repo.find("waitlist_entry", case_id=case_id)[0]["measure_id"])
    assert (m["status"], m["course_id"]) == ("registered", cid)
    # feedback of the provider
    tab.fb_kind.setCurrentIndex(tab.fb_kind.findData("started"))
    tab.record_feedback()
    assert repo.get("measure", m["id"])["status"] == "started"
    assert "Integrationskurs: begonnen 1" in tab.fb_counts.text()
    # handover: no consent yet, then planned and sent
    assert tab.h_buttons["plan"].isEnabled() and not tab.h_buttons["send"].isEnabled()
    tab.handover_step("plan")
    assert tab.h_state.text().startswith("Übergabe an JC (SGB II)") and tab.h_buttons["send"].isEnabled()
    tab.handover_step("send")
    assert not tab.error.isHidden() and "Einwilligung" in tab.error.text()
    svc.casework.consent.record(case_id, "JC", "given")
    tab.handover_step("send")
    assert tab.h_state.text().splitlines()[0].endswith("übergeben") and tab.h_buttons["accept"].isEnabled()
    assert tab.h_state.text().splitlines()[1].startswith("Weitergegeben: Stammdaten und Haushalt, Erhebungsbogen")


def test_the_page_in_the_main_window_opens_a_waiting_persons_case(qtbot, store, repo, window_for):
    svc = service(repo)
    a = person(repo, "Amir")
    svc.waitlist.register(a, "integrationskurs", "A1", date="2026-02-01")
    win = window_for(store)
    titles = [win.nav.item(i).text() for i in range(win.nav.count())]
    win.nav.setCurrentRow(titles.index("Kursplanung"))
    page = win.pages.currentWidget()
    page.tabs.setCurrentIndex(2)
    page.wait_view.setCurrentIndex(page.wait_view.model().index(0, 0))
    page._open(page.wait_view)
    assert win.nav.currentRow() == 0 and win.case_view.case_id == a
    tabs = win.case_view.tabs
    assert "Kurse und Übergabe" in [tabs.tabText(i) for i in range(tabs.count())]


def test_the_planning_table_fits_a_1366_pixel_window(qtbot, store, repo, window_for):
    """At 1366 x 768 the twelve columns of "Demand and seats" end inside the table: long course names and the
    German levels elide (whole in the tooltip), nothing hides behind a horizontal scroll bar."""
    from PySide6.QtWidgets import QApplication

    svc = service(repo)
    today = dt.date.today()
    names = iter(["Amir", "Bana", "Dawit", "Elif", "Farid", "Ghazal", "Hiba", "Idris", "Jamal", "Karim", "Lina",
                  "Mona", "Nour", "Omid", "Parisa"])
    for office, kind, level in [("AHL", "deufoev", "B1"), ("BEC", "kompas", ""), ("DRE", "integrationskurs", "A1"),
                                ("OEL", "deufoev", "B2"), ("ENN", "sprachkurs_bruecke", "A2")]:
        for k in range(3):
            svc.waitlist.register(person(repo, next(names), office=office), kind, level or None,
                                  date=(today - dt.timedelta(days=40 + 10 * k)).isoformat())
        course(svc, 12, (today + dt.timedelta(days=20)).isoformat(), office=office, kind=kind, level=level)
    win = window_for(store)
    win.resize(1366, 768)
    titles = [win.nav.item(i).text() for i in range(win.nav.count())]
    win.nav.setCurrentRow(titles.index("Kursplanung"))
    page = win.pages.currentWidget()
    page.tabs.setCurrentIndex(0)
    for _ in range(3):
        QApplication.processEvents()
    view = page.plan_view
    assert view.model().rowCount() >= 5
    header = view.horizontalHeader()
    last = max(c for c in range(header.count()) if not header.isSectionHidden(c))
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= view.viewport().width()
    assert view.horizontalScrollBar().maximum() == 0 and not view.horizontalScrollBar().isVisible()
    kinds = [view.model().index(r, 1).data() for r in range(view.model().rowCount())]
    assert any(k.startswith("Berufsbezogene Deutschförderung") for k in kinds)


def test_waiting_counts_agree_with_the_list_and_it_opens_where_people_wait(qtbot, store, repo):
    """Both people on the A1 list hold an offered seat: nobody waits for A1, in the table and in the list; the
    waiting list opens on A2, where one person waits, and keeps the list the user picks afterwards."""
    svc = service(repo)
    a, b, c = person(repo, "Amir"), person(repo, "Bana"), person(repo, "Dawit", office="DRE")
    course(svc, 2, "2026-04-13")
    svc.waitlist.register(a, "integrationskurs", "A1", date="2026-02-01")
    svc.waitlist.register(b, "integrationskurs", "A1", date="2026-02-03")
    svc.waitlist.register(c, "integrationskurs", "A2", date="2026-02-05")
    svc.allocate(TODAY)
    page = CoursesPage(_session(store), today=TODAY)
    qtbot.addWidget(page)
    page.refresh()
    plan = {(r.office, r.kind, r.level): r.waiting for r in page.plan_model.rows}
    assert plan[("AHL", "integrationskurs", "A1")] == 0 and plan[("DRE", "integrationskurs", "A2")] == 1
    page.tabs.setCurrentIndex(2)
    assert (page.w_kind.currentData(), page.w_level.currentData()) == ("integrationskurs", "A2")
    assert page.wait_model.rowCount() == 1 and cells(page.wait_model, 0)[1] == "Dawit Haddad"
    page.w_level.setCurrentIndex(page.w_level.findData("A1"))
    page.w_all.setChecked(True)  # the two holding a seat, shown on request
    assert page.wait_model.rowCount() == 2
    page.tabs.setCurrentIndex(0)
    page.tabs.setCurrentIndex(2)
    assert page.w_level.currentData() == "A1"


def test_the_proposed_course_is_readable_in_the_case_view_at_1366_pixels(qtbot, store, repo, window_for):
    """The box "Proposed course" beside the buttons showed "kein best…": on its own line it shows its choice whole
    (a longer title elides, whole in the tooltip)."""
    from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionComboBox

    svc = service(repo)
    case_id = person(repo, "Amir")
    course(svc, 16, (dt.date.today() + dt.timedelta(days=30)).isoformat(),
           title="Integrationskurs A1 mit Kinderbetreuung, Volkshochschule Ahlen, Kursgebäude am Markt")
    win = window_for(store)
    win.resize(1366, 768)
    win.case_view.show_case(repo.get("case", case_id)["household_id"], case_id)
    tabs = win.case_view.tabs
    tabs.setCurrentIndex([tabs.tabText(i) for i in range(tabs.count())].index("Kurse und Übergabe"))
    QApplication.processEvents()
    tab = tabs.currentWidget().findChild(CoursesCaseTab) or tabs.currentWidget()
    box = tab.proposed

    def shown_whole() -> bool:
        opt = QStyleOptionComboBox()
        box.initStyleOption(opt)
        field = box.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                           QStyle.SubControl.SC_ComboBoxEditField, box)
        return box.fontMetrics().horizontalAdvance(box.currentText()) <= field.width()

    assert box.isVisible() and box.currentText() == "kein bestimmter Kurs"
    assert shown_whole()
    box.setCurrentIndex(1)
    assert box.toolTip() == box.currentText() and box.currentText().startswith("Integrationskurs A1 mit")
