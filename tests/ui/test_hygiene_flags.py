"""Input rules in the GUI: a value by sync flagged in the household dialog; a past appointment refused, then recorded."""

import datetime as dt

from app.households import flagged_values, load_household, save_household
from app.replica.changelog import Change
from app.replica.merge import merge
from app.repository import clock_for
from app.session import Session
from ui.household_dialog import HouseholdDialog

LONG = "Maryam " + "x" * 360


def _merge_long_name(repo, res):
    person_id = res.person_ids[0]
    stamp = repo.conn.execute("SELECT hlc FROM field_state WHERE entity_id = ? AND field = 'given_names'",
                              (person_id,)).fetchone()[0]
    later = f"{int(stamp[:13]) + 1000:013d}-0000-oldlaptop"  # a second after ours, from another laptop
    change = Change(later, "person", person_id, "given_names", LONG, stamp, "oldlaptop", None, res.household_id)
    with repo.transaction():
        assert merge(repo.conn, [change], clock_for(repo.store)).won == 1


def test_the_dialog_flags_a_synced_value_for_correction_and_still_saves(qtbot, store):
    session = Session(store.path)
    session.attach(store)
    res = save_household(session._repo, {"office": "WAF"}, [
        {"relation": "head", "family_name": "Rahimi", "given_names": "Maryam", "case": {"rechtskreis": "SGB II"}},
        {"relation": "child", "family_name": "Rahimi", "given_names": "Ali"},
    ])
    assert res.ok, res.errors
    _merge_long_name(session._repo, res)
    assert flagged_values(load_household(session._repo, res.household_id), dt.date(2026, 11, 21)) == {
        "members.0.given_names": "Bitte korrigieren: Höchstens 100 Zeichen, hier sind es 367."}
    dlg = HouseholdDialog(session, res.household_id)
    qtbot.addWidget(dlg)
    row = dlg.editor.rows["given_names"]
    assert dlg.editor.given_names.text() == LONG
    assert not row.error.isHidden() and row.error.text().startswith("Bitte korrigieren: Höchstens 100 Zeichen")
    assert not dlg.is_dirty()
    dlg.save()  # not corrected: the old value is not judged again, nothing blocks the save
    assert dlg.result() == 1


def test_the_appointments_tab_says_why_a_past_appointment_is_refused_and_records_it_as_kept(qtbot, store):
    from ui.casework.appointments_tab import AppointmentsTab

    session = Session(store.path)
    session.attach(store)
    res = save_household(session._repo, {"office": "WAF"}, [
        {"relation": "head", "family_name": "Rahimi", "given_names": "Maryam", "case": {"rechtskreis": "SGB II"}}])
    tab = AppointmentsTab(session)
    qtbot.addWidget(tab)
    tab.set_case(res.household_id, res.case_ids[0])
    tab.date.setText("02.03.2020")
    tab.purpose.setText("Jobcenter")
    tab.plan()
    assert tab.error.text().startswith("Datum und Uhrzeit: Dieser Termin liegt in der Vergangenheit.")
    assert tab.model.rowCount() == 0
    tab.outcome.setCurrentIndex(tab.outcome.findData("kept"))
    tab.plan()
    assert tab.error.isHidden() and tab.model.rowCount() == 1
    assert tab.model.index(0, 4).data() == "wahrgenommen"
