"""For every role and agency, with the client's consent given, refused and withdrawn: what the case view
(the decision and the services its tabs use), print and export show or refuse; at level `own` the profiling
summary, resource map and seat offer print the agency's own records with a sentence why, the handover sheet
and the Art. 15 copy are refused. Everything in the three
cases was recorded by the Jobcenter's intake, so without consent the Jobcenter still sees the cases in full
(every record is its own) and the other agencies see only the booking (none of the records is theirs);
tests/access/test_own_records.py mixes the records of several agencies in one case."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from app.access import AccessDenied
from app.audit import entries
from app.gated import BOOKING_ANSWERS
from app.roles import ROLE_CODES, STAFF_AGENCIES, default_table
from app.session import Session
from tests.access import world as W
from tests.conftest import PASSPHRASE

TABLE = default_table()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return W.build(tmp_path_factory.mktemp("access") / "store")


def expected(agency: str, role: str, state: str) -> str:
    r = TABLE.role(role)
    if not r.may("case_data"):
        return "booking" if r.may("appointments") else "none"
    # every record of the world is the Jobcenter's: its staff see the cases in full, there is nothing to hide
    return "full" if state == "given" or agency == W.OPENER_AGENCY else "own"


def sees_records(agency: str, want: str) -> bool:
    """Whether the records of the world (all the Jobcenter's) are shown."""
    return want == "full"


def pdf_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def outcome(fn, *args):
    try:
        return fn(*args)
    except AccessDenied as exc:
        assert str(exc) and "\n" not in str(exc)  # one sentence for the user
        return AccessDenied


@pytest.mark.parametrize("agency", STAFF_AGENCIES)
@pytest.mark.parametrize("role", ROLE_CODES)
def test_what_each_role_and_agency_sees(world, agency, role):
    session = Session(world.path)
    session.unlock(PASSPHRASE, W.login(agency, role))
    try:
        for state, (case_id, number) in world.cases.items():
            want = expected(agency, role, state)
            shown = sees_records(agency, want)
            health = shown and TABLE.role(role).may("health")
            where = f"{agency}/{role}/{state}"
            d = session.case_access(case_id)
            assert d.level == want, where
            assert bool(d.reason) == (want != "full"), where
            if want == "booking" and TABLE.role(role).may("case_data"):
                assert ("10.03.2026" in d.reason) == (state == "withdrawn"), d.reason
            cw = session.casework()
            intake = outcome(cw.responses.latest_answers, case_id, "intake")
            social = outcome(cw.responses.latest_answers, case_id, "profiling_social")
            events = outcome(cw.chronicle.events, case_id)
            measures = outcome(cw.measures.for_case, case_id)
            appointments = outcome(cw.appointments.for_case, case_id)
            if shown:
                assert intake["country_of_origin"] == "iraq", where
                assert ("health_notes" in social) == health, where
                assert any(e.get("text") == W.NOTE for e in events) and measures == [], where
            elif want == "own":  # nothing the agency recorded: the lists are empty, the intake a booking's
                assert events == [] and measures == [] and social == {}, where
            else:
                assert events is AccessDenied and measures is AccessDenied and social is AccessDenied, where
            if want in ("booking", "own"):  # what a booking needs: the interpreter language and the appointments
                assert intake["interpreter_language"] == "Arabic", where
                assert set(intake) <= BOOKING_ANSWERS or shown, where
                assert [a["purpose"] for a in appointments] == ["Profiling II"], where
            if want == "none":
                assert intake is AccessDenied and appointments is AccessDenied, where
            # print and export
            profiling = outcome(session.render_document, "profiling", number, "de")
            resources = outcome(session.render_document, "resources", number, "de")
            slip = outcome(session.render_document, "slip", number, "ar")
            offer = outcome(session.render_document, "offer", number, "ti")  # course data: gated like profiling
            handover = outcome(session.render_document, "handover", number, "de")
            assert (offer is AccessDenied) == (profiling is AccessDenied) == (resources is AccessDenied), where
            export = outcome(session.render_document, "export", number, "de")
            prints = TABLE.role(role).may("print")
            if want in ("full", "own") and prints:  # at `own`: the agency's own records, and why no more
                text = pdf_text(profiling).replace("\r\n", " ").replace("\n", " ")
                assert (W.HEALTH in text) == health, where
                withheld = "Gezeigt wird nur, was" in text
                assert withheld == (want == "own"), where
                # none of the world's records is the agency's own at `own`: no profiling to show
                assert ("Es wurde noch kein Profiling erfasst." in text) == (want == "own"), where
                assert ("Gezeigt wird nur, was" in pdf_text(resources)) == withheld, where
            else:
                assert profiling is AccessDenied, where
            # the handover sheet passes the whole case on, the Art. 15 copy must be complete: both need it in full
            assert (handover is not AccessDenied) == (want == "full" and prints), where
            assert (export is not AccessDenied) == (want == "full" and TABLE.role(role).may("export")), where
            assert (slip is not AccessDenied) == (want != "none"), where
        # every view, print and refusal is in the trail, under this staff member's role and agency
        mine = [e for e in entries(session._repo.conn) if e["staff_id"] == session._repo.staff_id]
        assert {(e["role"], e["agency"]) for e in mine} == {(role, agency)}
        assert {e["action"] for e in mine} >= {"view", "print:profiling", "print:slip", "print:export"}
        assert any(e["outcome"] == "refused" for e in mine) == (expected(agency, role, "refused") != "full"
                                                                or not TABLE.role(role).may("export"))
    finally:
        session.lock()


def test_a_save_without_the_health_permission_keeps_the_stored_health_answer(world):
    case_id, _number = world.cases["given"]
    session = Session(world.path)
    session.unlock(PASSPHRASE, W.login("AA", "ifk"))  # may see the case, not health
    try:
        cw = session.casework()
        rid = cw.responses.latest(case_id, "profiling_social")["id"]
        cw.profiling.save_social(case_id, {**W.SOCIAL, "health_notes": "überschrieben", "wants_work": True},
                                 response_id=rid)
    finally:
        session.lock()
    session.unlock(PASSPHRASE, W.login("SOZ", "saf"))
    try:
        answers = session.casework().responses.answers(rid)
        assert answers["health_notes"] == W.HEALTH and answers["wants_work"] is True
    finally:
        session.lock()
