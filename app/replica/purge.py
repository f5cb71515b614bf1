"""Purging records for good: a deletion order (retention or Art. 17) applied to one replica.

Unlike a tombstone (`deleted`, a change that replicates and can be undone), a
purge removes the values from the domain tables, the change log (its whole
history), `field_state` and `conflicts`, and remembers only the ids it
removed (`purged`), so that nothing sent later can bring them back:
`drop_purged` takes changes for purged records out of every batch that is
merged (pulled on a laptop, pushed at the hub). `scrub` then makes the freed
space unreadable (secure_delete during the purge, VACUUM, WAL truncated).

An order names cases, persons, whole households (roots) and single records;
`expand` adds what hangs off them on this replica (every record with the
case's `case_id`, the answers of its questionnaires, duplicate persons merged
into a purged person), so records a laptop made offline go too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import json

from .. import schema

CHUNK = 500
# fields by which a record belongs to another record: a record pointing at a purged one is purged too
OWNING_REFS = ("case_id", "response_id", "person_id")


@dataclass
class Targets:
    """What an order removes (ids); `roots` are households removed with everything in them."""

    cases: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)


@dataclass
class PurgeResult:
    records: int = 0  # domain rows removed
    changes: int = 0  # change-log rows removed


def _chunks(items, size: int = CHUNK):
    items = sorted(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _ids(conn, sql: str, values) -> set[str]:
    out: set[str] = set()
    for chunk in _chunks(values):
        out.update(r[0] for r in conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk) if r[0])
    return out


def plan(conn, case_ids: list[str]) -> Targets:
    """The order for deleting these cases (at the hub): their persons, and their households when no
    case outside the order is left in them."""
    cases = set(case_ids)
    persons = _ids(conn, 'SELECT person_id FROM "case" WHERE id IN ({marks})', cases)
    households = _ids(conn, 'SELECT household_id FROM "case" WHERE id IN ({marks})', cases)
    keep = {h for h, c in _pairs(conn, 'SELECT household_id, id FROM "case" WHERE household_id IN ({marks})'
                                  " AND coalesce(deleted, 0) = 0", households) if c not in cases}
    return Targets(sorted(cases), sorted(persons), sorted(households - keep), [])


def _pairs(conn, sql: str, values) -> list[tuple]:
    out: list[tuple] = []
    for chunk in _chunks(values):
        out.extend(conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk).fetchall())
    return out


def expand(conn, t: Targets) -> set[str]:
    """Every entity id the order removes on this replica (roots are removed separately)."""
    ids = set(t.cases) | set(t.persons) | set(t.entities)
    persons = set(t.persons)
    while persons:  # duplicates merged into a purged person hold the same person's data
        persons = _ids(conn, 'SELECT id FROM person WHERE merged_into IN ({marks})', persons) - ids
        ids |= persons
    for ent in schema.ENTITIES.values():
        if "case_id" in ent.field_map:
            ids |= _ids(conn, f'SELECT id FROM "{ent.table}" WHERE case_id IN ({{marks}})', t.cases)
    responses = _ids(conn, 'SELECT id FROM form_response WHERE id IN ({marks})', ids)
    ids |= _ids(conn, 'SELECT id FROM answer WHERE response_id IN ({marks})', responses)
    return ids


def _delete_ids(conn, ids: set[str]) -> PurgeResult:
    """Domain rows, field stamps, conflicts and change-log rows of these ids."""
    res = PurgeResult()
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for ent in schema.ENTITIES.values():
            res.records += conn.execute(f'DELETE FROM "{ent.table}" WHERE id IN ({marks})', chunk).rowcount
        conn.execute(f"DELETE FROM field_state WHERE entity_id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM conflicts WHERE entity_id IN ({marks})", chunk)
        res.changes += conn.execute(f"DELETE FROM changes WHERE entity_id IN ({marks})", chunk).rowcount
    return res


def _remember(conn, ids, order_id: str) -> None:
    conn.executemany("INSERT OR IGNORE INTO purged (entity_id, order_id) VALUES (?, ?)",
                     [(i, order_id) for i in sorted(ids)])


def apply(conn, order_id: str, t: Targets) -> PurgeResult:
    """Remove what the order names (inside the caller's transaction) and remember the ids.

    secure_delete is switched on first, so the freed cells are overwritten with zeros."""
    conn.execute("PRAGMA secure_delete = ON")
    ids = expand(conn, t)
    in_roots = set(t.roots)
    for ent in schema.ENTITIES.values():  # everything in the households, remembered in `purged`
        if ent.root not in (None, "id"):
            in_roots |= _ids(conn, f'SELECT id FROM "{ent.table}" WHERE "{ent.root}" IN ({{marks}})', t.roots)
    # by id (an index): also the changes a person brought from the household it lived in before
    res = _delete_ids(conn, ids | in_roots)
    if t.roots:  # what is left of the households' log (records of unknown kinds): one pass, no index
        res.changes += conn.execute("DELETE FROM changes WHERE root_id IN (SELECT value FROM json_each(?))",
                                    (json.dumps(sorted(t.roots)),)).rowcount
    _remember(conn, ids | in_roots, order_id)
    return res


def has_purged(conn) -> bool:
    return conn.execute("SELECT 1 FROM purged LIMIT 1").fetchone() is not None


def drop_purged(conn, changes: list, sweep: bool = False) -> tuple[list, int]:
    """The changes without those for purged records, and how many were dropped (inside the caller's
    transaction). A record that points at a purged one by an owning reference (an event of a purged
    case written offline) is purged here and now, and remembered. With `sweep` (a laptop's own unsent
    changes) the rows of records written again after their purge (a form left open) are removed too."""
    if not changes or not has_purged(conn):
        return changes, 0
    asked = {c.entity_id for c in changes} | {c.root_id for c in changes if c.root_id}
    asked |= {c.value for c in changes if c.field in OWNING_REFS and type(c.value) is str}
    gone: dict[str, str] = {}
    for chunk in _chunks(asked):
        gone.update(conn.execute(f"SELECT entity_id, order_id FROM purged WHERE entity_id IN "
                                 f"({','.join('?' * len(chunk))})", chunk).fetchall())
    if not gone:
        return changes, 0
    bad: dict[str, str] = {}
    for c in changes:
        hit = gone.get(c.entity_id) or (c.root_id and gone.get(c.root_id)) or (
            c.field in OWNING_REFS and type(c.value) is str and gone.get(c.value))
        if hit:
            bad[c.entity_id] = hit
    new = {e: o for e, o in bad.items() if e not in gone}
    if new or (sweep and bad):
        conn.execute("PRAGMA secure_delete = ON")
        _delete_ids(conn, set(bad if sweep else new))  # parts of it that arrived earlier
        conn.executemany("INSERT OR IGNORE INTO purged (entity_id, order_id) VALUES (?, ?)", sorted(new.items()))
    kept = [c for c in changes if c.entity_id not in bad]
    return kept, len(changes) - len(kept)


def order_applied(conn, order_id: str) -> bool:
    return conn.execute("SELECT 1 FROM purge_orders WHERE id = ?", (order_id,)).fetchone() is not None


def record_order(conn, order_id: str, basis: str, issued_at: int) -> None:
    conn.execute("INSERT OR IGNORE INTO purge_orders (id, basis, issued_at, applied_at) VALUES"
                 " (?, ?, ?, datetime('now'))", (order_id, basis, issued_at))


def unconfirmed_orders(conn) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM purge_orders WHERE confirmed = 0 ORDER BY issued_at, id")]


def mark_confirmed(conn, ids: list[str]) -> None:
    conn.executemany("UPDATE purge_orders SET confirmed = 1 WHERE id = ?", [(i,) for i in ids])


def scrub(conn, vacuum: bool = False) -> bool:
    """After a purge (outside a transaction): empty the WAL, whose frames still hold the pages as they
    were before (the database file holds only zeroed cells and pages: secure_delete, which SQLCipher
    has on by default, so older overwritten values are zeroed as well). `vacuum` also rebuilds the
    file (in memory, no temp file): it shrinks it, but costs about 30 s per 1.7 GB store and is not
    needed for the values to be gone. False if another connection kept the WAL busy (then old frames
    may remain until the next checkpoint)."""
    conn.execute("PRAGMA secure_delete = ON")
    if vacuum:
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("VACUUM")
    row = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not (row and row[0])
