"""The change log and the primitive that makes changes the current state.

A `Change` is one field of one entity set to one value at one HLC stamp, with
the stamp of the value it overwrote (`prev_hlc`). The log (`changes` table) is
what replicates and what the audit trail reads; the domain tables are the
current state. Deciding *which* changes win is the merge's job (app.replica.merge for
remote changes, the repository for local ones); this module only stores.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, NamedTuple

from .. import schema
from ..search import DERIVED

_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) makes of a str
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def dump_value(value: Any) -> str:
    """A field value as stored in the log: ``json.dumps(value, ensure_ascii=False, sort_keys=True)``.

    The same text on every replica (the merge compares stored values); strings,
    booleans and null, nearly every value, skip json.dumps' per-call set-up.
    """
    t = type(value)
    if t is str:
        return _encode_str(value)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    return _encode(value)


class Change(NamedTuple):
    """One field of one entity set to one value at one stamp (a tuple: cheap to make by the 100,000)."""

    hlc: str
    entity: str
    entity_id: str
    field: str
    value: Any
    prev_hlc: str | None
    device_id: str
    staff_id: str | None
    root_id: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.entity_id, self.field)

    def to_dict(self) -> dict:
        return dict(zip(self._fields, self, strict=True))

    @classmethod
    def from_dict(cls, d: dict) -> "Change":
        values: list[Any] = [d.get(k) for k in cls._fields]  # unchecked until check_change
        return cls(*values)

    def as_row(self) -> tuple:
        hlc, entity, entity_id, field, value, prev_hlc, device_id, staff_id, root_id = self
        return (hlc, entity, entity_id, field, dump_value(value), prev_hlc, device_id, staff_id, root_id)


COLUMNS = "hlc, entity, entity_id, field, value, prev_hlc, device_id, staff_id, root_id"  # a Change, in order
# SQL expressions that give a stored change as a wire row of the sync protocol (value is stored as JSON
# text): a push row leaves the device out (the hub knows who pushes), a pull row names it
PUSH_ROW_SQL = "json_array(hlc, entity, entity_id, field, json(value), prev_hlc, staff_id, root_id)"
PULL_ROW_SQL = "json_array(hlc, entity, entity_id, field, json(value), prev_hlc, device_id, staff_id, root_id)"



def row_to_change(row) -> Change:
    hlc, entity, entity_id, field, value, prev_hlc, device_id, staff_id, root_id = row
    return Change(hlc, entity, entity_id, field, json.loads(value) if value is not None else None,
                  prev_hlc, device_id, staff_id, root_id)


class ChangeLog:
    """Reads and writes the `changes`, `field_state` and domain tables of one connection."""

    def __init__(self, conn):
        self.conn = conn

    def append(self, changes: Iterable[Change]) -> int:
        """Log changes; ones already logged (same entity, field, stamp) are skipped. Returns how many were new."""
        before = self.conn.total_changes
        self.conn.executemany(
            f"INSERT OR IGNORE INTO changes ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
            [c.as_row() for c in changes],
        )
        return self.conn.total_changes - before

    def stamp(self, entity_id: str, field: str) -> str | None:
        row = self.conn.execute(
            "SELECT hlc FROM field_state WHERE entity_id = ? AND field = ?", (entity_id, field)
        ).fetchone()
        return row[0] if row else None

    def stamps(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Current stamps for (entity_id, field) pairs; missing pairs are absent."""
        out: dict[tuple[str, str], str] = {}
        ids = sorted({k[0] for k in keys})
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = f"SELECT entity_id, field, hlc FROM field_state WHERE entity_id IN ({','.join('?' * len(chunk))})"
            for eid, fld, hlc in self.conn.execute(q, chunk):
                out[(eid, fld)] = hlc
        return out

    def change_at(self, entity_id: str, field: str, hlc: str) -> Change | None:
        row = self.conn.execute(
            f"SELECT {COLUMNS} FROM changes WHERE entity_id = ? AND field = ? AND hlc = ?",
            (entity_id, field, hlc),
        ).fetchone()
        return row_to_change(row) if row else None

    def make_current(self, changes: Iterable[Change]) -> None:
        """Set field stamps and domain-table values to these (winning) changes."""
        changes = list(changes)
        if not changes:
            return
        self.conn.executemany(
            "INSERT OR REPLACE INTO field_state (entity_id, field, hlc) VALUES (?, ?, ?)",
            [(c.entity_id, c.field, c.hlc) for c in changes],
        )
        by_row: dict[tuple[str, str], dict[str, Any]] = {}
        for c in changes:
            by_row.setdefault((c.entity, c.entity_id), {})[c.field] = c.value
        for (entity_name, entity_id), values in by_row.items():
            write_row(self.conn, schema.entity(entity_name), entity_id, values)

    def since(self, after_seq: int, limit: int = 1000) -> list[tuple[int, Change]]:
        rows = self.conn.execute(
            f"SELECT seq, {COLUMNS} FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", (after_seq, limit)
        ).fetchall()
        return [(r[0], row_to_change(r[1:])) for r in rows]

    def history(self, entity_id: str) -> list[Change]:
        rows = self.conn.execute(
            f"SELECT {COLUMNS} FROM changes WHERE entity_id = ? ORDER BY hlc", (entity_id,)
        ).fetchall()
        return [row_to_change(r) for r in rows]


def write_row(conn, ent: schema.Entity, entity_id: str, values: dict[str, Any]) -> None:
    """Upsert the given fields of one domain row (unknown fields of newer schemas are ignored)."""
    known = {k: v for k, v in values.items() if k in ent.field_map}
    if known:
        cols = list(known)
        quoted = ", ".join(f'"{c}"' for c in cols)
        params = [schema.to_column(ent.field_map[c], known[c]) for c in cols]
        updates = ", ".join(f'"{c}" = excluded."{c}"' for c in cols)
        conn.execute(
            f'INSERT INTO "{ent.table}" (id, {quoted}) VALUES (?, {", ".join("?" * len(cols))}) '
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            [entity_id, *params],
        )
    else:
        conn.execute(f'INSERT OR IGNORE INTO "{ent.table}" (id) VALUES (?)', (entity_id,))
    derive = DERIVED.get(ent.name)
    if derive:
        derive(conn, entity_id)


def read_row(conn, ent: schema.Entity, entity_id: str) -> dict[str, Any] | None:
    cols = ", ".join(f'"{c}"' for c in ent.column_names())
    row = conn.execute(f'SELECT id, {cols} FROM "{ent.table}" WHERE id = ?', (entity_id,)).fetchone()
    if row is None:
        return None
    out = {"id": row[0]}
    for f, v in zip(ent.fields, row[1:], strict=True):
        out[f.name] = schema.from_column(f, v)
    return out
