"""Sending the laptop's audit trail to the hub, after the changes, in every sync.

Entries after the last one the hub acknowledged go out in batches with the
laptop's current head (n, hash), so the hub can tell a continuation from a
rewrite or a chain cut short (sync/hub/audit.py). The acknowledgement is kept
per hub in the store's meta table. A hub that refuses the trail does not fail
the sync: the summary carries a warning naming the refusal (the hub logs it).
"""

from __future__ import annotations

from app import audit
from i18n import _

from .transport import Refused

K_AUDIT = "sync.audit_acked"  # "hub_id|n": the last own audit entry the hub acknowledged
BATCH = 2000


def _acked(store) -> int:
    hub, _sep, n = (store.meta(K_AUDIT) or "").partition("|")
    return int(n) if hub and hub == store.meta("sync.hub_id") and n.isdigit() else 0


def push_audit(store, transport, summary) -> int:
    """Send unacknowledged entries; returns how many the hub accepted."""
    conn = store.conn
    head = conn.execute("SELECT n, hash FROM audit_trail ORDER BY n DESC LIMIT 1").fetchone() or (0, audit.GENESIS)
    acked, sent = _acked(store), 0
    while acked < head[0]:
        batch = audit.entries(conn, after=acked, limit=BATCH)
        try:
            resp = transport.post("/audit", {"v": 1, "entries": batch, "head": [head[0], head[1]]})
        except Refused as exc:
            if exc.status != 404:  # 404: a hub of an older version, which keeps no audit trail
                summary.warnings.append(_("The hub did not accept this laptop's audit trail: {reason}").format(
                    reason=str(exc)))
            return sent
        last = resp.get("last")
        if type(last) is not int or last <= acked:
            break
        sent += int(resp.get("accepted") or 0)
        acked = min(last, head[0])
        store.set_meta(K_AUDIT, f"{store.meta('sync.hub_id')}|{acked}")
    return sent
