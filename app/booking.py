"""Booking clients into office-hour slots: book, arrive, kept, missed, cancel, reschedule, walk-ins.

A booking is the case's `appointment` (app.appointments), so the case's
appointments tab, its slip and the due list see it, with the office-hour
fields: desk, end, agency, what to bring, walk-in, arrival time. Stored
outcome "planned" is shown as "booked". Every booking also writes one
`slot_claim` per slot it covers, a global record whose id is a function of
(office, start, desk): two laptops that book the same desk offline write the
same field of the same record, so the ordinary merge (on the hub and on every
laptop alike) keeps one booking and files the other as an open conflict;
`move_to_next_free` settles it by rescheduling the loser. Locally the one
write path (app.hygiene, app.desks) refuses a second booking of a desk.
Booking, kept and missed are chronicle events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any, Callable, NoReturn

import i18n
from i18n import N_, _
from i18n import locale as loc

from . import conflicts, offices, schema
from .checks import ValidationError
from .chronicle import Chronicle, case_row, message, moment
from .desks import ACTIVE
from .schedule import OfficeHour, Schedule, Slot, holiday_name

STATUSES = ("booked", "arrived", "kept", "missed", "cancelled", "rescheduled")
STATUS_LABELS = {"booked": N_("booked"), "arrived": N_("arrived"), "kept": N_("kept"), "missed": N_("missed"),
                 "cancelled": N_("cancelled"), "rescheduled": N_("rescheduled")}
HOME_OFFICE_META = "hours.office"  # the town this laptop holds office hours in (a local setting)
SYNC_OFFICE_META = "sync.office"  # the office the hub enrolled this laptop for (sync.client)


def status_of(outcome: str | None) -> str:
    return "booked" if (outcome or "planned") == "planned" else str(outcome)


def outcome_of(status: str) -> str:
    return "planned" if status == "booked" else status


def claim_id(office: str, starts_at: str, desk: int) -> str:
    digest = hashlib.sha1(f"{office}|{starts_at}|{desk}".encode()).hexdigest()[:24]
    return f"claim:{digest}"


def minutes_between(a: str, b: str) -> int:
    return int((dt.datetime.fromisoformat(b) - dt.datetime.fromisoformat(a)).total_seconds() // 60)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(second=0, microsecond=0)


class Booking:
    """`clock` gives the local time (naive, the office's time zone); tests pass a fixed one."""

    def __init__(self, repo, chronicle: Chronicle | None = None, clock: Callable[[], dt.datetime] | None = None):
        self.repo = repo
        self.chronicle = chronicle or Chronicle(repo)
        self.clock = clock or _now

    # -- the records in force ------------------------------------------------------
    def offices(self) -> dict[str, offices.Office]:
        return offices.load_offices(self.repo.conn)

    def schedule(self) -> Schedule:
        return Schedule(offices.load_templates(self.repo.conn), offices.load_changes(self.repo.conn))

    def now(self) -> dt.datetime:
        return self.clock().replace(second=0, microsecond=0)

    def home_office(self) -> str | None:
        """The laptop's town: chosen here, else the office it is enrolled for, else the staff member's."""
        store = self.repo.store
        for code in (store.meta(HOME_OFFICE_META), store.meta(SYNC_OFFICE_META)):
            if code in schema.OFFICE_CODES:
                return code
        staff = self.repo.get("staff", self.repo.staff_id) if self.repo.staff_id else None
        code = (staff or {}).get("office")
        return code if code in schema.OFFICE_CODES else None

    def set_home_office(self, code: str) -> None:
        if code not in schema.OFFICE_CODES:
            raise ValidationError({"office": _("Unknown office.")})
        with self.repo.transaction():
            self.repo.store.set_meta(HOME_OFFICE_META, code)

    # -- occupancy -----------------------------------------------------------------
    def bookings_on(self, office: str, day: dt.date) -> list[dict[str, Any]]:
        """The appointments of `office` on `day` (bookings and walk-ins), any status."""
        d = day.isoformat()
        ids = [r[0] for r in self.repo.conn.execute(
            "SELECT id FROM appointment WHERE office = ? AND starts_at >= ? AND starts_at < ?"
            " AND coalesce(deleted, 0) = 0 ORDER BY starts_at, desk, id", (office, d, d + "~"))]
        return [r for r in (self.repo.get("appointment", i) for i in ids) if r is not None]

    def taken(self, office: str, day: dt.date) -> dict[int, list[tuple[str, str, str]]]:
        """Per desk the (start, end, appointment id) of the active bookings on that day."""
        out: dict[int, list[tuple[str, str, str]]] = {}
        for a in self.bookings_on(office, day):
            if a.get("desk") and (a.get("outcome") or "planned") in ACTIVE:
                out.setdefault(a["desk"], []).append((a["starts_at"], a.get("ends_at") or a["starts_at"], a["id"]))
        return out

    def slot_states(self, office: str | None, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        """Every slot of the range with its desks: free, or the id of the booking that holds it."""
        out = []
        sched = self.schedule()
        taken_cache: dict[tuple[str, dt.date], dict] = {}
        for hour in sched.hours(office, start, end):
            key = (hour.office, hour.date)
            if key not in taken_cache:
                taken_cache[key] = self.taken(hour.office, hour.date)
            taken = taken_cache[key]
            for slot_start in hour.slot_starts():
                at = f"{hour.date.isoformat()}T{slot_start}"
                desks: list[dict[str, Any]] = []
                for desk, agency in enumerate(hour.desks, start=1):
                    holder = _holder(taken.get(desk, ()), at)
                    desks.append({"desk": desk, "agency": agency, "free": holder is None, "appointment_id": holder})
                out.append({"office": hour.office, "starts_at": at, "room": hour.room,
                            "free": sum(1 for d in desks if d["free"]), "desks": desks})
        return out

    def next_free(self, office: str, after: str, agency: str | None = None, horizon_days: int = 120,
                  desk: int | None = None, slots: int = 1) -> Slot | None:
        """The first free slot of `office` at or after `after` (YYYY-MM-DDTHH:MM) for `agency`; with `slots`
        the first from which that many consecutive slots of one desk are free within its office hour."""
        day = dt.date.fromisoformat(after[:10])
        earliest = max(after, self.now().isoformat(timespec="minutes"))
        sched = self.schedule()
        for hour in sched.hours(office, day, day + dt.timedelta(days=horizon_days)):
            taken = self.taken(office, hour.date)
            starts = [f"{hour.date.isoformat()}T{s}" for s in hour.slot_starts()]
            for slot in hour.slots():
                if slot.starts_at < earliest or (agency and slot.agency != agency) or (desk and slot.desk != desk):
                    continue
                i = starts.index(slot.starts_at)
                span = starts[i:i + slots]
                if len(span) == slots and all(_holder(taken.get(slot.desk, ()), at) is None for at in span):
                    return slot
        return None

    # -- booking -------------------------------------------------------------------
    def check_slot(self, office: str, starts_at: str, agency: str | None = None, slots: int = 1,
                   exclude: str | None = None) -> tuple[OfficeHour, int, str]:
        """The office hour, the desk and the end for a booking; ValidationError with one message if none."""
        def refuse(msg: str) -> NoReturn:
            raise ValidationError({"starts_at": msg})

        if office not in self.offices():
            raise ValidationError({"office": _("Unknown office {code}.").format(code=office)})
        try:
            at = dt.datetime.fromisoformat(starts_at)
        except ValueError:
            refuse(_("Please enter date and time as YYYY-MM-DD HH:MM."))
        starts_at = at.isoformat(timespec="minutes")
        if at < self.now():
            refuse(_("This time lies in the past."))
        holiday = holiday_name(at.date())
        if holiday:
            refuse(_("{date} is a public holiday ({name}): there are no office hours.").format(
                date=at.date().isoformat(), name=holiday))
        sched = self.schedule()
        hour = sched.hour_at(office, starts_at)
        if hour is None:
            for c in sched.cancellations(office, at.date()):
                if c["starts"] is None or c["starts"] <= starts_at[11:16] < c["ends"]:
                    refuse(cancellation_text(self.offices()[office].name, at.date(), c))
            refuse(_("There are no office hours in {office} at this time.").format(
                office=self.offices()[office].name))
        if agency is not None and agency not in hour.desks:
            refuse(_("{agency} does not attend this office hour.").format(agency=agency))
        if not 1 <= slots <= 8:
            refuse(_("A booking takes one to eight slots."))
        starts = hour.slot_starts()
        i = starts.index(starts_at[11:16])
        if i + slots > len(starts):
            refuse(_("The office hour ends at {end}: {slots} slots from {start} do not fit.").format(
                end=hour.ends, slots=slots, start=starts_at[11:16]))
        ends_at = f"{starts_at[:11]}{_plus(starts[i + slots - 1], hour.slot_minutes)}"
        taken = self.taken(office, at.date())
        for desk, desk_agency in enumerate(hour.desks, start=1):
            if agency is not None and desk_agency != agency:
                continue
            if not any(s < ends_at and e > starts_at and aid != exclude for s, e, aid in taken.get(desk, ())):
                return hour, desk, ends_at
        if slots > 1:
            refuse(_("No desk of {agency} is free from {start} to {end}.").format(
                agency=agency, start=starts_at[11:16], end=ends_at[11:16]) if agency
                else _("No desk is free from {start} to {end}.").format(start=starts_at[11:16], end=ends_at[11:16]))
        refuse(_("Every desk of {agency} is booked at this time.").format(agency=agency) if agency
               else _("Every desk is booked at this time."))

    def book(self, case_id: str, office: str, starts_at: str, *, agency: str | None = None,
             interpreter: str | None = None, purpose: str = "", slots: int = 1, bring: list[str] | None = None,
             staff: str | None = None, chronicle: bool = True) -> str:
        """Book the case into the slot; returns the appointment id. Nothing is written if it is refused."""
        case = case_row(self.repo, case_id)
        hour, desk, ends_at = self.check_slot(office, starts_at, agency, slots)
        starts_at = dt.datetime.fromisoformat(starts_at).isoformat(timespec="minutes")
        agency = hour.desks[desk - 1]
        office_row = self.offices()[office]
        purpose = (purpose or "").strip() or _("Office hour")
        values = {"household_id": case["household_id"], "case_id": case_id, "starts_at": starts_at,
                  "ends_at": ends_at, "office": office, "desk": desk, "agency": agency,
                  "place": f"{office_row.address}, {hour.room}".strip(", "), "purpose": purpose,
                  "interpreter_language": (interpreter or "").strip() or None, "staff": staff,
                  "bring": [b.strip() for b in (bring or []) if b and b.strip()] or None, "outcome": "planned"}
        with self.repo.transaction():
            aid = self.repo.save("appointment", {k: v for k, v in values.items() if v is not None})
            self._claim(aid, office, hour, starts_at, ends_at, desk)
            if chronicle:
                self.chronicle.record(case_id, "appointment", message(
                    N_("Booked for the office hour in {office} on {when}, {agency}: {purpose}"),
                    office=office_row.name, when=moment(starts_at), agency=agency, purpose=purpose),
                                      self.now().date().isoformat(), ref_entity="appointment", ref_id=aid)
        return aid

    def _claim(self, aid: str, office: str, hour: OfficeHour, starts_at: str, ends_at: str, desk: int) -> None:
        for start in hour.slot_starts():
            at = f"{starts_at[:11]}{start}"
            if starts_at <= at < ends_at:
                self.repo.save("slot_claim", {"office": office, "starts_at": at, "desk": desk,
                                              "appointment_id": aid}, claim_id(office, at, desk))

    def _release(self, appointment: dict[str, Any]) -> None:
        for cid in [r[0] for r in self.repo.conn.execute("SELECT id FROM slot_claim WHERE appointment_id = ?",
                                                         (appointment["id"],))]:
            self.repo.save("slot_claim", {"appointment_id": None}, cid)  # no tombstone: one field to merge

    def holder(self, appointment: dict[str, Any]) -> bool:
        """Whether the booking holds its desk in every slot it covers (False: a booking of the same desk by
        another laptop won one of them, e.g. the second slot of a longer booking)."""
        if not appointment.get("desk"):
            return True
        starts = appointment["starts_at"]
        ends = appointment.get("ends_at") or starts
        if ends <= starts:
            ends = starts + "~"
        own = appointment["id"]
        for (holder,) in self.repo.conn.execute(
                "SELECT appointment_id FROM slot_claim WHERE office = ? AND desk = ? AND starts_at >= ?"
                " AND starts_at < ? AND coalesce(deleted, 0) = 0", (appointment["office"], appointment["desk"],
                                                                    starts, ends)):
            if holder not in (None, own):
                return False
        return True

    def _appointment(self, appointment_id: str) -> dict[str, Any]:
        a = self.repo.get("appointment", appointment_id)
        if a is None or a.get("deleted"):
            raise ValidationError({"appointment": _("The appointment does not exist.")})
        return a

    def set_status(self, appointment_id: str, status: str, note: str = "") -> None:
        """arrived / kept / missed / cancelled, or booked again (a wrong "missed" set back)."""
        a = self._appointment(appointment_id)
        old = status_of(a.get("outcome"))
        if status not in ("booked", "arrived", "kept", "missed", "cancelled"):
            raise ValidationError({"outcome": _("Please choose one of the offered values.")})
        if old == status:
            return
        if old in ("cancelled", "rescheduled"):
            raise ValidationError({"outcome": _("A cancelled or rescheduled appointment cannot change.")})
        if status == "booked" and old != "missed" and old != "arrived":
            raise ValidationError({"outcome": _("Only a missed or arrived appointment can be set back.")})
        values: dict[str, Any] = {"outcome": outcome_of(status)}
        if status == "arrived" and not a.get("arrived_at"):
            values["arrived_at"] = self.now().isoformat(timespec="minutes")
        day = a["starts_at"][:10]
        purpose = a.get("purpose") or ""
        texts = {"kept": N_("Appointment kept: {purpose}"), "missed": N_("Appointment missed: {purpose}"),
                 "cancelled": N_("Appointment cancelled: {purpose}")}
        if old == "missed" and status != "missed":
            text = N_("Appointment not missed after all (corrected): {purpose}")
        else:
            text = texts.get(status, "")
        with self.repo.transaction():
            self.repo.save("appointment", values, appointment_id)
            if status == "cancelled":
                self._release(a)
            if text:
                self.chronicle.record(a["case_id"], "appointment", message(text, purpose=purpose), day,
                                      note=note, ref_entity="appointment", ref_id=appointment_id)

    def slots_of(self, appointment: dict[str, Any], hour: OfficeHour | None = None) -> int:
        """How many slots the booking covers (by its office hour's slot length, else `hour`'s; at least one)."""
        if not appointment.get("ends_at") or not appointment.get("office"):
            return 1
        own = self.schedule().hour_at(appointment["office"], appointment["starts_at"]) or hour
        if own is None:
            return 1
        return max(1, minutes_between(appointment["starts_at"], appointment["ends_at"]) // own.slot_minutes)

    def reschedule(self, appointment_id: str, starts_at: str, *, agency: str | None = None,
                   office: str | None = None) -> str:
        """Book the same client, purpose, interpreter, checklist and length at another time (and office);
        the old booking becomes "rescheduled", frees its desk and points to the new one; the chronicle says
        from when to when. Every rule of `book` applies; refused, nothing is written. Returns the new id."""
        a = self._appointment(appointment_id)
        if status_of(a.get("outcome")) not in ("booked", "missed") or a.get("walk_in"):
            raise ValidationError({"outcome": _("Only a booked or missed appointment can be rescheduled.")})
        office = office or a.get("office") or ""
        try:
            hour = self.schedule().hour_at(office, dt.datetime.fromisoformat(starts_at).isoformat(timespec="minutes"))
        except ValueError:
            hour = None
        n = self.slots_of(a, hour)
        if office != a.get("office") and agency is None and a.get("agency") not in (hour.desks if hour else ()):
            agency = None  # the other office's first free desk
        else:
            agency = agency or a.get("agency")
        with self.repo.transaction():
            self.repo.save("appointment", {"outcome": "rescheduled"}, appointment_id)
            self._release(a)
            new = self.book(a["case_id"], office, starts_at, agency=agency,
                            interpreter=a.get("interpreter_language"), purpose=a.get("purpose") or "", slots=n,
                            bring=a.get("bring"), staff=a.get("staff"), chronicle=False)
            self.repo.save("appointment", {"moved_to": new}, appointment_id)
            b = self.repo.get("appointment", new) or {}
            self.chronicle.record(a["case_id"], "appointment", message(
                N_("Appointment rescheduled from {old} to {new} ({office}, {agency}): {purpose}"),
                old=moment(a["starts_at"]), new=moment(b["starts_at"]), office=self.offices()[office].name,
                agency=b.get("agency") or "", purpose=b.get("purpose") or ""),
                                  self.now().date().isoformat(), ref_entity="appointment", ref_id=new)
        return new

    def walk_in(self, case_id: str, office: str, *, agency: str | None = None, purpose: str = "",
                interpreter: str | None = None) -> str:
        """A client who came without a booking joins today's waiting queue (status arrived)."""
        case = case_row(self.repo, case_id)
        if office not in self.offices():
            raise ValidationError({"office": _("Unknown office {code}.").format(code=office)})
        if agency is not None and agency not in offices.BOOKABLE_AGENCIES:
            raise ValidationError({"agency": _("Please choose one of the offered values.")})
        now = self.now()
        at = now.isoformat(timespec="minutes")
        while self.repo.conn.execute("SELECT 1 FROM appointment WHERE case_id = ? AND starts_at = ?"
                                     " AND coalesce(deleted, 0) = 0", (case_id, at)).fetchone():
            now += dt.timedelta(minutes=1)  # the same client twice in a minute: one minute apart
            at = now.isoformat(timespec="minutes")
        purpose = (purpose or "").strip() or _("Walk-in")
        values = {"household_id": case["household_id"], "case_id": case_id, "starts_at": at, "office": office,
                  "agency": agency, "purpose": purpose, "walk_in": True, "arrived_at": at, "outcome": "arrived",
                  "interpreter_language": (interpreter or "").strip() or None}
        with self.repo.transaction():
            aid = self.repo.save("appointment", {k: v for k, v in values.items() if v is not None})
            self.chronicle.record(case_id, "appointment", message(
                N_("Came to the office hour in {office} without a booking: {purpose}"),
                office=self.offices()[office].name, purpose=purpose),
                                  at[:10], ref_entity="appointment", ref_id=aid)
        return aid

    # -- two laptops booked one desk ----------------------------------------------
    def booking_conflicts(self) -> list[conflicts.Conflict]:
        return [c for c in conflicts.list_open(self.repo) if c.entity == "slot_claim" and c.field == "appointment_id"]

    def move_to_next_free(self, conflict_id: str) -> str | None:
        """Settle a double booking: the booking that lost the desk moves to the next free slot of its
        agency at the same office; the conflict is resolved. Returns the new appointment id (None when
        the losing booking is no longer active or there is no free slot within four months)."""
        c = conflicts.get(self.repo, conflict_id)
        if c.entity != "slot_claim":
            raise ValidationError({"conflict": _("This conflict is not a double booking.")})
        loser = self.repo.get("appointment", c.other.value) if isinstance(c.other.value, str) else None
        if c.current.value is None:  # the winner had cancelled: the other booking simply keeps the desk
            conflicts.resolve(self.repo, conflict_id, take="other")
            return None
        with self.repo.transaction():
            new = None
            if loser and not loser.get("deleted") and status_of(loser.get("outcome")) == "booked":
                slot = self.next_free(loser["office"], loser["starts_at"], loser.get("agency"),
                                      slots=self.slots_of(loser))
                if slot is None:
                    raise ValidationError({"starts_at": _("There is no free slot within the next four months.")})
                new = self.reschedule(loser["id"], slot.starts_at, agency=slot.agency)
            conflicts.resolve(self.repo, conflict_id, take="current")
        return new


CANCELLED = N_("The office hour in {office} on {date} is cancelled.")
CANCELLED_NOTE = N_("The office hour in {office} on {date} is cancelled: {note}")
MOVED = N_("The office hour in {office} on {date} is moved to {to}.")
MOVED_NOTE = N_("The office hour in {office} on {date} is moved to {to}: {note}")


def cancellation_text(office: str, day: dt.date, cancellation: dict[str, Any], lang: str | None = None) -> str:
    """"The office hour in Telgte on 14.12.2026 is cancelled: Fortbildung" (or moved to another day), in `lang`
    (default: the UI's)."""
    lang = lang or i18n.current_language()
    note = cancellation.get("note") or ""
    values = {"office": office, "date": loc.format_date(day, lang, "medium"), "note": note}
    if cancellation.get("to_date"):
        values["to"] = loc.format_date(cancellation["to_date"], lang, "medium")
        msgid = MOVED_NOTE if note else MOVED
    else:
        msgid = CANCELLED_NOTE if note else CANCELLED
    return i18n.translate(msgid, lang).format(**values)


def _holder(bookings, at: str) -> str | None:
    for s, e, aid in bookings:
        if s <= at < e or s == at:
            return aid
    return None


def _plus(hhmm: str, minutes: int) -> str:
    t = int(hhmm[:2]) * 60 + int(hhmm[3:]) + minutes
    return f"{t // 60:02d}:{t % 60:02d}"

