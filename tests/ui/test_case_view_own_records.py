"""The case view of a staff member whose agency has no consent, in a case where three agencies recorded:
at 1366 x 768, in German, the notice says why, the tabs that work record by record show the agency's own
records only, the conference says it needs the consent, and what mixes every record stays closed."""

from __future__ import annotations

import os

from PySide6.QtWidgets import QApplication, QScrollArea

from app.session import Session
from tests.access.own_world import build, viewer
from tests.conftest import PASSPHRASE
from ui.casework.chronicle_tab import ChronicleTab
from ui.casework.due_list import DueSoonWidget
from ui.casework.form_page import FormPage
from ui.casework.measures_tab import MeasuresTab
from ui.casework.resource_map import ResourceMapTab
from ui.casework.strategy_tab import StrategyTab
from ui.main import build_main_window

SHOTS = os.environ.get("SPRECHSTUNDE_SCREENSHOTS")


def _settled(win, name: str) -> None:
    for _ in range(3):
        QApplication.processEvents()
    if SHOTS:
        win.grab().save(os.path.join(SHOTS, f"{name}.png"))


def test_the_employment_agency_without_consent_sees_its_own_records_only(qtbot, tmp_path, settle):
    path, case_id, household_id, ids = build(tmp_path / "store")
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
    assert {"ChronicleTab", "MeasuresTab", "ResourceMapTab", "StrategyTab"} <= enabled
    assert "CoursesCaseTab" not in enabled  # the course service reads every measure: it needs the consent

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
        assert len(ki.due_items()) == 2
    finally:
        ki.lock()
