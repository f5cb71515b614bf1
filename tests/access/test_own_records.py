""""Or X recorded the data itself" holds per record: in one case without consent, staff of each agency see
the records their own agency made (a chronicle note, a measure, a resource entry, a goal, a questionnaire)
and none of the others'; the agency with consent sees all. A table-driven test over every kind of record."""

from __future__ import annotations

import datetime as dt

import pytest

from app.access import AccessDenied
from app.casework import CaseWork
from app.checks import ValidationError
from app.households import save_household
from app.repository import Repository
from app.session import Session
from app.store import Store
from tests.access.own_world import AGENCIES, CONSENTED, HEALTH, RECORDS, build, viewer, visible
from tests.app.family_o import INTAKE
from tests.conftest import PASSPHRASE

@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build(tmp_path_factory.mktemp("own") / "store")


def _session(path, agency):
    session = Session(path)
    session.unlock(PASSPHRASE, viewer(agency))
    return session


@pytest.mark.parametrize("agency", AGENCIES)
def test_each_agency_sees_the_records_it_made_and_no_others_without_consent(world, agency):
    path, case_id, household_id, ids = world
    session = _session(path, agency)
    try:
        d = session.case_access(case_id)
        assert d.level == ("full" if agency == CONSENTED else "own")
        assert bool(d.reason) == (agency != CONSENTED)
        cw = session.casework()
        event_ids = {e["id"] for e in cw.chronicle.events(case_id)}
        household_event_ids = {e["id"] for e in cw.chronicle.household_events(household_id)}
        resource_ids = {e["id"] for rows in cw.resources.by_quadrant(case_id).values() for e in rows}
        shown = {
            "intake": any(r["id"] == ids["intake"] for r in cw.responses.for_case(case_id)),
            "jc_note": ids["jc_note"] in event_ids and ids["jc_note"] in household_event_ids,
            "aa_note": ids["aa_note"] in event_ids and ids["aa_note"] in household_event_ids,
            "measure": [m["id"] for m in cw.measures.for_case(case_id)] == [ids["measure"]],
            "aa_resource": ids["aa_resource"] in resource_ids
            and ids["aa_resource"] in {e["id"] for e in cw.resources.entries(case_id)},
            "will": (cw.goals.current(case_id, "wille") or {}).get("id") == ids["will"],
            "social": (cw.responses.latest(case_id, "profiling_social") or {}).get("id") == ids["social"],
            "soz_resource": ids["soz_resource"] in resource_ids,
            "flag": cw.chronicle.flags(case_id) == ["vulnerable"],
        }
        assert shown == {record: visible(agency, record) for record in RECORDS}, agency
        # what is left out is left out everywhere: lists of the other kind are empty, not refused
        if not visible(agency, "measure"):
            assert cw.measures.for_case(case_id) == [] and cw.goals.all(case_id) == []
        intake = cw.responses.latest_answers(case_id, "intake")
        assert intake["interpreter_language"] == "Arabic"  # a booking needs it, whoever recorded it
        assert ("country_of_origin" in intake) == visible(agency, "intake")
        social = cw.responses.latest_answers(case_id, "profiling_social")
        assert (social.get("health_notes") == HEALTH) == visible(agency, "social")
        # a record of another agency named by its id is refused, in one sentence
        for service, call, record in (("responses", lambda: cw.responses.get(ids["social"]), "social"),
                                      ("measures", lambda: cw.measures.set_status(ids["measure"], "registered",
                                                                                 "2026-03-05"), "measure")):
            if not visible(agency, record):
                with pytest.raises(AccessDenied) as exc:
                    call()
                assert str(exc.value) == d.reason, service
        if agency != CONSENTED:  # what mixes every record of the case needs the consent
            for mixed in (lambda: cw.facts(case_id), lambda: cw.hints(case_id),
                          lambda: cw.conferences.hold(case_id, date="2026-03-06", agencies=[agency], focus="x")):
                with pytest.raises(AccessDenied):
                    mixed()
    finally:
        session.lock()


def _pdf_text(pdf: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    return " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))).replace("\r\n", " ").replace(
        "\n", " ")


