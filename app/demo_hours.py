"""Fictional office-hour bookings for the demo: four weeks before and after the reference date, all 13 towns.

`fill(store, seed, reference, moment)` books the demo's cases into the office
hours in force (app.booking, so the chronicle and the desk claims are what real
booking writes), with the person's interpreter language (always one the person
speaks). The central office's exceptions come first (one office hour cancelled
for a staff training, one extra office hour), so no booking falls on a cancelled
date, a public holiday or outside an office hour.

* Every office hour gets about as many bookings as its town has clients then
  (a client comes about every three weeks), at least one: cases open on that
  day, closed ones until their closing. Past bookings are kept (most), missed
  (some) or cancelled; later ones are booked; a few walk-ins were seen.
* The laptop's town (`hours.office`) is the town with office hours on the
  reference day that has the most open cases (Telgte first among equals), so
  `./run.sh` opens on a full day: 12-20 bookings (as many as the town's slots
  and clients allow), one of two slots. On the reference day the office's
  clock stands at `moment` (default: the middle of the office hour; the app's
  demo passes the time it is made, held inside the office hour): bookings
  before it are kept, a couple missed, those of the last twenty minutes arrived,
  later ones booked; three walk-ins wait in the queue and one was seen. On a
  day without office hours (a weekend, a holiday) the full day is the town's
  next office-hour day, all booked.
"""

from __future__ import annotations

import datetime as _dt
import random
import uuid
from typing import Any

from . import offices
from .booking import HOME_OFFICE_META, Booking, status_of
from .chronicle import Chronicle
from .repository import Repository
from .schedule import OfficeHour, Schedule, holiday_name

WEEKS = 4
VISIT_WEEKS = 3  # a client comes to the office hour about every three weeks
FULL_DAY = (12, 20)  # bookings on the day the app opens on
PURPOSES = ["Beratung Arbeit", "Profiling", "Antrag Leistungen", "Integrationskurs", "Unterlagen abgeben",
            "Anerkennung Abschluss", "Bewerbung", "Rechtskreiswechsel"]
WALK_IN_PURPOSES = ["Brief vom Amt", "Frage zum Bescheid", "Termin vereinbaren", "Formular ausfüllen"]
BRING = ["Pass oder Aufenthaltstitel", "Post seit dem letzten Besuch"]


class _SeededRepository(Repository):
    """New ids from a seeded generator, so a seed gives the same store (as the other demo parts)."""

    def __init__(self, store, staff_id: str | None, ids: random.Random):
        super().__init__(store, staff_id)
        self._ids = ids

    def save(self, entity: str, values: dict[str, Any], entity_id: str | None = None) -> str:
        return super().save(entity, values, entity_id or uuid.UUID(int=self._ids.getrandbits(128), version=4).hex)


def _minutes(hhmm: str) -> int:
    return int(hhmm[:2]) * 60 + int(hhmm[3:])


