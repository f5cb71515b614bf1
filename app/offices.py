"""The offices and their office-hour templates and exceptions, as the records in force.

resources/offices.json is the seed: per town the address, rooms, directions
(per language), phone, accessibility notes, attending agencies and the
recurring office-hour templates. The central office edits them in the app as
global synced records (`office` with id `office:CODE`, `office_hours` with id
`hours:<seed id>` or a new UUID, `office_hours_change` for exceptions); a
stored record overrides the seed field by field, a tombstone removes a seed
template. Nothing is written for the seed itself, so thirteen laptops never
race to create the same records.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from i18n import _
from i18n import locale as _locale

from . import schema
from .checks import ValidationError, parse_date

SEED_FILE = Path(__file__).resolve().parent.parent / "resources" / "offices.json"
OFFICE_FIELDS = ("name", "address", "phone", "rooms", "directions", "accessibility", "agencies")
HOURS_FIELDS = ("office", "weekday", "starts", "ends", "slot_minutes", "desks", "staff", "room",
                "valid_from", "valid_to")
BOOKABLE_AGENCIES = ("AA", "JC", "SOZ")


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    address: str = ""
    phone: str = ""
    rooms: tuple[str, ...] = ()
    directions: tuple[tuple[str, str], ...] = ()  # (language, text)
    accessibility: str = ""
    agencies: tuple[str, ...] = ()
    central: bool = False

    def directions_in(self, lang: str) -> str:
        """The directions in `lang`, else English (more clients read it than German), else German."""
        texts = dict(self.directions)
        return texts.get(lang) or texts.get("en") or texts.get("de") or ""

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "address": self.address, "phone": self.phone,
                "rooms": list(self.rooms), "directions": dict(self.directions),
                "accessibility": self.accessibility, "agencies": list(self.agencies)}


@lru_cache(maxsize=1)
def seed() -> dict[str, Any]:
    return json.loads(SEED_FILE.read_text("utf-8"))


def office_id(code: str) -> str:
    return f"office:{code}"


def hours_id(seed_id: str) -> str:
    return f"hours:{seed_id}"


def _office(raw: dict[str, Any]) -> Office:
    directions = raw.get("directions") or {}
    return Office(raw["code"], raw.get("name") or raw["code"], raw.get("address") or "", raw.get("phone") or "",
                  tuple(raw.get("rooms") or ()),
                  tuple(sorted((str(k), str(v)) for k, v in directions.items() if isinstance(v, str))),
                  raw.get("accessibility") or "", tuple(raw.get("agencies") or ()), bool(raw.get("central")))


def load_offices(conn) -> dict[str, Office]:
    """Every office by code: the seed overlaid with the stored `office` records."""
    stored = {r["id"]: r for r in _rows(conn, "office")}
    out = {}
    for raw in seed()["offices"]:
        merged = dict(raw)
        row = stored.get(office_id(raw["code"]))
        if row is not None:
            merged.update({k: row[k] for k in OFFICE_FIELDS if row.get(k) is not None})
        out[raw["code"]] = _office(merged)
    return out


def load_templates_from_seed() -> list[dict[str, Any]]:
    return [{"id": hours_id(h["id"]), "office": raw["code"], **{k: v for k, v in h.items() if k != "id"}}
            for raw in seed()["offices"] for h in raw.get("hours") or ()]


def load_templates(conn) -> list[dict[str, Any]]:
    """The office-hour templates in force: seed templates overlaid by stored records, plus new ones."""
    stored = {r["id"]: r for r in _rows(conn, "office_hours", deleted=True)}
    out = []
    for t in load_templates_from_seed():
        row = stored.pop(t["id"], None)
        if row is not None:
            if row.get("deleted"):
                continue
            t.update({k: row[k] for k in HOURS_FIELDS if row.get(k) is not None})
        out.append(t)
    out += [r for r in stored.values() if not r.get("deleted") and r.get("office") and r.get("starts")]
    return out


def load_changes(conn) -> list[dict[str, Any]]:
    """The exceptions: cancelled, moved and extra office hours."""
    return [r for r in _rows(conn, "office_hours_change") if r.get("office") and r.get("date")]


def _rows(conn, entity: str, deleted: bool = False) -> list[dict[str, Any]]:
    ent = schema.entity(entity)
    cols = ["id"] + ent.column_names()
    where = "" if deleted else " WHERE coalesce(deleted, 0) = 0"
    sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{ent.table}"{where}'
    out = []
    for row in conn.execute(sql):
        out.append({c: (schema.from_column(ent.field_map[c], v) if c in ent.field_map else v)
                    for c, v in zip(cols, row, strict=True)})
    return out


# -- editing (the central office) ---------------------------------------------------
WEEKDAYS = range(7)  # 0 = Monday
OFFICE_AGENCIES = ("AA", "JC", "SOZ", "ABH", "KI")  # who may attend an office (app.roles.STAFF_AGENCIES)
# German, English and the form languages (resources/languages.json: fa_AF is Dari, ku Kurmanji), the codes the
# slips look directions up by
DIRECTION_LANGUAGES = ("de", "en", *(lang.code for lang in _locale.form_languages() if lang.code not in ("de", "en")))
_PHONE = re.compile(r"[0-9 +()/\-]*\Z")


def _is_time(value) -> bool:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        return False
    try:
        h, m = int(value[:2]), int(value[3:])
    except ValueError:
        return False
    return 0 <= h < 24 and 0 <= m < 60


def _is_weekday(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in WEEKDAYS


def check_template(values: dict[str, Any], required: tuple[str, ...] = ()) -> None:
    """Field messages for an office-hour template (or the times of an extra/moved office hour); the
    fields in `required` must be there (a new template: office, weekday, times, desks)."""
    errors: dict[str, str] = {}
    messages = {"weekday": _("Please choose a weekday."), "starts": _("Please enter the time as HH:MM."),
                "ends": _("Please enter the time as HH:MM."),
                "desks": _("Each desk belongs to AA, JC or SOZ (one to twelve desks)."),
                "date": _("Please give the date."), "to_date": _("Please give the date it moves to."),
                "template_id": _("Please choose the office hour it concerns.")}
    for key in required:
        if values.get(key) in (None, "", []):
            errors[key] = messages.get(key) or _("This field is required.")
    if values.get("office") not in schema.OFFICE_CODES:
        errors["office"] = _("Unknown office.")
    if values.get("weekday") is not None and not _is_weekday(values["weekday"]):
        errors["weekday"] = _("Please choose a weekday.")
    for key in ("starts", "ends"):
        if values.get(key) and not _is_time(values[key]):
            errors[key] = _("Please enter the time as HH:MM.")
    if not errors.get("starts") and not errors.get("ends") and values.get("starts") and values.get("ends") \
            and values["starts"] >= values["ends"]:
        errors["ends"] = _("The office hour must end after it starts.")
    slot = values.get("slot_minutes")
    if slot is not None and (not isinstance(slot, int) or isinstance(slot, bool) or not 5 <= slot <= 240):
        errors["slot_minutes"] = _("A slot lasts between 5 and 240 minutes.")
    desks = values.get("desks")
    if desks is not None and (not isinstance(desks, list) or not 1 <= len(desks) <= 12
                              or any(d not in BOOKABLE_AGENCIES for d in desks)):
        errors["desks"] = _("Each desk belongs to AA, JC or SOZ (one to twelve desks).")
    staff = values.get("staff")
    if staff is not None and (not isinstance(staff, list) or not all(isinstance(x, str) and x.strip()
                                                                      for x in staff)):
        errors["staff"] = _("Please name the staff one by one, separated by commas.")
    for key in ("valid_from", "valid_to", "date", "to_date"):
        if values.get(key) is not None and parse_date(values[key]) is None:
            errors[key] = _("Please enter the date as YYYY-MM-DD.")
    vf, vt = parse_date(values.get("valid_from")), parse_date(values.get("valid_to"))
    if vf and vt and vt < vf and "valid_to" not in errors:
        errors["valid_to"] = _("The last day of validity lies before the first.")
    if errors:
        raise ValidationError(errors)


def check_office(values: dict[str, Any]) -> None:
    """Field messages for an edit of an office's data (the fields given)."""
    errors: dict[str, str] = {}
    if "name" in values and not (isinstance(values["name"], str) and values["name"].strip()):
        errors["name"] = _("This field is required.")
    if values.get("phone") and not (isinstance(values["phone"], str) and _PHONE.match(values["phone"])):
        errors["phone"] = _("A phone number holds digits, spaces and + ( ) / - only.")
    rooms = values.get("rooms")
    if rooms is not None and (not isinstance(rooms, list)
                              or not all(isinstance(r, str) and r.strip() for r in rooms)):
        errors["rooms"] = _("Please name the rooms one per line.")
    directions = values.get("directions")
    if directions is not None and (not isinstance(directions, dict) or not all(
            k in DIRECTION_LANGUAGES and isinstance(v, str) for k, v in directions.items())):
        errors["directions"] = _("Directions are texts per client language.")
    agencies = values.get("agencies")
    if agencies is not None and (not isinstance(agencies, list) or not agencies
                                 or any(a not in OFFICE_AGENCIES for a in agencies)):
        errors["agencies"] = _("Please choose at least one attending agency.")
    if errors:
        raise ValidationError(errors)


