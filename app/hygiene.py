"""Input hygiene: what a value typed or imported must look like before it is saved.

`Repository.save` (the one local write path, so also `sprechstunde import`)
calls `write_problems` for the fields a write changes and refuses the write
with a `ValidationError` when there are any; `app.households` asks the same
function first so that its messages appear under the fields. Values that
arrive by sync go through app.replica.merge and are never checked here: a laptop on
an older version must never have its sync stalled. `stored_problems` says
which values of a stored record fail today's rules, so that the GUI can flag
them for correction. The rules (docs/casework.md, "What the app accepts"):

* every text field has a length limit (`limit`), counted in characters;
* no text may contain control characters (line breaks and tabs only in the
  multi-line fields), bidi overrides, lone surrogates or non-characters, and
  no text may be made only of invisible characters (spaces, zero-width
  characters, fillers);
* names (person names in Latin and original script) take only
  letters, combining marks after a letter, spaces, apostrophes, hyphens and
  dots; the zero-width (non-)joiner only between two letters (Persian names
  need U+200C); no emoji, symbols, digits, bidi marks, embeddings or isolates;
* dates: a birth date or arrival lies between 1900 and today; a planned
  appointment entered lies today or later (a past one must be recorded as
  kept, missed or cancelled; an import of stored state may carry planned
  ones that have slipped into the past); a case has no two appointments at
  the same time (cancelled ones aside).

A value the store already holds in the same field (it came by sync or from
an earlier version) is not refused again when a write copies it, e.g. when
duplicates are merged; `stored_problems` still flags it.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Any

from i18n import _

from . import schema
from .checks import ValidationError
from .desks import desk_problem


class Refused(ValidationError):
    """A write refused by the hygiene rules: `errors` has the field's name in front of each message
    (for places that show messages without their field), `problems` the bare messages."""

    def __init__(self, entity: str, problems: dict[str, str]):
        super().__init__({k: field_message(entity, k, v) for k, v in problems.items()})
        self.args = (" ".join(self.errors.values()),)  # what a message box or the command line shows
        self.entity = entity
        self.problems = dict(problems)

    def __reduce__(self):  # picklable across processes (a worker pool re-raises it in the parent)
        return (type(self), (self.entity, self.problems))


NAME_FIELDS = frozenset({
    ("person", "family_name"), ("person", "given_names"),
    ("person", "family_name_orig"), ("person", "given_names_orig"),
})
NAME_LIMIT = 100
DEFAULT_LIMIT = 200
# (entity or "*", field) -> (limit, multi-line)
_TEXT_RULES: dict[tuple[str, str], tuple[int, bool]] = {
    ("*", "address"): (200, True),
    ("*", "accommodation"): (200, False),
    ("*", "notes"): (4000, True),
    ("*", "text"): (4000, True),
    ("*", "directions"): (1000, True),
    ("*", "focus"): (2000, True),
    ("*", "next_steps"): (4000, True),
    ("*", "phone"): (40, False),
    ("*", "email"): (120, False),
    ("*", "contact_language"): (20, False),
    ("*", "login"): (64, False),
    ("staff", "name"): (100, False),
    ("*", "nationality"): (80, False),
    ("*", "country_of_origin"): (80, False),
    ("*", "interpreter_language"): (80, False),
    ("*", "case_number"): (40, False),
}

_APOSTROPHES_HYPHENS = frozenset("'’‘ʼʻ`-‐‑.·・")
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ (Persian), ZWJ (Indic scripts)
_BIDI_OVERRIDES = frozenset("\u202d\u202e")
# Hangul fillers, braille blank, Mongolian vowel separator, Khmer inherent vowels: look blank, are not Zs/Cf
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")
_SIMPLE_NAME = re.compile(r"[A-Za-z][A-Za-z '\-.]*\Z")
_SIMPLE_TEXT = re.compile(r"[ -~]*[!-~][ -~]*\Z")  # printable ASCII with something visible

DATE_MIN_YEAR = 1900


def limit(entity: str, field: str) -> int:
    """The most characters a text field takes."""
    if (entity, field) in NAME_FIELDS:
        return NAME_LIMIT
    return _TEXT_RULES.get((entity, field), _TEXT_RULES.get(("*", field), (DEFAULT_LIMIT, False)))[0]


def multiline(entity: str, field: str) -> bool:
    return _TEXT_RULES.get((entity, field), _TEXT_RULES.get(("*", field), (DEFAULT_LIMIT, False)))[1]


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _shown(ch: str) -> str:
    """A character as a message shows it: itself when it is visible, always with its code point."""
    cat = unicodedata.category(ch)
    if cat[0] in "CZM" or ch in _BLANK_LOOKING:
        return _code(ch)
    return f"“{ch}” ({_code(ch)})"


def _invisible(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return (cat[0] in "ZC" or cat in ("Mn", "Me") or ch.isspace() or ch in _BLANK_LOOKING
            or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0000 <= ord(ch) <= 0xE01EF)


def only_invisible(text: str) -> bool:
    return bool(text) and all(_invisible(ch) for ch in text)


def text_problem(entity: str, field: str, value: str) -> str | None:
    """Why a text value may not be saved in entity.field, or None."""
    if not value:
        return None
    most = limit(entity, field)
    if len(value) > most:
        return _("At most {limit} characters, this has {length}.").format(limit=most, length=len(value))
    if (entity, field) in NAME_FIELDS:
        return name_problem(value)
    if _SIMPLE_TEXT.match(value):
        return None
    if only_invisible(value):
        return _("This contains only invisible characters.")
    return _char_problem(value, multiline(entity, field))


def _char_problem(value: str, multi: bool) -> str | None:
    """Characters no text may hold: controls (line breaks and tabs only when `multi`), overrides, non-characters."""
    for ch in value:
        o = ord(ch)
        if ch in "\n\r\t":
            if not multi:
                return _("Line breaks and tabs are not allowed here.")
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat in ("Zl", "Zp"):
            return _("Control characters are not allowed: {char}.").format(char=_code(ch))
        if ch in _BIDI_OVERRIDES or cat == "Cs" or (o & 0xFFFE) == 0xFFFE or 0xFDD0 <= o <= 0xFDEF:
            return _("This character is not allowed: {char}.").format(char=_code(ch))
    return None


def name_problem(value: str) -> str | None:
    """Why a name may not be saved, or None (see the module docstring for what a name takes)."""
    if _SIMPLE_NAME.match(value):
        return None
    if only_invisible(value):
        return _("This contains only invisible characters.")
    prev_letter = False
    for i, ch in enumerate(value):
        cat = unicodedata.category(ch)
        if ch in _JOINERS:
            nxt = value[i + 1] if i + 1 < len(value) else ""
            if not (prev_letter and nxt and unicodedata.category(nxt)[0] in "LM"):
                return _("A joiner ({char}) belongs between two letters.").format(char=_code(ch))
            prev_letter = False
            continue
        if ch in _BLANK_LOOKING or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0000 <= ord(ch) <= 0xE01EF:
            return _("A name cannot contain invisible characters: {char}.").format(char=_code(ch))
        if cat[0] == "L":
            prev_letter = True
            continue
        if cat[0] == "M":
            if i == 0 or not (prev_letter or unicodedata.category(value[i - 1])[0] == "M"):
                return _("A combining mark ({char}) must follow a letter.").format(char=_code(ch))
            continue
        prev_letter = False
        if ch == " " or ch in _APOSTROPHES_HYPHENS:
            continue
        if cat[0] == "S" or cat == "Co" or cat == "Cn":
            return _("A name cannot contain emoji or symbols: {char}.").format(char=_shown(ch))
        if cat[0] == "N":
            return _("A name cannot contain digits: {char}.").format(char=_shown(ch))
        if cat[0] == "C" or cat in ("Zl", "Zp"):
            return _("A name cannot contain control, direction or formatting characters: {char}.").format(
                char=_code(ch))
        if cat == "Zs":
            return _("A name may contain only ordinary spaces, not {char}.").format(char=_code(ch))
        return _("A name cannot contain {char}.").format(char=_shown(ch))
    if not any(unicodedata.category(ch)[0] == "L" for ch in value):
        return _("A name needs at least one letter.")
    return None


def date_problem(entity: str, field: str, value: str, today: _dt.date) -> str | None:
    """Birth dates and arrivals lie between 1900 and today."""
    if (entity, field) not in (("person", "birth_date"), ("household", "arrival_date")):
        return None
    first = value[:4]
    if not first.isdigit():
        return None
    if int(first) < DATE_MIN_YEAR:
        return _("The year must lie between 1900 and {year}.").format(year=today.year)
    if value > today.isoformat()[:len(value)]:  # a partial date compares by its known part
        return _("The date lies in the future.")
    return None


JSON_TEXT_LIMIT = 4000  # each text inside a structured value (questionnaire answers, conference lists)


def json_problem(value: Any) -> str | None:
    """Why a structured value may not be saved: a text in it breaks the rules of a multi-line field."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if len(v) > JSON_TEXT_LIMIT:
                return _("At most {limit} characters, this has {length}.").format(limit=JSON_TEXT_LIMIT,
                                                                                  length=len(v))
            if not _SIMPLE_TEXT.match(v):
                msg = _char_problem(v, multi=True)
                if msg:
                    return msg
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return None


