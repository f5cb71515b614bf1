"""A store with one staff member per role and agency, and three cases opened by the Jobcenter's intake
whose clients gave, refused, and gave then withdrew the consent for every agency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.casework import CaseWork
from app.households import save_household
from app.repository import Repository
from app.roles import ROLE_CODES, STAFF_AGENCIES
from app.store import Store
from tests.app.family_o import INTAKE
from tests.conftest import PASSPHRASE

HEALTH = "Rückenschmerzen, kann nicht schwer heben"
NOTE = "Möchte als Maler arbeiten"
STATES = ("given", "refused", "withdrawn")
SOCIAL = {"appeared": "on_time", "available_for_work": True, "health_notes": HEALTH}
OPENER = "jc.intake"  # the staff member of the Jobcenter who registered the three cases and recorded all in them
OPENER_AGENCY = "JC"


def login(agency: str, role: str) -> str:
    return f"{agency.lower()}.{role}"


@dataclass
class World:
    path: object
    cases: dict[str, tuple[str, str]]  # consent state -> (case id, case number)


def build(path) -> World:
    store, _recovery = Store.create(path, PASSPHRASE, login="anna", name="Anna Admin")
    for agency in STAFF_AGENCIES:
        for role in ROLE_CODES:
            store.add_member(login(agency, role), PASSPHRASE, f"{role} {agency}", agency, role)
    store.close()
    opener = Store.open(path, PASSPHRASE, OPENER)
    repo = Repository(opener)
    cw = CaseWork(repo)
    cases = {}
    for i, state in enumerate(STATES):
        res = save_household(repo, {"office": "AHL"}, [
            {"relation": "head", "family_name": ("Haddad", "Yilmaz", "Nouri")[i], "given_names": "Karim", "birth_date": "1985-03-14",
             "sex": "m", "case": {"rechtskreis": "AsylbLG"}}], today=dt.date(2026, 3, 1))
        assert res.ok, res.errors
        case_id = res.case_ids[0]
        cw.save_intake(case_id, INTAKE, "2026-03-02")
        cw.profiling.save_social(case_id, SOCIAL, "2026-03-02")
        cw.chronicle.add_note(case_id, NOTE, "2026-03-02")
        cw.appointments.plan(case_id, (dt.date.today() + dt.timedelta(days=7 + i)).isoformat() + "T10:00", "Profiling II")
        first = "refused" if state == "refused" else "given"
        cw.consent.record_declaration(case_id, {"aa": first, "jc": first, "soz": first, "abh": first, "ki": first,
                                                "signed_on": "2026-03-02"})
        if state == "withdrawn":
            for agency in STAFF_AGENCIES:
                cw.consent.withdraw(case_id, agency, "2026-03-10")
        cases[state] = (case_id, repo.get("case", case_id)["case_number"])
    opener.close()
    return World(path, cases)
