"""Übergabemanagement: the transition list around a status change, handover accepted and returned, the 12 months."""

import datetime as dt

import pytest

from app.casework import CaseWork
from app.checks import ValidationError
from app.handover import Handovers
from tests.app.course_kit import person
from app.chronicle_text import event_text

D = dt.date
INTAKE = {"country_of_origin": "syria", "mother_tongue": "Arabic", "interpreter_needed": False,
          "residence_status": "gestattung", "entry_date": "2025-09-01", "asylum_application_date": "2025-09-10",
          "accommodation": "shared", "referred_by": "sozialamt"}


@pytest.fixture
def hw(repo):
    repo.today = D(2026, 6, 1)
    cw = CaseWork(repo)
    return cw, Handovers(repo, cw.rules, cw.chronicle, cw.consent)


def test_transition_list_before_and_after_the_status_change(hw, repo):
    cw, h = hw
    case_id = person(repo, "Amir", today=D(2025, 10, 1))
    cw.save_intake(case_id, INTAKE, date="2025-10-01")
    assert h.transitions(D(2026, 6, 1)) == []  # the AsylbLG waiting period (36 months) is years away
    cw.save_intake(case_id, {**INTAKE, "residence_status": "erlaubnis", "permit_paragraph": "§ 25 Abs. 2 AufenthG",
                             "decision_date": "2026-05-20"}, date="2026-05-25")
    (t,) = h.transitions(D(2026, 6, 1))
    assert (t.case_id, t.due, t.rule_id, t.state) == (case_id, D(2026, 6, 20), "recognition_handover", None)
    assert h.transitions(D(2026, 3, 1)) == []  # evaluated before the decision was known... not yet due
    assert [x.case_id for x in h.agenda(D(2026, 6, 15))] == [case_id]  # due within the week after the session
    assert h.agenda(D(2026, 6, 1)) == []


def _consent(cw, case_id):
    cw.consent.record(case_id, "JC", "given", "2025-10-01")


def test_handover_accepted_carries_the_measures(hw, repo):
    cw, h = hw
    case_id = person(repo, "Amir", today=D(2025, 10, 1))
    _consent(cw, case_id)
    m1 = cw.measures.add(case_id, "integrationskurs", status="started", date="2026-02-01")
    m2 = cw.measures.add(case_id, "kompas", status="proposed", date="2026-03-01")
    done = cw.measures.add(case_id, "einstiegskurs", status="started", date="2025-11-01")
    cw.measures.set_status(done, "completed", "2026-01-15")
    hid = h.plan(case_id, "2026-06-20", reason="Anerkennung § 25 Abs. 2 AufenthG")
    assert [t.state for t in h.transitions(D(2026, 6, 1))] == ["planned"]
    h.send(hid, "2026-06-02", contact="Frau Berger, Jobcenter Ahlen")
    sent = repo.get("handover", hid)
    assert sent["state"] == "sent" and sent["measures"] == sorted([m1, m2])
    assert sent["shared"] == ["master_data", "intake", "profiling", "resources", "measures", "chronicle"]
    h.accept(hid, "2026-06-10")
    assert repo.get("case", case_id)["rechtskreis"] == "SGB II"
    assert repo.get("measure", m1)["status"] == "started" and repo.get("measure", m2)["status"] == "proposed"
    texts = [event_text(e, "de") for e in cw.chronicle.events(case_id) if e.get("ref_id") in (m1, m2) and e["date"] == "2026-06-10"]
    assert texts == ["Maßnahme wird nach dem Rechtskreiswechsel fortgeführt (SGB II)"] * 2
    assert h.transitions(D(2026, 6, 11)) == []  # accepted: off the list


def test_handover_returned_with_a_reason_and_sent_again(hw, repo):
    cw, h = hw
    case_id = person(repo, "Bana", today=D(2025, 10, 1))
    _consent(cw, case_id)
    hid = h.plan(case_id, "2026-06-20")
    h.send(hid, "2026-06-02")
    with pytest.raises(ValidationError) as err:
        h.return_(hid, "  ")
    assert "reason" in err.value.errors
    h.return_(hid, "Bescheid fehlt", "2026-06-05")
    back = repo.get("handover", hid)
    assert (back["state"], back["return_reason"]) == ("returned", "Bescheid fehlt")
    assert repo.get("case", case_id)["rechtskreis"] == "AsylbLG"
    assert [t.state for t in h.transitions(D(2026, 6, 6))] == ["returned"]
    with pytest.raises(ValidationError):
        h.accept(hid, "2026-06-06")  # only a sent handover can be accepted
    h.send(hid, "2026-06-08")
    h.accept(hid, "2026-06-09")
    assert repo.get("case", case_id)["rechtskreis"] == "SGB II"


