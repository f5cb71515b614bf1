"""Office hours and their slots, derived from templates and exceptions (never stored one by one).

`Schedule(templates, changes)` answers "which office hours does a town hold
between two dates" and "which slots (start, end, desk, agency) do they have".
A template recurs weekly on its weekday between valid_from and valid_to; the
public holidays of North Rhine-Westphalia (the `holidays` library) cancel it;
an exception cancels one date (of one template or the whole day), moves one
date (to another date and/or other times) or adds a one-off office hour.
Pure functions of the records in app.offices: no storage, no clock.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, NamedTuple

import holidays as _holidays


@dataclass(frozen=True, slots=True)
class OfficeHour:
    office: str
    date: dt.date
    starts: str  # HH:MM
    ends: str
    slot_minutes: int
    desks: tuple[str, ...]  # the agency each parallel desk belongs to
    room: str
    staff: tuple[str, ...]
    template_id: str | None  # None: a one-off extra office hour
    note: str = ""

    @property
    def agencies(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.desks))

    def slot_starts(self) -> list[str]:
        """The slot start times HH:MM."""
        return [start for start, _end in _times(self.starts, self.ends, self.slot_minutes)]

    def slots(self) -> list["Slot"]:
        day = self.date.isoformat()
        desks = tuple(enumerate(self.desks, start=1))
        office = self.office
        return [Slot(office, day + start, day + end, desk, agency)
                for start, end in _times(self.starts, self.ends, self.slot_minutes, "T") for desk, agency in desks]

    def to_dict(self) -> dict[str, Any]:
        return {"office": self.office, "date": self.date.isoformat(), "starts": self.starts, "ends": self.ends,
                "slot_minutes": self.slot_minutes, "desks": list(self.desks), "agencies": list(self.agencies),
                "room": self.room, "template_id": self.template_id, "note": self.note}


class Slot(NamedTuple):
    """One desk at one slot time (a tuple: a year of all towns is some 14,000 of them)."""
    office: str
    starts_at: str  # YYYY-MM-DDTHH:MM
    ends_at: str
    desk: int  # 1-based
    agency: str


@lru_cache(maxsize=256)
def _times(starts: str, ends: str, slot_minutes: int, prefix: str = "") -> tuple[tuple[str, str], ...]:
    """(start, end) HH:MM of every slot from `starts` that ends by `ends` (each prefixed by `prefix`)."""
    step = max(5, slot_minutes)
    t, end = int(starts[:2]) * 60 + int(starts[3:]), int(ends[:2]) * 60 + int(ends[3:])
    out = []
    while t + step <= end:
        e = t + slot_minutes
        out.append((f"{prefix}{t // 60:02d}:{t % 60:02d}", f"{prefix}{e // 60:02d}:{e % 60:02d}"))
        t += step
    return tuple(out)


@lru_cache(maxsize=64)
def nrw_holidays(year: int) -> dict[dt.date, str]:
    """The public holidays of North Rhine-Westphalia in `year` (German names)."""
    return dict(_holidays.country_holidays("DE", subdiv="NW", years=year, language="de"))


_warming: list[threading.Thread] = []


def warm_up() -> None:
    """Compute this year's and next year's holiday tables on a background thread, once per process.

    The `holidays` library loads the calendars of every country on first use (0.1-0.4 s); the session
    starts this while it derives a key (which releases the GIL), so the first day view after unlocking
    finds the tables ready."""
    if _warming:
        return
    year = dt.date.today().year
    thread = threading.Thread(target=lambda: [nrw_holidays(y) for y in (year, year + 1)], name="holidays",
                              daemon=True)
    _warming.append(thread)
    thread.start()


def holiday_name(day: dt.date) -> str | None:
    return nrw_holidays(day.year).get(day)


def _date(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class Schedule:
    def __init__(self, templates: Iterable[dict[str, Any]], changes: Iterable[dict[str, Any]] = ()):
        self.by_office: dict[str, list[dict[str, Any]]] = {}
        for t in templates:
            if isinstance(t.get("weekday"), int) and t.get("starts") and t.get("ends") and t.get("desks"):
                self.by_office.setdefault(t["office"], []).append(t)
        self.cancelled: set[tuple[str, dt.date, str | None]] = set()  # (office, date, template or None)
        self._cancel_notes: dict[tuple[str, dt.date, str | None], str] = {}
        self.moved: dict[tuple[str, dt.date, str], dict[str, Any]] = {}
        self.added: dict[str, list[tuple[dt.date, dict[str, Any]]]] = {}  # office -> extras and moved-to
        for c in sorted(changes, key=lambda c: c.get("id") or ""):
            day, office = _date(c.get("date")), c.get("office")
            if day is None or not office:
                continue
            if c.get("kind") == "cancelled":
                self.cancelled.add((office, day, c.get("template_id")))
                self._cancel_notes[(office, day, c.get("template_id"))] = (c.get("note") or "").strip()
            elif c.get("kind") == "moved" and c.get("template_id"):
                self.moved[(office, day, c["template_id"])] = c
            elif c.get("kind") == "extra":
                self.added.setdefault(office, []).append((day, c))
        self._templates = {t["id"]: t for ts in self.by_office.values() for t in ts}
        for (office, _day, tid), c in self.moved.items():
            to = _date(c.get("to_date"))
            if to is not None and tid in self._templates:
                self.added.setdefault(office, []).append((to, {**self._templates[tid], **{
                    k: v for k, v in c.items() if k in ("starts", "ends", "room", "note") and v},
                    "moved_from": c.get("date"), "template_id": tid}))

    @property
    def offices(self) -> list[str]:
        return sorted(set(self.by_office) | set(self.added))

    def hours(self, office: str | None, start: dt.date, end: dt.date) -> list[OfficeHour]:
        """The office hours of one office (None: all) from `start` to `end` inclusive, in time order."""
        offices = [office] if office else self.offices
        out: list[OfficeHour] = []
        for code in offices:
            out += self._office_hours(code, start, end)
        out.sort(key=lambda h: (h.date, h.starts, h.office))
        return out

    def _office_hours(self, office: str, start: dt.date, end: dt.date) -> list[OfficeHour]:
        out = []
        templates = self.by_office.get(office, ())
        whole_day = {d for (o, d, t) in self.cancelled if o == office and t is None}
        for t in templates:
            vf, vt = _date(t.get("valid_from")), _date(t.get("valid_to"))
            first = max(start, vf) if vf else start
            last = min(end, vt) if vt else end
            day = first + dt.timedelta(days=(t["weekday"] - first.weekday()) % 7)
            while day <= last:
                if (day not in whole_day and holiday_name(day) is None
                        and (office, day, t["id"]) not in self.cancelled and (office, day, t["id"]) not in self.moved):
                    out.append(_hour(office, day, t, t["id"]))
                day += _WEEK
        for day, c in self.added.get(office, ()):
            if start <= day <= end and day not in whole_day:
                tid = c.get("template_id") if "moved_from" in c else None
                if tid is None and (office, day, c.get("id")) in self.cancelled:
                    continue
                out.append(_hour(office, day, c, tid))
        return out

    def hour_at(self, office: str, starts_at: str) -> OfficeHour | None:
        """The office hour of `office` whose slots include the start `starts_at` (YYYY-MM-DDTHH:MM)."""
        day = _date(starts_at)
        if day is None:
            return None
        for h in self._office_hours(office, day, day):
            if h.starts <= starts_at[11:16] < h.ends and starts_at[11:16] in h.slot_starts():
                return h
        return None

    def cancellations(self, office: str, day: dt.date) -> list[dict[str, Any]]:
        """The office's cancelled office hours of `day`, each {template_id (None: the whole day), starts, ends
        (the template's times, None for the whole day), note}; also a moved one: then `to_date` says where."""
        out = []
        for (o, d, tid), note in sorted(self._cancel_notes.items(), key=lambda kv: str(kv[0][2] or "")):
            if o != office or d != day:
                continue
            t = self._templates.get(tid) if tid else None
            if tid and (t is None or t["weekday"] != day.weekday()) and not any(
                    c.get("id") == tid for _d, c in self.added.get(office, ())):
                continue  # a template that would not have met that day anyway
            times = t or next((c for _d, c in self.added.get(office, ()) if c.get("id") == tid), {})
            out.append({"template_id": tid, "starts": times.get("starts") if tid else None,
                        "ends": times.get("ends") if tid else None, "note": note, "to_date": None})
        for (o, d, tid), c in sorted(self.moved.items(), key=lambda kv: kv[0][2]):
            t = self._templates.get(tid)
            if o == office and d == day and t is not None:
                out.append({"template_id": tid, "starts": t.get("starts"), "ends": t.get("ends"),
                            "note": (c.get("note") or "").strip(), "to_date": _date(c.get("to_date"))})
        return out

    def next_day(self, office: str, start: dt.date, horizon: int = 120) -> dt.date | None:
        """The first day from `start` on which `office` holds office hours (within `horizon` days)."""
        hours = self._office_hours(office, start, start + dt.timedelta(days=horizon))
        return min((h.date for h in hours), default=None)


_WEEK = dt.timedelta(days=7)


def _hour(office: str, day: dt.date, t: dict[str, Any], template_id: str | None) -> OfficeHour:
    return OfficeHour(office, day, t["starts"], t["ends"], int(t.get("slot_minutes") or 30),
                      tuple(t.get("desks") or ()), t.get("room") or "", tuple(t.get("staff") or ()),
                      template_id, t.get("note") or "")
