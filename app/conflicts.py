"""Open conflicts for people to review, and their resolution as an ordinary change.

The merge (sync/) keeps every concurrent value that lost as a row in the
`conflicts` table. This service lists them (all, per household, per case) with
both sides' value, author and time, and resolves one by taking the current
value, the losing one, or a new one. The resolution is a change written
through the Repository's transaction, clock and log whose `prev_hlc` names the
current stamp and the loser's, so every replica that receives it sees the
conflict as settled (docs/sync.md, "Merge").
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict, dataclass
from typing import Any

from . import hygiene, schema
from .replica.changelog import Change
from .replica.clock import Stamp
from .replica.merge import join_prevs
from .repository import check_values


class ConflictError(ValueError):
    """The conflict is unknown or no longer open."""


@dataclass
class Side:
    value: Any
    hlc: str
    at: str  # UTC time of the stamp, ISO, minutes
    device_id: str | None
    staff_id: str | None
    staff_name: str | None


@dataclass
class Conflict:
    id: str
    entity: str
    entity_id: str
    field: str
    household_id: str | None
    current: Side  # the value in force now (the winner)
    other: Side  # the value that lost without its author having seen the winner

    def to_dict(self) -> dict:
        return asdict(self)


def stamp_time(hlc: str) -> str:
    millis = Stamp.parse(hlc).millis
    return _dt.datetime.fromtimestamp(millis / 1000, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def _side(conn, entity_id: str, field: str, hlc: str, value_text: str | None, names: dict) -> Side:
    row = conn.execute(
        "SELECT value, device_id, staff_id FROM changes WHERE entity_id = ? AND field = ? AND hlc = ?",
        (entity_id, field, hlc),
    ).fetchone()
    text, device, staff = row if row else (value_text, None, None)
    if staff and staff not in names:
        r = conn.execute("SELECT name FROM staff WHERE id = ?", (staff,)).fetchone()
        names[staff] = r[0] if r else None
    value = json.loads(text) if text is not None else None
    return Side(value, hlc, stamp_time(hlc), device, staff, names.get(staff))


def list_open(repo, household_id: str | None = None, case_id: str | None = None) -> list[Conflict]:
    """Open conflicts, oldest first; only those of one household or one case if asked."""
    conn = repo.conn
    rows = conn.execute(
        "SELECT c.id, c.entity, c.entity_id, c.field, c.loser_hlc, c.loser_value, f.hlc, ch.root_id"
        " FROM conflicts c JOIN field_state f ON f.entity_id = c.entity_id AND f.field = c.field"
        " LEFT JOIN changes ch ON ch.entity_id = c.entity_id AND ch.field = c.field AND ch.hlc = c.loser_hlc"
        " WHERE c.status = 'open' ORDER BY c.loser_hlc"
    ).fetchall()
    case_keys = _case_members(repo, case_id) if case_id else None
    names: dict = {}
    out = []
    for cid, entity, entity_id, field, loser_hlc, loser_value, current_hlc, root in rows:
        if household_id is not None and root != household_id and entity_id != household_id:
            continue
        if case_keys is not None and entity_id not in case_keys:
            continue
        current = _side(conn, entity_id, field, current_hlc, None, names)
        other = _side(conn, entity_id, field, loser_hlc, loser_value, names)
        if json.dumps(current.value, sort_keys=True) == json.dumps(other.value, sort_keys=True):
            continue  # a later local edit already chose this value
        out.append(Conflict(cid, entity, entity_id, field, root, current, other))
    return out


def _case_members(repo, case_id: str) -> set[str]:
    """Ids of the case, its person and every record that belongs to the case."""
    ids = {case_id}
    case = repo.get("case", case_id)
    if case and case.get("person_id"):
        ids.add(case["person_id"])
    for name, ent in schema.ENTITIES.items():
        if "case_id" in ent.field_map:
            ids.update(r[0] for r in repo.conn.execute(f'SELECT id FROM "{name}" WHERE case_id = ?', (case_id,)))
    responses = [r[0] for r in repo.conn.execute("SELECT id FROM form_response WHERE case_id = ?", (case_id,))]
    for rid in responses:
        ids.update(r[0] for r in repo.conn.execute("SELECT id FROM answer WHERE response_id = ?", (rid,)))
    return ids


def get(repo, conflict_id: str) -> Conflict:
    for c in list_open(repo):
        if c.id == conflict_id:
            return c
    raise ConflictError("this conflict is not open")


_UNSET = object()


def resolve(repo, conflict_id: str, *, take: str = "other", value: Any = _UNSET) -> str:
    """Settle an open conflict: take "current", "other", or give `value`; returns the new stamp."""
    with repo.transaction():
        conflict = get(repo, conflict_id)
        if value is _UNSET and take not in ("current", "other"):
            raise ValueError("take must be 'current' or 'other'")
        typed = value is not _UNSET
        if not typed:
            value = conflict.current.value if take == "current" else conflict.other.value
        ent = schema.entity(conflict.entity)
        check_values(ent, {conflict.field: value})
        row = repo.get(conflict.entity, conflict.entity_id) or {}
        if typed:  # a new value is judged like any typed one; either stored side is taken as it is
            problems = hygiene.write_problems(repo.conn, conflict.entity, conflict.entity_id,
                                              {conflict.field: value}, row, repo.today or _dt.date.today())
            if problems:
                raise hygiene.Refused(conflict.entity, problems)
        root = None if ent.root is None else (conflict.entity_id if ent.root == "id" else row.get(ent.root))
        stamp = repo.clock.now()
        seen = join_prevs({conflict.current.hlc, conflict.other.hlc})
        change = Change(stamp, conflict.entity, conflict.entity_id, conflict.field, value, seen,
                        repo.clock.device, repo.staff_id, root)
        repo.log.append([change])
        repo.log.make_current([change])
        repo.conn.execute(
            "UPDATE conflicts SET status = 'resolved', resolved_hlc = ?, winner_hlc = ? WHERE id = ?",
            (stamp, stamp, conflict_id),
        )
    return stamp


def count_open(repo) -> int:
    return len(list_open(repo))
