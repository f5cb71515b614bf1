"""The local rule against double booking: one desk of one office holds one booking at a time.

Called by app.hygiene for every typed write of an appointment (Repository.save),
so no service, import or dialog can skip it. Bookings that arrive by sync are
never judged here: two laptops that booked the same desk offline meet in the
merge as a conflict on the desk's `slot_claim` (app.booking).
"""

from __future__ import annotations

from typing import Any

from i18n import _

ACTIVE = ("planned", "arrived", "kept", "missed")  # cancelled and rescheduled bookings free their desk
_DESK_FIELDS = ("starts_at", "ends_at", "desk", "office", "outcome", "deleted")


def desk_problem(conn, entity_id: str | None, changed: dict[str, Any], row: dict[str, Any]) -> str | None:
    """Why this appointment may not hold its desk (another booking overlaps it there), or None."""
    if conn is None or not row.get("desk") or not row.get("office") or not isinstance(row.get("starts_at"), str):
        return None
    if (row.get("outcome") or "planned") not in ACTIVE or not any(f in changed for f in _DESK_FIELDS):
        return None
    if "outcome" in changed and not any(f in changed for f in _DESK_FIELDS if f != "outcome"):
        return None  # kept, missed, arrived, set back: the desk was checked when it was booked
    starts = row["starts_at"]
    ends = row.get("ends_at") or starts
    marks = ",".join("?" * len(ACTIVE))
    other = conn.execute(
        "SELECT 1 FROM appointment WHERE office = ? AND desk = ? AND id != ? AND coalesce(deleted, 0) = 0"
        f" AND coalesce(outcome, 'planned') IN ({marks})"
        " AND starts_at < ? AND coalesce(ends_at, starts_at || '~') > ? AND substr(starts_at, 1, 10) = ? LIMIT 1",
        (row["office"], row["desk"], entity_id or "", *ACTIVE, ends if ends > starts else starts + "~",
         starts, starts[:10])).fetchone()
    return _("This desk is already booked at this time.") if other else None
