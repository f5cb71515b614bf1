"""Display names for the coded values of app.schema (translated through the catalogs).

`label(kind, code)` gives the name in the current UI language, `label_in(kind,
code, lang)` in any language (forms, PDFs). Office names come from
resources/offices.json; country and language names from Babel (CLDR).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import i18n
from i18n import N_

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
    "entity": {"household": N_("Household"), "person": N_("Person"), "case": N_("Case")},
    "field": {
        "office": N_("Office"), "address": N_("Address"), "accommodation": N_("Accommodation"),
        "arrival_date": N_("Arrival in the county"), "relation": N_("Relation"),
        "family_name": N_("Family name (Latin)"), "given_names": N_("Given names (Latin)"),
        "family_name_orig": N_("Family name (original script)"),
        "given_names_orig": N_("Given names (original script)"),
        "birth_date": N_("Date of birth"), "sex": N_("Sex"), "nationality": N_("Nationality"),
        "languages": N_("Languages"), "interpreter_language": N_("Interpreter for"),
        "rechtskreis": N_("Rechtskreis"), "status": N_("Case status"),
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