def value_problem(entity: str, field: str, value: Any, today: _dt.date) -> str | None:
    """Why one value may not be written to entity.field today, or None."""
    f = schema.entity(entity).field_map.get(field)
    if f is None:
        return None
    if f.kind == schema.JSON:
        return json_problem(value) if isinstance(value, (str, list, dict)) else None
    if not isinstance(value, str):
        return None
    if f.kind == schema.TEXT:
        return text_problem(entity, field, value)
    if f.kind in (schema.DATE, schema.PDATE):
        return date_problem(entity, field, value, today)
    return None


def _held(conn, entity: str, field: str, value: Any) -> bool:
    """Whether the store's change log already holds this value in this field of this kind of record."""
    from .replica.changelog import dump_value

    return conn.execute("SELECT 1 FROM changes WHERE entity = ? AND field = ? AND value = ? LIMIT 1",
                        (entity, field, dump_value(value))).fetchone() is not None


def write_problems(conn, entity: str, entity_id: str | None, changed: dict[str, Any],
                   current: dict[str, Any] | None, today: _dt.date, *, typed: bool = True) -> dict[str, str]:
    """{field: message} for the changed fields of one write; empty when it may be saved.

    `typed` False (an import of stored state) lets a planned appointment lie
    in the past: an exported store's appointments slip into the past while
    they wait for their outcome, and export then import must reproduce it.
    """
    row = {**(current or {}), **changed}
    if row.get("deleted"):
        return {}  # removing a record is always possible
    problems: dict[str, str] = {}
    for field, value in changed.items():
        msg = value_problem(entity, field, value, today)
        if msg and not (conn is not None and _held(conn, entity, field, value)):
            problems[field] = msg
    if entity == "appointment":
        problems.update(_appointment_problems(conn, entity_id, changed, current or {}, row, today, typed))
        if "starts_at" not in problems and typed and (desk := desk_problem(conn, entity_id, changed, row)):
            problems["starts_at"] = desk
    return problems


