"""Placements: proposed to the client first, sent only with consent for that employer, outcomes on the chronicle."""

import pytest

from app.casework import CaseWork
from app.checks import ValidationError
from app.employers import Employers
from app.matching import placement_reason
from app.statistics import statistics
from tests.app.employer_kit import TODAY, client, employer_with_offer


@pytest.fixture
def cw(repo):
    repo.today = TODAY
    return CaseWork(repo)


@pytest.fixture
def emp(cw):
    return Employers(cw.repo, cw.rules, cw.chronicle, cw.consent)


def kinds(cw, case):
    return [e["kind"] for e in cw.chronicle.events(case)]


def test_nothing_leaves_without_acceptance_and_consent_for_that_employer(cw, emp):
    case = client(cw, "BEC")
    eid, offer = employer_with_offer(emp)
    other = emp.save_employer({"name": "Andere GmbH", "town": "AHL"})
    pid = emp.propose(case, offer, date="2026-06-01", today=TODAY)
    assert emp.placement(pid)["status"] == "proposed"
    assert "7 Jahre Berufserfahrung: Maler" in placement_reason(emp.placement(pid), "de")
    with pytest.raises(ValidationError) as exc:  # the client has not answered yet
        emp.send(pid, date="2026-06-02")
    assert "status" in exc.value.errors
    emp.answer(pid, True, date="2026-06-02")
    emp.record_employer_consent(case, other, date="2026-06-02")  # consent for another employer does not count
    changes = cw.repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(ValidationError) as exc:
        emp.send(pid, date="2026-06-02")
    assert "nichts gesendet" in exc.value.errors["consent"]
    assert cw.repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == changes  # nothing recorded
    assert emp.placement(pid)["sent_on"] is None
    consent = emp.record_employer_consent(case, eid, date="2026-06-02")
    package = emp.send(pid, fields=("name", "german", "experience"), date="2026-06-03")
    assert set(package) == {"name", "german", "experience"} and package["german"] == "B1"
    row = emp.placement(pid)
    assert row["status"] == "sent" and row["sent_on"] == "2026-06-03" and row["consent_id"] == consent
    assert row["sent_fields"] == ["name", "german", "experience"]


def test_withdrawn_consent_blocks_sending(cw, emp):
    case = client(cw, "BEC")
    eid, offer = employer_with_offer(emp)
    pid = emp.propose(case, offer, date="2026-06-01", today=TODAY)
    emp.answer(pid, True, date="2026-06-01")
    emp.record_employer_consent(case, eid, date="2026-06-01")
    cw.consent.withdraw(case, "EMPLOYER", date="2026-06-02", provider_name="Malerbetrieb Sonnenschein")
    with pytest.raises(ValidationError):
        emp.send(pid, date="2026-06-03")


def test_an_ineligible_client_is_not_proposed(cw, emp):
    case = client(cw, "BEC", german="A2")
    _e, offer = employer_with_offer(emp)
    with pytest.raises(ValidationError) as exc:
        emp.propose(case, offer, date="2026-06-01", today=TODAY)
    assert "B1 Deutsch fehlt, A2 vorhanden" in exc.value.errors["offer_id"]
    assert emp.placements(case) == []


def test_outcomes_are_events_on_the_case_and_counted(cw, emp):
    case = client(cw, "BEC")
    eid, offer = employer_with_offer(emp)
    pid = emp.propose(case, offer, date="2026-06-01", today=TODAY)
    emp.answer(pid, True, date="2026-06-01")
    emp.record_employer_consent(case, eid, date="2026-06-01")
    emp.send(pid, date="2026-06-02")
    with pytest.raises(ValidationError):  # not hired yet
        emp.outcome(pid, "started", date="2026-06-03")
    emp.outcome(pid, "invited", date="2026-06-05")
    emp.outcome(pid, "hired", date="2026-06-10", notes="Probezeit 6 Monate")
    emp.outcome(pid, "started", date="2026-07-01")
    assert kinds(cw, case).count("placement") == 6  # proposed, accepted, sent, invited, hired, started
    assert "work_start" in kinds(cw, case)
    assert emp.counts() == {"started": 1}
    assert emp.offer(offer)["status"] == "filled"  # its one place is taken
    assert statistics(cw.repo.conn, "2026")["transitions"] == {"work_start": 1}