def save_office(repo, code: str, values: dict[str, Any]) -> str:
    """Store the central office's edit of one office (only the fields given)."""
    if code not in schema.OFFICE_CODES:
        raise ValidationError({"office": _("Unknown office.")})
    unknown = set(values) - set(OFFICE_FIELDS)
    if unknown:
        raise KeyError(f"office has no field {sorted(unknown)[0]!r}")
    check_office(values)
    return repo.save("office", {"code": code, **values}, office_id(code))


def save_template(repo, values: dict[str, Any], template_id: str | None = None) -> str:
    """A new or changed office-hour template (a seed template is overridden under its own id)."""
    current = next((t for t in load_templates(repo.conn) if t["id"] == template_id), None) if template_id else {}
    if current is None:
        raise ValidationError({"template": _("This office hour does not exist (any more).")})
    merged = {**{k: current.get(k) for k in HOURS_FIELDS}, **values}
    check_template({k: v for k, v in merged.items() if v is not None},
                   required=("office", "weekday", "starts", "ends", "desks"))
    changed = {k: v for k, v in merged.items() if k in HOURS_FIELDS and (v is not None or current.get(k) is not None)}
    return repo.save("office_hours", changed, template_id)


def delete_template(repo, template_id: str) -> None:
    """Remove an office-hour template (a seed template too: its tombstone hides it)."""
    if not any(t["id"] == template_id for t in load_templates(repo.conn)):
        raise ValidationError({"template": _("This office hour does not exist (any more).")})
    repo.delete("office_hours", template_id)


