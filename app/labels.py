"""Display names for the coded values of app.schema (translated through the catalogs).

`label(kind, code)` gives the name in the current UI language, `label_in(kind,
code, lang)` in any language (forms, PDFs). Office names come from
resources/offices.json; country and language names from Babel (CLDR).
`record_name(repo, entity, id)` names one record the way staff recognise it
(household by family name and office, person by name, case by number).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import i18n
from i18n import N_, _

LABELS: dict[str, dict[str, str]] = {
    "relation": {
        "head": N_("head of household"), "spouse": N_("spouse"), "partner": N_("partner"),
        "child": N_("child"), "parent": N_("parent"), "sibling": N_("sibling"),
        "grandchild": N_("grandchild"), "other": N_("other relative"),
    },
    "sex": {"f": N_("female"), "m": N_("male"), "x": N_("diverse"), "u": N_("unknown")},
    "status": {"new": N_("new"), "active": N_("in progress"), "dormant": N_("dormant"), "closed": N_("closed")},
    "rechtskreis": {"AsylbLG": "AsylbLG", "SGB II": "SGB II", "SGB III": "SGB III"},
    # names CLDR lacks in some locales
    "language": {"kmr": N_("Kurdish (Kurmanji)"), "ckb": N_("Kurdish (Sorani)"), "prs": N_("Dari")},
    "country": {"XX": N_("stateless or unknown")},
    "level": {"A1": "A1", "A2": "A2", "B1": "B1", "B2": "B2", "C1": "C1", "C2": "C2", "native": N_("native language")},
    # records and the fields staff edit most (conflict review); others show their code
    "entity": {
        "household": N_("Household"), "person": N_("Person"), "case": N_("Case"), "consent": N_("Consent"),
        "form_response": N_("Questionnaire"), "answer": N_("Answer"), "resource_entry": N_("Resource map"),
        "goal": N_("Goal"), "measure": N_("Measure"), "conference": N_("Case conference"),
        "event": N_("Chronicle entry"), "appointment": N_("Appointment"), "staff": N_("Staff member"),
        "provider": N_("Provider"), "course": N_("Course"), "waitlist_entry": N_("Waiting list"),
        "seat_offer": N_("Seat offer"), "handover": N_("Handover"), "slot_claim": N_("Desk"),
    },
    "field": {
        "office": N_("Office"), "address": N_("Address"), "accommodation": N_("Accommodation"),
        "arrival_date": N_("Arrival in the county"), "relation": N_("Relation"),
        "family_name": N_("Family name (Latin)"), "given_names": N_("Given names (Latin)"),
        "family_name_orig": N_("Family name (original script)"),
        "given_names_orig": N_("Given names (original script)"),
        "birth_date": N_("Date of birth"), "sex": N_("Sex"), "nationality": N_("Nationality"),
        "languages": N_("Languages"), "interpreter_language": N_("Interpreter for"),
        "rechtskreis": N_("Rechtskreis"), "status": N_("Case status"),
        "phone": N_("Phone"), "notes": N_("Notes"), "name": N_("Name"), "login": N_("Login"),
        "starts_at": N_("Date and time"), "purpose": N_("Purpose"), "place": N_("Place"),
        "directions": N_("Directions"), "provider": N_("Provider"), "text": N_("Note"),
        "appointment_id": N_("Booking"),
    },
}

# Languages offered for interpreters and documents (codes as Babel knows them).
CLIENT_LANGUAGES = ("de", "en", "ar", "fa", "prs", "ps", "ti", "kmr", "ckb", "uk", "ru", "tr", "fr", "so", "am")
COUNTRIES = ("SY", "IQ", "AF", "IR", "ER", "ET", "SO", "UA", "TR", "GN", "NG", "RU", "PK", "LB", "XX")


def label(kind: str, code: str | None) -> str:
    return label_in(kind, code, i18n.current_language())


def label_in(kind: str, code: str | None, lang: str) -> str:
    if code is None:
        return ""
    if kind == "office":
        return office_names().get(code, code)
    text = LABELS.get(kind, {}).get(code)
    if kind in ("country", "language"):
        return i18n.translate(text, lang) if text else _babel_name(
            "territories" if kind == "country" else "languages", code, lang)
    return i18n.translate(text, lang) if text else code


@lru_cache(maxsize=None)
def office_names() -> dict[str, str]:
    path = Path(__file__).resolve().parent.parent / "resources" / "offices.json"
    doc = json.loads(path.read_text("utf-8"))
    return {o["code"]: o["name"] for o in doc["offices"]}


@lru_cache(maxsize=4096)
def _babel_name(table: str, code: str, lang: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        loc = Locale("de")
    names = getattr(loc, table)
    key = code.replace("-", "_")
    return names.get(key) or names.get(key.split("_")[0]) or code


def record_name(repo, entity: str, entity_id: str) -> str:
    """A record as a person recognises it, in the UI language; never a bare id unless nothing else is known.

    `Haushalt Al-Hassan, Beckum`, `Person Mohammed Al-Hassan`, `Fall BEC-26-5GBB-0001 (Mohammed Al-Hassan)`;
    a record of a case (measure, appointment, answer, …) as `Maßnahme · Fall …`, one of a household
    only as `Termin · Haushalt …`. Deleted and merged records keep their names."""
    row = repo.get(entity, entity_id) if entity in _NAMED else None
    kind = label("entity", entity)
    if entity == "household":
        return _("Household {name}").format(name=_household_words(repo, entity_id)) if row else _fallback(kind, entity_id)
    if entity == "person":
        return _("Person {name}").format(name=_person_name(row)) if row and _person_name(row) else _fallback(kind, entity_id)
    if entity == "case":
        return _case_words(repo, row) if row else _fallback(kind, entity_id)
    if entity == "staff":
        return f"{kind} {row.get('name') or row.get('login')}" if row else _fallback(kind, entity_id)
    if row is None:
        return _fallback(kind, entity_id)
    if entity == "slot_claim":  # a desk of an office hour: `Platz 2 · Telgte · 04.05.2027 09:00`
        at = row.get("starts_at") or ""
        day = ".".join(reversed(at[:10].split("-")))
        return f"{kind} {row.get('desk') or '?'} · {label('office', row.get('office'))} · {day} {at[11:16]}".strip()
    if entity in ("provider", "course"):  # the catalogue: by its name
        return f"{kind} {row.get('name') or row.get('title') or entity_id[:8]}"
    case_id = row.get("case_id")
    if not case_id and row.get("response_id"):  # an answer belongs to a case through its questionnaire
        case_id = (repo.get("form_response", row["response_id"]) or {}).get("case_id")
    case = repo.get("case", case_id) if case_id else None
    if case:
        return f"{kind} · {_case_words(repo, case)}"
    if row.get("household_id"):
        return f"{kind} · {record_name(repo, 'household', row['household_id'])}"
    return _fallback(kind, entity_id)


_NAMED = ("household", "person", "case", "staff", "consent", "form_response", "answer", "resource_entry", "goal",
          "measure", "conference", "event", "appointment", "share", "provider", "course", "waitlist_entry",
          "seat_offer", "handover", "slot_claim")


def _fallback(kind: str, entity_id: str) -> str:
    return f"{kind} {entity_id[:8]}"


def _person_name(person: dict | None) -> str:
    if not person:
        return ""
    return " ".join(p for p in (person.get("given_names"), person.get("family_name")) if p) \
        or " ".join(p for p in (person.get("given_names_orig"), person.get("family_name_orig")) if p)


def _household_words(repo, household_id: str) -> str:
    """The family names of the household (head first) and its office: `Al-Hassan, Beckum`."""
    members = [p for p in repo.find("person", household_id=household_id) if not p.get("merged_into")]
    members.sort(key=lambda p: p.get("relation") != "head")  # stable: the head first, the others as stored
    names = []
    for person in members:
        name = person.get("family_name") or person.get("family_name_orig")
        if name and name not in names:
            names.append(name)
    office = (repo.get("household", household_id) or {}).get("office")
    words = "/".join(names[:2]) or household_id[:8]
    return f"{words}, {label('office', office)}" if office else words


def _case_words(repo, case: dict) -> str:
    person = repo.get("person", case["person_id"]) if case.get("person_id") else None
    number = case.get("case_number") or case["id"][:8]
    name = _person_name(person)
    return _("Case {number} ({name})").format(number=number, name=name) if name else \
        _("Case {number}").format(number=number)
