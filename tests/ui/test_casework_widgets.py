"""Case-work widgets in isolation: renderer conditions and values, unsaved changes, old versions, measures model."""

import datetime as dt
import json
import shutil

import pytest

from app.casework import CaseWork
from app.forms import FORMS_DIR, FormRegistry, default_registry
from app.session import Session
from tests.app.family_o import ARRIVAL, INTAKE, register_family
from ui.casework.form_page import FormPage
from ui.casework.form_renderer import FormRenderer, from_iso, to_iso
from ui.casework.measures_tab import COL_EXPECTED, COL_MEASURE, COL_STATUS, ID_ROLE, MeasuresTab


@pytest.fixture
def session(tmp_path):
    s = Session(tmp_path / "store")
    s.create("richtig-geheim", "anna", "Anna")
    yield s
    s.lock()


def test_dates_typed_the_german_way():
    assert to_iso("6.7.2017") == "2017-07-06" and to_iso("06.2016") == "2016-06" and to_iso("2016") == "2016"
    assert from_iso("2017-07-06") == "06.07.2017" and from_iso("2016-06") == "06.2016"


def test_renderer_conditions_values_and_messages(qtbot):
    r = FormRenderer(default_registry().get("intake"))
    qtbot.addWidget(r)
    r.show()
    status = r.editors["residence_status"].w
    assert not r.is_visible("permit_paragraph")
    status.setCurrentIndex(status.findData("erlaubnis"))
    assert r.is_visible("permit_paragraph") and r.is_visible("status_valid_until")
    qtbot.keyClicks(r.editors["permit_paragraph"].w, "§ 25 Abs. 2 AufenthG")
    assert r.values()["permit_paragraph"] == "§ 25 Abs. 2 AufenthG"
    status.setCurrentIndex(status.findData("gestattung"))
    assert "permit_paragraph" not in r.values()  # hidden answers do not count
    errors = r.validate()
    assert {"country_of_origin", "entry_date", "referred_by"} <= set(errors)
    assert r.errors["entry_date"].isVisible() and r.errors["entry_date"].text() == errors["entry_date"]
    r.set_values(INTAKE)
    assert r.validate() == {} and not r.errors["entry_date"].isVisible()
    assert r.values() == {k: v for k, v in INTAKE.items()}


def test_renderer_round_trips_rows_and_proof(qtbot):
    form = default_registry().get("profiling_ue25")
    answers = {"languages": [{"language": "Arabic", "level": "native"}, {"language": "German", "level": "A1"}],
               "literate": "other_script", "school_years": 9, "wish": "work",
               "school_leaving_certificate": {"value": True, "proof": False},
               "work_experience": [{"occupation": "Maler und Lackierer", "years": 7, "proof": False}],
               "health_limits": True, "health_limits_text": "Rücken"}
    r = FormRenderer(form)
    qtbot.addWidget(r)
    r.set_values(answers)
    assert r.values() == answers
    r.editors["work_experience"].w.rows[0][1][0].w.clear()  # occupation emptied: entry incomplete
    assert "work_experience" in r.validate()


def test_unsaved_changes_save_discard_or_stay(qtbot, session, answer_questions):
    res = register_family(session._repo)
    karim, layla = res.case_ids
    page = FormPage(session, "intake")
    qtbot.addWidget(page)
    page.set_case(res.household_id, karim)
    page.renderer.set_values(INTAKE)
    page._mark_dirty()
    answer_questions("cancel")
    page.set_case(res.household_id, layla)
    assert page.case_id == karim and page.dirty  # stays
    answer_questions("discard")
    page.set_case(res.household_id, layla)
    cw = CaseWork(session._repo)
    assert page.case_id == layla and cw.responses.for_case(karim) == []
    page.renderer.set_values(INTAKE)
    page._mark_dirty()
    answer_questions("save")
    page.set_case(res.household_id, karim)
    assert cw.responses.latest_answers(layla, "intake")["country_of_origin"] == "iraq"


def test_old_response_shows_with_its_version(qtbot, session, tmp_path):
    forms_dir = tmp_path / "forms"
    forms_dir.mkdir()
    shutil.copy(FORMS_DIR / "intake.v1.json", forms_dir)
    res = register_family(session._repo)
    session._casework = CaseWork(session._repo, forms=FormRegistry(forms_dir))
    old = session._casework.save_intake(res.case_ids[0], INTAKE, date="2017-06-26")
    v2 = json.loads((FORMS_DIR / "intake.v1.json").read_text("utf-8"))
    v2["version"] = 2
    v2["sections"][0]["fields"][2]["label"] = "First language"
    (forms_dir / "intake.v2.json").write_text(json.dumps(v2), "utf-8")
    session._casework = CaseWork(session._repo, forms=FormRegistry(forms_dir))
    page = FormPage(session, "intake")
    qtbot.addWidget(page)
    page.set_case(res.household_id, res.case_ids[0])
    assert page.response_id == old and page.renderer.form.version == 1
    assert page.renderer.values() == INTAKE
    page.responses.setCurrentIndex(0)  # a new questionnaire uses version 2
    page._pick_response()
    assert page.response_id is None and page.renderer.form.version == 2


