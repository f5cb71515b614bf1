"""The one merge: apply changes from another replica to a store, field by field, by HLC.

Used by the client (pulled changes), the hub (pushed changes) and the offline
file import; there is no other implementation. See docs/sync.md, "Merge".

For each field (entity_id, field) the replica holds the set S of all changes it
has logged. The rules, all functions of S alone (so any arrival order gives the
same result on every replica):

* a change *has seen* the stamps in its `prev_hlc` (one stamp, or several
  joined by ``,`` when a conflict resolution overwrote a winner and its losers);
* the *heads* of S are the changes no other change of S has seen;
* the current value (the winner) is the head with the highest HLC stamp
  (string order). HLC stamps grow along every line of edits, so this is
  normally just the highest stamp; the head rule keeps a local write that
  overwrote a value stamped ahead of its own clock (Repository writes always
  become current locally, so every replica must agree);
* every head other than the winner is a concurrent, unseen overwrite: if its
  value differs from the winner's it is an open conflict (status ``open``),
  else it is recorded as ``same`` (kept so the fast path knows the field has
  several heads, never shown to people);
* a conflict row whose loser stops being a head (a later change saw it) becomes
  ``resolved`` (seen by the winner's line) or ``superseded`` (a later edit on
  the losing side, which is itself a head and so its own conflict).

The common case (a change that saw the current stamp, on a field with a single
head) is decided from the batch-read `field_state` alone; only the rest reads
the field's log. Idempotent: changes already logged are counted as duplicates.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Iterable

from .. import schema
from .changelog import COLUMNS, Change, row_to_change
from ..search import DERIVED_MANY

PREV_SEP = ","
_STAMP = re.compile(r"\d{13}-[0-9a-f]{4}-[^,\s]+\Z")
_match = _STAMP.match
_CHUNK = 500


class MergeError(ValueError):
    """A change is malformed; the whole batch is refused and nothing is written."""


@dataclass
class MergeResult:
    received: int = 0
    applied: int = 0  # new changes logged
    duplicates: int = 0  # already logged (or repeated within the batch)
    won: int = 0  # fields whose current value changed
    conflicts: int = 0  # conflict rows opened by this batch
    max_hlc: str | None = None
    max_skew_ms: int = 0  # how far the newest stamp lies ahead of our wall clock

    def add(self, other: "MergeResult") -> None:
        for name in ("received", "applied", "duplicates", "won", "conflicts"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.max_hlc and (self.max_hlc is None or other.max_hlc > self.max_hlc):
            self.max_hlc = other.max_hlc
        self.max_skew_ms = max(self.max_skew_ms, other.max_skew_ms)


def prevs(prev_hlc: str | None) -> tuple[str, ...]:
    """The stamps a change has seen (its `prev_hlc`, split)."""
    if not prev_hlc:
        return ()
    if PREV_SEP in prev_hlc:
        return tuple(prev_hlc.split(PREV_SEP))
    return (prev_hlc,)


def join_prevs(stamps: Iterable[str]) -> str | None:
    """The `prev_hlc` text for a change that has seen all these stamps (sorted, unique)."""
    s = sorted(set(x for x in stamps if x))
    return PREV_SEP.join(s) if s else None


def check_change(c: Change) -> None:
    """Raise MergeError unless the change is well formed (types and stamp syntax)."""
    hlc, prev = c.hlc, c.prev_hlc
    if type(hlc) is not str or not _match(hlc):
        raise MergeError(f"bad stamp {hlc!r}")
    if prev is not None and (type(prev) is not str or not all(map(_match, prevs(prev)))):
        raise MergeError(f"bad previous stamp {prev!r}")
    for v in (c.entity, c.entity_id, c.field, c.device_id):
        if type(v) is not str or not 0 < len(v) <= 200:
            raise MergeError(f"bad entity, id, field or device {v!r}")
    for opt in (c.staff_id, c.root_id):
        if opt is not None and (type(opt) is not str or len(opt) > 200):
            raise MergeError(f"bad staff or root id {opt!r}")


def conflict_id(entity_id: str, field: str, loser_hlc: str) -> str:
    """Deterministic id of a conflict row: the same on every replica."""
    return hashlib.sha1(f"{entity_id}\x1f{field}\x1f{loser_hlc}".encode()).hexdigest()[:32]


def merge(conn, changes: list[Change], clock=None, *, check: bool = True) -> MergeResult:
    """Apply `changes` (from any replica, in any order) to the store behind `conn`.

    Runs inside the caller's transaction if one is open, else in its own (all
    or nothing). `clock` (the store's HybridClock, app.repository.clock_for)
    observes the newest stamp, so later local stamps sort after it, and is
    persisted as meta `hlc_last`; the skew is reported in the result.
    """
    res = MergeResult(received=len(changes))
    if not changes:
        return res
    if check:
        for c in changes:
            check_change(c)
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        _merge(conn, changes, res)
        res.max_hlc = max(c.hlc for c in changes)
        if clock is not None:
            res.max_skew_ms = max(0, clock.observe(res.max_hlc))
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc_last', ?)", (clock.last,))
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise
    return res


def _merge(conn, changes: list[Change], res: MergeResult) -> None:
    groups: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        key = (c.entity_id, c.field)
        group = groups.get(key)
        if group is None:
            groups[key] = [c]
        else:
            group.append(c)

    ids = sorted({k[0] for k in groups})
    current = _current_stamps(conn, ids)
    multi = _multi_head_keys(conn, ids)

    new: set[int] = set()  # id() of each new change (a change repeated in the batch counts once)
    winners: list[Change] = []
    slow: list[tuple[str, str]] = []
    for key, group in groups.items():
        cur = current.get(key)
        if len(group) > 1:
            group.sort(key=_by_hlc)  # stable: of equal stamps the sender's first one is kept
        head, linear, fresh, last = cur, key not in multi, [], None
        for c in group:
            hlc = c.hlc
            if hlc == cur or hlc == last:
                continue
            last = hlc
            prev = c.prev_hlc
            if linear and (head is None or prev == head or (prev is not None and PREV_SEP in prev
                                                            and head in prev.split(PREV_SEP))):
                # c saw the field's only head, so it is the new only head (and, having seen
                # the current winner, it cannot have been logged before: that winner would
                # then not be a head)
                head = hlc
            elif cur is not None and _logged(conn, c):
                continue
            else:
                linear = False
            fresh.append(c)
            new.add(id(c))
        if fresh:
            if linear:
                winners.append(fresh[-1])
            else:
                slow.append(key)

    # in the sender's order, each new change once
    rows = [c.as_row() for c in changes if id(c) in new]
    before = conn.total_changes
    conn.executemany(f"INSERT OR IGNORE INTO changes ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    res.applied = conn.total_changes - before
    res.duplicates = res.received - res.applied

    if slow:
        winners += _settle(conn, slow, current, res)
    res.won = len(winners)
    _make_current(conn, winners)
    # fields with conflicts that a local write has moved on since they were settled
    # (a local write stamped below a concurrent loser by a clock that had not observed it
    # loses to it here, as on every other replica)
    done = set(slow)
    stale = {(e, f): h for e, f, h in conn.execute(
        "SELECT c.entity_id, c.field, f.hlc FROM conflicts c JOIN field_state f"
        " ON f.entity_id = c.entity_id AND f.field = c.field"
        " WHERE c.status IN ('open', 'same') AND c.winner_hlc != f.hlc") if (e, f) not in done}
    if stale:
        moved = _settle(conn, list(stale), stale, res)
        res.won += len(moved)
        _make_current(conn, moved)


def _by_hlc(c: Change) -> str:
    return c.hlc


def _current_stamps(conn, ids: list[str]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        q = f"SELECT entity_id, field, hlc FROM field_state WHERE entity_id IN ({','.join('?' * len(chunk))})"
        for eid, fld, hlc in conn.execute(q, chunk):
            out[(eid, fld)] = hlc
    return out


def _multi_head_keys(conn, ids: list[str]) -> set[tuple[str, str]]:
    """Fields that have heads besides the winner (open or same-valued conflict rows)."""
    out: set[tuple[str, str]] = set()
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        q = (f"SELECT entity_id, field FROM conflicts WHERE entity_id IN ({','.join('?' * len(chunk))})"
             " AND status IN ('open', 'same')")
        out.update(conn.execute(q, chunk))
    return out


def _logged(conn, c: Change) -> bool:
    return conn.execute(
        "SELECT 1 FROM changes WHERE entity_id = ? AND field = ? AND hlc = ?", (c.entity_id, c.field, c.hlc)
    ).fetchone() is not None


def _settle(conn, keys: list[tuple[str, str]], old: dict[tuple[str, str], str], res: MergeResult
            ) -> list[Change]:
    """Recompute winner, heads and conflict rows of these fields from their whole logs.

    Reads the logs and conflict rows of all the fields' entities in a few
    queries. Returns the winning changes of the fields whose winner is not `old`.
    """
    wanted = set(keys)
    logs: dict[tuple[str, str], dict[str, tuple]] = {k: {} for k in keys}
    existing: dict[tuple[str, str], dict[str, str]] = {k: {} for k in keys}
    ids = sorted({k[0] for k in keys})
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT {COLUMNS} FROM changes WHERE entity_id IN ({marks})", chunk):
            key = (r[2], r[3])
            if key in wanted:
                logs[key][r[0]] = r
        for eid, fld, loser, status in conn.execute(
                f"SELECT entity_id, field, loser_hlc, status FROM conflicts WHERE entity_id IN ({marks})", chunk):
            if (eid, fld) in wanted:
                existing[(eid, fld)][loser] = status
    upserts: list[tuple] = []
    winners: list[Change] = []
    for key in keys:
        by_hlc = logs[key]
        seen_by = _seen_by(by_hlc)
        # the newest change nobody has seen (only a cycle of prev stamps has none)
        w = max((h for h in by_hlc if h not in seen_by), default=None) or max(by_hlc)
        _settle_field(key, by_hlc, w, seen_by, existing[key], upserts, res)
        if w != old.get(key):
            winners.append(row_to_change(by_hlc[w]))
    if upserts:
        conn.executemany(
            "INSERT INTO conflicts (id, entity, entity_id, field, winner_hlc, loser_hlc, loser_value, status,"
            " resolved_hlc) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (entity_id, field, loser_hlc) DO UPDATE SET"
            " winner_hlc = excluded.winner_hlc, status = excluded.status, resolved_hlc = excluded.resolved_hlc",
            upserts)
    return winners


def _seen_by(by_hlc: dict[str, tuple]) -> dict[str, list[str]]:
    """For each change of the field that a later one has seen: the stamps of those that saw it."""
    seen_by: dict[str, list[str]] = {}
    for r in by_hlc.values():
        for p in prevs(r[5]):
            if p in by_hlc and p != r[0]:
                seen_by.setdefault(p, []).append(r[0])
    return seen_by


def _settle_field(key, by_hlc: dict[str, tuple], w: str, seen_by: dict[str, list[str]],
                  existing: dict[str, str], upserts: list, res: MergeResult) -> None:
    """The conflict rows of one field (rules 3-5 of the module docstring), appended to `upserts`."""
    entity_id, field = key
    if len(seen_by) == len(by_hlc) - 1 and w not in seen_by and not existing:
        return  # one head, no rows: a plain line of edits
    lineage = _ancestors(w, by_hlc)
    entity = by_hlc[w][1]
    for hlc, r in by_hlc.items():
        if hlc == w:
            if existing.get(hlc) in ("open", "same"):  # a former loser now wins: nothing to review
                upserts.append((conflict_id(entity_id, field, hlc), entity, entity_id, field, w, hlc, r[4],
                                "superseded", None))
            continue
        if hlc not in seen_by:
            # covered: someone on the winner's line held this value after the loser's own history
            covered = r[4] in {by_hlc[c][4] for c in lineage - _ancestors(hlc, by_hlc)}
            status = "same" if covered else "open"
            if status == "open" and existing.get(hlc) != "open":
                res.conflicts += 1
            upserts.append((conflict_id(entity_id, field, hlc), entity, entity_id, field, w, hlc, r[4], status,
                            None))
        elif existing.get(hlc) in ("open", "same"):
            by = min(seen_by[hlc])
            status = "resolved" if by in lineage else "superseded"
            upserts.append((conflict_id(entity_id, field, hlc), entity, entity_id, field, w, hlc, r[4], status,
                            by))


def _ancestors(start: str, by_hlc: dict[str, tuple]) -> set[str]:
    """`start` and every change of the field it has seen, directly or through others."""
    out, todo = {start}, [start]
    while todo:
        for p in prevs(by_hlc[todo.pop()][5]):
            if p in by_hlc and p not in out:
                out.add(p)
                todo.append(p)
    return out


def _make_current(conn, winners: list[Change]) -> None:
    """Set field stamps and domain rows to the winning changes (batched by entity and field set)."""
    if not winners:
        return
    conn.executemany(
        "INSERT OR REPLACE INTO field_state (entity_id, field, hlc) VALUES (?, ?, ?)",
        [(c.entity_id, c.field, c.hlc) for c in winners],
    )
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for c in winners:
        key = (c.entity, c.entity_id)
        values = rows.get(key)
        if values is None:
            rows[key] = {c.field: c.value}
        else:
            values[c.field] = c.value
    batches: dict[tuple[str, tuple[str, ...]], list[list]] = {}
    derive: dict[str, list[str]] = {}
    entities, to_column = schema.ENTITIES, schema.to_column
    for (entity_name, entity_id), values in rows.items():
        ent = entities.get(entity_name)
        if ent is None:  # an entity of a newer schema: logged and relayed, not shown
            continue
        fmap = ent.field_map
        cols = tuple(sorted(k for k in values if k in fmap))
        batches.setdefault((entity_name, cols), []).append(
            [entity_id, *[to_column(fmap[k], values[k]) for k in cols]])
        if entity_name in DERIVED_MANY:
            derive.setdefault(entity_name, []).append(entity_id)
    for (entity_name, cols), params in batches.items():
        if cols:
            quoted = ", ".join(f'"{c}"' for c in cols)
            updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols)
            conn.executemany(
                f'INSERT INTO "{entity_name}" (id, {quoted}) VALUES (?{", ?" * len(cols)}) '
                f"ON CONFLICT (id) DO UPDATE SET {updates}", params)
        else:
            conn.executemany(f'INSERT OR IGNORE INTO "{entity_name}" (id) VALUES (?)', params)
    for entity_name, ids in derive.items():
        DERIVED_MANY[entity_name](conn, ids)


def changes_after(conn, after_seq: int, limit: int = 1000, exclude_device: str | None = None
                  ) -> list[tuple[int, Change]]:
    """Logged changes with seq > after_seq in log order (for pushing or serving a pull page)."""
    params: tuple[int, int] | tuple[int, str, int]
    if exclude_device is None:
        q, params = f"SELECT seq, {COLUMNS} FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", (after_seq, limit)
    else:
        q = f"SELECT seq, {COLUMNS} FROM changes WHERE seq > ? AND device_id != ? ORDER BY seq LIMIT ?"
        params = (after_seq, exclude_device, limit)
    return [(r[0], row_to_change(r[1:])) for r in conn.execute(q, params)]


def open_conflict_keys(conn) -> set[tuple[str, str, str]]:
    """(entity_id, field, loser_hlc) of every open conflict (for tests and diagnostics)."""
    return set(conn.execute("SELECT entity_id, field, loser_hlc FROM conflicts WHERE status = 'open'"))


def loads_value(text: str | None) -> Any:
    return json.loads(text) if text is not None else None
