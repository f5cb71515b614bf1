"""One office's day: who comes when, to which desk, what is due for them and what they must bring.

`build_day(casework, booking, office, day)` gives a `Day`: the office hours
of the day (or why there are none: a holiday), one row per slot and desk
(free or with its booking), the walk-in queue with waiting times, the
interpreter languages needed, and bookings that lost their desk to another
laptop's booking (an open conflict). A longer booking (several slots of one
desk) has its row at its first slot (`slots` says how many) and a `continued`
row in each later slot; `Day.booked` lists each booking once. Each booked row carries the case's due
items (the rules' due list for that day) and open measures in one line and
the checklist of what to bring. Reads only; the reading is logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from i18n import _

from . import audit
from .booking import Booking, minutes_between, status_of
from .casework import CaseWork
from .measures import STATUS_LABELS as MEASURE_STATUS
from .rules import in_due_list
from .schedule import OfficeHour, holiday_name

OPEN_MEASURES = ("proposed", "registered", "waiting", "started", "interrupted")


@dataclass
class DayRow:
    starts_at: str
    ends_at: str
    desk: int | None
    agency: str | None
    appointment_id: str | None = None
    case_id: str | None = None
    household_id: str | None = None
    case_number: str = ""
    name: str = ""
    purpose: str = ""
    interpreter: str = ""
    status: str = ""  # "" for a free slot
    due: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    bring: list[str] = field(default_factory=list)
    walk_in: bool = False
    arrived_at: str | None = None
    waiting_minutes: int | None = None
    lost_desk: bool = False  # another laptop booked the same desk and won: see the conflicts page
    slots: int = 1  # how many slots of its desk the booking covers (a longer appointment)
    continued: bool = False  # a later slot of a longer booking (the booking's own row is at its start)
    level: str = "full"  # what the staff member may see of the case (app.access; app.hours leaves out the rest)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Day:
    office: str
    date: dt.date
    hours: list[OfficeHour]
    holiday: str | None
    rows: list[DayRow]  # slots in time order, desks within
    walk_ins: list[DayRow]  # the waiting queue first (longest wait first), then those seen
    interpreters: dict[str, list[str]]  # language -> the times it is needed
    lost: list[DayRow]
    cancelled: list[dict[str, Any]] = field(default_factory=list)  # app.schedule.Schedule.cancellations

    def interpreter_times(self, lang: str) -> str:
        """When `lang` is needed, each time once: "09:30, 2× 15:30" (two clients at 15:30)."""
        times = self.interpreters.get(lang, [])
        return ", ".join(t if (n := times.count(t)) == 1 else f"{n}× {t}" for t in dict.fromkeys(times))

    @property
    def booked(self) -> list[DayRow]:
        """One row per booking (its first slot; the later slots of a longer booking are `continued` rows)."""
        return [r for r in self.rows if r.appointment_id and not r.continued]

    def to_dict(self) -> dict[str, Any]:
        return {"office": self.office, "date": self.date.isoformat(), "holiday": self.holiday,
                "hours": [h.to_dict() for h in self.hours], "bookings": [r.to_dict() for r in self.booked],
                "free_slots": sum(1 for r in self.rows if not r.appointment_id),
                "walk_ins": [r.to_dict() for r in self.walk_ins], "interpreters": self.interpreters,
                "lost_desk": [r.to_dict() for r in self.lost],
                "cancelled": [{**c, "to_date": c["to_date"].isoformat() if c.get("to_date") else None}
                              for c in self.cancelled]}


def build_day(cw: CaseWork, booking: Booking, office: str, day: dt.date, *, log: bool = True) -> Day:
    schedule = booking.schedule()
    hours = schedule.hours(office, day, day)
    appointments = booking.bookings_on(office, day)
    now = booking.now()
    # a walk-in's wait ends with the day's office hours at the latest (not "waiting 264 min" in the evening)
    closes = f"{day.isoformat()}T{max(h.ends for h in hours)}" if hours else "9999"
    facts_cache: dict[str, tuple[list[str], list[str], str, str, str]] = {}

    def case_info(case_id: str) -> tuple[list[str], list[str], str, str, str]:
        if case_id not in facts_cache:
            facts_cache[case_id] = _case_info(cw, case_id, day)
        return facts_cache[case_id]

    def row_of(a: dict[str, Any], desk_agency: str | None = None) -> DayRow:
        due, measures, number, name, language = case_info(a["case_id"])
        status = status_of(a.get("outcome"))
        waiting = None
        if status == "arrived" and a.get("arrived_at"):
            waiting = max(0, minutes_between(a["arrived_at"], min(now.isoformat(timespec="minutes"), closes)))
        return DayRow(a["starts_at"], a.get("ends_at") or a["starts_at"], a.get("desk"),
                      a.get("agency") or desk_agency, a["id"], a["case_id"], a.get("household_id"), number, name,
                      a.get("purpose") or "", a.get("interpreter_language") or language or "", status, due,
                      measures, list(a.get("bring") or ()), bool(a.get("walk_in")), a.get("arrived_at"), waiting,
                      not booking.holder(a))

    active = [a for a in appointments if status_of(a.get("outcome")) not in ("cancelled", "rescheduled")]
    placed = {(a["starts_at"], a["desk"]): a for a in active
              if a.get("desk") and not a.get("walk_in") and booking.holder(a)}
    rows: list[DayRow] = []
    for hour in hours:
        for slot in hour.slots():
            a = placed.get((slot.starts_at, slot.desk))
            if a is not None:
                row = row_of(a, slot.agency)
                row.slots = sum(1 for s in hour.slot_starts() if slot.starts_at[11:] <= s < row.ends_at[11:16])
                rows.append(row)
                continue
            a = next((b for b in placed.values() if b["desk"] == slot.desk
                      and b["starts_at"] < slot.starts_at < (b.get("ends_at") or "")), None)
            if a is not None:  # the desk is still busy with a longer booking: its row goes on
                row = row_of(a, slot.agency)
                row.starts_at, row.ends_at, row.continued = slot.starts_at, slot.ends_at, True
                rows.append(row)
            else:
                rows.append(DayRow(slot.starts_at, slot.ends_at, slot.desk, slot.agency))
    seen = {r.appointment_id for r in rows}
    # bookings outside today's slots (an office hour cancelled after booking) still show
    rows += [row_of(a) for a in placed.values() if a["id"] not in seen]
    rows.sort(key=lambda r: (r.starts_at, r.desk or 0))
    lost = [row_of(a) for a in active if a.get("desk") and not a.get("walk_in") and not booking.holder(a)]
    walk_ins = [row_of(a) for a in active if a.get("walk_in") or (not a.get("desk") and a.get("arrived_at"))]
    walk_ins.sort(key=lambda r: (r.status != "arrived", r.arrived_at or r.starts_at))
    interpreters: dict[str, list[str]] = {}
    for r in rows + walk_ins + lost:
        if r.appointment_id and r.interpreter and r.status in ("booked", "arrived") and not r.continued:
            interpreters.setdefault(r.interpreter, []).append(r.starts_at[11:16])
    if log:
        audit.log_access(booking.repo.store, "view:day", "office", f"{office} {day.isoformat()}")
    return Day(office, day, hours, holiday_name(day), rows, walk_ins,
               {k: sorted(v) for k, v in sorted(interpreters.items())}, lost, schedule.cancellations(office, day))


def _case_info(cw: CaseWork, case_id: str, day: dt.date) -> tuple[list[str], list[str], str, str, str]:
    """Due items, open measures, case number, name and interpreter language of one case."""
    try:
        case = cw.case(case_id)
    except Exception:  # the case left this laptop (another office): the booking still shows
        return [], [], "", "", ""
    person = cw.person_of(case_id)
    name = " ".join(x for x in (person.get("given_names"), person.get("family_name")) if x)
    due = [h.title for h in cw.hints(case_id, day) if in_due_list(h, day)]
    measures = [f"{cw.catalogue.name(m['catalogue_id'])} ({_(MEASURE_STATUS[m['status']])})"
                for m in cw.measures.for_case(case_id) if m.get("status") in OPEN_MEASURES and m.get("catalogue_id")]
    return due, measures, case.get("case_number") or "", name, person.get("interpreter_language") or ""


def bring_suggestions(cw: CaseWork, case_id: str, day: dt.date) -> list[str]:
    """A checklist for the slip: always the identity document and letters, then one line per due item
    and per open measure (the staff member ticks what applies and adds free text)."""
    due, measures, *_rest = _case_info(cw, case_id, day)
    out = [_("Identity document (passport, residence permit)"), _("Letters received since the last visit")]
    out += [_("Papers for: {item}").format(item=d) for d in due]
    out += [_("Papers for: {item}").format(item=m.split(" (")[0]) for m in measures]
    return list(dict.fromkeys(out))
