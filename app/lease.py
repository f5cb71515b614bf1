"""The offline lease: an enrolled laptop that has not synced for too long locks its case data.

Deletion orders and withdrawn consents reach a laptop only when it syncs; a
laptop kept offline for weeks must not go on showing what should be gone.
The lease counts days since the last successful sync (``sync.last_sync``, or
since enrollment when it never synced). Its length is the hub's setting,
announced in every hello (``sprechstunde-hub serve --lease-days``, default
30) and stored on the laptop as ``sync.lease_days``. A laptop that is not
enrolled at a hub (the demo, a single office without sync) has no lease.
The Session refuses case data while the lease has run out (`LeaseExpired`);
a sync unlocks at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from i18n import ngettext

from .store import StoreError

DEFAULT_DAYS = 30
K_LAST, K_LEASE, K_ENROLLED, K_DEVICE = "sync.last_sync", "sync.lease_days", "sync.enrolled_at", "sync.device_id"


class LeaseExpired(StoreError):
    """Case data is locked until the laptop syncs; the message says so."""


@dataclass(frozen=True)
class Lease:
    enrolled: bool
    days: int  # the lease length
    last_sync: dt.date | None
    days_offline: int

    @property
    def locked(self) -> bool:
        return self.enrolled and self.last_sync is not None and self.days_offline > self.days

    @property
    def days_left(self) -> int:
        return max(self.days - self.days_offline, 0)

    def message(self) -> str:
        return ngettext(
            "This laptop has not synced for {n} day (allowed: {days}). Case data is locked until it syncs "
            "with the central office: deletions and withdrawn consents must reach it first.",
            "This laptop has not synced for {n} days (allowed: {days}). Case data is locked until it syncs "
            "with the central office: deletions and withdrawn consents must reach it first.",
            self.days_offline).format(n=self.days_offline, days=self.days)

    def to_dict(self) -> dict:
        return {"enrolled": self.enrolled, "lease_days": self.days, "days_offline": self.days_offline,
                "last_sync": self.last_sync.isoformat() if self.last_sync else None, "locked": self.locked}


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z").date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


def lease(store, today: dt.date | None = None) -> Lease:
    """The lease of this store on `today` (default: the real today)."""
    today = today or dt.date.today()
    enrolled = bool(store.meta(K_DEVICE))
    try:
        days = int(store.meta(K_LEASE) or DEFAULT_DAYS)
    except ValueError:
        days = DEFAULT_DAYS
    last = _day(store.meta(K_LAST)) or _day(store.meta(K_ENROLLED))
    offline = max((today - last).days, 0) if last else 0
    return Lease(enrolled, days, last, offline)


def check(store, today: dt.date | None = None) -> None:
    """Raise LeaseExpired when case data is locked."""
    current = lease(store, today)
    if current.locked:
        raise LeaseExpired(current.message())


__all__ = ["Lease", "LeaseExpired", "lease", "check", "DEFAULT_DAYS"]
