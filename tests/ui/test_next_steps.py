"""The case header's next steps: one clickable line each; the navigation counts due items."""

import datetime as dt

from app.casework import CaseWork
from ui.casework.appointments_tab import AppointmentsTab
from ui.casework.measures_tab import MeasuresTab


def _family(session):
    return session.save_household(
        {"office": "WAF", "address": "Freckenhorster Str. 3, Warendorf"},
        [{"relation": "head", "family_name": "Tesfay", "given_names": "Saba", "birth_date": "1994",
          "case": {"rechtskreis": "AsylbLG"}}])


def test_next_steps_lines_and_their_tabs(qtbot, store, window_for, settle):
    win = window_for(store)
    res = _family(win.session)
    case_id = res.case_ids[0]
    cw = CaseWork(win.session._repo)
    soon = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    cw.appointments.plan(case_id, f"{soon}T10:00", "Profiling")
    item = cw.catalogue.by_phase()[0][1][0]
    cw.measures.add(case_id, item.id)
    win.refresh()
    view = win.case_view
    view.show_case(res.household_id, case_id)
    lines = view.next_steps.lines
    assert "Noch zu erfassen: Einwilligungserklärung, Erhebungsbogen" in lines["missing"].text()
    day = ".".join(reversed(soon.split("-")))
    assert f"Nächster Termin: {day} 10:00 – Profiling" in lines["appointment"].text()
    assert "1 offene Maßnahme: " in lines["measures"].text()
    assert lines["conflicts"].isHidden()
    lines["measures"].linkActivated.emit("measures")
    assert isinstance(view.tabs.currentWidget(), MeasuresTab)
    lines["appointment"].linkActivated.emit("appointments")
    assert isinstance(view.tabs.currentWidget(), AppointmentsTab)
    settle()


def test_the_navigation_counts_due_items(qtbot, store, window_for, settle):
    """The count in the navigation is the gated due list's length (what the staff member sees in full), kept
    per household: after a save only that household is counted again (app.next_steps.DueCount)."""
    win = window_for(store)
    _family(win.session)
    win.refresh()
    settle()  # the count runs off the GUI thread
    due = next(p for p in win.extra_pages if type(p).__name__ == "DueSoonWidget")
    row = win.extra_pages.index(due) + 1
    n = len(win.session.due_items(dt.date.today()))
    assert n > 0  # a new case has its first items (e.g. the consent to record)
    assert win.nav.item(row).text() == f"Fällig ({n})"
    _family(win.session)  # a save: the count follows
    win.refresh()
    settle()
    n = len(win.session.due_items(dt.date.today()))
    assert n == len(CaseWork(win.session._repo).due_list(dt.date.today()))  # all the staff member's own
    assert win.nav.item(row).text() == f"Fällig ({n})"
    assert due._counter.full_counts == 1 and due._counter.counted_households == 1  # only the new household