def test_measures_model_and_status_change(qtbot, session):
    res = register_family(session._repo)
    c = res.case_ids[0]
    cw = CaseWork(session._repo)
    mid = cw.measures.add(c, "integrationskurs", status="registered", date="2017-07-06")
    tab = MeasuresTab(session)
    qtbot.addWidget(tab)
    tab.set_case(res.household_id, c)
    m = tab.model
    assert m.rowCount() == 1 and m.data(m.index(0, 0), ID_ROLE) == mid
    assert m.data(m.index(0, COL_MEASURE)) == cw.catalogue.name("integrationskurs")
    assert m.data(m.index(0, COL_EXPECTED)) == "31.08.2017"  # registered + 8 weeks
    tab.view.selectRow(0)
    assert [tab.status.itemData(i) for i in range(tab.status.count())] == ["waiting", "started", "cancelled"]
    tab.status.setCurrentIndex(tab.status.findData("started"))
    tab.status_date.setText("06.11.2017")
    tab.status_button.click()
    assert session._repo.get("measure", mid)["status"] == "started"
    assert m.data(m.index(0, COL_STATUS)) == "begonnen" and m.data(m.index(0, COL_EXPECTED)) == ""
    tab.status.setCurrentIndex(tab.status.findData("completed"))
    tab.status_date.setText("01.10.2017")  # before the start: refused with a message
    tab.status_button.click()
    assert not tab.error.isHidden() and tab.error.text() and session._repo.get("measure", mid)["status"] == "started"


def test_due_list_is_built_off_the_gui_thread(qtbot, session):
    from ui.casework.due_list import DueSoonWidget

    res = register_family(session._repo)
    CaseWork(session._repo).chronicle.set_flag(res.case_ids[0], "dublin", "2017-09-12")
    w = DueSoonWidget(session)
    qtbot.addWidget(w)
    w.date.setText("01.09.2017")
    w.refresh()
    qtbot.waitUntil(lambda: w.refresh_button.isEnabled(), timeout=10000)
    rules = {(w.model.rows[r].case_id, w.model.rows[r].hint.rule_id) for r in range(w.model.rowCount())}
    assert (res.case_ids[0], "dublin_check") in rules
    states = [w.model.index(r, 1).data() for r in range(w.model.rowCount())]  # counted from the day evaluated
    assert w.model.day == dt.date(2017, 9, 1) and all(" " in s for s in states if s != "Hinweis"), states
    w.office.setCurrentIndex(w.office.findData("WAF"))
    w.refresh()
    qtbot.waitUntil(lambda: w.refresh_button.isEnabled(), timeout=10000)
    assert w.model.rowCount() == 0


def test_keyboard_focus_keeps_the_field_in_view(qtbot, session):
    res = register_family(session._repo)
    page = FormPage(session, "work")
    qtbot.addWidget(page)
    page.resize(900, 400)
    page.show()
    qtbot.waitExposed(page)
    page.set_case(res.household_id, res.case_ids[0])
    assert page.scroll.verticalScrollBar().value() == 0
    page.activateWindow()
    last = page.renderer.editors["notes"].focus_widget()
    last.setFocus()
    qtbot.waitUntil(lambda: page.scroll.verticalScrollBar().value() > 0)
    assert last.hasFocus()


def test_appointment_planned_with_interpreter_then_missed(qtbot, session):
    from ui.casework.appointments_tab import AppointmentsTab

    res = register_family(session._repo)
    session._repo.today = ARRIVAL  # Family O's story is in 2017: the appointment is planned, not past
    c = res.case_ids[0]
    cw = CaseWork(session._repo)
    cw.save_intake(c, INTAKE, date="2017-06-26")
    tab = AppointmentsTab(session)
    qtbot.addWidget(tab)
    tab.set_case(res.household_id, c)
    assert tab.interpreter.text() == "Arabic"  # proposed from the intake survey
    tab.date.setText("19.09.2017")
    tab.time.setText("10:00")
    qtbot.keyClicks(tab.purpose, "Agentur fuer Arbeit")
    tab.plan_button.click()
    assert tab.model.rowCount() == 1 and tab.error.isHidden()
    tab.table.selectRow(0)
    tab.outcome_buttons["missed"].click()
    a = cw.appointments.for_case(c)[0]
    assert (a["starts_at"], a["interpreter_language"], a["outcome"]) == ("2017-09-19T10:00", "Arabic", "missed")
    assert [e["kind"] for e in cw.chronicle.events(c)][-1] == "appointment"
