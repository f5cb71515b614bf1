"""Clients, employers and offers for the employer-service tests, written through the services."""

from __future__ import annotations

import datetime as dt

from app.casework import CaseWork
from app.employers import Employers
from app.households import save_household

TODAY = dt.date(2026, 6, 1)


def client(cw: CaseWork, office: str, *, family: str = "Beispiel", german: str | None = "B1",
           licence: str = "valid_de", status: str = "erlaubnis", entry: str = "2024-03-01",
           experience: list[tuple[str, int, bool]] = (("Maler", 7, True),), wish: str = "work",
           wish_occupation: str | None = None, consent_aa: bool = True, sex: str = "m",
           birth: str = "1990-05-01", nationality: str = "SY") -> str:
    """A client with a case in `office`, intake, consent and a Profiling II; returns the case id."""
    res = save_household(cw.repo, {"office": office}, [{
        "relation": "head", "family_name": family, "given_names": "Test", "birth_date": birth, "sex": sex,
        "nationality": nationality, "case": {"rechtskreis": "SGB II"}}], today=TODAY)
    assert res.ok, res.errors
    case_id = cw.repo.find("case", household_id=res.household_id)[0]["id"]
    intake = {"country_of_origin": "syria", "mother_tongue": "Arabic", "interpreter_needed": False,
              "residence_status": status, "entry_date": entry, "accommodation": "own_flat", "household_size": 1,
              "referred_by": "sozialamt"}
    if status == "erlaubnis":
        intake["permit_paragraph"] = "§ 25 Abs. 2 AufenthG"
    cw.save_intake(case_id, intake, date="2026-01-10")
    cw.consent.record_declaration(case_id, {"aa": "given" if consent_aa else "refused", "jc": "given",
                                            "soz": "given", "signed_on": "2026-01-10"})
    langs = [{"language": "Arabisch", "level": "native"}]
    if german:
        langs.append({"language": "Deutsch", "level": german})
    answers = {"languages": langs, "literate": "latin", "school_years": 10, "wish": wish,
               "driving_licence": licence,
               "work_experience": [{"occupation": o, "years": y, "country": "Syrien", "proof": p}
                                   for o, y, p in experience]}
    if wish_occupation:
        answers["wish_occupation"] = wish_occupation
    cw.profiling.save_work(case_id, answers, date="2026-02-01", form_id="profiling_ue25")
    return case_id


def employer_with_offer(emp: Employers, **offer) -> tuple[str, str]:
    eid = emp.save_employer({"name": offer.pop("employer", "Malerbetrieb Sonnenschein"), "town": "BEC",
                             "sector": "Handwerk", "contact_person": "Frau Meier"})
    values = {"employer_id": eid, "kind": "job", "title": "Maler/in (Helfer)", "occupation": "33212",
              "german_level": "B1", "driving_licence": "B", "work_permit_needed": True, "hours": 38,
              "start_date": "2026-07-01", "town": "BEC", "max_travel_minutes": 45, "places": 1}
    values.update(offer)
    return eid, emp.save_offer(values)