def save_change(repo, values: dict[str, Any], change_id: str | None = None) -> str:
    """An exception: kind cancelled (date, template_id or the whole day), moved (date, template_id, to_date,
    optional starts/ends) or extra (date, starts, ends, desks, slot_minutes)."""
    kind = values.get("kind")
    if kind not in schema.HOURS_CHANGES:
        raise ValidationError({"kind": _("Please choose one of the offered values.")})
    check_template(values, required=("date",) + {"moved": ("template_id", "to_date"),
                                                 "extra": ("starts", "ends", "desks")}.get(kind, ()))
    tid = values.get("template_id")
    if tid and not any(t["id"] == tid and t["office"] == values["office"] for t in load_templates(repo.conn)):
        raise ValidationError({"template_id": _("This office hour does not exist (any more).")})
    if kind == "moved" and bool(values.get("starts")) != bool(values.get("ends")):
        raise ValidationError({"ends": _("A moved office hour takes both times or neither.")})
    return repo.save("office_hours_change", {k: v for k, v in values.items() if v is not None}, change_id)


def delete_change(repo, change_id: str) -> None:
    if repo.get("office_hours_change", change_id) is None:
        raise ValidationError({"change": _("This exception does not exist (any more).")})
    repo.delete("office_hours_change", change_id)
