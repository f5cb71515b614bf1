"""What the intake survey of a case can already answer: nothing known is asked twice.

`intake_defaults(repo, case_id, today)` gives answers for a new intake
questionnaire (resources/forms/intake.v1.json) from what the household
dialog took (nationality, languages, interpreter, address, accommodation,
the members and their ages) and from the latest intake of another member of
the same household (residence status, entry, referral: a family usually came
together). `known_keys` says which keys came from where, so the form can say
so. The answers are proposals: the caseworker sees and may change each one.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .labels import label

COUNTRY_OPTIONS = {"SY": "syria", "IQ": "iraq", "IR": "iran", "ER": "eritrea", "AF": "afghanistan",
                   "SO": "somalia", "UA": "ukraine", "TR": "turkey"}
# household accommodation as staff write it -> the survey's choice
ACCOMMODATION_WORDS = (
    ("erstaufnahme", "reception"), ("notunterkunft", "reception"), ("zue", "reception"), ("eae", "reception"),
    ("gemeinschaftsunterkunft", "shared"), ("übergangswohnheim", "shared"), ("sammelunterkunft", "shared"),
    ("kommunal", "flat_assigned"), ("zugewiesen", "flat_assigned"), ("wohnung", "own_flat"),
)
# shared by a family that came together: taken from another member's latest intake
FAMILY_KEYS = ("residence_status", "permit_paragraph", "status_other", "entry_date", "asylum_application_date",
               "decision_date", "referred_by", "referrer_name")


def _age_years(birth: str | None, today: _dt.date) -> int | None:
    if not birth:
        return None
    year = int(birth[:4])
    month = int(birth[5:7]) if len(birth) >= 7 else 7
    day = int(birth[8:10]) if len(birth) >= 10 else 1
    return today.year - year - ((today.month, today.day) < (month, day))


def accommodation_choice(text: str | None) -> str | None:
    low = (text or "").casefold()
    return next((choice for word, choice in ACCOMMODATION_WORDS if word in low), None)


def _from_household(person: dict, household: dict, members: list[dict], today: _dt.date) -> dict[str, Any]:
    a: dict[str, Any] = {}
    origin = person.get("country_of_origin") or person.get("nationality")
    if origin:
        a["country_of_origin"] = COUNTRY_OPTIONS.get(origin, "other")
        if a["country_of_origin"] == "other":
            a["country_other"] = label("country", origin)
    native = next((x.get("code") for x in person.get("languages") or []
                   if isinstance(x, dict) and x.get("level") == "native" and x.get("code")), None)
    if native:
        a["mother_tongue"] = label("language", native)
    a["interpreter_needed"] = bool(person.get("interpreter_language"))
    if person.get("interpreter_language"):
        a["interpreter_language"] = label("language", person["interpreter_language"])
    acc = accommodation_choice(household.get("accommodation"))
    if acc:
        a["accommodation"] = acc
    if household.get("address"):
        a["accommodation_address"] = household["address"]
    live = [m for m in members if not m.get("deleted")]
    if live:
        a["household_size"] = len(live)
        ages = [_age_years(m.get("birth_date"), today) for m in live]
        a["children_under_6"] = sum(1 for x in ages if x is not None and x < 6)
    return a


def intake_defaults(repo, case_id: str, today: _dt.date | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """(answers, where each came from: "household" or "family") for a new intake of `case_id`."""
    today = today or _dt.date.today()
    case = repo.get("case", case_id)
    if case is None:
        return {}, {}
    person = repo.get("person", case["person_id"]) or {}
    household = repo.get("household", case["household_id"]) or {}
    members = [p for p in repo.find("person", household_id=case["household_id"]) if not p.get("merged_into")]
    answers = _from_household(person, household, members, today)
    source = dict.fromkeys(answers, "household")
    family = _latest_family_intake(repo, case)
    for k in FAMILY_KEYS:
        if k in family and k not in answers:
            answers[k] = family[k]
            source[k] = "family"
    return answers, source


def _latest_family_intake(repo, case: dict) -> dict[str, Any]:
    """The answers of the newest intake of another case in the household (empty if none)."""
    best: tuple[str, str] | None = None
    for other in repo.find("case", household_id=case["household_id"]):
        if other["id"] == case["id"] or other.get("deleted"):
            continue
        for r in repo.find("form_response", case_id=other["id"]):
            if r.get("form_id") == "intake" and not r.get("deleted"):
                key = (r.get("date") or "", r["id"])
                if best is None or key > best:
                    best = key
    if best is None:
        return {}
    return {a["key"]: a["value"] for a in repo.find("answer", response_id=best[1]) if not a.get("deleted")}
