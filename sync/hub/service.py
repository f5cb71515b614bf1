"""What the hub does for a request, without HTTP: authenticate, push, pull, enroll.

Writes: one SQLCipher connection and one lock (SQLite has one writer anyway).
Pushes are group-committed: a push is queued, and whoever holds the write lock
applies every queued push in one transaction, each inside its own savepoint
(sync/hub/replica.py: merge + repairs + scope + feed + device counters), so a refused push writes nothing and
concurrent laptops share one commit (each commit re-encrypts every dirty page).
Pulls run on a small pool of reader connections, each page inside one read
transaction: a page and its cursor are one consistent snapshot, and pulls do
not wait for pushes (WAL).

Scope of a pull (office O, cursor c, page end e):
* changes filed under O or "*" (global) in ``hub_feed`` with seq in (c, e]
  whose household is in O's scope now;
* for households that entered O's scope at a seq in (c, e] (moved to O or
  shared with O): their history up to e ("backfill"), unless this device is
  the only one that ever wrote to them;
* ``removed``: households that left O's scope at a seq in (c, e] and are not
  in it now; the laptop deletes them locally (they stay at the hub).
A device never receives its own changes back (except in the backfill of a
household that returns to its office). ZIP (central office) sees all.
"""

from __future__ import annotations

import gc
import os
import queue
import threading
import time

from app.replica.changelog import Change
from app.replica.clock import DAY_MS
from app.replica.interface import Applied
from app.replica.merge import MergeError
from sync import protocol as P

from . import storage
from .replica import HubReplica, OutOfScope, apply_push
from .storage import CENTRAL, Device

NONCE_SWEEP_EVERY = 500
WAL_PAGES = 50_000  # automatic checkpoint only past ~200 MB of WAL
MAX_NEW_ROOTS = 1000  # households backfilled per pull page
_COLS = f"c.seq, {P.PULL_ROW_SQL}"
GROUP_CHANGES = 200_000  # most changes applied in one group commit
READERS = 2  # connections serving pulls next to the one writer
READER_CACHE_MB = 256


class Refused(Exception):
    """A refusal with an HTTP status, a machine code and a reason for people."""

    def __init__(self, status: int, code: str, reason: str):
        super().__init__(reason)
        self.status, self.code, self.reason = status, code, reason