def _appointment_problems(conn, entity_id, changed, current, row, today, typed) -> dict[str, str]:
    starts, outcome = row.get("starts_at"), row.get("outcome") or "planned"
    if not isinstance(starts, str):
        return {}
    was_cancelled = current.get("outcome") == "cancelled"
    moved = "starts_at" in changed or "outcome" in changed
    if typed and outcome == "planned" and moved and starts[:10] < today.isoformat():
        return {"starts_at": _("This appointment lies in the past. Only an appointment recorded as kept, "
                               "missed or cancelled may lie in the past.")}
    if outcome == "cancelled" or conn is None or not row.get("case_id"):
        return {}
    if "starts_at" in changed or "case_id" in changed or (was_cancelled and "outcome" in changed):
        other = conn.execute(
            "SELECT 1 FROM appointment WHERE case_id = ? AND starts_at = ? AND id != ? "
            "AND coalesce(deleted, 0) = 0 AND coalesce(outcome, 'planned') != 'cancelled' LIMIT 1",
            (row["case_id"], starts, entity_id or "")).fetchone()
        if other:
            return {"starts_at": _("This case already has an appointment at this time.")}
    return {}


def stored_problems(entity: str, row: dict[str, Any], today: _dt.date | None = None) -> dict[str, str]:
    """{field: message} for the values of a stored record that today's rules would refuse.

    For the GUI to flag values that came by sync from an older version (or
    were saved before a rule existed) for correction. Only the rules on single
    values apply (a planned appointment that has slipped into the past is
    simply waiting for its outcome).
    """
    today = today or _dt.date.today()
    out = {}
    for field, value in row.items():
        msg = value_problem(entity, field, value, today)
        if msg:
            out[field] = msg
    return out


def staff_problem(login: str, name: str | None) -> str | None:
    """Why a new staff member's login or name may not be recorded (with the field's name), or None."""
    for field, value in (("login", (login or "").strip()), ("name", (name or "").strip())):
        msg = text_problem("staff", field, value)
        if msg:
            return field_message("staff", field, msg)
    return None


def field_message(entity: str, field: str, message: str) -> str:
    """A message with the field's display name in front (for places that show messages without their field)."""
    from .labels import label

    return f"{label('field', field)}: {message}"

