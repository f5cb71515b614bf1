"""The one write path: every local write becomes change-log rows and current state.

`Repository(store).save("person", {...})` stamps the write with the device's
hybrid logical clock, logs one change per changed field (with the stamp of the
value it overwrites), and updates the domain table, all in one transaction.
Only fields whose value differs are logged. `delete` sets the tombstone.
Services in app/ build on this; nothing else writes domain tables.
Before anything is written, the changed fields pass the input hygiene of
app.hygiene (lengths, characters, plausible dates, no second appointment at
the same time); a write that fails raises app.hygiene.Refused (a
ValidationError) and writes nothing. Values that arrive by sync never come
through here.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from contextlib import contextmanager
from typing import Any, Iterator

import sqlcipher3

from i18n import _

from . import hygiene, schema
from .checks import is_datetime, is_pdate, parse_date
from .replica.changelog import Change, ChangeLog, read_row
from .replica.clock import HybridClock
from .store import DiskFull, StoreError


class Repository:
    def __init__(self, store, staff_id: str | None = None, *, today: _dt.date | None = None):
        """`today` is the day the hygiene rules judge dates by (None: the real today at each write)."""
        self.store = store
        self.today = today
        self.typed = True  # False while an import writes stored state (see app.hygiene.write_problems)
        self.conn = store.conn
        self.log = ChangeLog(self.conn)
        self.staff_id = staff_id if staff_id is not None else store.staff_id
        self.clock = clock_for(store)

    # -- transactions ---------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; nested uses join the outer one."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            last = self.store.meta("hlc_last")
            if last:  # what another connection of this store (the sync worker) has observed
                self.clock.observe(last)
            yield
            self.store.set_meta("hlc_last", self.clock.last)
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise write_error(exc) from exc

    # -- reads --------------------------------------------------------------
    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        return read_row(self.conn, schema.entity(entity), entity_id)

    def find(self, entity: str, include_deleted: bool = False, **where: Any) -> list[dict[str, Any]]:
        ent = schema.entity(entity)
        clauses, params = [], []
        for k, v in where.items():
            if k != "id" and k not in ent.field_map:
                raise KeyError(f"{entity} has no field {k!r}")
            clauses.append(f'"{k}" = ?')
            params.append(schema.to_column(ent.field_map[k], v) if k in ent.field_map else v)
        if not include_deleted:
            clauses.append("coalesce(deleted, 0) = 0")
        sql = f'SELECT id FROM "{ent.table}"' + (f" WHERE {' AND '.join(clauses)}" if clauses else "")
        rows = (read_row(self.conn, ent, r[0]) for r in self.conn.execute(sql, params))
        return [row for row in rows if row is not None]  # each id was just selected: None never happens

    # -- writes -------------------------------------------------------------
    def save(self, entity: str, values: dict[str, Any], entity_id: str | None = None) -> str:
        """Create (no id, or an id not yet stored) or update an entity; returns its id."""
        ent = schema.entity(entity)
        check_values(ent, values)
        with self.transaction():
            current = read_row(self.conn, ent, entity_id) if entity_id else None
            entity_id = entity_id or uuid.uuid4().hex
            if current is None:  # a new record is born with at least its tombstone flag
                changed = {k: v for k, v in values.items() if v is not None} or {"deleted": False}
            else:
                changed = {k: v for k, v in values.items() if current.get(k) != v}
            if not changed and current is not None:
                return entity_id
            problems = hygiene.write_problems(self.conn, entity, entity_id, changed, current,
                                              self.today or _dt.date.today(), typed=self.typed)
            if problems:
                raise hygiene.Refused(entity, problems)
            root = self._root(ent, entity_id, {**(current or {}), **values})
            stamp = self.clock.now()
            prev = self.log.stamps([(entity_id, f) for f in changed])
            changes = [
                Change(stamp, entity, entity_id, f, v, prev.get((entity_id, f)),
                       self.clock.device, self.staff_id, root)
                for f, v in changed.items()
            ]
            self.log.append(changes)
            self.log.make_current(changes)
        return entity_id

    def delete(self, entity: str, entity_id: str) -> None:
        self.save(entity, {"deleted": True}, entity_id)

    def _root(self, ent: schema.Entity, entity_id: str, values: dict[str, Any]) -> str | None:
        if ent.root is None:
            return None
        if ent.root == "id":
            return entity_id
        return values.get(ent.root)


def check_values(ent: schema.Entity, values: dict[str, Any]) -> None:
    """Schema-level checks (programming errors); user-facing validation lives in app.checks."""
    for k, v in values.items():
        f = ent.field_map.get(k)
        if f is None:
            raise KeyError(f"{ent.name} has no field {k!r}")
        if v is None:
            continue
        if f.choices and v not in f.choices:
            raise ValueError(f"{ent.name}.{k}: {v!r} is not one of {f.choices}")
        if f.kind in (schema.INT,) and (not isinstance(v, int) or isinstance(v, bool)):
            raise ValueError(f"{ent.name}.{k} must be an integer")
        if f.kind == schema.BOOL and not isinstance(v, bool):
            raise ValueError(f"{ent.name}.{k} must be true or false")
        if f.kind in (schema.TEXT, schema.DATE, schema.PDATE, schema.DATETIME, schema.REF) and not isinstance(v, str):
            raise ValueError(f"{ent.name}.{k} must be text")
        if f.kind in _FORMATS and not _FORMATS[f.kind][0](v):
            raise ValueError(f"{ent.name}.{k}: {v!r} is not {_FORMATS[f.kind][1]}")


_FORMATS = {  # stored dates are ISO text; people's input is parsed in app.checks before it gets here
    schema.DATE: (lambda v: parse_date(v) is not None, "a date YYYY-MM-DD"),
    schema.PDATE: (is_pdate, "a date YYYY, YYYY-MM or YYYY-MM-DD"),
    schema.DATETIME: (is_datetime, "a time YYYY-MM-DDTHH:MM"),
}


def write_error(exc: BaseException) -> BaseException:
    """A failed write as the user should hear of it: a full disk or a failing disk becomes a StoreError."""
    if isinstance(exc, sqlcipher3.OperationalError):
        text = str(exc).lower()
        if "full" in text:
            return DiskFull(_("The disk is full: nothing was saved. Free some space, then save again."))
        if "disk i/o" in text or "readonly" in text or "read-only" in text:
            return StoreError(_("The store could not be written ({reason}): nothing was saved.").format(reason=exc))
    return exc


def clock_for(store) -> HybridClock:
    """The store's clock (one per open store, so stamps stay monotonic)."""
    clock = getattr(store, "_clock", None)
    if clock is None:
        clock = HybridClock(store.device_id, store.meta("hlc_last"))
        store._clock = clock
    return clock

