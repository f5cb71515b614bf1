"""The case view of a staff member whose agency has no consent, in a case where three agencies recorded:
at 1366 x 768, in German, the notice says why, the tabs that work record by record show the agency's own
records only, the conference says it needs the consent, and what mixes every record stays closed."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication, QScrollArea

from app.casework import CaseWork
from app.course_service import CourseService
from app.repository import Repository
from app.session import Session
from app.store import Store
from tests.access.own_world import build, viewer
from tests.conftest import PASSPHRASE
from ui.casework.chronicle_tab import ChronicleTab
from ui.casework.due_list import DueSoonWidget
from ui.casework.form_page import FormPage
from ui.casework.measures_tab import MeasuresTab
from ui.casework.resource_map import ResourceMapTab
from ui.casework.strategy_tab import StrategyTab
from ui.courses_case_tab import CoursesCaseTab
from ui.main import build_main_window

SHOTS = os.environ.get("SPRECHSTUNDE_SCREENSHOTS")


def _settled(win, name: str) -> None:
    for _ in range(3):
        QApplication.processEvents()
    if SHOTS:
        win.grab().save(os.path.join(SHOTS, f"{name}.png"))


def test_the_employment_agency_without_consent_sees_its_own_records_only(qtbot, tmp_path, settle):
    path, case_id, household_id, ids = build(tmp_path / "store")
    for agency, kind in (("AA", "integrationskurs"), ("SOZ", "alphakurs")):  # two waiting lists, two agencies
        s = Store.open(path, PASSPHRASE, viewer(agency))
        CourseService(CaseWork(Repository(s))).waitlist.register(case_id, kind, "A1", date="2026-03-06")
        s.close()
    session = Session(path)
    session.unlock(PASSPHRASE, viewer("AA"))
    win = build_main_window(session)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    settle()
    view = win.case_view
    view.show_case(household_id, case_id)
    settle()
    assert view.access_notice.isVisible()
    assert "Agentur für Arbeit (AA)" in view.access_notice.text() and "Ihre Stelle selbst erfasst" in view.access_notice.text()
    assert view.next_steps.lines["missing"].isHidden()  # not "intake still to record": the Jobcenter's is there
    assert "Integrationskurs" in view.next_steps.lines["measures"].text()  # the AA's open measure
    tabs = {type(w).__name__ + getattr(w, "mode", ""): (i, w) for i, w in enumerate(view.tab_widgets)}
    enabled = {name for name, (i, _w) in tabs.items() if view.tabs.isTabEnabled(i)}
    assert {"ChronicleTab", "MeasuresTab", "ResourceMapTab", "StrategyTab", "CoursesCaseTab"} <= enabled

    def show(cls):
        i, w = next((i, w) for i, w in tabs.values() if isinstance(w, cls))
        view.tabs.setCurrentIndex(i)
        settle()
        return w

    chronicle = show(ChronicleTab)
    texts = [chronicle.model.index(r, c).data() for r in range(chronicle.model.rowCount())
             for c in range(chronicle.model.columnCount())]
    assert any("Notiz der Arbeitsagentur" in (t or "") for t in texts)
    assert not any("Jobcenter" in (t or "") for t in texts)  # the Jobcenter's note is not the AA's
    assert chronicle.flags.text() == ""  # the flag is the social office's
    assert chronicle.hints_box.isHidden()  # hints read every record: none without consent
    _settled(win, "own-chronicle")
    measures = show(MeasuresTab)
    assert measures.model.rowCount() == 1
    _settled(win, "own-measures")
    resources = show(ResourceMapTab)
    _settled(win, "own-resources")
    shown = [q.model.index(r, 0).data() for q in resources.quadrants.values() for r in range(q.model.rowCount())]
    assert len(shown) == 1 and shown[0].startswith("Führerschein Klasse B")  # not the social office's entry
    strategy = show(StrategyTab)
    assert "Elektriker" in strategy.current.text()
    assert not strategy.conf_button.isEnabled() and not strategy.focus.isEnabled()
    assert strategy.conf_needs_consent.isVisibleTo(strategy)
    scroll = strategy.findChild(QScrollArea)
    if scroll is not None:  # the conference, stacked below the goals beside the case list
        scroll.ensureWidgetVisible(strategy.conf_needs_consent)
    _settled(win, "own-strategy")
    courses = show(CoursesCaseTab)  # the AA's waiting list and measure; the handover needs the consent
    assert [courses.model.index(r, 0).data() for r in range(courses.model.rowCount())] == ["Integrationskurs"]
    assert [courses.measure.itemText(i).split(" (")[0] for i in range(courses.measure.count())] == ["Integrationskurs"]
    assert courses.h_needs_consent.isVisibleTo(courses) and courses.h_state.isHidden()
    assert not any(b.isEnabled() for b in courses.h_buttons.values())
    scroll = courses.findChild(QScrollArea)
    scroll.ensureWidgetVisible(courses.h_needs_consent)
    _settled(win, "own-courses")
    intake = next(w for _i, w in tabs.values() if isinstance(w, FormPage))
    view.tabs.setCurrentWidget(intake)
    settle()
    assert intake.responses.count() == 1  # "New questionnaire": the Jobcenter's intake is not listed
    _settled(win, "own-intake")
    due = win.findChild(DueSoonWidget)  # the due list and its count in the navigation: cases in full only
    due.refresh()
    due.waiting()
    settle()
    assert due.model.rowCount() == 0 and due.waiting() == 0
    session.lock()
    ki = Session(path)
    ki.unlock(PASSPHRASE, viewer("KI"))  # with the client's consent the same case has due items
    try:
        rules = [i.hint.rule_id for i in ki.due_items()]
        assert len(rules) == 3 and "consent_missing" in rules  # one of them: the time on the waiting list
    finally:
        ki.lock()
