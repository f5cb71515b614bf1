"""Taking back a merge of two persons, and the last edit of any record, from the change log.

Nothing is erased: an un-merge and an undo are ordinary changes written through
`Repository.save`, so they sync like any edit and the log keeps the merge, its
undoing and everything before. What to restore is read from the log, which keeps
every value and the stamp of the value each change overwrote (`prev_hlc`):

* `unmerge_person(repo, away_id)` finds the change that set `person.merged_into`
  (app.duplicates.merge_persons) and, from the same device around that moment, the
  fields the merge filled on the surviving person; it moves back the cases whose
  `person_id` went from the merged-away person to the survivor (and their records,
  which moved into the survivor's household), restores filled fields nobody
  changed since (chosen values, aliases and languages included), and, when the
  merge emptied the merged-away person's household into the survivor's, moves
  that household's records back and revives it. Cases or fields edited after the
  merge keep the later edit.
* `last_edit(repo, entity, id)` is the newest save of a record (one save is one
  stamp); `undo_last_edit` writes the values it overwrote back, field by field,
  unless a field has changed again since (then there is nothing safe to undo).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from i18n import _

from . import schema
from .duplicates import move_case_records
from .replica.changelog import dump_value

MERGE_WINDOW_MS = 60_000  # a merge is one transaction: its changes lie within this of its last one


class UndoRefused(ValueError):
    """Nothing (safe) to take back; the message says why, in the user's language."""


@dataclass
class Edit:
    entity: str
    entity_id: str
    hlc: str
    staff_id: str | None
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field -> (old, new)

    @property
    def when(self) -> str:
        from .conflicts import stamp_time

        return stamp_time(self.hlc)


def _millis(hlc: str) -> int:
    return int(hlc[:13])


def _value_at(conn, entity_id: str, field_name: str, hlc: str | None) -> Any:
    """The value a field had at stamp `hlc` (None before the record had it)."""
    if hlc is None:
        return None
    row = conn.execute("SELECT value FROM changes WHERE entity_id = ? AND field = ? AND hlc = ?",
                       (entity_id, field_name, hlc)).fetchone()
    return json.loads(row[0]) if row and row[0] is not None else None


def _current_stamp(conn, entity_id: str, field_name: str) -> str | None:
    row = conn.execute("SELECT hlc FROM field_state WHERE entity_id = ? AND field = ?",
                       (entity_id, field_name)).fetchone()
    return row[0] if row else None


# -- un-merge ------------------------------------------------------------------
def merged_persons(repo) -> list[dict]:
    """Persons merged into another one (newest merge first), each with `into` (the survivor's row)."""
    out = []
    for p in repo.conn.execute("SELECT id FROM person WHERE merged_into IS NOT NULL AND coalesce(deleted, 0) = 0"):
        row = repo.get("person", p[0])
        into = repo.get("person", row["merged_into"]) if row else None
        if row and into:
            out.append({**row, "into": into, "merged_at": _current_stamp(repo.conn, row["id"], "merged_into") or ""})
    return sorted(out, key=lambda r: r["merged_at"], reverse=True)


