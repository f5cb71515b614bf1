"""Retention rules (resources/retention.json) and what is due under them; the anonymised remainder.

A rule says, for one kind of record, from which event its period runs
(`case_closed`, `last_contact`, `appointment_date`), how long (an offset as
in the hint rules), what happens then (`anonymise`: the case and everything
in it is deleted, a remainder without identity is kept for statistics;
`delete`: the record goes), since when it holds (`valid_from`; a rule id may
have several dated versions) and its legal source. `due(conn, day)` lists the
records whose period has ended on `day`. Applying them is the hub's job
(sync.hub.retention): a signed deletion order, purged by app.replica.purge.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .checks import add_offset

RULES_PATH = Path(__file__).resolve().parent.parent / "resources" / "retention.json"
RECORDS = {"case": ("case_closed", "last_contact"), "appointment": ("appointment_date",)}
ACTIONS = ("anonymise", "delete")
# what the remainder keeps (anonymised_case fields filled by `remainder`)
REMAINDER_FIELDS = ("office", "sex", "birth_month", "nationality", "postcode_prefix", "rechtskreis", "status",
                    "opened_month", "closed_month")
# dated lists of a case that count as contact (date column per entity)
CONTACT_DATES = {"event": "date", "appointment": "substr(starts_at, 1, 10)", "measure": "coalesce(end_date, "
                 "start_date, registered_on, proposed_on)", "form_response": "date", "resource_entry": "date",
                 "goal": "date", "conference": "date", "consent": "date"}


class RetentionError(ValueError):
    """The rules file is broken; the message names the rule."""


@dataclass(frozen=True)
class RetentionRule:
    id: str
    record: str
    start: str
    period: dict
    action: str
    valid_from: dt.date
    title: str
    legal_source: str
    statuses: tuple[str, ...] | None = None

    def period_text(self) -> str:
        return ", ".join(f"{v} {k}" for k, v in self.period.items())


@dataclass(frozen=True)
class Due:
    rule: RetentionRule
    record: str  # case | appointment
    entity_id: str
    case_id: str
    case_number: str
    office: str | None
    start: dt.date
    due: dt.date

    def to_dict(self) -> dict:
        return {"rule": self.rule.id, "record": self.record, "id": self.entity_id, "case_id": self.case_id,
                "case_number": self.case_number, "office": self.office, "start": self.start.isoformat(),
                "due": self.due.isoformat(), "action": self.rule.action}


def load_rules(path: Path | str | None = None) -> list[RetentionRule]:
    try:
        doc = json.loads(Path(path or RULES_PATH).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise RetentionError(f"cannot read the retention rules: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != "sprechstunde-retention":
        raise RetentionError("not a sprechstunde-retention file")
    rules = []
    for i, r in enumerate(doc.get("rules") or []):
        where = f"rule {i + 1} ({r.get('id') if isinstance(r, dict) else '?'})"
        try:
            record, start, action = r["record"], r["start"], r["action"]
            if start not in RECORDS.get(record, ()) or action not in ACTIONS:
                raise RetentionError(f"{where}: unknown record, start or action")
            period = {k: int(v) for k, v in r["period"].items()}
            if set(period) - {"years", "months", "weeks", "days"} or not any(v > 0 for v in period.values()):
                raise RetentionError(f"{where}: the period needs years, months, weeks or days above 0")
            statuses = tuple(r["statuses"]) if r.get("statuses") else None
            if statuses and set(statuses) - set(schema.CASE_STATUSES):
                raise RetentionError(f"{where}: unknown case status")
            rules.append(RetentionRule(str(r["id"]), record, start, period, action,
                                       dt.date.fromisoformat(r["valid_from"]), str(r.get("title") or r["id"]),
                                       str(r["legal_source"]), statuses))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            if isinstance(exc, RetentionError):
                raise
            raise RetentionError(f"{where}: {exc}") from None
    return rules


def rules_on(rules: list[RetentionRule], day: dt.date) -> list[RetentionRule]:
    """For each rule id the version in force on `day` (the latest valid_from not after it)."""
    best: dict[str, RetentionRule] = {}
    for r in rules:
        if r.valid_from <= day and (r.id not in best or r.valid_from > best[r.id].valid_from):
            best[r.id] = r
    return list(best.values())


def _date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def last_contacts(conn) -> dict[str, dt.date]:
    """Per case: the latest date of anything dated in it (and its opening)."""
    out: dict[str, dt.date] = {}

    def note(case_id, text):
        d = _date(text)
        if case_id and d and (case_id not in out or d > out[case_id]):
            out[case_id] = d

    for case_id, opened in conn.execute('SELECT id, opened FROM "case"'):
        note(case_id, opened)
    for table, expr in CONTACT_DATES.items():
        for case_id, d in conn.execute(f'SELECT case_id, max({expr}) FROM "{table}" GROUP BY case_id'):
            note(case_id, d)
    return out


def due(conn, day: dt.date, rules: list[RetentionRule] | None = None) -> list[Due]:
    """Records whose retention period has ended on `day`, cases first; an appointment of a case
    that is due itself is not listed again."""
    active = rules_on(rules if rules is not None else load_rules(), day)
    contacts = last_contacts(conn)
    cases = conn.execute('SELECT id, case_number, office, status, closed, coalesce(deleted, 0) FROM "case"').fetchall()
    out: list[Due] = []
    taken: set[str] = set()
    for rule in (r for r in active if r.record == "case"):
        for case_id, number, office, status, closed, deleted in cases:
            if case_id in taken or (rule.statuses and status not in rule.statuses and not deleted):
                continue
            if rule.start == "case_closed":
                if status != "closed":
                    continue
                start = _date(closed) or contacts.get(case_id)
            else:
                start = contacts.get(case_id)
            if start is None:
                continue
            end = add_offset(start, rule.period)
            if end <= day:
                taken.add(case_id)
                out.append(Due(rule, "case", case_id, case_id, number or "", office, start, end))
    numbers = {c[0]: (c[1] or "", c[2]) for c in cases}
    for rule in (r for r in active if r.record == "appointment"):
        for appt_id, case_id, starts in conn.execute(
                "SELECT id, case_id, starts_at FROM appointment WHERE starts_at IS NOT NULL"):
            start = _date(starts)
            if start is None or case_id in taken or appt_id in taken:
                continue
            end = add_offset(start, rule.period)
            if end <= day:
                taken.add(appt_id)
                number, office = numbers.get(case_id, ("", None))
                out.append(Due(rule, "appointment", appt_id, case_id, number, office, start, end))
    return out


_POSTCODE = re.compile(r"(?<!\d)(\d{5})(?!\d)")


def postcode_prefix(address: str | None) -> str | None:
    """The first three digits of a German postcode in the address ("59227 Ahlen" -> "592")."""
    m = _POSTCODE.search(address or "")
    return m.group(1)[:3] if m else None


def _month(text) -> str | None:
    return str(text)[:7] if text and re.match(r"\d{4}-\d{2}", str(text)) else (str(text)[:4] if text else None)


def remainder(conn, case_id: str, basis: str, day: dt.date) -> dict | None:
    """What statistics keep of a case: the values of an `anonymised_case` (None: no such case)."""
    row = conn.execute(
        'SELECT c.office, p.sex, p.birth_date, p.nationality, h.address, c.rechtskreis, c.status, c.opened,'
        ' c.closed FROM "case" c LEFT JOIN person p ON p.id = c.person_id LEFT JOIN household h'
        ' ON h.id = c.household_id WHERE c.id = ?', (case_id,)).fetchone()
    if row is None:
        return None
    office, sex, birth, nationality, address, rk, status, opened, closed = row
    values = {"office": office, "sex": sex, "birth_month": _month(birth), "nationality": nationality,
              "postcode_prefix": postcode_prefix(address), "rechtskreis": rk, "status": status,
              "opened_month": _month(opened), "closed_month": _month(closed), "basis": basis,
              "deleted_month": day.isoformat()[:7]}
    return {k: v for k, v in values.items() if v is not None}
