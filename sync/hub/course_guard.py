"""What a device may write to the course records at the hub (checked in the push, before the merge).

The hub alone allocates seats (app.allocation), so a laptop must not be able
to give a seat away by pushing changes: it may not create or change a seat
offer except for the client's answer (`accepted_on`, `declined_on`) to an
offer the hub made, nor write the hub's own fields (`course.taken`,
`waitlist_entry.notice`). Providers and courses are the central office's
catalogue: only devices of the central office (ZIP) change them, as the app
itself allows (app.courses.Courses.can_edit). A push that breaks this is
refused whole (403 not_allowed), like one out of scope.
"""

from __future__ import annotations

from .storage import CENTRAL

LAPTOP_OFFER_FIELDS = frozenset({"accepted_on", "declined_on"})
HUB_ONLY = {("course", "taken"), ("waitlist_entry", "notice")}
CATALOGUE = ("provider", "course")


def refused_course_change(conn, device, changes) -> str | None:
    """Why this push may not be applied (None: it may)."""
    offers = set()
    for c in changes:
        if (c.entity, c.field) in HUB_ONLY:
            return f"{c.entity}.{c.field} is written by the hub only"
        if c.entity in CATALOGUE and device.office != CENTRAL:
            return "only the central office changes the course catalogue"
        if c.entity == "seat_offer":
            if c.field not in LAPTOP_OFFER_FIELDS:
                return "seat offers are made by the hub; a laptop records only the answer"
            offers.add(c.entity_id)
    for oid in sorted(offers):
        if conn.execute("SELECT 1 FROM seat_offer WHERE id = ?", (oid,)).fetchone() is None:
            return "an answer to a seat offer the hub did not make"
    return None
