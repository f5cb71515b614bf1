"""Date fields take TT.MM.JJJJ, and their messages say so (never the ISO "JJJJ-MM-TT" of import files)."""

import datetime as dt

from PySide6.QtCore import Qt

from app.repository import Repository
from tests.app.family_o import register_family
from tests.ui.test_casework_family_o import fill, tab
from ui.casework.appointments_tab import AppointmentsTab
from ui.casework.chronicle_tab import ChronicleTab
from ui.casework.form_page import INTAKE, FormPage

DATE_MESSAGE = "Datum als TT.MM.JJJJ eingeben."
ANSWERS = {"country_of_origin": "iraq", "interpreter_needed": True, "residence_status": "gestattung",
           "interpreter_language": "Arabisch", "accommodation": "reception",
           "accommodation_address": "Mintarder Straße, Haus 4", "household_size": 4, "children_under_6": 2,
           "referred_by": "sozialamt"}


def _case(store, window_for):
    repo = Repository(store)
    res = register_family(repo)
    win = window_for(store)
    win.case_view.show_case(res.household_id, res.case_ids[0])
    return win, repo, res.case_ids[0]


def _retype(qtbot, edit, text):
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_questionnaire_dates_name_the_format_they_take(qtbot, store, window_for):
    win, repo, case_id = _case(store, window_for)
    page = tab(win, FormPage, INTAKE)
    renderer = page.renderer
    fill(qtbot, renderer, ANSWERS)
    _retype(qtbot, renderer.editors["asylum_application_date"].w, "31.02.2016")
    _retype(qtbot, renderer.editors["entry_date"].w, "2016/06")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert renderer.errors["asylum_application_date"].text() == DATE_MESSAGE
    assert renderer.errors["entry_date"].text() == "Datum als TT.MM.JJJJ, MM.JJJJ oder JJJJ eingeben."
    assert page.response_id is None  # nothing saved

    _retype(qtbot, page.date, "1.2.3")  # the questionnaire's own date: all messages at once
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.date_error.isVisibleTo(page) and page.date_error.text() == DATE_MESSAGE
    assert renderer.errors["asylum_application_date"].text() == DATE_MESSAGE
    assert page.response_id is None

    _retype(qtbot, renderer.editors["asylum_application_date"].w, "01.08.2016")
    _retype(qtbot, renderer.editors["entry_date"].w, "06.2016")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.date_error.text() == DATE_MESSAGE and page.response_id is None

    _retype(qtbot, page.date, "14.09.2017")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not page.date_error.isVisibleTo(page), page.date_error.text()
    assert page.status.text() == "Gespeichert.", ({k: l.text() for k, l in renderer.errors.items() if l.text()}, page.status.text())
    assert page.response_id is not None


def test_tab_dates_and_the_appointment_time_name_their_format(qtbot, store, window_for):
    win, repo, case_id = _case(store, window_for)
    chronicle = tab(win, ChronicleTab)
    _retype(qtbot, chronicle.date, "2017-13-01")
    _retype(qtbot, chronicle.note, "Rueckruf")
    qtbot.mouseClick(chronicle.note_button, Qt.MouseButton.LeftButton)
    assert chronicle.error.text() == DATE_MESSAGE

    appointments = tab(win, AppointmentsTab)
    future = dt.date.today() + dt.timedelta(days=30)
    _retype(qtbot, appointments.date, f"31.02.{future.year}")
    _retype(qtbot, appointments.time, "25:00")
    _retype(qtbot, appointments.purpose, "Beratung")
    qtbot.mouseClick(appointments.plan_button, Qt.MouseButton.LeftButton)
    assert DATE_MESSAGE in appointments.error.text() and "Uhrzeit als HH:MM eingeben." in appointments.error.text()
    assert "JJJJ-MM" not in appointments.error.text()
    before = len(repo.find("appointment", case_id=case_id))

    _retype(qtbot, appointments.date, future.strftime("%d.%m.%Y"))
    _retype(qtbot, appointments.time, "9.30")
    _retype(qtbot, appointments.purpose, "Beratung")
    qtbot.mouseClick(appointments.plan_button, Qt.MouseButton.LeftButton)
    assert not appointments.error.isVisibleTo(appointments), appointments.error.text()
    planned = repo.find("appointment", case_id=case_id)
    assert len(planned) == before + 1
    assert any(a["starts_at"] == f"{future.isoformat()}T09:30" for a in planned)
