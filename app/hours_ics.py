"""Office hours as an iCalendar file for staff calendars: one event per office hour, no client data.

Generated with the `icalendar` library: a VCALENDAR with a Europe/Berlin
VTIMEZONE, events whose start and end carry TZID=Europe/Berlin, stable UIDs
(office, date, template) so a re-import updates instead of doubling, the
room, address and attending agencies in the text. Bookings are never read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from .offices import Office
from .schedule import OfficeHour

TZ = ZoneInfo("Europe/Berlin")
PRODID = "-//Integration Point Kreis Warendorf//Sprechstunde//DE"


def office_hours_ics(office: Office, hours: list[OfficeHour], *, title: str, stamp: dt.datetime | None = None) -> bytes:
    """The .ics bytes for `hours` of `office`; `title` is the event summary (e.g. "Sprechstunde Telgte")."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", title)
    cal.add("x-wr-timezone", "Europe/Berlin")
    if hours:
        first = dt.datetime.combine(min(h.date for h in hours), dt.time(0), TZ)
        last = dt.datetime.combine(max(h.date for h in hours), dt.time(23, 59), TZ)
        cal.add_component(Timezone.from_tzinfo(TZ, "Europe/Berlin", first.date(), last.date()))
    stamp = (stamp or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    for h in hours:
        ev = Event()
        key = f"{office.code}|{h.date.isoformat()}|{h.template_id or h.starts}"
        ev.add("uid", hashlib.sha1(key.encode()).hexdigest() + "@sprechstunde.kreis-warendorf")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", dt.datetime.combine(h.date, dt.time.fromisoformat(h.starts), TZ))
        ev.add("dtend", dt.datetime.combine(h.date, dt.time.fromisoformat(h.ends), TZ))
        ev.add("summary", title)
        ev.add("location", ", ".join(x for x in (h.room, office.address) if x))
        ev.add("description", " · ".join(x for x in (", ".join(h.agencies), h.note) if x))
        ev.add("categories", list(h.agencies))
        cal.add_component(ev)
    return cal.to_ical()