@pytest.mark.parametrize("agency", AGENCIES)
def test_each_agency_prints_the_records_it_made_with_a_sentence_why_not_more(world, agency):
    """Documents at `own`: the profiling summary and the resource map print the agency's own records and say
    why the rest is missing; the handover sheet and the Art. 15 copy need the consent (they pass on, or must
    show, the whole case)."""
    path, case_id, _household_id, _ids = world
    session = _session(path, agency)
    try:
        number = session.case_rows()[0].case_number
        profiling = _pdf_text(session.render_document("profiling", number, "de"))
        resources = _pdf_text(session.render_document("resources", number, "de"))
        withheld = agency != CONSENTED
        assert ("Gezeigt wird nur, was" in profiling) == withheld == ("Gezeigt wird nur, was" in resources)
        assert (HEALTH in profiling) == visible(agency, "social"), agency  # the social office's Profiling I
        assert ("Als Elektriker arbeiten" in profiling) == visible(agency, "will"), agency
        assert ("Führerschein Klasse B" in resources) == visible(agency, "aa_resource"), agency
        assert ("Bruder und Schwägerin" in resources) == visible(agency, "soz_resource"), agency
        for document in ("handover", "export"):
            if withheld:
                with pytest.raises(AccessDenied):
                    session.render_document(document, number, "de")
            else:
                assert session.render_document(document, number, "de")[:4] == b"%PDF"
        from app.audit import entries

        printed = [e["outcome"] for e in entries(session._repo.conn, number)
                   if e["action"] == "print:profiling" and e["staff_id"] == session._repo.staff_id]
        assert printed and set(printed) == {"restricted" if withheld else "ok"}
    finally:
        session.lock()


def test_a_record_added_without_consent_is_the_agency_s_own_and_others_stay_out(world):
    path, case_id, _household_id, ids = world
    session = _session(path, "ABH")  # the immigration office: consent refused, nothing recorded yet
    try:
        cw = session.casework()
        assert cw.chronicle.events(case_id) == []
        note = cw.chronicle.add_note(case_id, "Vorsprache bei der ABH", "2026-03-06")
        rid = cw.save_intake(case_id, {**INTAKE, "country_of_origin": "syria"}, "2026-03-06")
        events = cw.chronicle.events(case_id)
        assert [e["id"] for e in events][0] == note and [e["ref_id"] for e in events][1:] == [rid]  # the intake's line
        assert cw.responses.latest_answers(case_id, "intake")["country_of_origin"] == "syria"  # its own intake
        with pytest.raises(AccessDenied):  # the Jobcenter's intake cannot be edited (nor read) by it
            cw.save_intake(case_id, INTAKE, "2026-03-06", response_id=ids["intake"])
        with pytest.raises(ValidationError):  # a flag another agency set reads as not set
            cw.chronicle.clear_flag(case_id, "vulnerable", "2026-03-06")
    finally:
        session.lock()
    session = _session(path, "AA")
    try:
        cw = session.casework()
        assert note not in {e["id"] for e in cw.chronicle.events(case_id)}
        assert rid not in {r["id"] for r in cw.responses.for_case(case_id)}
    finally:
        session.lock()
    session = _session(path, CONSENTED)
    try:
        assert note in {e["id"] for e in session.casework().chronicle.events(case_id)}
    finally:
        session.lock()


def test_a_case_whose_records_are_all_the_agency_s_own_is_shown_in_full_until_another_agency_adds_one(world):
    path = world[0]
    s = Store.open(path, PASSPHRASE, "aa.ifk")  # no consent recorded at all
    cw = CaseWork(Repository(s))
    res = save_household(cw.repo, {"office": "AHL"}, [
        {"relation": "head", "family_name": "Rahimi", "given_names": "Farid", "birth_date": "1990-05-05",
         "sex": "m", "case": {"rechtskreis": "SGB III"}}], today=dt.date(2026, 3, 1))
    case_id = res.case_ids[0]
    cw.measures.add(case_id, "integrationskurs", date="2026-03-03")
    number = cw.repo.get("case", case_id)["case_number"]
    s.close()
    session = _session(path, "AA")
    try:
        assert session.case_access(case_id).level == "full"  # nothing of another agency to hide
        assert isinstance(session.casework().hints(case_id), list)
        assert session.render_document("profiling", number, "de")[:4] == b"%PDF"
    finally:
        session.lock()
    s = Store.open(path, PASSPHRASE, "jc.intake")
    note = CaseWork(Repository(s)).chronicle.add_note(case_id, "Vorsprache beim Jobcenter", "2026-03-04")
    s.close()
    session = _session(path, "AA")
    try:
        d = session.case_access(case_id)
        assert d.level == "own" and "was Ihre Stelle selbst erfasst hat" in d.reason and "Agentur für Arbeit (AA)" in d.reason
        assert note not in {e["id"] for e in session.casework().chronicle.events(case_id)}
        assert len(session.casework().measures.for_case(case_id)) == 1
    finally:
        session.lock()


@pytest.mark.parametrize("agency", AGENCIES)
def test_the_level_of_every_case_at_once_is_what_each_decision_says(world, agency):
    session = _session(world[0], agency)
    try:
        levels = session.access.levels()  # what the due list filters by
        assert levels and {c: session.access.decide(c).level for c in levels} == levels
    finally:
        session.lock()
