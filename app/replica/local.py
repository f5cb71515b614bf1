"""A laptop's store as a replica (`ReplicaStore`): its own unacknowledged changes, the hub's
acknowledgement, the pull cursor, applying a pulled page and removing households that left
this laptop's scope.

The sync engine (sync/client.py) and the sealed change files reach the replicated tables only
through this object. State lives in the store's encrypted `meta` table: the log seq of the
newest own change the hub acknowledged (`sync.push_seq`, with that change's identity;
`sync.push_hlc` keeps its stamp for older readers), the hub's change-log seq pulled so far
(`sync.pull_cursor`) and households to remove once their last local edits are pushed
(`sync.purge_pending`).
"""

from __future__ import annotations

import json
from typing import Callable, Sequence

from .changelog import COLUMNS, PUSH_ROW_SQL, Change, row_to_change
from .interface import Applied, Outgoing, ReplicaStore
from .merge import merge
from .roots import remove_roots

K_PUSH, K_PULL = "sync.push_hlc", "sync.pull_cursor"
K_PURGE = "sync.purge_pending"
K_PUSH_SEQ = "sync.push_seq"  # "seq|entity_id|field|hlc" of the last own change the hub acknowledged

_UNACKED = "device_id = ? AND seq > ?"
# the next push batch: (count, last seq, rows as JSON texts joined by ","): up to `limit` own
# unacknowledged changes in log order, cut where the rows' UTF-8 text passes `max_bytes` (at least one).
# The rows are a prefix of the log in seq order, so the acknowledgement (the last seq) is exact;
# the order inside the text is the scan order (an ORDER BY inside group_concat would sort it
# again and cost more than the rest of the query; the hub's merge takes any order).
_BATCH_SQL = f"""SELECT count(*), max(seq), group_concat(r, ',') FROM (
    SELECT seq, r, row_number() OVER w AS n, sum(length(CAST(r AS BLOB)) + 1) OVER w AS size FROM (
        SELECT seq, {PUSH_ROW_SQL} AS r FROM changes WHERE {_UNACKED} ORDER BY seq LIMIT ?)
    WINDOW w AS (ORDER BY seq ROWS UNBOUNDED PRECEDING)) WHERE n = 1 OR size <= ?"""

AfterMerge = Callable[[object, Sequence[Change]], int]  # (store, merged changes) -> records repaired