def unmerge_person(repo, away_id: str) -> dict[str, int]:
    """Undo the merge of person `away_id` into another; returns counts of what went back."""
    conn = repo.conn
    back = {"cases": 0, "fields": 0, "household_records": 0}
    with repo.transaction():
        away = repo.get("person", away_id)
        if away is None:
            raise UndoRefused(_("unknown person"))
        keep_id = away.get("merged_into")
        if not keep_id:
            raise UndoRefused(_("this person was not merged into another one"))
        keep = repo.get("person", keep_id) or {}
        merge = conn.execute(
            "SELECT hlc, device_id FROM changes WHERE entity_id = ? AND field = 'merged_into' AND value = ? "
            "ORDER BY hlc DESC LIMIT 1", (away_id, dump_value(keep_id))).fetchone()
        if merge is None:
            raise UndoRefused(_("the merge is not in this laptop's history"))
        hlc, device = merge
        lo = _merge_start(conn, hlc, device, keep_id)
        # fields the merge filled on the survivor (before the merged_into change, same device)
        restore: dict[str, Any] = {}
        for c_hlc, fname, prev in conn.execute(
                "SELECT hlc, field, prev_hlc FROM changes WHERE entity_id = ? AND device_id = ? AND hlc < ? "
                "AND hlc >= ? AND field NOT IN ('merged_into', 'deleted', 'household_id')",
                (keep_id, device, hlc, lo)).fetchall():
            if _current_stamp(conn, keep_id, fname) == c_hlc:  # nobody changed it since
                restore[fname] = _value_at(conn, keep_id, fname, prev)
        if restore:
            repo.save("person", restore, keep_id)
            back["fields"] = len(restore)
        # cases moved from the merged-away person to the survivor
        for case_id, prev in conn.execute(
                "SELECT entity_id, prev_hlc FROM changes WHERE entity = 'case' AND field = 'person_id' AND value = ? "
                "AND device_id = ? AND hlc < ? AND hlc >= ?", (dump_value(keep_id), device, hlc, lo)).fetchall():
            case = repo.get("case", case_id)
            if case and case.get("person_id") == keep_id and _value_at(conn, case_id, "person_id", prev) == away_id:
                repo.save("case", {"person_id": away_id}, case_id)
                back["cases"] += 1
        back["household_records"] = _unmerge_household(repo, away, keep, hlc, device, lo)
        repo.save("person", {"merged_into": None}, away_id)
    return back


def _merge_start(conn, hlc: str, device: str, keep_id: str) -> str:
    """The first stamp of the merge whose `merged_into` change is `hlc`. A merge is one transaction
    of one device (app.duplicates.merge_persons): one save of the kept person, then the moves of the
    cases and their records, then `merged_into`. So walking back from `hlc` through the device's
    changes, the moves of cases and records belong to it, and the first save of the kept person
    met is where it began (within MERGE_WINDOW_MS). Earlier edits, the creation of the records and
    earlier merges are not taken back with it (an edit of the kept person right before a merge
    that changed nothing on it would be)."""
    lo = f"{max(_millis(hlc) - MERGE_WINDOW_MS, 0):013d}"
    start, keep_stamp = hlc, None
    for c_hlc, entity, entity_id, fname in conn.execute(
            "SELECT hlc, entity, entity_id, field FROM changes WHERE device_id = ? AND hlc < ? AND hlc >= ? "
            "ORDER BY hlc DESC", (device, hlc, lo)):
        if keep_stamp is not None:
            if c_hlc != keep_stamp:
                break
        elif entity == "person" and entity_id == keep_id and fname != "merged_into":
            keep_stamp = c_hlc
        elif not (fname == "household_id" or (entity == "case" and fname == "person_id")):
            break
        start = c_hlc
    return start


def _household_merge_after(conn, hlc: str, device: str, new_hh: str) -> tuple[str, str] | None:
    """The household (and its stamp) that the merge at `hlc` merged into `new_hh` right after the
    person: the device's next changes are only the moves of its records (one field, household_id)
    and then the household's `merged_into`. Anything else first (the next merge's own changes)
    means this merge merged no household."""
    hi = f"{_millis(hlc) + MERGE_WINDOW_MS:013d}"
    rows = conn.execute("SELECT hlc, entity, entity_id, field, value FROM changes WHERE device_id = ? AND hlc > ? "
                        "AND hlc < ? ORDER BY hlc", (device, hlc, hi)).fetchall()
    fields_at: dict[str, int] = {}
    for r in rows:
        fields_at[r[0]] = fields_at.get(r[0], 0) + 1
    for c_hlc, entity, entity_id, fname, value in rows:
        if entity == "household" and fname == "merged_into":
            return (entity_id, c_hlc) if value == dump_value(new_hh) else None
        if fname != "household_id" or fields_at[c_hlc] != 1:
            return None
    return None