class GCPause:
    """Pause Python's cyclic garbage collector while pushes are parsed and merged (re-entrant, thread-safe).

    A push of 50,000 changes makes hundreds of thousands of container objects
    (parsed rows, changes, row tuples) that form no cycles and are freed by
    reference counting; with the collector on, its generational passes walk
    them over and over (about 15 % of the hub's CPU in bench_sync). The
    collector resumes as soon as no push is in flight.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._active = 0
        self._resume = False

    def __enter__(self):
        with self._lock:
            if self._active == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._active += 1
        return self

    def __exit__(self, *exc):
        with self._lock:
            self._active -= 1
            if self._active == 0 and self._resume:
                gc.enable()


class Hub:
    """`stamp_margin_ms` / `max_clock_ahead_ms`: how far past a device's declared clock, and past
    hub time at most, a pushed stamp may lie (protocol.STAMP_MARGIN_MS, MAX_CLOCK_AHEAD_MS)."""

    def __init__(self, store, wall=time.time, stamp_margin_ms: int = P.STAMP_MARGIN_MS,
                 max_clock_ahead_ms: int = P.MAX_CLOCK_AHEAD_MS):
        self.store = store
        self.conn = store.conn
        self.lock = threading.Lock()
        self.wall = wall
        self.stamp_margin_ms, self.max_clock_ahead_ms = stamp_margin_ms, max_clock_ahead_ms
        self._requests = 0
        self.hub_id = store.meta("store_id")
        tune(self.conn)
        self._last_write = time.monotonic()
        self._stop = threading.Event()
        self._readers: queue.Queue = queue.Queue()
        self._queue: list[_Job] = []
        self._queue_lock = threading.Lock()
        self._reader_count = 0
        self.gc_pause = GCPause()  # held by the HTTP layer from parsing a push body to the answer

    # -- housekeeping ----------------------------------------------------------------
    def start_checkpointer(self, idle_s: float = 2.0) -> None:
        """Checkpoint the WAL on a second connection whenever the hub has been idle for `idle_s`."""
        conn = self.store.reopen().conn

        def loop():
            dirty = False
            while not self._stop.wait(0.5):
                if self._last_write > time.monotonic() - idle_s:
                    dirty = True
                elif dirty:
                    try:
                        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                        dirty = False
                    except Exception:  # busy: try again at the next idle moment
                        pass
            conn.close()

        threading.Thread(target=loop, name="wal-checkpoint", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        while not self._readers.empty():
            self._readers.get().close()

    def now_ms(self) -> int:
        return int(self.wall() * 1000)

    # -- authentication ----------------------------------------------------------
    def authenticate(self, method: str, path: str, headers, body: bytes) -> Device:
        device_id = headers.get(P.H_DEVICE)
        t, nonce, sig = headers.get(P.H_TIME), headers.get(P.H_NONCE), headers.get(P.H_SIG)
        if not (device_id and t and nonce and sig):
            raise Refused(401, "unsigned", "the request is not signed")
        if len(device_id) > P.MAX_ID or len(nonce) > 64 or len(nonce) < 16 or len(sig) > 200:
            raise Refused(401, "bad_signature", "malformed signature headers")
        try:
            t_ms = int(t)
        except ValueError:
            raise Refused(401, "bad_signature", "malformed timestamp") from None
        with self.lock:
            device = storage.get_device(self.conn, device_id)
        if device is None:
            raise Refused(401, "unknown_device", "this device is not enrolled at this hub")
        if not P.verify(device.public_key, sig, P.signing_input(method, path, body, t, nonce, device_id)):
            raise Refused(401, "bad_signature", "the signature does not match the request")
        if device.revoked_at is not None:
            raise Refused(403, "revoked", f"this device has been shut out ({device.revoke_reason or 'revoked'})")
        now = self.now_ms()
        if abs(now - t_ms) > P.MAX_SKEW_MS:
            raise Refused(401, "stale", "the request timestamp is too far from hub time")
        with self.lock:
            try:
                self.conn.execute("INSERT INTO hub_nonces (device_id, nonce, at) VALUES (?,?,?)",
                                  (device_id, nonce, t_ms))
            except Exception as exc:  # sqlcipher3.IntegrityError: seen before
                if "UNIQUE" in str(exc) or "constraint" in str(exc).lower():
                    raise Refused(401, "replay", "this request has been seen before") from None
                raise
            self._requests += 1
            if self._requests % NONCE_SWEEP_EVERY == 0:
                self.conn.execute("DELETE FROM hub_nonces WHERE at < ?", (now - 3 * P.MAX_SKEW_MS,))
        return device

    # -- enroll ------------------------------------------------------------------
    def enroll(self, doc: dict) -> dict:
        code, pub, replica, name, proof = (doc.get(k) for k in ("code", "public_key", "replica_id", "name", "proof"))
        if not (isinstance(code, str) and isinstance(pub, str) and isinstance(replica, str)
                and isinstance(proof, str)) or len(code) > 64:
            raise P.ProtocolError("enroll needs code, public_key, replica_id and proof")
        if not isinstance(name, str):
            name = ""
        if not replica or len(replica) > P.MAX_ID or "-" in replica:
            raise P.ProtocolError("bad replica id")
        key = P.unb64(pub)
        if len(key) != 32:
            raise P.ProtocolError("bad public key")
        if not P.verify(key, proof, P.enroll_proof_input(code, replica)):
            raise Refused(401, "bad_signature", "the proof of key possession does not match")
        with self.lock:
            try:
                out = storage.redeem_code(self.conn, code, key, replica, name[:100])
            except storage.EnrollRefused as exc:
                raise Refused(403, exc.code, exc.reason) from None
        return {**out, "hub_id": self.hub_id, "protocol": P.PROTOCOL}

    def hello(self, device: Device) -> dict:
        with self.lock:
            max_seq = self.conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        return {"device_id": device.id, "office": device.office, "name": device.name, "hub_id": self.hub_id,
                "time": self.now_ms(), "max_seq": max_seq, "protocol": P.PROTOCOL,
                "stamp_margin_ms": self.stamp_margin_ms, "max_clock_ahead_ms": self.max_clock_ahead_ms}

    # -- push ----------------------------------------------------------------------
    def push(self, device: Device, doc: dict) -> dict:
        rows = doc.get("rows") if isinstance(doc, dict) else None
        if doc.get("v") != P.PROTOCOL or not isinstance(rows, list):
            raise P.ProtocolError("push needs v=1 and rows")
        if len(rows) > P.MAX_ROWS:
            raise Refused(413, "too_large", f"at most {P.MAX_ROWS} changes per push")
        clock = doc.get("clock")
        with self.gc_pause:
            return self._push(device, rows, clock if P.is_seq(clock) else None)

    def stamp_bound_ms(self, device_clock_ms: int | None) -> int:
        """The latest stamp (wall ms) a push may carry: the device's own clock as it declares it
        (never less than hub time, never more than max_clock_ahead_ms past it) plus the margin."""
        now = self.now_ms()
        ahead = 0 if device_clock_ms is None else min(max(device_clock_ms - now, 0), self.max_clock_ahead_ms)
        return now + ahead + self.stamp_margin_ms

    def _push(self, device: Device, rows: list, device_clock_ms: int | None = None) -> dict:
        changes = P.changes_from_rows(rows, device.replica_id)
        skew = 0
        if changes:
            newest = int(max(c.hlc for c in changes)[:13])
            bound = self.stamp_bound_ms(device_clock_ms)
            if newest > bound:
                late = sum(int(c.hlc[:13]) > bound for c in changes)
                raise Refused(400, "stamp_ahead", f"{late} change(s) stamped {_span(newest - self.now_ms())} "
                              f"ahead of hub time; allowed here: {_span(bound - self.now_ms())}")
            skew = newest - self.now_ms()
        res = self.apply(device, changes).merge
        return {"received": res.received, "new": res.applied, "duplicates": res.duplicates,
                "conflicts": res.conflicts, "skew_ms": skew}

    def replica(self, device: Device) -> HubReplica:
        """The hub's store as the replica `device` syncs with (app.replica.interface)."""
        return HubReplica(self, device)

    def apply(self, device: Device, changes: list[Change]) -> Applied:
        """Merge a device's changes in the next group commit; raises what refused them."""
        job = _Job(device, changes)
        with self._queue_lock:
            self._queue.append(job)
        with self.lock:  # group commit: whoever holds the lock applies every push queued meanwhile
            while not job.done:  # a group takes at most GROUP_CHANGES: ours may be left for the next one
                self._apply_queued()
        if isinstance(job.error, (UnicodeError, OverflowError)):  # e.g. a lone surrogate in a text
            raise P.ProtocolError(f"a value cannot be stored ({type(job.error).__name__})")
        if job.error is not None:
            raise job.error
        if job.result is None:  # a done job has a result or an error
            raise RuntimeError("a push was marked done without a result")
        return job.result

    def _apply_queued(self) -> None:
        """Apply queued pushes in one transaction, each in its own savepoint (all or nothing per push)."""
        with self._queue_lock:
            jobs: list[_Job] = []
            size = 0
            while self._queue and (not jobs or size + len(self._queue[0].changes) <= GROUP_CHANGES):
                jobs.append(self._queue.pop(0))
                size += len(jobs[-1].changes)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for job in jobs:
                conn.execute("SAVEPOINT push")
                try:
                    try:
                        job.result = apply_push(self, job.device, job.changes)
                    except OutOfScope as exc:
                        raise Refused(403, "out_of_scope", str(exc)) from None
                    conn.execute("RELEASE push")
                except Exception as exc:
                    conn.execute("ROLLBACK TO push")
                    conn.execute("RELEASE push")
                    job.error = exc
            conn.execute("COMMIT")
        except BaseException as exc:
            conn.execute("ROLLBACK")
            for job in jobs:
                job.error, job.result = (exc if isinstance(exc, Exception) else RuntimeError("interrupted")), None
            raise
        finally:
            for job in jobs:
                job.done = True
            self._last_write = time.monotonic()

    # -- pull ----------------------------------------------------------------------
    def pull(self, device: Device, doc: dict) -> dict:
        cursor, limit = doc.get("cursor"), doc.get("limit", P.PULL_PAGE)
        if doc.get("v") != P.PROTOCOL or not P.is_seq(cursor) or not P.is_seq(limit) or limit < 1:
            raise P.ProtocolError("pull needs v=1, 0 <= cursor < 2^63 and limit >= 1")
        limit = min(limit, P.PULL_PAGE)
        replica = self.replica(device)
        page = replica.page(cursor, limit)
        replica.acknowledge(page["cursor"])
        return page

    def page(self, device: Device, cursor: int, limit: int) -> dict:
        """A pull page for `device` after `cursor`, read in one snapshot on a reader connection."""
        conn = self._reader()
        try:
            conn.execute("BEGIN")  # one read snapshot for the page; pushes go on meanwhile (WAL)
            try:
                page = self._page(conn, device, cursor, limit)
            finally:
                conn.execute("COMMIT")
        finally:
            self._readers.put(conn)
        return page

    def _reader(self):
        """A read-only connection from a small pool (created on first use)."""
        with self.lock:
            while self._reader_count < READERS:
                conn = self.store.reopen().conn
                conn.execute(f"PRAGMA cache_size = {-READER_CACHE_MB * 1024}")
                self._readers.put(conn)
                self._reader_count += 1
        return self._readers.get()

    def _page(self, conn, device: Device, c: int, limit: int) -> dict:
        max_seq = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        office = device.office
        if office == CENTRAL:
            rows = conn.execute(
                f"SELECT {_COLS} FROM changes c WHERE seq > ? AND device_id != ? ORDER BY seq LIMIT ?",
                (c, device.replica_id, limit)).fetchall()
            end = rows[-1][0] if len(rows) == limit else max_seq
            return {"rows": P.RawRows(r[1] for r in rows), "cursor": end, "more": end < max_seq, "removed": [],
                    "max_seq": max_seq, "time": self.now_ms()}
        feed = (f"SELECT {_COLS} FROM hub_feed f JOIN changes c ON c.seq = f.seq WHERE f.office = ? AND f.seq > ?"
                " AND f.origin != ? AND (c.root_id IS NULL OR c.root_id IN"
                " (SELECT root_id FROM hub_scope WHERE office = ?)) ORDER BY f.seq LIMIT ?")
        rows = sorted(conn.execute(feed, (office, c, device.replica_id, office, limit)).fetchall()
                      + conn.execute(feed, ("*", c, device.replica_id, office, limit)).fetchall())[:limit]
        end = rows[-1][0] if len(rows) == limit else max_seq
        new_roots = conn.execute(
            "SELECT root_id, since_seq FROM hub_scope WHERE office = ? AND since_seq > ? AND since_seq <= ?"
            " ORDER BY since_seq, root_id", (office, c, end)).fetchall()
        if len(new_roots) > MAX_NEW_ROOTS:
            end = new_roots[MAX_NEW_ROOTS - 1][1]
            new_roots = [r for r in new_roots if r[1] <= end]
            rows = [r for r in rows if r[0] <= end]
        # households that entered the scope: their whole history up to the page end (some of it was
        # filed under the office they came from)
        # (a household this device made itself needs only the others' changes; one coming back after
        # it left this office needs the device's own changes too: they were removed locally)
        seen = {r[0] for r in rows}
        for root, _since in new_roots:
            back = conn.execute("SELECT 1 FROM hub_scope_exit WHERE office = ? AND root_id = ? LIMIT 1",
                                (office, root)).fetchone() is not None
            if not back and conn.execute("SELECT 1 FROM hub_root_writers WHERE root_id = ? AND replica_id != ?"
                                         " LIMIT 1", (root, device.replica_id)).fetchone() is None:
                continue  # only this device ever wrote to it: it has everything
            more = [r for r in conn.execute(
                f"SELECT {_COLS} FROM changes c WHERE entity_id IN (SELECT entity_id FROM hub_root_entities"
                " WHERE root_id = ?) AND seq <= ? AND (? OR device_id != ?)", (root, end, back, device.replica_id))
                if r[0] not in seen]
            rows += more
            seen.update(r[0] for r in more)  # (not all rows again for every household: that was quadratic)
        rows.sort()
        removed = [r[0] for r in conn.execute(
            "SELECT root_id FROM hub_scope_exit WHERE office = ? AND seq > ? AND seq <= ?"
            " UNION SELECT root_id FROM hub_root_writers WHERE replica_id = ? AND first_seq > ? AND first_seq <= ?"
            " EXCEPT SELECT root_id FROM hub_scope WHERE office = ? ORDER BY 1",
            (office, c, end, device.replica_id, c, end, office))]
        return {"rows": P.RawRows(r[1] for r in rows), "cursor": end, "more": end < max_seq, "removed": removed,
                "max_seq": max_seq, "time": self.now_ms()}


class _Job:
    """One push waiting for the group commit."""

    __slots__ = ("device", "changes", "done", "result", "error")

    def __init__(self, device: Device, changes: list):
        self.device, self.changes = device, changes
        self.done = False
        self.result: Applied | None = None
        self.error: Exception | None = None


def tune(conn) -> None:
    """Hub connection settings: a large page cache and rare automatic checkpoints.

    Every page that leaves SQLCipher's cache is decrypted again when it comes
    back, and every checkpoint re-encrypts pages into the database file; a
    long WAL that is checkpointed when the hub is idle (start_checkpointer)
    doubles push throughput under load. SPRECHSTUNDE_HUB_CACHE_MB sets the cache.
    """
    cache_mb = int(os.environ.get("SPRECHSTUNDE_HUB_CACHE_MB", "1024"))
    conn.execute(f"PRAGMA cache_size = {-cache_mb * 1024}")
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_PAGES}")


def _span(ms: int) -> str:
    """A duration for a refusal reason: '3.0 days', '12 min'."""
    return f"{ms / DAY_MS:.1f} days" if ms >= DAY_MS else f"{max(ms, 0) // 60_000} min"




__all__ = ["Hub", "Refused", "MergeError", "Change"]