class LocalReplica:
    """`after_merge(store, changes)` runs after each merged page inside its transaction
    (app.after_merge: references re-pointed to merge survivors); `clock` observes pulled stamps."""

    def __init__(self, store, clock=None, after_merge: AfterMerge | None = None):
        self.store = store
        self.conn = store.conn
        self.clock = clock
        self.after_merge = after_merge

    @property
    def replica_id(self) -> str:
        return self.store.device_id

    # -- what goes to the hub ------------------------------------------------------
    def acknowledged(self) -> int:
        """Log seq up to which the hub acknowledged this laptop's own changes.

        The seq is checked against the identity of the change stored with it: if
        that row is gone and its seq could have been reused (a change-log row
        deleted by something other than `remove_roots`), everything own is sent
        again, which the hub absorbs as duplicates. Stamps are not used as the
        cursor because two store objects (GUI and a worker) have two clocks.
        """
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (K_PUSH_SEQ,)).fetchone()
        if not row:
            return 0
        seq, _sep, ident = row[0].partition("|")
        found = self.conn.execute("SELECT entity_id, field, hlc FROM changes WHERE seq = ?", (int(seq),)).fetchone()
        return int(seq) if found and "|".join(found) == ident else 0

    def acknowledge(self, position: int) -> None:
        """The hub has every own change up to log seq `position` (stored with that change's identity)."""
        row = self.conn.execute("SELECT seq, entity_id, field, hlc FROM changes WHERE seq = ?",
                                (position,)).fetchone()
        if row is None:
            raise ValueError(f"no change-log row {position}")
        seq, entity_id, field, hlc = row
        self.conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                              [(K_PUSH_SEQ, f"{seq}|{entity_id}|{field}|{hlc}"), (K_PUSH, hlc)])

    def waiting(self) -> int:
        """Own changes the hub has not acknowledged yet."""
        return self.conn.execute(f"SELECT count(*) FROM changes WHERE {_UNACKED}",
                                 (self.replica_id, self.acknowledged())).fetchone()[0]

    def outgoing(self, after: int, limit: int) -> Outgoing:
        rows = self.conn.execute(f"SELECT seq, {COLUMNS} FROM changes WHERE {_UNACKED} ORDER BY seq LIMIT ?",
                                 (self.replica_id, after, limit + 1)).fetchall()
        page = rows[:limit]
        return Outgoing([row_to_change(r[1:]) for r in page], page[-1][0] if page else after, len(rows) > limit)

    def push_batch(self, after: int, limit: int, max_bytes: int) -> tuple[int, int | None, str | None]:
        """The next push batch as wire rows built by SQLite in one step: (count, last seq, rows
        joined by ","). Fetching 50,000 rows one by one hands the GIL over per row, which made
        four laptops syncing from one process ten times slower than one."""
        return self.conn.execute(_BATCH_SQL, (self.replica_id, after, limit, max_bytes)).fetchone()

    def unacked(self, columns: str = COLUMNS, limit: int = -1) -> list[tuple]:
        """Own changes the hub has not acknowledged, in push order (also for sealed files)."""
        return self.conn.execute(f"SELECT {columns} FROM changes WHERE {_UNACKED} ORDER BY seq LIMIT ?",
                                 (self.replica_id, self.acknowledged(), limit)).fetchall()

    def unpushed_in(self, roots: Sequence[str]) -> bool:
        """Whether any of these households has own changes the hub has not acknowledged."""
        if not roots:
            return False
        q = f"SELECT 1 FROM changes WHERE {_UNACKED} AND root_id IN ({','.join('?' * len(roots))}) LIMIT 1"
        return self.conn.execute(q, (self.replica_id, self.acknowledged(), *roots)).fetchone() is not None

    # -- what comes from the hub ---------------------------------------------------
    def cursor(self) -> int:
        """The hub change-log seq pulled so far."""
        return int(self.store.meta(K_PULL, "0"))

    def pending_removals(self) -> list[str]:
        return json.loads(self.store.meta(K_PURGE, "[]"))

    def apply_page(self, changes: Sequence[Change], removed: Sequence[str] = (),
                   cursor: int | None = None) -> Applied:
        """Merge a pulled page, repair references, remove the households that left this scope
        (those with unsent own edits wait until they are pushed) and advance the cursor: one
        transaction, so a crash repeats at most this page, which merges to the same state."""
        out = Applied()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            out.merge = merge(self.conn, list(changes), self.clock)
            if self.after_merge is not None and changes:
                out.repaired = self.after_merge(self.store, changes)
            gone = [r for r in removed if not self.unpushed_in([r])]
            out.removed = self.remove_roots(gone)
            if len(gone) < len(removed):  # edited just now: removed after the next push
                later = set(self.pending_removals()) | (set(removed) - set(gone))
                self.store.set_meta(K_PURGE, json.dumps(sorted(later)))
            if cursor is not None:
                self.store.set_meta(K_PULL, str(cursor))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return out

    def remove_pending(self) -> int:
        """Remove the households that left while they had unsent edits, once those were pushed."""
        pending = self.pending_removals()
        if not pending:
            return 0
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            keep = [r for r in pending if self.unpushed_in([r])]
            n = self.remove_roots([r for r in pending if r not in keep])
            self.store.set_meta(K_PURGE, json.dumps(keep))
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return n

    def remove_roots(self, roots: Sequence[str]) -> int:
        """Remove households that left this office's scope (app.replica.roots), then re-point the
        push cursor past the log rows that went with them. Runs inside the caller's transaction."""
        present = remove_roots(self.conn, list(roots))
        self._repoint_acked()
        return present

    def _repoint_acked(self) -> None:
        """After deleting log rows: point the push cursor at the newest surviving row at or below it.

        Nothing between that row and the old cursor survives, so the cursor means
        the same; and the next new row gets a seq above it even when the deleted
        rows were the newest in the log (SQLite reuses the highest rowids).
        """
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (K_PUSH_SEQ,)).fetchone()
        if not row:
            return
        seq = int(row[0].partition("|")[0])
        keep = self.conn.execute("SELECT seq, entity_id, field, hlc FROM changes WHERE seq <= ?"
                                 " ORDER BY seq DESC LIMIT 1", (seq,)).fetchone()
        if keep is None:
            self.conn.execute("DELETE FROM meta WHERE key = ?", (K_PUSH_SEQ,))
        elif keep[0] != seq:
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                              (K_PUSH_SEQ, f"{keep[0]}|{keep[1]}|{keep[2]}|{keep[3]}"))


def _implements_replica_store(r: LocalReplica) -> ReplicaStore:  # checked by mypy
    return r