def test_no_handover_without_consent(hw, repo):
    cw, h = hw
    case_id = person(repo, "Dawit", today=D(2025, 10, 1))
    hid = h.plan(case_id, "2026-06-20")
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        h.send(hid, "2026-06-02")
    assert "consent" in err.value.errors
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    with pytest.raises(ValidationError):
        h.plan(case_id, "2026-07-01")  # one open handover per case


@pytest.mark.parametrize("today, listed", [
    (D(2026, 2, 12), False),  # 31 days before the 12 months: not yet
    (D(2026, 2, 13), True),   # 30 days before (the rule's reminder days)
    (D(2026, 3, 15), True),   # the day itself
    (D(2026, 5, 1), True),    # past it, still in the IP
])
def test_twelve_month_list_at_its_boundary(hw, repo, today, listed):
    cw, h = hw
    case_id = person(repo, "Elif", today=D(2025, 3, 15))
    assert repo.get("case", case_id)["opened"] == "2025-03-15"
    rows = h.twelve_months(today)
    assert [r.case_id for r in rows] == ([case_id] if listed else [])
    if listed:
        assert (rows[0].limit, rows[0].planned_exit, rows[0].exit_kind) == (D(2026, 3, 15), D(2026, 3, 15),
                                                                             "twelve_months")


def test_twelve_month_exit_after_the_integration_course(hw, repo):
    cw, h = hw
    case_id = person(repo, "Farid", today=D(2025, 3, 15))
    m = cw.measures.add(case_id, "integrationskurs", status="started", date="2025-05-02")
    repo.save("measure", {"end_date": "2026-01-30"}, m)
    (row,) = h.twelve_months(D(2026, 3, 1))
    assert (row.planned_exit, row.exit_kind) == (D(2026, 1, 30), "after_integration_course")


def test_an_interrupted_integration_course_is_no_exit_on_the_day_it_was_interrupted(hw, repo):
    """Interrupted on 1 October, the course has not ended; resumed on 3 November, it keeps 1 October as its end
    date: the case does not leave the IP on either; without another exit it leaves at 12 months, and after the
    course once it is completed."""
    cw, h = hw
    case_id = person(repo, "Ghazal", today=D(2025, 3, 15))
    m = cw.measures.add(case_id, "integrationskurs", status="started", date="2025-06-02")
    cw.measures.set_status(m, "interrupted", "2025-10-01")
    (row,) = h.twelve_months(D(2026, 3, 1))  # interrupted: the course has not ended
    assert (row.planned_exit, row.exit_kind) == (D(2026, 3, 15), "twelve_months")
    cw.measures.set_status(m, "started", "2025-11-03")
    assert repo.get("measure", m)["end_date"] == "2025-10-01"
    (row,) = h.twelve_months(D(2026, 3, 1))
    assert (row.planned_exit, row.exit_kind) == (D(2026, 3, 15), "twelve_months")
    cw.measures.set_status(m, "completed", "2026-02-20")
    (row,) = h.twelve_months(D(2026, 3, 1))
    assert (row.planned_exit, row.exit_kind) == (D(2026, 2, 20), "after_integration_course")


def test_a_course_cancelled_and_proposed_again_is_no_exit_on_the_day_it_was_cancelled(hw, repo):
    cw, h = hw
    case_id = person(repo, "Hiba", today=D(2025, 3, 15))
    m = cw.measures.add(case_id, "integrationskurs", status="proposed", date="2025-04-01")
    cw.measures.set_status(m, "cancelled", "2025-04-20")
    cw.measures.set_status(m, "proposed", "2025-05-02")
    assert repo.get("measure", m)["end_date"] == "2025-04-20"
    (row,) = h.twelve_months(D(2026, 3, 1))
    assert (row.planned_exit, row.exit_kind) == (D(2026, 3, 15), "twelve_months")
