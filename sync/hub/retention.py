"""Deletion orders at the hub: issue one (retention or Art. 17), serve them to devices, record confirmations.

`issue` runs in one transaction on the hub store: it writes the anonymised
remainder of each case (a global `anonymised_case`, filed for every office),
purges the records from the hub's own store (app.replica.purge, also the
hub's scope and feed rows of them), signs the order with the hub's TLS key
(sync.orders) and files it in the deletion register ``hub_orders`` with the
case numbers and the reason (these never leave the hub). Then the file is
scrubbed (VACUUM, WAL truncated). Devices fetch the orders they have not
confirmed (`pending`) at every sync, apply them and confirm (`confirm`).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field

from app import retention
from app.replica import purge
from app.repository import Repository
from sync import orders

from . import storage

MAX_ORDERS_PER_ANSWER = 8


@dataclass
class Issued:
    id: str
    basis: str
    cases: int
    records: int
    changes: int
    case_numbers: list[str] = field(default_factory=list)
    scrubbed: bool = True

    def to_dict(self) -> dict:
        return {"order": self.id, "basis": self.basis, "cases": self.cases, "records": self.records,
                "changes": self.changes, "case_numbers": self.case_numbers, "scrubbed": self.scrubbed}


def case_by_number(conn, number: str) -> str | None:
    row = conn.execute('SELECT id FROM "case" WHERE case_number = ?', (number.strip(),)).fetchone()
    return row[0] if row else None


def issue(store, private_key, basis: str, reason: str, case_ids: list[str], entity_ids: tuple[str, ...] | list[str] = (),
          day: dt.date | None = None) -> Issued:
    """Delete these cases (anonymised remainder kept) and single records at the hub and order every
    device to do the same."""
    if basis not in orders.BASES:
        raise ValueError(f"unknown basis {basis!r}")
    day = day or dt.date.today()
    conn = store.conn
    repo = Repository(store)  # the hub's own staff record writes the remainders
    order_id = secrets.token_hex(8)
    numbers = [r[0] or "" for cid in case_ids
               for r in conn.execute('SELECT case_number FROM "case" WHERE id = ?', (cid,))]
    with repo.transaction():
        before = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        for cid in case_ids:
            values = retention.remainder(conn, cid, basis, day)
            if values:
                repo.save("anonymised_case", values)
        storage.append_feed(conn, before)  # global: every office's laptops receive the remainders
        targets = purge.plan(conn, list(case_ids))
        targets.entities = sorted(set(entity_ids))
        res = purge.apply(conn, order_id, targets)
        _forget_in_hub_tables(conn, order_id, targets.roots)
        now = storage.now_ms()
        text = orders.make(order_id, store.meta("store_id"), now, basis, targets)
        conn.execute("INSERT INTO hub_orders (id, created_at, basis, reason, case_numbers, counts, doc, sig)"
                     " VALUES (?,?,?,?,?,?,?,?)",
                     (order_id, now, basis, reason, json.dumps(numbers), json.dumps(
                         {"cases": len(case_ids), "records": res.records, "changes": res.changes}),
                      text, orders.sign(private_key, text)))
    scrubbed = purge.scrub(conn)
    return Issued(order_id, basis, len(case_ids), res.records, res.changes, numbers, scrubbed)


def _forget_in_hub_tables(conn, order_id: str, roots: list[str]) -> None:
    """The hub's scope and feed rows of what was purged (ids only, but nothing should point at it)."""
    conn.execute("DELETE FROM hub_feed WHERE seq NOT IN (SELECT seq FROM changes)")
    conn.execute("DELETE FROM hub_root_entities WHERE entity_id IN (SELECT entity_id FROM purged WHERE order_id = ?)",
                 (order_id,))
    for table in ("hub_root_writers", "hub_scope", "hub_scope_exit"):
        conn.executemany(f"DELETE FROM {table} WHERE root_id = ?", [(r,) for r in roots])


def pending(conn, device_id: str, limit: int = MAX_ORDERS_PER_ANSWER) -> list[dict]:
    """Signed orders this device has not confirmed, oldest first."""
    rows = conn.execute("SELECT doc, sig FROM hub_orders o WHERE NOT EXISTS (SELECT 1 FROM hub_order_acks a"
                        " WHERE a.order_id = o.id AND a.device_id = ?) ORDER BY seq LIMIT ?",
                        (device_id, limit)).fetchall()
    return [{"doc": d, "sig": s} for d, s in rows]


def confirm(conn, device_id: str, ids: list[str]) -> int:
    known = [i for i in ids if conn.execute("SELECT 1 FROM hub_orders WHERE id = ?", (i,)).fetchone()]
    now = storage.now_ms()
    conn.executemany("INSERT OR IGNORE INTO hub_order_acks (order_id, device_id, at) VALUES (?,?,?)",
                     [(i, device_id, now) for i in known])
    return len(known)


def unconfirmed_by_device(conn) -> dict[str, list[str]]:
    """Per device (not revoked): the ids of orders it has not confirmed yet."""
    out: dict[str, list[str]] = {}
    for device_id, order_id in conn.execute(
            "SELECT d.id, o.id FROM hub_devices d JOIN hub_orders o WHERE d.revoked_at IS NULL AND NOT EXISTS"
            " (SELECT 1 FROM hub_order_acks a WHERE a.order_id = o.id AND a.device_id = d.id) ORDER BY o.seq"):
        out.setdefault(device_id, []).append(order_id)
    return out


def register(conn) -> list[dict]:
    """The deletion register: every order with its date, basis, reason, case numbers and counts."""
    cols = ("id", "created_at", "basis", "reason", "case_numbers", "counts")
    return [{**dict(zip(cols, r, strict=True)), "case_numbers": json.loads(r[4]), "counts": json.loads(r[5])}
            for r in conn.execute(f"SELECT {', '.join(cols)} FROM hub_orders ORDER BY seq")]
