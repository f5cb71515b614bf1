"""The hub's store as a replica for one enrolled device (`ReplicaStore`, app/replica/interface.py).

`HubReplica(hub, device)` is what the hub's push and pull do, as the interface the laptop's
`LocalReplica` implements too: `apply_page` merges a device's push (group-committed with
the pushes of other devices, each in a savepoint of its own), `outgoing` is the device's pull
page, `acknowledged` / `acknowledge` the device's pull cursor. `apply_push` is the body of one
push inside the group commit: scope check, the one merge (app.replica.merge), what runs after
every merge (app.after_merge), and the hub's bookkeeping of entities, scope and feeds.
"""

from __future__ import annotations

from typing import Sequence

from app.after_merge import after_merge
from app.replica.changelog import COLUMNS, Change, row_to_change
from app.replica.interface import Applied, Outgoing, ReplicaStore
from app.replica.merge import merge

from .. import protocol as P
from . import storage
from .storage import Device


class OutOfScope(Exception):
    """A push touches households of another office; nothing of it is written."""

    def __init__(self, roots: list[str]):
        super().__init__(f"{len(roots)} household(s) of another office this device may not change, e.g. {roots[0]}")
        self.roots = roots


def apply_push(hub, device: Device, changes: list[Change]) -> Applied:
    """One device's push, inside the caller's transaction (the group commit's savepoint)."""
    conn = hub.conn
    refused = storage.refused_roots(conn, device, changes)
    if refused:
        raise OutOfScope(refused)
    before = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
    out = Applied(merge=merge(conn, changes, check=False))  # checked already, more strictly
    written = list(changes)
    out.repaired = after_merge(hub.store, changes)
    if out.repaired:  # the hub's own changes: filed into the feeds like any others
        written += [row_to_change(r) for r in conn.execute(
            f"SELECT {COLUMNS} FROM changes WHERE seq > ? AND device_id = ?", (before, hub.store.device_id))]
    storage.record_entities(conn, written, before + 1)
    storage.update_scope(conn, storage.affected_roots(written))
    storage.append_feed(conn, before)
    conn.execute("UPDATE hub_devices SET pushed = pushed + ?, last_seen = ? WHERE id = ?",
                 (out.merge.applied, hub.now_ms(), device.id))
    return out


class HubReplica:
    def __init__(self, hub, device: Device):
        self.hub, self.device = hub, device

    @property
    def replica_id(self) -> str:
        return self.hub.store.device_id

    def apply_page(self, changes: Sequence[Change]) -> Applied:
        """The device's changes, merged in the next group commit (all or nothing)."""
        return self.hub.apply(self.device, list(changes))

    def page(self, after: int, limit: int) -> dict:
        """The device's pull page as the wire sends it (rows as JSON texts, `removed`, `more`)."""
        return self.hub.page(self.device, after, limit)

    def outgoing(self, after: int, limit: int) -> Outgoing:
        page = self.page(after, limit)
        return Outgoing(P.changes_from_rows(P.loads(P.dumps(page))["rows"], None), page["cursor"], page["more"])

    def acknowledged(self) -> int:
        row = self.hub.conn.execute("SELECT pull_cursor FROM hub_devices WHERE id = ?", (self.device.id,)).fetchone()
        return int(row[0] or 0) if row else 0

    def acknowledge(self, position: int) -> None:
        with self.hub.lock:
            self.hub.conn.execute("UPDATE hub_devices SET pull_cursor = ?, last_seen = ? WHERE id = ?",
                                  (position, self.hub.now_ms(), self.device.id))


def _implements_replica_store(r: HubReplica) -> ReplicaStore:  # checked by mypy
    return r
