"""The employer service behind the role and consent check (app.gated_employers, Session.employer_service):
who sees which candidates, who may place a client and send a profile; drill-down and small counts by role."""

from __future__ import annotations

import pytest

from app.access import AccessDenied
from app.casework import CaseWork
from app.checks import ValidationError
from app.employers import Employers
from app.session import Session
from tests.app.employer_kit import TODAY, client, employer_with_offer
from tests.conftest import PASSPHRASE

STAFF = (("aa.ifk", "AA", "ifk"), ("aa.intake", "AA", "intake"), ("ki.dolmetsch", "KI", "interpreter"),
         ("ki.dsb", "KI", "dpo"))


@pytest.fixture
def world(store, repo):
    repo.today = TODAY
    cw = CaseWork(repo)
    emp = Employers(cw.repo, cw.rules, cw.chronicle, cw.consent)
    consented = client(cw, "BEC", family="Eins")
    refused = client(cw, "BEC", family="Zwei", consent_aa=False)  # not for the employment agency
    eid, offer = employer_with_offer(emp)
    for login, agency, role in STAFF:
        store.add_member(login, PASSPHRASE, login, agency, role)
    return store.path, consented, refused, eid, offer


def unlock(path, login) -> Session:
    s = Session(path)
    s.unlock(PASSPHRASE, login)
    return s


def test_employment_agency_sees_its_consented_candidates_and_places_them(world):
    path, consented, refused, eid, offer = world
    with unlock(path, "aa.ifk") as s:
        svc = s.employer_service
        found = svc.candidates(offer, today=TODAY)
        assert [m.case_id for m in found.shown] == [consented] and found.hidden == 1
        with pytest.raises(AccessDenied):  # the other client never consented to the employment agency
            svc.offers_for_case(refused, today=TODAY)
        pid = svc.propose(consented, offer, date="2026-06-01", today=TODAY)
        svc.answer(pid, True, date="2026-06-02")
        with pytest.raises(ValidationError):  # no consent for this employer yet: nothing sent
            svc.send(pid, date="2026-06-02")
        assert svc.placements(consented)[0]["status"] == "accepted"
        svc.record_employer_consent(consented, eid, date="2026-06-02")
        package = svc.send(pid, date="2026-06-03")
        assert package["german"] == "B1" and package["name"] == "Test Eins"
        svc.outcome(pid, "invited", date="2026-06-10")
        assert [p["status"] for p in svc.placements(offer_id=offer)] == ["invited"]
        assert s.may_see_cases() and not s.sees_small_counts()


def test_sending_needs_the_permission_to_pass_data_on(world):
    path, consented, _refused, eid, offer = world
    with unlock(path, "aa.intake") as s:  # intake: case data, but passes nothing on
        svc = s.employer_service
        pid = svc.propose(consented, offer, date="2026-06-01", today=TODAY)
        svc.answer(pid, True, date="2026-06-02")
        svc.record_employer_consent(consented, eid, date="2026-06-02")
        with pytest.raises(AccessDenied):
            svc.send(pid, date="2026-06-03")
        assert svc.placements(consented)[0]["status"] == "accepted"  # nothing recorded


@pytest.mark.parametrize("login", ["ki.dolmetsch", "ki.dsb"])
def test_roles_without_case_data_see_employers_but_no_candidates(world, login):
    path, consented, _refused, _eid, offer = world
    with unlock(path, login) as s:
        svc = s.employer_service
        assert [e["name"] for e in svc.employers()] == ["Malerbetrieb Sonnenschein"]
        assert not svc.may_edit() and not svc.may_match()
        with pytest.raises(AccessDenied):
            svc.candidates(offer, today=TODAY)
        with pytest.raises(AccessDenied):
            svc.save_employer({"name": "Neu", "town": "AHL"})
        with pytest.raises(AccessDenied):
            svc.propose(consented, offer, date="2026-06-01", today=TODAY)
        assert svc.placements(offer_id=offer) == []
        assert not s.may_see_cases()
        assert s.sees_small_counts() == (login == "ki.dsb")