def _at(day: _dt.date, minutes: int) -> _dt.datetime:
    return _dt.datetime.combine(day, _dt.time(minutes // 60, minutes % 60))


def office_moment(hour: OfficeHour, moment: _dt.time | None) -> int:
    """The office's clock on the full day in minutes: `moment` held between 45 minutes after the start and
    20 minutes before the end, or the middle of the office hour."""
    start, end = _minutes(hour.starts), _minutes(hour.ends)
    if moment is None:
        return (start + (end - start) // 2) // 5 * 5
    return min(max(moment.hour * 60 + moment.minute, start + 45), end - 20)


def fill(store, seed: int, reference: _dt.date, moment: _dt.time | None = None) -> dict[str, int]:
    rng = random.Random(seed * 31 + 8)
    desk = store.conn.execute("SELECT id FROM staff WHERE login != 'demo' ORDER BY office = 'TEL' DESC, login"
                              " LIMIT 1").fetchone()  # a demo staff member books, not the store's own login
    repo = _SeededRepository(store, desk[0] if desk else None, random.Random(f"hours/{seed}"))
    booking = Booking(repo, Chronicle(repo))
    start, end = reference - _dt.timedelta(weeks=WEEKS), reference + _dt.timedelta(weeks=WEEKS)
    cases: dict[str, list[tuple[str, str | None, str, str | None]]] = {}  # office -> (id, language, opened, closed)
    for cid, office, lang, opened, status, closed in repo.conn.execute(
            'SELECT c.id, c.office, p.interpreter_language, c.opened, c.status, c.closed FROM "case" c'
            " JOIN person p ON p.id = c.person_id WHERE c.status IN ('new', 'active', 'closed')"
            " AND coalesce(c.deleted, 0) = 0 AND c.opened IS NOT NULL ORDER BY c.id"):
        if status == "closed" and not closed:
            continue
        cases.setdefault(office, []).append((cid, lang if lang and lang != "de" else None, opened,
                                             closed if status == "closed" else None))

    def clients(office: str, day: _dt.date) -> list[tuple[str, str | None, str, str | None]]:
        d = day.isoformat()
        return [c for c in cases.get(office, ()) if c[2] < d and (c[3] is None or (d < c[3] and d < reference.isoformat()))]

    n = {"bookings": 0, "kept": 0, "missed": 0, "cancelled": 0, "walk_ins": 0}
    with repo.transaction():
        # the central office: an office hour cancelled (staff training) and an extra one before a course start
        repo.today = reference
        plain = Schedule(offices.load_templates(repo.conn), [])
        later = [h for h in plain.hours("WAF", reference + _dt.timedelta(days=8), end) if h.template_id]
        if later:
            offices.save_change(repo, {"office": "WAF", "date": later[0].date.isoformat(), "kind": "cancelled",
                                       "template_id": later[0].template_id, "note": "Fortbildung"})
        extra = reference + _dt.timedelta(days=(4 - reference.weekday()) % 7 + 14)  # a Friday two weeks on
        while holiday_name(extra):
            extra += _dt.timedelta(weeks=1)
        offices.save_change(repo, {"office": "BEC", "date": extra.isoformat(), "kind": "extra", "starts": "09:00",
                                   "ends": "11:00", "desks": ["JC", "SOZ"], "slot_minutes": 30,
                                   "room": "Raum 2.07", "note": "Zusätzliche Sprechstunde"})
        sched = booking.schedule()
        home, full_day = _home(sched, cases, clients, reference)
        store.set_meta(HOME_OFFICE_META, home)
        per_week = {code: max(1, len({(h.date, h.template_id) for h in sched.hours(code, start, end)}) / (2 * WEEKS))
                    for code in sched.offices}
        for hour in sched.hours(None, start, end):
            pool = clients(hour.office, hour.date)
            if not pool:
                continue
            rng.shuffle(pool)
            if hour.office == home and hour.date == full_day:
                _full_day(booking, repo, rng, hour, pool, reference, moment, n)
                continue
            expected = len(pool) / VISIT_WEEKS / per_week[hour.office]
            want = max(1, min(len(hour.slots()), round(expected * rng.uniform(0.7, 1.3))))
            chosen = sorted(rng.sample(hour.slots(), min(want, len(hour.slots()), len(pool))),
                            key=lambda s: (s.starts_at, s.desk))
            for slot, client in zip(chosen, pool, strict=False):
                aid = _book(booking, repo, rng, hour, slot.starts_at, slot.agency, client, reference)
                if aid is None:
                    continue
                n["bookings"] += 1
                if hour.date < reference:
                    r = rng.random()
                    _set(booking, repo, aid, hour.date, slot.starts_at, n,
                         "kept" if r < 0.78 else "missed" if r < 0.93 else "cancelled")
            if hour.date < reference and rng.random() < 0.2 and len(pool) > len(chosen):
                cid, lang, *_rest = pool[len(chosen)]
                at = _at(hour.date, _minutes(hour.starts) + rng.randint(5, 50))
                aid = _walk_in(booking, repo, rng, hour, cid, lang, at)
                _set(booking, repo, aid, hour.date, at.isoformat(timespec="minutes"), n, "kept")
                n["walk_ins"] += 1
        n["rescheduled"] = _reschedule_some(booking, repo, rng, home, reference)
    repo.today = None
    return n


def _reschedule_some(booking: Booking, repo, rng: random.Random, home: str, reference: _dt.date) -> int:
    """A few clients called to move next week's appointment by a week (outside the laptop's town, so the
    day the app opens on stays as it is): the old booking reads "verlegt", the chronicle says to when."""
    booking.clock = lambda: _dt.datetime.combine(reference, _dt.time(8))  # type: ignore[misc]
    repo.today = reference
    soon = [a for a in repo.find("appointment") if a.get("office") != home and a.get("desk") and not a.get("walk_in")
            and status_of(a.get("outcome")) == "booked" and reference.isoformat() < a["starts_at"][:10]
            <= (reference + _dt.timedelta(days=7)).isoformat()]
    moved = 0
    for a in rng.sample(sorted(soon, key=lambda a: a["id"]), min(4, len(soon))):
        later = (_dt.datetime.fromisoformat(a["starts_at"]) + _dt.timedelta(days=7)).isoformat(timespec="minutes")
        slot = booking.next_free(a["office"], later, agency=a.get("agency"))
        if slot is None:
            continue
        try:
            booking.reschedule(a["id"], slot.starts_at, agency=a.get("agency"))
        except Exception:  # noqa: BLE001 - the client has another appointment then: left as booked
            continue
        moved += 1
    return moved


def _home(sched: Schedule, cases: dict, clients, reference: _dt.date) -> tuple[str, _dt.date]:
    """The laptop's town and the day the app opens on (see the module's docstring)."""
    def rank(code: str, day: _dt.date) -> tuple[int, bool, str]:
        return (len(clients(code, day)), code == "TEL", code)

    on_reference = {h.office for h in sched.hours(None, reference, reference)}
    if on_reference:
        return max(on_reference, key=lambda c: rank(c, reference)), reference
    code = max(cases, key=lambda c: rank(c, reference))
    return code, sched.next_day(code, reference) or reference


def _book(booking: Booking, repo, rng: random.Random, hour: OfficeHour, starts_at: str, agency: str,
          client: tuple, reference: _dt.date, slots: int = 1, purpose: str | None = None) -> str | None:
    cid, lang, opened, _closed = client
    booked_on = _dt.datetime.combine(hour.date - _dt.timedelta(days=rng.randint(1, 20)), _dt.time(8))
    booked_on = min(max(booked_on, _dt.datetime.combine(_dt.date.fromisoformat(opened), _dt.time(8))),
                    _dt.datetime.combine(reference, _dt.time(8)), _at(hour.date, _minutes(starts_at[11:16]) - 30))
    booking.clock = lambda t=booked_on: t  # type: ignore[misc]  # booked some days ahead, as offices do
    repo.today = booked_on.date()
    try:
        return booking.book(cid, hour.office, starts_at, agency=agency, interpreter=lang, slots=slots,
                            purpose=purpose or rng.choice(PURPOSES), bring=BRING)
    except Exception:  # noqa: BLE001 - the client's other appointment at that time: not booked
        return None


def _set(booking: Booking, repo, aid: str, day: _dt.date, starts_at: str, n: dict, status: str,
         minutes_after: int = 5) -> None:
    booking.clock = lambda: _dt.datetime.fromisoformat(starts_at) + _dt.timedelta(minutes=minutes_after)  # type: ignore[misc]
    repo.today = day
    if status in ("kept", "arrived") and not repo.get("appointment", aid).get("arrived_at"):
        booking.set_status(aid, "arrived")
    if status != "arrived":
        booking.set_status(aid, status)
        n[status] = n.get(status, 0) + 1


def _walk_in(booking: Booking, repo, rng: random.Random, hour: OfficeHour, cid: str, lang: str | None,
             at: _dt.datetime) -> str:
    booking.clock = lambda a=at: a  # type: ignore[misc]
    repo.today = hour.date
    return booking.walk_in(cid, hour.office, agency=rng.choice(hour.desks), interpreter=lang,
                           purpose=rng.choice(WALK_IN_PURPOSES))


def _full_day(booking: Booking, repo, rng: random.Random, hour: OfficeHour, pool: list, reference: _dt.date,
              moment: _dt.time | None, n: dict) -> None:
    """The day the app opens on: most slots booked; on the reference day as far as the office's clock."""
    slots = hour.slots()
    walk_ins = 4 if hour.date == reference else 0
    want = min(max(FULL_DAY[0], round(len(slots) * 0.7)), FULL_DAY[1], len(slots), len(pool) - walk_ins)
    chosen = sorted(rng.sample(slots, max(0, want)), key=lambda s: (s.starts_at, s.desk))
    taken = {(s.starts_at, s.desk) for s in chosen}
    steps = hour.slot_starts()
    now = office_moment(hour, moment)
    booked: list[tuple[str, str]] = []
    long_done = False
    for slot, client in zip(chosen, pool, strict=False):
        i = steps.index(slot.starts_at[11:16])
        follows = f"{slot.starts_at[:11]}{steps[i + 1]}" if i + 1 < len(steps) else None
        two = (not long_done and follows is not None and (follows, slot.desk) not in taken
               and _minutes(slot.starts_at[11:16]) >= now)  # one longer appointment, later in the day
        aid = _book(booking, repo, rng, hour, slot.starts_at, slot.agency, client, reference,
                    slots=2 if two else 1, purpose="Antrag Leistungen" if two else None)
        if aid is None:
            continue
        n["bookings"] += 1
        if two and follows:
            long_done = True
            taken.add((follows, slot.desk))
        booked.append((aid, slot.starts_at))
    if hour.date != reference:
        return
    earlier = [(aid, at) for aid, at in booked if _minutes(at[11:16]) < now - 20]
    missed = {aid for aid, _when in rng.sample(earlier, min(2, len(earlier) // 3))}  # a couple missed
    for aid, at in booked:
        start = _minutes(at[11:16])
        if start >= now:
            continue
        if start >= now - 20:  # came for the last slots: waiting at their desk
            _set(booking, repo, aid, hour.date, at, n, "arrived", minutes_after=-rng.randint(2, 8))
        else:
            _set(booking, repo, aid, hour.date, at, n, "missed" if aid in missed else "kept")
    rest = pool[len(chosen):]
    seen_at = _minutes(hour.starts) + 15
    for k, (cid, lang, *_r) in enumerate(rest[:walk_ins]):
        came = _at(hour.date, seen_at if k == 0 else now - (4 - k) * 9)  # one seen early on, three waiting now
        aid = _walk_in(booking, repo, rng, hour, cid, lang, came)
        if k == 0:
            _set(booking, repo, aid, hour.date, came.isoformat(timespec="minutes"), n, "kept", minutes_after=20)
        n["walk_ins"] += 1
