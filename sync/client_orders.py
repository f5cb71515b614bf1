"""The laptop's side of deletion orders: fetch, verify, apply (purge), scrub and confirm.

Called by the sync engine after hello and before the push, so the laptop's
own unsent edits of a purged case are dropped with it and never reach the hub
(which would drop them too). Each order is applied in one transaction with
its record in ``purge_orders``, so a crash repeats nothing twice and an order
applied earlier but not yet confirmed is confirmed at the next sync. Orders
are verified against the certificate pinned at enrollment (sync.orders).
"""

from __future__ import annotations

from typing import Callable

from app.replica import purge
from app.replica.changelog import Change
from i18n import _
from sync import orders
from sync import protocol as P

from .transport import SyncError, Transport

K_LEASE = "sync.lease_days"  # the offline lease the hub announces (app.lease reads it)


def store_lease(store, answer: dict) -> None:
    days = answer.get("lease_days")
    if type(days) is int and 0 < days <= 3650 and store.meta(K_LEASE) != str(days):
        store.set_meta(K_LEASE, str(days))


def apply_orders(store, t: Transport, summary, after_delete: Callable[[object], None],
                 unsent: Callable[[], list[Change]]) -> None:
    """Apply every order the hub holds for this device; `after_delete(conn)` repairs the push cursor
    after change-log rows went (app.replica.local.LocalReplica.repoint_acked), `unsent()` gives the own
    changes not yet pushed. The hub answers a few orders at a time: ask again after
    confirming until it has none left."""
    seen: set[str] = set()
    before = summary.orders
    while True:
        answer = t.post("/orders", {"v": P.PROTOCOL})
        items = answer.get("orders")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise SyncError(_("The hub sent an answer this version does not understand."))
        store_lease(store, answer)
        ids = [_apply_one(store, item, summary, after_delete) for item in items]
        _confirm(store, t)
        if not ids or seen.issuperset(ids):
            swept = sweep_unsent(store, unsent, after_delete)
            if summary.orders > before or swept:  # once, after all of them: VACUUM rewrites the whole file
                purge.scrub(store.conn)
            return
        seen.update(ids)


def sweep_unsent(store, unsent: Callable[[], list[Change]], after_delete: Callable[[object], None]) -> int:
    """Before a push: remove own unsent changes (and their records) for purged records, e.g. a form
    that was open while the order was applied and saved afterwards. Returns how many changes went."""
    conn = store.conn
    if not purge.has_purged(conn):
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        _kept, dropped = purge.drop_purged(conn, unsent(), sweep=True)
        if dropped:
            after_delete(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return dropped


def _apply_one(store, item: dict, summary, after_delete) -> str:
    conn = store.conn
    try:
        doc, targets = orders.verify(store.meta("sync.hub_cert"), store.meta("sync.hub_id"),
                                     item.get("doc"), item.get("sig"))
    except orders.OrderError as exc:
        raise SyncError(_("The hub sent a deletion order that cannot be verified ({reason}); "
                          "nothing was deleted. Ask the central office.").format(reason=exc)) from None
    if purge.order_applied(conn, doc["id"]):
        return doc["id"]
    conn.execute("BEGIN IMMEDIATE")
    try:
        res = purge.apply(conn, doc["id"], targets)
        after_delete(conn)
        purge.record_order(conn, doc["id"], doc["basis"], doc["issued_at"])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    summary.purged += res.records
    summary.orders += 1
    return doc["id"]


def _confirm(store, t: Transport) -> None:
    unconfirmed = purge.unconfirmed_orders(store.conn)[:1000]
    if unconfirmed:
        t.post("/orders/confirm", {"v": P.PROTOCOL, "ids": unconfirmed})
        purge.mark_confirmed(store.conn, unconfirmed)
