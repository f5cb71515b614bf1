"""The next appointment is in view without scrolling: on the appointments tab it is selected, bold and
scrolled to (below an earlier one still waiting for its outcome); the case header's line opens it."""

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.households import save_household
from app.replica.changelog import Change
from app.replica.merge import merge
from app.repository import clock_for
from app.session import Session
from ui.casework.appointments_tab import AppointmentsTab
from ui.casework.common import services


def _case_with_a_year_of_appointments(store):
    session = Session(store.path)
    session.attach(store)
    res = save_household(session._repo, {"office": "WAF"}, [
        {"relation": "head", "family_name": "Rahimi", "given_names": "Maryam", "case": {"rechtskreis": "SGB II"}}])
    assert res.ok, res.errors
    case_id = res.case_ids[0]
    ap = services(session).appointments
    today = dt.date.today()
    for weeks in range(14, 1, -1):  # thirteen kept, one each week, the oldest first
        ap.plan(case_id, f"{today - dt.timedelta(weeks=weeks)}T10:00", f"Beratung {weeks}", outcome="kept")
    upcoming = [ap.plan(case_id, f"{today + dt.timedelta(days=d)}T11:30", f"Termin in {d} Tagen") for d in (20, 4, 40, 60, 80, 100, 120, 140, 160, 180)]
    return session, res, case_id, upcoming[1]  # in 4 days: the next one


def _moved_by_sync(repo, appointment_id, starts_at, household_id):
    """Another laptop moved a planned appointment to yesterday: it slipped into the past, its outcome not recorded."""
    stamp = repo.conn.execute("SELECT hlc FROM field_state WHERE entity_id = ? AND field = 'starts_at'",
                              (appointment_id,)).fetchone()[0]
    later = f"{int(stamp[:13]) + 1000:013d}-0000-otherlaptop"
    change = Change(later, "appointment", appointment_id, "starts_at", starts_at, stamp, "otherlaptop", None,
                    household_id)
    with repo.transaction():
        assert merge(repo.conn, [change], clock_for(repo.store)).won == 1


def _in_view(table, row: int) -> bool:
    rect = table.visualRect(table.model().index(row, 0))
    return rect.isValid() and table.viewport().rect().contains(rect)


def test_the_next_appointment_is_selected_bold_and_in_view(qtbot, store):
    session, res, case_id, next_id = _case_with_a_year_of_appointments(store)
    tab = AppointmentsTab(session)
    qtbot.addWidget(tab)
    tab.resize(620, 420)  # a few rows above the form, as beside the case list at 768 px
    tab.show()
    tab.set_case(res.household_id, case_id)
    row = tab.model.row_of(next_id)
    assert row == 13  # in the order of time: thirteen past ones before it
    qtbot.waitUntil(lambda: _in_view(tab.table, row))
    assert tab.table.currentIndex().row() == row and tab.selected_id() == next_id
    assert tab.model.index(row, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert tab.model.index(row - 1, 0).data(Qt.ItemDataRole.FontRole) is None
    assert tab.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # the past: grey
    assert tab.model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert not _in_view(tab.table, 0) and not _in_view(tab.table, tab.model.rowCount() - 1)  # neither end of the list
    # selected by itself, the next appointment cannot be marked kept or missed by one click; cancelled it can
    assert not tab.outcome_buttons["kept"].isEnabled() and not tab.outcome_buttons["missed"].isEnabled()
    assert tab.outcome_buttons["cancelled"].isEnabled()
    assert tab.outcome_buttons["kept"].toolTip() == "Nur ein Termin, der begonnen hat, kann wahrgenommen oder versäumt sein."
    tab.table.selectRow(row - 1)  # last week's: its outcome can be corrected
    assert tab.outcome_buttons["kept"].isEnabled() and tab.outcome_buttons["missed"].isEnabled()
    # every column of the table on screen, the outcome included
    header = tab.table.horizontalHeader()
    assert header.sectionViewportPosition(4) + header.sectionSize(4) <= tab.table.viewport().width()
    # a row chosen by hand stays chosen when the tab shows again
    tab.table.selectRow(2)
    tab.hide()
    tab.show()
    QApplication.processEvents()
    assert tab.table.currentIndex().row() == 2
    # another case: its own next appointment, not the row number of the last one
    tab.set_case(res.household_id, case_id)
    tab.set_case(None, None)
    tab.set_case(res.household_id, case_id)
    qtbot.waitUntil(lambda: _in_view(tab.table, row))
    assert tab.selected_id() == next_id


def test_a_past_appointment_without_outcome_shows_above_the_next(qtbot, store):
    session, res, case_id, next_id = _case_with_a_year_of_appointments(store)
    ap = services(session).appointments
    today = dt.date.today()
    aid = ap.plan(case_id, f"{today + dt.timedelta(days=1)}T08:00", "Unterlagen")
    _moved_by_sync(session._repo, aid, f"{today - dt.timedelta(days=1)}T08:00", res.household_id)  # yesterday, no outcome
    tab = AppointmentsTab(session)
    qtbot.addWidget(tab)
    tab.resize(620, 420)
    tab.show()
    tab.set_case(res.household_id, case_id)
    row = tab.model.row_of(next_id)
    waiting = tab.model.row_of(aid)
    assert waiting == row - 1
    qtbot.waitUntil(lambda: _in_view(tab.table, row) and _in_view(tab.table, waiting))
    assert tab.selected_id() == next_id


def test_the_case_headers_next_appointment_opens_the_tab_with_it_in_view(qtbot, store, window_for):
    _session, res, case_id, next_id = _case_with_a_year_of_appointments(store)
    win = window_for(store)
    win.resize(1366, 768)
    win.refresh()
    view = win.case_view
    view.show_case(res.household_id, case_id)
    line = view.next_steps.lines["appointment"]
    day = (dt.date.today() + dt.timedelta(days=4)).strftime("%d.%m.%Y")
    assert f"{day} 11:30" in line.text() and "Termin in 4 Tagen" in line.text()
    view.next_steps.jump.emit("appointments")  # what a click on the line does
    tab = view.tabs.currentWidget()
    assert isinstance(tab, AppointmentsTab)
    row = tab.model.row_of(next_id)
    qtbot.waitUntil(lambda: _in_view(tab.table, row))
    assert tab.selected_id() == next_id


def test_the_next_appointment_is_selected_in_a_right_to_left_layout_too(qtbot, store):
    """QTableView.selectRow selects nothing right-to-left when the columns fill the width (ui.columns.select_row)."""
    session, res, case_id, next_id = _case_with_a_year_of_appointments(store)
    tab = AppointmentsTab(session)
    qtbot.addWidget(tab)
    tab.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    tab.resize(620, 420)
    tab.show()
    tab.set_case(res.household_id, case_id)
    row = tab.model.row_of(next_id)
    qtbot.waitUntil(lambda: _in_view(tab.table, row))
    assert tab.selected_id() == next_id
    assert [i.row() for i in tab.table.selectionModel().selectedRows()] == [row]