def _unmerge_household(repo, away: dict, keep: dict, hlc: str, device: str, lo: str) -> int:
    """Move back what the merge at `hlc` moved from the merged-away person's household into the
    survivor's: its cases' records (before `hlc`) and, when the merge emptied that household,
    all its records (right after); then revive that household."""
    conn = repo.conn
    new_hh = keep.get("household_id")
    if not new_hh:
        return 0
    merged_hh: str | None = None
    hi = hlc
    if away.get("household_id") == new_hh:
        found = _household_merge_after(conn, hlc, device, new_hh)
        if found is None:
            return 0  # both were members of one household
        hh = repo.get("household", found[0])
        if hh is None or hh.get("merged_into") != new_hh:
            return 0
        merged_hh, hi = found
        old_hh: str = found[0]
    else:
        if not away.get("household_id"):
            return 0
        old_hh = away["household_id"]  # it kept other members; only the cases' records moved
    n = 0
    back_home: list[str] = []
    for entity, entity_id, prev in conn.execute(
            "SELECT entity, entity_id, prev_hlc FROM changes WHERE field = 'household_id' AND value = ? "
            "AND device_id = ? AND hlc >= ? AND hlc < ?", (dump_value(new_hh), device, lo, hi)).fetchall():
        row = repo.get(entity, entity_id)
        if row and row.get("household_id") == new_hh and _value_at(conn, entity_id, "household_id", prev) == old_hh:
            repo.save(entity, {"household_id": old_hh}, entity_id)
            n += 1
            if entity == "person":
                back_home.append(entity_id)
    if merged_hh:
        repo.save("household", {"merged_into": None}, merged_hh)
    # a case lives with its person: one that an earlier merge moved into `new_hh` goes back with its person
    # (that merge was taken back first, while this household was still merged)
    for person_id in back_home:
        for case in repo.find("case", include_deleted=True, person_id=person_id, household_id=new_hh):
            repo.save("case", {"household_id": old_hh}, case["id"])
            n += 1 + move_case_records(repo, case["id"], new_hh, old_hh)
    return n


# -- the last edit of a record -------------------------------------------------------
def last_edit(repo, entity: str, entity_id: str) -> Edit | None:
    """The newest save of the record with each field's old and new value; None if it has no history."""
    schema.entity(entity)
    conn = repo.conn
    row = conn.execute("SELECT max(hlc) FROM changes WHERE entity = ? AND entity_id = ?", (entity, entity_id)).fetchone()
    if not row or row[0] is None:
        return None
    hlc = row[0]
    edit = Edit(entity, entity_id, hlc, None)
    for fname, value, prev, staff in conn.execute(
            "SELECT field, value, prev_hlc, staff_id FROM changes WHERE entity_id = ? AND hlc = ? ORDER BY field",
            (entity_id, hlc)).fetchall():
        edit.staff_id = staff
        edit.fields[fname] = (_value_at(conn, entity_id, fname, prev), json.loads(value) if value else None)
    return edit


def undo_last_edit(repo, entity: str, entity_id: str) -> Edit:
    """Write back the values the record's last edit overwrote; returns that edit."""
    with repo.transaction():
        edit = last_edit(repo, entity, entity_id)
        if edit is None:
            raise UndoRefused(_("this record has no history"))
        stamps = {f: _current_stamp(repo.conn, entity_id, f) for f in edit.fields}
        if any(s != edit.hlc for s in stamps.values()):
            raise UndoRefused(_("the record was changed again since; nothing to undo"))
        prevs = repo.conn.execute("SELECT field, prev_hlc FROM changes WHERE entity_id = ? AND hlc = ?",
                                  (entity_id, edit.hlc)).fetchall()
        if all(p is None for _f, p in prevs):
            raise UndoRefused(_("the last entry created the record; delete it instead"))
        repo.save(entity, {f: old for f, (old, _new) in edit.fields.items()}, entity_id)
    return edit


class Undo:
    """The functions above bound to one repository: what `Session.undo` hands out."""

    def __init__(self, repo):
        self.repo = repo

    def merged_persons(self) -> list[dict]:
        return merged_persons(self.repo)

    def unmerge_person(self, away_id: str) -> dict[str, int]:
        return unmerge_person(self.repo, away_id)

    def last_edit(self, entity: str, entity_id: str) -> Edit | None:
        return last_edit(self.repo, entity, entity_id)

    def undo_last_edit(self, entity: str, entity_id: str) -> Edit:
        return undo_last_edit(self.repo, entity, entity_id)
