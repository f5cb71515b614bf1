"""A sample case for document tests, benchmarks and print previews (fictitious data).

`make_case(repo, events=N)` writes the reference family O. from Iraq (DOMAIN.md)
through the repository: a household, the client with an Arabic original
name, consents (AA, JC, Sozialamt given; Ausländerbehörde refused), an Ü25
profiling, resource map entries in all four fields, measures, N chronicle
events and a planned appointment. Returns the case number.
"""

from __future__ import annotations

import datetime as dt

from ..households import save_household
from ..responses import answer_id


def make_case(repo, events: int = 12, today: dt.date | None = None) -> str:
    today = today or dt.date(2026, 3, 14)
    judged, repo.today = repo.today, today  # the input checks judge dates by the sample's day
    try:
        return _make_case(repo, events, today)
    finally:
        repo.today = judged


def _make_case(repo, events: int, today: dt.date) -> str:
    result = save_household(repo, {"office": "BEC", "address": "Lindenstraße 4, 59269 Beckum",
                                   "accommodation": "Übergangswohnheim", "arrival_date": "2025-11-02"}, [
        {"relation": "head", "family_name": "Al-Hassan", "given_names": "Mohammed",
         "family_name_orig": "الحسن", "given_names_orig": "محمد", "birth_date": "1988-04-05", "sex": "m",
         "country_of_origin": "IQ", "nationality": "IQ", "interpreter_language": "ar",
         "languages": [{"code": "ar", "level": "native"}, {"code": "de", "level": "A2"}],
         "case": {"rechtskreis": "SGB II", "status": "active"}},
        {"relation": "spouse", "family_name": "Al-Hassan", "given_names": "Amira", "birth_date": "1991",
         "sex": "f", "case": {"rechtskreis": "SGB II", "status": "active"}},
        {"relation": "child", "family_name": "Al-Hassan", "given_names": "Yusuf", "birth_date": "2019-07"},
    ], today=today)
    case_id = result.case_ids[0]
    case = repo.get("case", case_id)
    hh = case["household_id"]
    base = {"household_id": hh, "case_id": case_id}
    with repo.transaction():
        for agency, state in (("AA", "given"), ("JC", "given"), ("SOZ", "given"), ("ABH", "refused")):
            repo.save("consent", {**base, "agency": agency, "state": state, "date": "2026-03-02",
                                  "form_id": "consent", "form_version": 1, "recorded_by": repo.staff_id})
        rid = repo.save("form_response", {**base, "form_id": "profiling_ue25", "form_version": 1,
                                          "date": "2026-03-02", "recorded_by": repo.staff_id, "completed": True})
        answers = {
            "languages": [{"language": "Arabic", "level": "native"}, {"language": "German", "level": "A2"}],
            "school_years": 12,
            "work_experience": [{"occupation": "Maler und Lackierer", "years": 7, "country": "Irak", "proof": False}],
        }
        for key, value in answers.items():
            repo.save("answer", {"household_id": hh, "response_id": rid, "key": key, "value": value},
                      answer_id(rid, key))
        for quadrant, text in (("persoenlich", "pünktlich, gesund, hohe Bleibeperspektive"),
                               ("sozial", "Familie vor Ort, Kontakt zur Moscheegemeinde Beckum"),
                               ("materiell", "Gesundheitskarte, Sozialticket"),
                               ("infrastrukturell", "Kita-Platz für Yusuf gesucht, Bus nach Ahlen")):
            repo.save("resource_entry", {**base, "quadrant": quadrant, "text": text, "author": repo.staff_id,
                                         "date": "2026-03-02"})
        repo.save("goal", {**base, "kind": "wille", "text": "Als Maler arbeiten", "date": "2026-03-02"})
        repo.save("measure", {**base, "catalogue_id": "integrationskurs", "provider": "VHS Beckum",
                              "status": "waiting", "proposed_on": "2026-03-02", "start_date": "2026-05-04"})
        for i in range(events):
            day = today - dt.timedelta(days=events - i)
            repo.save("event", {**base, "date": day.isoformat(), "kind": "note",
                                "text": f"Gespräch Nr. {i + 1}: Termin wahrgenommen, Unterlagen geprüft",
                                "author": repo.staff_id})
        repo.save("appointment", {**base, "starts_at": "2026-03-24T09:30", "office": "BEC",
                                  "place": "Rathaus Beckum, Weststraße 46, Raum 112",
                                  "directions": "Bus R41 bis Haltestelle Beckum Markt, dann 3 Minuten zu Fuß.",
                                  "purpose": "Profiling", "interpreter_language": "ar", "outcome": "planned"})
    return case["case_number"]
