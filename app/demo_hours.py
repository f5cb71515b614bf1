"""Fictional office-hour bookings for the demo: four weeks before and after the reference date, all 13 towns.

`fill(store, seed, reference)` books open cases of each town into its office
hours (app.booking, so the chronicle and the desk claims are what real
booking writes), with the person's interpreter language; past bookings are
kept (most), missed (some) or cancelled; on the reference day in the laptop's
town a few clients have arrived and two walk-ins wait. One office hour is
cancelled and one extra is added by the central office. The laptop's town
(`hours.office`) is the town with office hours on the reference day
(Telgte when it has them), so the app opens on a full day.
"""

from __future__ import annotations

import datetime as _dt
import random
import uuid
from typing import Any

from . import offices
from .booking import HOME_OFFICE_META, Booking
from .chronicle import Chronicle
from .repository import Repository
from .schedule import Schedule

WEEKS = 4


class _SeededRepository(Repository):
    """New ids from a seeded generator, so a seed gives the same store (as the other demo parts)."""

    def __init__(self, store, staff_id: str | None, ids: random.Random):
        super().__init__(store, staff_id)
        self._ids = ids

    def save(self, entity: str, values: dict[str, Any], entity_id: str | None = None) -> str:
        return super().save(entity, values, entity_id or uuid.UUID(int=self._ids.getrandbits(128), version=4).hex)


def fill(store, seed: int, reference: _dt.date) -> dict[str, int]:
    rng = random.Random(seed * 31 + 8)
    desk = store.conn.execute("SELECT id FROM staff WHERE login != 'demo' ORDER BY office = 'TEL' DESC, login"
                              " LIMIT 1").fetchone()  # a demo staff member books, not the store's own login
    repo = _SeededRepository(store, desk[0] if desk else None, random.Random(f"hours/{seed}"))
    booking = Booking(repo, Chronicle(repo))
    sched = Schedule(offices.load_templates(repo.conn), [])
    start, end = reference - _dt.timedelta(weeks=WEEKS), reference + _dt.timedelta(weeks=WEEKS)
    on_reference = {h.office for h in sched.hours(None, reference, reference)}
    home = "TEL" if "TEL" in on_reference or not on_reference else sorted(on_reference)[0]
    cases: dict[str, list[tuple[str, str | None]]] = {}
    opened: dict[str, str] = {}
    for cid, office, lang, since in repo.conn.execute(
            'SELECT c.id, c.office, p.interpreter_language, c.opened FROM "case" c JOIN person p ON p.id = c.person_id'
            " WHERE c.status IN ('new', 'active') AND coalesce(c.deleted, 0) = 0 ORDER BY c.id"):
        cases.setdefault(office, []).append((cid, lang))
        opened[cid] = since or ""
    n = {"bookings": 0, "kept": 0, "missed": 0, "walk_ins": 0}
    purposes = ["Beratung Arbeit", "Profiling", "Antrag Leistungen", "Integrationskurs", "Unterlagen abgeben",
                "Anerkennung Abschluss", "Bewerbung", "Rechtskreiswechsel"]
    with repo.transaction():
        store.set_meta(HOME_OFFICE_META, home)
        for hour in sched.hours(None, start, end):
            pool = [c for c in cases.get(hour.office, ()) if opened[c[0]] < hour.date.isoformat()]
            if not pool:
                continue
            rng.shuffle(pool)
            slots = hour.slots()
            full = hour.office == home and hour.date == reference
            want = int(len(slots) * 0.6) if full else rng.randint(2, 5)
            chosen = rng.sample(slots, min(want, len(slots), len(pool)))
            day_before = min(_dt.datetime.combine(hour.date - _dt.timedelta(days=rng.randint(1, 20)), _dt.time(8)),
                             _dt.datetime.combine(reference, _dt.time(8)))  # booked before the demo's today
            booking.clock = lambda t=day_before: t  # type: ignore[misc]  # booked some days ahead, as offices do
            repo.today = day_before.date()
            for slot, (cid, lang) in zip(sorted(chosen, key=lambda s: (s.starts_at, s.desk)), pool, strict=False):
                booked_on = max(day_before, _dt.datetime.combine(_dt.date.fromisoformat(opened[cid]), _dt.time(8))
                                if opened[cid] else day_before)  # not before the case was opened
                booking.clock = lambda t=booked_on: t  # type: ignore[misc]
                repo.today = booked_on.date()
                try:
                    aid = booking.book(cid, hour.office, slot.starts_at, agency=slot.agency,
                                       interpreter=lang if lang and lang != "de" else None,
                                       purpose=rng.choice(purposes),
                                       bring=["Pass oder Aufenthaltstitel", "Post seit dem letzten Besuch"])
                except Exception:  # noqa: BLE001 - the case's other booking at that time: skip
                    continue
                n["bookings"] += 1
                when = _dt.datetime.fromisoformat(slot.starts_at)
                booking.clock = lambda w=when: w + _dt.timedelta(minutes=5)  # type: ignore[misc]
                repo.today = min(hour.date, reference)
                if hour.date < reference:
                    r = rng.random()
                    status = "kept" if r < 0.78 else "missed" if r < 0.93 else "cancelled"
                    if status == "kept":
                        booking.set_status(aid, "arrived")
                    booking.set_status(aid, status)
                    n[status] = n.get(status, 0) + 1
                elif full and slot.starts_at[11:16] <= "09:40":
                    booking.set_status(aid, "arrived")
                booking.clock = lambda t=day_before: t  # type: ignore[misc]
                repo.today = day_before.date()
            if hour.date <= reference and (full or rng.random() < 0.2):
                used = {c for c, _l in pool[:len(chosen)]}
                for cid, lang in [p for p in pool if p[0] not in used][: 2 if full else 1]:
                    at = _dt.datetime.combine(hour.date, _dt.time.fromisoformat(hour.starts)) + _dt.timedelta(
                        minutes=rng.randint(5, 50))
                    booking.clock = lambda a=at: a  # type: ignore[misc]
                    repo.today = hour.date
                    aid = booking.walk_in(cid, hour.office, agency=rng.choice(hour.desks), interpreter=lang
                                          if lang and lang != "de" else None, purpose="Brief vom Amt")
                    if hour.date < reference:
                        booking.set_status(aid, "kept")
                    n["walk_ins"] += 1
        # the central office: an office hour cancelled (staff training) and an extra one before a course start
        later = [h for h in sched.hours(None, reference + _dt.timedelta(days=8), end) if h.office == "WAF"]
        repo.today = reference
        if later:
            offices.save_change(repo, {"office": "WAF", "date": later[0].date.isoformat(), "kind": "cancelled",
                                       "template_id": later[0].template_id, "note": "Fortbildung"})
        extra = reference + _dt.timedelta(days=(5 - reference.weekday()) % 7 + 10)  # a Friday two weeks on
        offices.save_change(repo, {"office": "BEC", "date": extra.isoformat(), "kind": "extra", "starts": "09:00",
                                   "ends": "11:00", "desks": ["JC", "SOZ"], "slot_minutes": 30,
                                   "room": "Raum 2.07", "note": "Zusätzliche Sprechstunde"})
    repo.today = None
    return n
