"""The course service behind the consent gate (app.gated_courses, `Session.courses`): in one case whose
records three agencies made, with the client's consent for KI only, each agency sees on the waiting lists,
in the case's course tab, in the planning table, the transitions and the provider feedback what the other
tabs show it: everything with consent, its own records without, and nothing at all with a role without case
data. A call naming another agency's record is refused in one sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from app.access import AccessDenied
from app.casework import CaseWork
from app.course_service import CourseService
from app.repository import Repository
from app.session import Session
from app.store import Store
from tests.access.own_world import AGENCIES, CONSENTED, build, viewer
from tests.conftest import PASSPHRASE

TODAY = dt.date(2026, 3, 10)
# kind of course -> the agency whose staff put the client on its waiting list
LISTED = {"integrationskurs": "AA", "alphakurs": "SOZ"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path, case_id, household_id, ids = build(tmp_path_factory.mktemp("courses") / "store")
    store = Store.open(path, PASSPHRASE, "anna")
    store.add_member("ki.dolmetsch", PASSPHRASE, "Dolmetscher", "KI", "interpreter")
    store.close()
    entries = {}
    for kind, agency in LISTED.items():
        s = Store.open(path, PASSPHRASE, viewer(agency))
        svc = CourseService(CaseWork(Repository(s)))
        entries[kind] = svc.waitlist.register(case_id, kind, "A1", date="2026-03-06")
        s.close()
    s = Store.open(path, PASSPHRASE, viewer("JC"))  # a measure the Jobcenter proposed: demand in the planning
    CaseWork(Repository(s)).measures.add(case_id, "einstiegskurs", date="2026-03-07")
    s.close()
    s = Store.open(path, PASSPHRASE, viewer(CONSENTED))  # KI records the provider's feedback on the AA's measure
    CourseService(CaseWork(Repository(s))).feedback.record(ids["measure"], "started", "2026-03-08")
    s.close()
    return path, case_id, ids, entries


def _session(path, login):
    session = Session(path)
    session.unlock(PASSPHRASE, login)
    return session


def sees(agency: str, kind: str) -> bool:
    return agency == CONSENTED or LISTED[kind] == agency


@pytest.mark.parametrize("agency", AGENCIES)
def test_each_agency_sees_its_own_course_records_and_no_others_without_consent(world, agency):
    path, case_id, ids, entries = world
    session = _session(path, viewer(agency))
    try:
        svc = session.courses
        shown = {e["catalogue_id"] for e, _place in svc.waitlist.places_of_case(case_id, TODAY)}
        assert shown == {k for k in LISTED if sees(agency, k)}, agency
        assert {e["id"] for e in svc.waitlist.for_case(case_id)} == {entries[k] for k in LISTED if sees(agency, k)}
        # the measures the tab offers for the provider's feedback: the gated ones
        measures = {m["catalogue_id"] for m in svc.casework.measures.for_case(case_id)}
        assert measures == {m["catalogue_id"] for m in session.casework().measures.for_case(case_id)}
        assert ("alphakurs" in measures) == sees(agency, "alphakurs")
        # the county-wide lists: the case's place only where the entry may be seen; the rest is counted
        for kind in LISTED:
            positions, hidden = svc.waitlist.positions_shown(kind, "A1", TODAY)
            assert [p.entry["case_id"] for p in positions] == ([case_id] if sees(agency, kind) else []), kind
            assert hidden == (0 if sees(agency, kind) else 1)
            assert svc.waitlist.positions(kind, "A1", TODAY) == positions
        # the planning table counts what may be seen, and says how much it left out
        rows, left_out = svc.plan_counted(TODAY)
        waiting = {r.kind: r.waiting for r in rows if r.waiting}
        assert waiting == {k: 1 for k in LISTED if sees(agency, k)}, agency
        proposed = {r.kind for r in rows if r.proposed}
        assert proposed == ({"einstiegskurs"} if agency in (CONSENTED, "JC") else set()), agency
        assert left_out == sum(not sees(agency, k) for k in LISTED) + (agency not in (CONSENTED, "JC"))
        assert svc.plan(TODAY) == rows
        # the feedback counts: of the feedback events that may be seen (KI's, in a case without consent)
        assert svc.feedback_counts() == ({"integrationskurs": {"started": 1}} if agency == CONSENTED else {})
        # provider feedback on another agency's measure, or taking its entry off the list: one sentence
        if not sees(agency, "integrationskurs"):
            reason = session.case_access(case_id).reason
            for call in (lambda: svc.feedback.record(ids["measure"], "interrupted", "2026-03-09"),
                         lambda: svc.waitlist.withdraw(entries["integrationskurs"], "2026-03-09")):
                with pytest.raises(AccessDenied) as exc:
                    call()
                assert str(exc.value) == reason
        # the handover and the transition lists read every record of the case: they need the consent
        if agency != CONSENTED:
            with pytest.raises(AccessDenied):
                svc.handovers.for_case(case_id)
            with pytest.raises(AccessDenied):
                svc.handovers.plan(case_id, "2026-04-01")
            assert case_id not in {t.case_id for t in svc.handovers.transitions(TODAY, until=dt.date(2027, 12, 31))}
        else:
            assert svc.handovers.for_case(case_id) == []
    finally:
        session.lock()


def test_a_registration_without_consent_is_the_agency_s_own_and_leaves_other_measures_alone(world):
    path, case_id, ids, _entries = world
    session = _session(path, viewer("ABH"))  # the immigration office: nothing recorded, no consent
    try:
        svc = session.courses
        eid = svc.waitlist.register(case_id, "einstiegskurs", "A1", date="2026-03-09")
        assert [e["id"] for e, _p in svc.waitlist.places_of_case(case_id, TODAY)] == [eid]
        mine = svc.casework.measures.for_case(case_id)
        assert [(m["catalogue_id"], m["status"]) for m in mine] == [("einstiegskurs", "waiting")]
        svc.waitlist.withdraw(eid, "2026-03-09")  # its own entry: it may take it off again
    finally:
        session.lock()
    jc = _session(path, viewer("JC"))
    try:  # the Jobcenter's proposed measure of that kind was not put on "waiting list" by the ABH
        assert [m["status"] for m in jc.casework().measures.for_case(case_id)
                if m["catalogue_id"] == "einstiegskurs"] == ["proposed"]
    finally:
        jc.lock()


def test_a_role_without_case_data_gets_no_course_data_of_a_case(world):
    path, case_id, _ids, entries = world
    session = _session(path, "ki.dolmetsch")
    try:
        svc = session.courses
        for call in (lambda: svc.waitlist.places_of_case(case_id, TODAY),
                     lambda: svc.waitlist.offers_for_case(case_id),
                     lambda: svc.waitlist.register(case_id, "einstiegskurs", "A1"),
                     lambda: svc.handovers.for_case(case_id)):
            with pytest.raises(AccessDenied):
                call()
        assert svc.waitlist.positions_shown("integrationskurs", "A1", TODAY) == ([], 1)
        assert all(r.waiting == 0 and r.proposed == 0 for r in svc.plan(TODAY))
        svc.courses.rows()  # the course catalogue is no client data
        assert svc.feedback_counts() == {}
        with pytest.raises(AccessDenied):  # the allocation run mixes every case: the central office's, at the hub
            svc.allocate(TODAY)
    finally:
        session.lock()


def test_a_withdrawal_hides_the_lists_at_once(world):
    """The county-wide lists keep what may be seen until the store changes: a withdrawal takes effect at once."""
    path, case_id, _ids, entries = world
    session = _session(path, viewer(CONSENTED))
    try:
        svc = session.courses
        assert svc.waitlist.positions_shown("alphakurs", "A1", TODAY)[1] == 0
        assert svc.feedback_counts() == {"integrationskurs": {"started": 1}}
        session.casework().consent.withdraw(case_id, CONSENTED, "2026-03-11")
        assert svc.waitlist.positions_shown("alphakurs", "A1", TODAY) == ([], 1)
        assert svc.feedback_counts() == {"integrationskurs": {"started": 1}}  # KI recorded the feedback itself
        assert sum(r.waiting for r in svc.plan(TODAY)) == 0
        session.casework().consent.record(case_id, CONSENTED, "given", "2026-03-12")
        assert [p.entry["id"] for p in svc.waitlist.positions("alphakurs", "A1", TODAY)] == [entries["alphakurs"]]
    finally:
        session.lock()
