"""The laptop's sync engine: enroll once, then push, pull and report, with no Qt.

The engine talks to an abstract `SyncUI` (progress and messages), like
Mnemosyne's openSM2sync client: tests and the CLI pass a plain object, the
GUI passes an adapter that emits Qt signals. Run it on a worker thread with
its own connection (``store.reopen()``); `cancel()` may be called from any
thread and takes effect between batches.

State lives in the store's encrypted ``meta`` table (keys ``sync.*``): hub
URL, pinned certificate, device id and the device's Ed25519 private key (never
in a plain file). What was pushed and pulled is the replica's business: the
engine reaches the replicated tables only through `app.replica.local.LocalReplica`
(the `ReplicaStore` interface the hub implements too) and writes no SQL.

* Push: own changes after ``sync.push_seq`` in log order, in batches; the
  acknowledgement is stored after each batch, so this is exactly "what the
  hub has not acknowledged"; a batch sent twice is absorbed by the hub
  (idempotent by entity, field, stamp).
* Pull: pages after the cursor; each page is merged (app.replica.merge) and the
  cursor advanced in one transaction, so a crash repeats at most one page,
  which merges to the same state. Households the hub says left this office's
  scope are deleted locally, without logging changes, after their own
  changes have been pushed.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field

from app.after_merge import after_merge
from app.replica.changelog import row_to_change
from app.replica.local import K_PULL, K_PURGE, K_PUSH, K_PUSH_SEQ, LocalReplica  # noqa: F401  (keys re-exported)
from app.repository import clock_for
from i18n import _, ngettext
from sync import protocol as P
from sync.audit_sync import push_audit

from .client_orders import apply_orders, store_lease

from .transport import (CertificateChanged, ClockWrong, DeviceRevoked, HubUnreachable, Refused, SyncError, Transport,
                        fetch_certificate)

K_URL, K_CERT, K_DEVICE, K_KEY, K_OFFICE, K_HUB = (
    "sync.hub_url", "sync.hub_cert", "sync.device_id", "sync.key", "sync.office", "sync.hub_id")
K_LAST, K_RESULT = "sync.last_sync", "sync.last_result"
CLOCK_WARN_MS = 10 * 60 * 1000


class NotEnrolled(SyncError):
    code = "not_enrolled"


class Cancelled(SyncError):
    code = "cancelled"


class SyncUI:
    """What the engine tells people. Override what you show; the defaults do nothing."""

    def progress(self, phase: str, done: int, total: int) -> None:
        """phase is 'connect', 'push' or 'pull'; total may be an estimate."""

    def message(self, level: str, text: str) -> None:
        """level is 'info' or 'warning'; text is translated."""


@dataclass
class SyncSummary:
    ok: bool = False
    error: str | None = None
    error_code: str | None = None
    pushed: int = 0
    pushed_new: int = 0
    pulled: int = 0
    applied: int = 0
    conflicts: int = 0
    removed: int = 0
    repaired: int = 0  # records re-pointed from a merged-away person or household
    held_back: int = 0  # pulled changes stamped beyond the hub's bound: not applied
    orders: int = 0  # deletion orders applied (sync.client_orders)
    purged: int = 0  # records they removed
    audit_sent: int = 0  # audit entries the hub accepted
    clock_offset_ms: int = 0  # hub clock minus this laptop's clock
    stamp_skew_ms: int = 0  # how far the newest pulled stamp lay ahead of hub time
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bytes_sent: int = 0
    bytes_received: int = 0

    def line(self) -> str:
        if not self.ok:
            return _("Sync failed: {error}").format(error=self.error)
        text = _("Sync complete: sent {sent}, received {received}, {conflicts} new conflicts, "
                 "{removed} households removed ({seconds:.1f} s).").format(
            sent=self.pushed, received=self.applied, conflicts=self.conflicts, removed=self.removed,
            seconds=self.seconds)
        if self.orders:
            text += " " + ngettext("{n} deletion order applied ({records} records removed).",
                                   "{n} deletion orders applied ({records} records removed).",
                                   self.orders).format(n=self.orders, records=self.purged)
        return " ".join([text, *self.warnings])

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SyncStatus:
    enrolled: bool
    hub_url: str | None
    office: str | None
    device_id: str | None
    waiting: int
    last_sync: str | None
    last_result: dict | None


def clock_message(offset_ms: int) -> str | None:
    """A warning when the laptop's clock differs from the hub's by more than CLOCK_WARN_MS."""
    if abs(offset_ms) <= CLOCK_WARN_MS:
        return None
    amount = _amount(offset_ms)
    if offset_ms > 0:
        return _("The clock of this laptop is {amount} behind the hub. Please correct date and time.").format(
            amount=amount)
    return _("The clock of this laptop is {amount} ahead of the hub. Please correct date and time.").format(
        amount=amount)


def _amount(ms: int) -> str:
    hours = abs(ms) / 3_600_000
    if hours >= 36:
        return ngettext("{n} day", "{n} days", round(hours / 24)).format(n=round(hours / 24))
    return ngettext("{n} hour", "{n} hours", max(1, round(hours))).format(n=max(1, round(hours)))


def stamp_skew_message(skew_ms: int) -> str | None:
    """A note when received changes were stamped by a device whose clock runs well ahead of the hub."""
    if skew_ms <= CLOCK_WARN_MS:
        return None
    return _("Received changes from a device whose clock runs {amount} ahead of the hub; this laptop's "
             "clock did not follow. The central office can find the device in the hub's log.").format(
        amount=_amount(skew_ms))


# -- enrollment --------------------------------------------------------------------
def enroll(store, url: str, code: str, fingerprint: str | None = None, name: str | None = None,
           wall=time.time) -> dict:
    """Enroll this store's laptop at the hub with a one-time code; pins the hub's certificate."""
    pem = fetch_certificate(url)
    seen = P.fingerprint_pem(pem.encode())
    if fingerprint and P.normalize_fingerprint(fingerprint) != seen:
        raise CertificateChanged(_("The hub's certificate fingerprint is {seen}, not the expected {expected}. "
                                   "Do not enroll; ask the central office.").format(
            seen=seen, expected=P.normalize_fingerprint(fingerprint)))
    key = P.new_signing_key()
    replica = store.device_id
    with Transport(url, pem, wall=wall) as t:
        t.health()
        resp = t.post("/enroll", {
            "code": code.strip(), "public_key": P.b64(P.public_bytes(key)), "replica_id": replica,
            "name": name or "", "proof": P.b64(key.sign(P.enroll_proof_input(code.strip(), replica))),
        }, signed=False)
    if not isinstance(resp.get("device_id"), str) or not isinstance(resp.get("hub_id"), str):
        raise SyncError(_("The hub sent an answer this version does not understand."))
    if resp.get("replica_id", replica) != replica:  # the hub decides the identity; it must be this store's
        raise SyncError(_("The hub enrolled this laptop under another identity; nothing was saved. "
                          "Ask the central office."))
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        if store.meta(K_HUB) != resp["hub_id"]:  # another hub: start from its beginning
            conn.execute("DELETE FROM meta WHERE key IN (?, ?, ?)", (K_PUSH, K_PUSH_SEQ, K_PULL))
        for k, v in ((K_URL, url.rstrip("/")), (K_CERT, pem), (K_DEVICE, resp["device_id"]),
                     (K_KEY, P.private_bytes(key).hex()), (K_OFFICE, str(resp.get("office", ""))),
                     (K_HUB, resp["hub_id"]), ("sync.enrolled_at", time.strftime("%Y-%m-%dT%H:%M:%S%z"))):
            store.set_meta(k, v)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return {"device_id": resp["device_id"], "office": resp.get("office"), "fingerprint": seen}


# -- the engine --------------------------------------------------------------------
class SyncEngine:
    def __init__(self, store, ui: SyncUI | None = None, wall=time.time,
                 push_batch: int | None = None, pull_page: int = P.PULL_PAGE):
        self.store = store
        self.replica = LocalReplica(store, clock_for(store), after_merge)
        self.ui = ui or SyncUI()
        self.wall = wall
        # smaller batches for slow links: SPRECHSTUNDE_SYNC_BATCH
        self.push_batch = push_batch or int(os.environ.get("SPRECHSTUNDE_SYNC_BATCH", P.PUSH_BATCH))
        self.pull_page = pull_page
        self._cancel = threading.Event()
        self._bound_ms = P.STAMP_MARGIN_MS + P.MAX_CLOCK_AHEAD_MS  # until the hub says otherwise (hello)

    # -- API for the GUI -----------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def enrolled(self) -> bool:
        return bool(self.store.meta(K_DEVICE) and self.store.meta(K_KEY))

    def waiting(self) -> int:
        """Own changes the hub has not acknowledged yet."""
        return self.replica.waiting()

    def status(self) -> SyncStatus:
        """What the status bar shows. Not enrolled, nothing is counted as waiting: there is no hub, and
        counting a never-synced log of 600,000 changes took 0.4 s of every unlock."""
        result = self.store.meta(K_RESULT)
        enrolled = self.enrolled()
        return SyncStatus(enrolled, self.store.meta(K_URL), self.store.meta(K_OFFICE),
                          self.store.meta(K_DEVICE), self.waiting() if enrolled else 0, self.store.meta(K_LAST),
                          json.loads(result) if result else None)

    def reachable(self, timeout: float = 3.0) -> bool:
        """Whether the hub answers its health check over the pinned connection."""
        return self.reachability_probe(timeout)()

    def reachability_probe(self, timeout: float = 3.0):
        """`reachable` in two steps: this call reads the hub settings from the store (on the
        store's own thread); the function it returns only talks HTTP, so it may run anywhere."""
        try:
            transport = self._transport(timeout=timeout)
        except SyncError:
            return lambda: False

        def probe() -> bool:
            try:
                with transport as t:
                    t.health()
                return True
            except SyncError:
                return False

        return probe

    # -- sync ------------------------------------------------------------------------
    def sync(self) -> SyncSummary:
        """Push, then pull; never raises SyncError: the summary carries the error."""
        self._cancel.clear()
        s = SyncSummary()
        t0 = time.perf_counter()
        transport = None
        try:
            transport = self._transport()
            self.ui.progress("connect", 0, 1)
            transport.health()
            s.clock_offset_ms = transport.offset_ms
            warning = clock_message(transport.offset_ms)
            if warning:
                s.warnings.append(warning)
                self.ui.message("warning", warning)
            hello = transport.post("/hello", {})
            self._bound_ms = _bound_setting(hello)
            store_lease(self.store, hello)
            # before the push: unsent edits of purged cases are dropped with them
            apply_orders(self.store, transport, s, lambda _conn: self.replica.repoint_acked(),
                         lambda: [row_to_change(r) for r in self.replica.unacked()])
            self._push(transport, s)
            hub_max = hello.get("max_seq")
            self._pull(transport, s, hub_max if P.is_seq(hub_max) else 0)
            if s.repaired:  # references re-pointed after the pull: send them now, not at the next sync
                self._push(transport, s)
            s.audit_sent = push_audit(self.store, transport, s)  # the trail of views and prints (sync.audit_sync)
            warning = stamp_skew_message(s.stamp_skew_ms)
            if warning:
                s.warnings.append(warning)
                self.ui.message("warning", warning)
            if s.held_back:
                warning = ngettext(
                    "{n} received change was stamped too far in the future and was not applied.",
                    "{n} received changes were stamped too far in the future and were not applied.",
                    s.held_back).format(n=s.held_back)
                s.warnings.append(warning)
                self.ui.message("warning", warning)
            s.ok = True
        except SyncError as exc:
            s.error, s.error_code = str(exc), exc.code
        finally:
            if transport is not None:
                s.bytes_sent, s.bytes_received = transport.bytes_sent, transport.bytes_received
                transport.close()
            s.seconds = time.perf_counter() - t0
        if s.ok:
            self.store.set_meta(K_LAST, time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        self.store.set_meta(K_RESULT, json.dumps(
            {k: getattr(s, k) for k in ("ok", "error", "error_code", "pushed", "applied", "conflicts", "removed",
                                        "repaired", "held_back", "clock_offset_ms", "stamp_skew_ms", "orders",
                                        "purged")}))
        return s

    def _transport(self, timeout=None) -> Transport:
        if not self.enrolled():
            raise NotEnrolled(_("This laptop is not enrolled at a hub yet (sprechstunde enroll)."))
        key = P.load_private(bytes.fromhex(self.store.meta(K_KEY)))
        kwargs = {"timeout": timeout} if timeout else {}
        return Transport(self.store.meta(K_URL), self.store.meta(K_CERT), self.store.meta(K_DEVICE), key,
                         wall=self.wall, **kwargs)

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled(_("Sync cancelled; it continues where it stopped next time."))

    def _push(self, t: Transport, s: SyncSummary) -> None:
        seq = self.replica.acknowledged()
        total = self.replica.waiting()
        done = 0
        while True:
            self._check_cancel()
            count, last, text = self.replica.push_batch(seq, self.push_batch, P.PUSH_BYTES)
            if not count or last is None or text is None:
                break
            resp = t.post("/push", {"v": P.PROTOCOL, "clock": device_clock_ms(self.store, self.wall),
                                    "rows": P.RawRows([text])})
            seq = last
            self.replica.acknowledge(last)
            done += count
            s.pushed += count
            s.pushed_new += int(resp.get("new", 0))
            self.ui.progress("push", done, max(total, done))

    def _pull(self, t: Transport, s: SyncSummary, hub_max: int) -> None:
        cursor = start = self.replica.cursor()
        s.removed += self.replica.remove_pending()  # households that left while they had unsent edits
        while True:
            self._check_cancel()
            page = t.post("/pull", {"v": P.PROTOCOL, "cursor": cursor, "limit": self.pull_page})
            rows, new_cursor, removed = page.get("rows"), page.get("cursor"), page.get("removed", [])
            page_time, page_max = page.get("time", 0), page.get("max_seq", 0)
            if (not isinstance(rows, list) or not P.is_seq(new_cursor) or new_cursor < cursor
                    or not isinstance(removed, list)
                    or not all(type(r) is str and 0 < len(r) <= P.MAX_ID for r in removed)
                    or not P.is_seq(page_time) or not P.is_seq(page_max)):
                raise SyncError(_("The hub sent an answer this version does not understand."))
            try:
                changes = P.changes_from_rows(rows, None)
            except P.ProtocolError:
                raise SyncError(_("The hub sent an answer this version does not understand.")) from None
            hub_now = page_time or t.hub_time_ms()
            changes = self._within_bound(changes, hub_now, s)
            if removed and self.replica.unpushed_in(removed):
                self._push(t, s)  # edits made while syncing: send them before the household goes
            done = self.replica.apply_page(changes, removed, new_cursor)
            cursor = new_cursor
            s.pulled += len(changes)
            s.applied += done.merge.applied
            s.conflicts += done.merge.conflicts
            s.removed += done.removed
            s.repaired += done.repaired
            hub_max = max(hub_max, page_max)
            self.ui.progress("pull", cursor - start, max(hub_max - start, cursor - start))
            if not page.get("more"):
                break

    def _within_bound(self, changes: list, hub_now: int, s: SyncSummary) -> list:
        """Drop pulled changes stamped further ahead of hub time than the hub itself accepts
        (only a hub of an older version, or one whose bound was widened, can send them)."""
        if not changes:
            return changes
        bound = hub_now + self._bound_ms
        newest = int(max(c.hlc for c in changes)[:13])
        s.stamp_skew_ms = max(s.stamp_skew_ms, newest - hub_now)
        if newest <= bound:
            return changes
        kept = [c for c in changes if int(c.hlc[:13]) <= bound]
        s.held_back += len(changes) - len(kept)
        return kept


def _bound_setting(hello: dict) -> int:
    """How far ahead of hub time a pulled stamp may lie: the hub's own push bound (from hello)."""
    margin, ahead = hello.get("stamp_margin_ms"), hello.get("max_clock_ahead_ms")
    if not (P.is_seq(margin) and P.is_seq(ahead)):
        return P.STAMP_MARGIN_MS + P.MAX_CLOCK_AHEAD_MS
    return min(margin + ahead, 10 * 365 * 86_400_000)


def device_clock_ms(store, wall=time.time) -> int:
    """This laptop's clock as its stamps read it: the wall clock, or the clock's saved state when that
    is ahead (stamps stay monotonic after the wall clock was set back). Declared in every push."""
    saved = store.meta("hlc_last") or ""  # another connection of this store may have moved it further
    return max(int(wall() * 1000), int(clock_for(store).last[:13]), int(saved[:13] or 0))


def unacked_changes(store, columns: str = "hlc, entity, entity_id, field, value, prev_hlc, device_id, staff_id, root_id",
                    limit: int = -1) -> list[tuple]:
    """This laptop's own changes the hub has not acknowledged, in push order (for sealed files)."""
    return LocalReplica(store).unacked(columns, limit)


__all__ = ["SyncEngine", "SyncUI", "SyncSummary", "SyncStatus", "SyncError", "HubUnreachable",
           "CertificateChanged", "ClockWrong", "DeviceRevoked", "Refused", "NotEnrolled", "Cancelled", "enroll", "unacked_changes"]
