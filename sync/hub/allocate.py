"""Seat allocation at the hub: run app.allocation on the hub's store and file its changes for the laptops.

    sprechstunde-hub allocate --dir DIR [--date YYYY-MM-DD]

The hub is the one place that offers seats (the central office), so two
laptops can never give one seat away twice. The run writes through the hub's
own Repository and files what it wrote in the hub's feed like a push
(sync.hub.local_writes): each household's laptops pull its offers, the measure changes and
notices; `course.taken` reaches every laptop. `serve` also runs it on a
schedule (`start_allocator`, every SPRECHSTUNDE_HUB_ALLOCATE_MINUTES, default
60) under the hub's write lock.
"""

from __future__ import annotations

import datetime as dt
import os
import threading

from app.casework import CaseWork
from app.course_service import CourseService
from app.repository import Repository

from .local_writes import filed

INTERVAL_ENV = "SPRECHSTUNDE_HUB_ALLOCATE_MINUTES"


def allocate(store, today: dt.date | None = None, repo: Repository | None = None) -> dict:
    """One allocation run on the hub's store; returns its counts (offered, allocated, expired, ...)."""
    repo = repo or Repository(store)
    report, changes = filed(store, repo, lambda: CourseService(CaseWork(repo)).allocate(today or dt.date.today()))
    return {**report.to_dict(), "changes": changes}


def start_allocator(hub, log=None) -> threading.Thread | None:
    """Run `allocate` every few minutes inside the serving hub (under its write lock); 0 turns it off."""
    minutes = float(os.environ.get(INTERVAL_ENV, "60") or 0)
    if minutes <= 0:
        return None

    def loop():
        while not hub._stop.wait(minutes * 60):
            try:
                with hub.lock:
                    counts = allocate(hub.store)
                if log is not None:
                    log("allocate", **counts)
            except Exception as exc:  # the next run tries again; the hub keeps serving
                if log is not None:
                    log("allocate_failed", kind=type(exc).__name__)

    thread = threading.Thread(target=loop, name="allocate", daemon=True)
    thread.start()
    return thread
