"""Registering and editing a household: its members and each member's case.

`save_household` validates everything first and returns field-level
messages (`{"members.1.birth_date": "..."}`); only when there are none does it
write, all in one transaction, through the repository (so every field becomes
a logged change). The input hygiene of app.hygiene (lengths, characters,
dates) is asked first for every value the save changes, so its messages
appear under their fields too. A member with `case` gets a case in the
household's office with a case number unique across laptops; moving the
household to another office moves its open cases along.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from i18n import _

from . import hygiene, schema
from .casenumber import next_case_number
from .repository import Repository
from .checks import PartialDateError, choice, parse_input_date, parse_partial_date, required

PERSON_FIELDS = (
    "relation", "family_name", "given_names", "family_name_orig", "given_names_orig",
    "birth_date", "sex", "nationality", "country_of_origin", "languages",
    "interpreter_language", "phone", "email", "contact_language",
)
_PHONE = re.compile(r"\+?[0-9][0-9 ()/\-]{3,}\Z")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")
HOUSEHOLD_FIELDS = ("office", "address", "accommodation", "arrival_date", "notes")
CASE_FIELDS = ("rechtskreis", "status", "staff")


@dataclass
class SaveResult:
    errors: dict[str, str] = field(default_factory=dict)
    household_id: str | None = None
    person_ids: list[str] = field(default_factory=list)
    case_ids: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def validate(household: dict[str, Any], members: list[dict[str, Any]],
             today: _dt.date | None = None) -> tuple[dict[str, str], dict, list[dict]]:
    """Check input; returns (errors, normalised household, normalised members)."""
    errors: dict[str, str] = {}
    hh = {k: _clean(household.get(k)) for k in HOUSEHOLD_FIELDS if k in household}
    msg = required(hh.get("office")) or choice(hh.get("office"), schema.OFFICE_CODES)
    if msg:
        errors["household.office"] = msg
    try:
        if "arrival_date" in hh:
            hh["arrival_date"] = parse_input_date(hh["arrival_date"])
    except PartialDateError as exc:
        errors["household.arrival_date"] = str(exc)

    live = [m for m in members if not m.get("remove")]
    if not live:
        errors["members"] = _("A household needs at least one member.")
    if sum(1 for m in live if m.get("relation") == "head") > 1:
        errors["members"] = _("Only one member can be the head of the household.")

    out_members = []
    for i, m in enumerate(members):
        p = {k: _clean(m.get(k)) for k in PERSON_FIELDS if k in m}
        out = {"id": m.get("id"), "remove": bool(m.get("remove")), "person": p, "case": None}
        if not out["remove"]:
            for k in ("family_name", "given_names"):
                msg = required(p.get(k))
                if msg:
                    errors[f"members.{i}.{k}"] = msg
            try:
                p["birth_date"] = parse_partial_date(p.get("birth_date"), today)
            except PartialDateError as exc:
                errors[f"members.{i}.birth_date"] = str(exc)
            for k, choices in (("sex", schema.SEXES), ("relation", schema.RELATIONS)):
                msg = choice(p.get(k), choices)
                if msg:
                    errors[f"members.{i}.{k}"] = msg
            if p.get("phone") and not _PHONE.match(p["phone"]):
                errors[f"members.{i}.phone"] = _("Enter a phone number with digits only, e.g. +49 2581 1234.")
            if p.get("email") and not _EMAIL.match(p["email"]):
                errors[f"members.{i}.email"] = _("Enter an e-mail address like name@example.org.")
            langs = p.get("languages")
            if langs is not None:
                if not isinstance(langs, list) or not all(
                    isinstance(x, dict) and isinstance(x.get("code"), str) and x.get("code")
                    and (x.get("level") is None or x.get("level") in schema.CEFR_LEVELS) for x in langs
                ):
                    errors[f"members.{i}.languages"] = _("Languages need a language code and a level A1 to C2 or native.")
            case = m.get("case")
            if case is not None:
                c = {k: _clean(case.get(k)) for k in CASE_FIELDS if k in case}
                c.setdefault("status", "new")
                for k, allowed in (("rechtskreis", schema.RECHTSKREISE), ("status", schema.CASE_STATUSES)):
                    msg = (required(c.get(k)) if k == "rechtskreis" else None) or choice(c.get(k), allowed)
                    if msg:
                        errors[f"members.{i}.case.{k}"] = msg
                out["case"] = c
        out_members.append(out)
    return errors, hh, out_members


def save_household(repo: Repository, household: dict[str, Any], members: list[dict[str, Any]],
                   household_id: str | None = None, today: _dt.date | None = None) -> SaveResult:
    """Validate and save a household with its members and their cases (all or nothing)."""
    today = today or _dt.date.today()
    errors, hh, norm = validate(household, members, today)
    for key, msg in _hygiene_errors(repo, hh, household_id, norm, today).items():
        errors.setdefault(key, msg)  # a value that could not be read keeps that message
    if errors:
        return SaveResult(errors=errors)
    result = SaveResult()
    with repo.transaction():
        result.household_id = repo.save("household", hh, household_id)
        office = hh["office"]  # required: validate refused a household without one
        for m in norm:
            person_id = m["id"]
            if m["remove"]:
                if person_id:
                    repo.delete("person", person_id)
                    for case in repo.find("case", person_id=person_id):
                        repo.delete("case", case["id"])
                continue
            person_id = repo.save("person", {**m["person"], "household_id": result.household_id}, person_id)
            result.person_ids.append(person_id)
            existing = repo.find("case", person_id=person_id)
            if m["case"] is not None:
                values = dict(m["case"])
                if existing:
                    case_id = existing[0]["id"]
                    if values.get("status") == "closed" and not existing[0].get("closed"):
                        values["closed"] = today.isoformat()
                    repo.save("case", {**values, "office": office}, case_id)
                else:
                    values.update(
                        household_id=result.household_id, person_id=person_id, office=office,
                        opened=today.isoformat(), case_number=next_case_number(repo.store, office, today),
                    )
                    case_id = repo.save("case", values)
                result.case_ids.append(case_id)
            elif existing and household_id:  # office moves still apply to a case not edited here
                for case in existing:
                    repo.save("case", {"office": office}, case["id"])
    return result


def _hygiene_errors(repo: Repository, hh: dict, household_id: str | None, norm: list[dict],
                    today: _dt.date) -> dict[str, str]:
    """The repository's hygiene messages for the values this save changes, under the dialog's keys."""
    def problems(entity, values, entity_id):
        current = repo.get(entity, entity_id) if entity_id else None
        changed = {k: v for k, v in values.items() if (current or {}).get(k) != v and v is not None}
        return hygiene.write_problems(repo.conn, entity, entity_id, changed, current, repo.today or today)

    errors = {f"household.{k}": v for k, v in problems("household", hh, household_id).items()}
    for i, m in enumerate(norm):
        if not m["remove"]:
            errors.update({f"members.{i}.{k}": v for k, v in problems("person", m["person"], m["id"]).items()})
    return errors


def flagged_values(data: dict[str, Any] | None, today: _dt.date | None = None) -> dict[str, str]:
    """Stored values of a loaded household (`load_household`) that today's input rules refuse,
    under the dialog's keys ("household.address", "members.0.family_name"), each as a request to correct.

    Such values came by sync from a laptop on an older version (sync never refuses) or were
    saved before a rule existed; saving the household again does not require correcting them.
    """
    if not data:
        return {}
    today = today or _dt.date.today()
    out = {f"household.{k}": v for k, v in hygiene.stored_problems("household", data["household"], today).items()}
    for i, m in enumerate(data.get("members", [])):
        out.update({f"members.{i}.{k}": v for k, v in hygiene.stored_problems("person", m, today).items()
                    if k in PERSON_FIELDS})
    return {k: _("Please correct: {reason}").format(reason=v) for k, v in out.items()}


def load_household(repo: Repository, household_id: str) -> dict[str, Any] | None:
    """The household with its (not deleted) members, each with its case or None."""
    hh = repo.get("household", household_id)
    if hh is None or hh.get("deleted"):
        return None
    order = {r: i for i, r in enumerate(schema.RELATIONS)}
    members = []
    for p in repo.find("person", household_id=household_id):
        if p.get("merged_into"):
            continue
        cases = repo.find("case", person_id=p["id"])
        members.append({**p, "case": cases[0] if cases else None})
    members.sort(key=lambda p: (order.get(p.get("relation") or "other", 99), p.get("birth_date") or "", p["id"]))
    return {"household": hh, "members": members}
