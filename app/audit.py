"""Who read what: the access log of case views and exports (changes are in the change log).

Reads of personal data are attributable to a staff member (DOMAIN.md, data
protection). The log stays in the encrypted store and is not replicated.
"""

from __future__ import annotations

import datetime as _dt


def log_access(store, action: str, entity: str | None = None, entity_id: str | None = None) -> None:
    at = _dt.datetime.now().isoformat(timespec="seconds")
    in_tx = store.conn.in_transaction
    store.conn.execute(
        "INSERT INTO access_log (at, staff_id, action, entity, entity_id) VALUES (?, ?, ?, ?, ?)",
        (at, store.staff_id, action, entity, entity_id),
    )
    if not in_tx and store.conn.in_transaction:
        store.conn.execute("COMMIT")


def accesses(store, entity_id: str | None = None) -> list[dict]:
    sql = "SELECT at, staff_id, action, entity, entity_id FROM access_log"
    params: tuple = ()
    if entity_id:
        sql += " WHERE entity_id = ?"
        params = (entity_id,)
    keys = ("at", "staff_id", "action", "entity", "entity_id")
    return [dict(zip(keys, r, strict=True)) for r in store.conn.execute(sql + " ORDER BY seq", params)]
