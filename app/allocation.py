"""The hub's allocation of course seats: answers in, offers out, seats counted (one writer, so no seat twice).

Laptops register people and record a client's answer (accepted_on /
declined_on on the offer); only this run, at the hub (the central office),
changes an offer's state and writes offers, so two laptops can never give
away one seat. One run, in one transaction, on a day `today`:

1. answers: an accepted offer becomes `allocated` (the case's measure becomes
   "registered" with the course's provider), a declined one `declined`; an
   offer not answered by its deadline `expired`; an offer whose person left
   the list is `released` (the seat is free again, before the start);
   an unanswered offer of a course that has started expires (no move-up after
   the start);
2. offers: every course that has not started and has free seats (seats minus
   offers that hold one) is offered, in list order (app.waitlist), to the next
   person who holds no other offer or seat, was not offered this course
   before, and is eligible (childcare, towns they can reach, the course a
   laptop proposed); the seat is held for `hold_days`;
3. a person a laptop proposed for a course that is full gets a notice with
   their place; `course.taken` is written for the laptops.

Offer ids are derived from course and entry (`offer_id`), so a second run on
the same day changes nothing and an expired offer is never made again.
Explicit rule for seats given twice: only `allocated` and open offers hold
seats, and only this run creates them, in list order.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field

from i18n import _

from .courses import course_rows
from .waitlist import WaitlistRules, creation_stamps, live_entries, order, short_date

_NS = uuid.UUID("0b8f3a2e-51f4-4c0e-8f7e-3f1f6a9d2c44")


def offer_id(course_id: str, entry_id: str) -> str:
    return uuid.uuid5(_NS, f"offer/{course_id}/{entry_id}").hex


@dataclass
class Report:
    offered: list[str] = field(default_factory=list)
    allocated: list[str] = field(default_factory=list)
    declined: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {k: len(v) for k, v in self.__dict__.items()}


def allocate(repo, rules: WaitlistRules, measures, today: dt.date) -> Report:
    """One allocation run (see the module docstring); returns what it did."""
    report = Report()
    with repo.transaction():
        courses = {c.id: c for c in course_rows(repo.conn)}
        entries = {e["id"]: e for e in repo.find("waitlist_entry")}
        _answers(repo, measures, courses, entries, today, report)
        _offers(repo, rules, courses, today, report)
        taken = Counter(r[0] for r in repo.conn.execute(
            "SELECT course_id FROM seat_offer WHERE coalesce(deleted, 0) = 0 AND state IN ('offered', 'allocated')"))
        for c in courses.values():
            if c.taken != taken.get(c.id, 0):
                repo.save("course", {"taken": taken.get(c.id, 0)}, c.id)
    return report


def _answers(repo, measures, courses, entries, today: dt.date, report: Report) -> None:
    day = today.isoformat()
    for o in repo.find("seat_offer"):
        state, course, entry = o.get("state"), courses.get(o.get("course_id")), entries.get(o.get("entry_id"))
        started = course is not None and course.started(today)
        gone = entry is None or entry.get("deleted") or entry.get("withdrawn_on")
        if state == "offered":
            if gone:
                _set(repo, o, "released", day, report.released)
            elif o.get("declined_on"):
                _set(repo, o, "declined", day, report.declined)
            elif o.get("accepted_on") and o["accepted_on"] <= (o.get("hold_until") or day):
                _set(repo, o, "allocated", day, report.allocated)
                _register_measure(repo, measures, entry, course, o["accepted_on"])
            elif started or (o.get("hold_until") and day > o["hold_until"]):
                notice = (_("Accepted after the deadline of {date}: the seat has gone to the next person.").format(
                    date=short_date(o["hold_until"])) if o.get("accepted_on") else None)
                _set(repo, o, "expired", day, report.expired, notice)
        elif state == "allocated" and gone and not started:
            _set(repo, o, "released", day, report.released)


def _set(repo, offer: dict, state: str, day: str, bucket: list, notice: str | None = None) -> None:
    values = {"state": state, "decided_on": day}
    if notice:
        values["notice"] = notice
    repo.save("seat_offer", values, offer["id"])
    bucket.append(offer["id"])


def _register_measure(repo, measures, entry, course, date: str) -> None:
    """The accepted seat reaches the case's measure: registered with the course's provider, linked to the course
    (whose dates are the planned ones; the measure's own start and end are recorded when they happen)."""
    mid = entry.get("measure_id") if entry else None
    m = repo.get("measure", mid) if mid else None
    if m is None or m.get("deleted") or course is None:
        return
    if m.get("status") in ("proposed", "waiting"):
        measures.set_status(mid, "registered", date, provider=course.provider)
    repo.save("measure", {"course_id": course.id}, mid)


def _eligible(e: dict, course, rules: WaitlistRules) -> str | None:
    """Why the entry cannot take a seat in this course (None: it can)."""
    ids = {r["id"] for r in rules.eligibility}
    if "childcare" in ids and e.get("childcare_needed") and not course.childcare:
        return "childcare"
    if "towns" in ids and e.get("towns") and course.office not in e["towns"]:
        return "towns"
    if e.get("proposed_course_id") and e["proposed_course_id"] != course.id:
        return "proposed"
    return None


def _offers(repo, rules: WaitlistRules, courses, today: dt.date, report: Report) -> None:
    day = today.isoformat()
    hold = (today + dt.timedelta(days=rules.hold_days)).isoformat()
    offers = repo.find("seat_offer", include_deleted=False)
    holding = Counter(o["course_id"] for o in offers if o.get("state") in ("offered", "allocated"))
    busy = {o["entry_id"] for o in offers if o.get("state") in ("offered", "allocated")}
    tried = {(o["course_id"], o["entry_id"]) for o in offers}
    lists: dict[tuple, list] = {}
    proposed_full: dict[str, str] = {}  # entry id -> course id it was proposed for but did not get
    proposed: dict[str, list[dict]] = {}  # course id -> entries proposed for it
    for course in courses.values():  # soonest start first (course_rows' order)
        if course.started(today) or not course.start_date:
            continue
        free = course.seats - holding.get(course.id, 0)
        key = (course.catalogue_id, course.level)
        if key not in lists:
            entries = live_entries(repo.conn, course.catalogue_id, course.level)
            lists[key] = order(entries, creation_stamps(repo.conn, [e["id"] for e in entries]), rules, today)
            for e in entries:
                if e.get("proposed_course_id"):
                    proposed.setdefault(e["proposed_course_id"], []).append(e)
        for pos in lists[key]:
            if free <= 0:
                break
            e = pos.entry
            if e["id"] in busy or (course.id, e["id"]) in tried or _eligible(e, course, rules):
                continue
            oid = offer_id(course.id, e["id"])
            repo.save("seat_offer", {"household_id": e["household_id"], "case_id": e["case_id"], "entry_id": e["id"],
                                     "course_id": course.id, "state": "offered", "offered_on": day,
                                     "hold_until": hold}, oid)
            busy.add(e["id"])
            tried.add((course.id, e["id"]))
            free -= 1
            report.offered.append(oid)
            proposed_full.pop(e["id"], None)
        if free <= 0:  # people proposed for this course who did not get a seat in it: it is full
            for e in proposed.get(course.id, ()):
                if e["id"] not in busy and (course.id, e["id"]) not in tried:
                    proposed_full[e["id"]] = course.id
    for positions in lists.values():
        rank = 0
        for pos in positions:
            e = pos.entry
            notice = None
            if e["id"] not in busy:
                rank += 1
            if e["id"] in proposed_full:
                course = courses[proposed_full[e["id"]]]
                notice = _("{course} is full: place {rank} on the waiting list.").format(
                    course=course.title or course.catalogue_id, rank=rank)
            if notice != e.get("notice"):
                repo.save("waitlist_entry", {"notice": notice}, e["id"])
                if notice:
                    report.notices.append(e["id"])
