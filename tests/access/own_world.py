"""A store with one case whose records three agencies made (the Jobcenter, the employment agency, the social
office), the client's consent given only to the municipal integration centre (KI): for tests of the
consent gate per record (tests/access/test_own_records.py, tests/ui/test_case_view_own_records.py)."""

from __future__ import annotations

import datetime as dt

from app.casework import CaseWork
from app.households import save_household
from app.repository import Repository
from app.store import Store
from tests.app.family_o import INTAKE
from tests.conftest import PASSPHRASE

HEALTH = "Asthma, braucht Pausen"
AGENCIES = ("AA", "JC", "SOZ", "ABH", "KI")
CONSENTED = "KI"  # the client consented to pass data to the municipal integration centre only


def viewer(agency: str) -> str:
    return f"{agency.lower()}.pap"  # a role with case data and health, of each agency


# kind of record -> the agency whose staff recorded it
RECORDS = {
    "intake": "JC", "jc_note": "JC",
    "aa_note": "AA", "measure": "AA", "aa_resource": "AA", "will": "AA",
    "social": "SOZ", "soz_resource": "SOZ", "flag": "SOZ",
}


def visible(agency: str, record: str) -> bool:
    return agency == CONSENTED or RECORDS[record] == agency


def build(path):
    """(path, case id, household id, {kind of record: its id})"""
    store, _recovery = Store.create(path, PASSPHRASE, login="anna", name="Anna Admin")
    for agency in AGENCIES:
        store.add_member(viewer(agency), PASSPHRASE, f"PAP {agency}", agency, "pap")
    for login, agency, role in (("jc.intake", "JC", "intake"), ("aa.ifk", "AA", "ifk"), ("soz.saf", "SOZ", "saf")):
        store.add_member(login, PASSPHRASE, login, agency, role)
    store.close()

    def as_staff(login):
        s = Store.open(path, PASSPHRASE, login)
        return s, CaseWork(Repository(s))

    s, cw = as_staff("jc.intake")  # the Jobcenter registers the case, takes the intake and a note
    res = save_household(cw.repo, {"office": "AHL"}, [
        {"relation": "head", "family_name": "Nouri", "given_names": "Samir", "birth_date": "1980-01-01",
         "sex": "m", "case": {"rechtskreis": "SGB II"}}], today=dt.date(2026, 3, 1))
    assert res.ok, res.errors
    case_id, household_id = res.case_ids[0], res.household_id
    ids = {"intake": cw.save_intake(case_id, INTAKE, "2026-03-02"),
           "jc_note": cw.chronicle.add_note(case_id, "Notiz des Jobcenters", "2026-03-02")}
    for agency in AGENCIES:
        cw.consent.record(case_id, agency, "given" if agency == CONSENTED else "refused", "2026-03-02")
    s.close()
    s, cw = as_staff("aa.ifk")  # the employment agency: a note, a measure, a resource, the client's will
    ids["aa_note"] = cw.chronicle.add_note(case_id, "Notiz der Arbeitsagentur", "2026-03-03")
    ids["measure"] = cw.measures.add(case_id, "integrationskurs", date="2026-03-03")
    ids["aa_resource"] = cw.resources.add(case_id, "persoenlich", "Führerschein Klasse B", date="2026-03-03")
    ids["will"] = cw.goals.add(case_id, "wille", "Als Elektriker arbeiten", date="2026-03-03")
    s.close()
    s, cw = as_staff("soz.saf")  # the social office: Profiling I with a health answer, a resource, a flag
    ids["social"] = cw.profiling.save_social(case_id, {"appeared": "on_time", "available_for_work": True,
                                                              "health_notes": HEALTH},
                                             "2026-03-04")
    ids["soz_resource"] = cw.resources.add(case_id, "sozial", "Bruder in Ahlen", date="2026-03-04")
    ids["flag"] = cw.chronicle.set_flag(case_id, "vulnerable", "2026-03-04")
    s.close()
    s, cw = as_staff(viewer(CONSENTED))  # a later change by another agency does not make the record its own
    cw.measures.set_status(ids["measure"], "registered", "2026-03-05")
    cw.resources.update(ids["soz_resource"], "Bruder und Schwägerin in Ahlen")
    s.close()
    return path, case_id, household_id, ids
