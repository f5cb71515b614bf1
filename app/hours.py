"""The office-hours service of one open store, as the UI and the command line reach it (`session.hours`).

Bundles the offices (app.offices), the derived schedule (app.schedule), the
bookings (app.booking), the day view (app.dayview), the iCalendar export
(app.hours_ics) and the office-hour documents (app.documents.hours_docs).
Case numbers are resolved here so that callers deal in what people type.

Editing the offices, their templates and exceptions needs the role table's
`manage_offices` (the central office, the administrator): decided here, so
the GUI and the command line alike are refused (AccessDenied, logged).

The day (screen, `today`, day list) passes the consent gate per case
(app.access): a case shown only at the booking level keeps its name,
purpose, interpreter and what to bring, but not its due items and open
measures; at level none (interpreter, data-protection officer) a booking
shows as taken, without the client. Printing goes through the same gate as
the case documents (app.print_gate): the role needs `print` or
`appointments`, the offline lease must hold, a slip needs the booking
level of its case (it holds only booking data), and every print and
refusal is an entry of the hash-chained audit trail (per case for slips
and the day list). docs/office-hours.md, "Documents".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import i18n
from i18n import N_, _

from . import conflicts, offices
from .access import BOOKING, FULL, NONE, Access, AccessDenied
from .booking import Booking, cancellation_text
from .casework import CaseWork, casework_for
from .checks import ValidationError
from .dayview import Day, DayRow, bring_suggestions, build_day
from .offices import Office


ICS_TITLE = N_("Office hour {town}")


class OfficeHours:
    """`access`: the consent and role decisions of the staff member who unlocked (default: the repository's);
    `check_lease`: raises app.lease.LeaseExpired when case data is locked (the session's; default: none)."""

    def __init__(self, repo, casework: CaseWork, access: Access | None = None,
                 check_lease: Callable[[], object] | None = None):
        self.repo = repo
        self.casework = casework
        self.access = access or Access(repo)
        self.check_lease = check_lease
        self.booking = Booking(repo, casework.chronicle)
        self._cases: tuple[int, int, list[dict[str, str]]] | None = None  # (change seq, cases, open cases)
        self._sorted: dict[str | None, tuple[list[dict[str, str]], list[dict[str, str]]]] = {}  # office -> (of, sorted)

    # -- what the offices offer --------------------------------------------------------
    def offices(self) -> dict[str, Office]:
        return self.booking.offices()

    def office(self, code: str | None) -> Office:
        offices = self.offices()
        if code not in offices:
            raise ValidationError({"office": _("Unknown office {code}.").format(code=code)})
        return offices[str(code)]

    def field_offices(self) -> list[Office]:
        """The offices that hold office hours (not the central office)."""
        return [o for o in self.offices().values() if not o.central]

    def today(self) -> dt.date:
        return self.booking.now().date()

    def default_day(self, office: str, start: dt.date | None = None) -> dt.date:
        """`start` (default today) when the office holds office hours then, else its next office-hour day."""
        start = start or self.today()
        return self.booking.schedule().next_day(office, start) or start

    def slots(self, office: str | None, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
        if office is not None:
            self.office(office)
        return self.booking.slot_states(office, start, end)

    # -- editing: the central office ----------------------------------------------------
    def may_edit(self) -> bool:
        """Whether the staff member who unlocked may edit offices and office hours (`manage_offices`)."""
        return self.access.may("manage_offices")

    def edit_refusal(self) -> str:
        """Why the offices are shown read-only ("" when they may be edited)."""
        if self.may_edit():
            return ""
        return _("Only the central office changes offices and office hours; your role ({role}) may only "
                 "look at them.").format(role=_(self.access.actor.role.label))

    def _require_edit(self, what: str) -> None:
        if not self.may_edit():
            self.access.log(f"offices:{what}", outcome="refused")
            raise AccessDenied(self.edit_refusal())

    def templates(self, office: str) -> list[dict[str, Any]]:
        """The office's recurring office hours in force, by weekday and time."""
        self.office(office)
        rows = [t for t in offices.load_templates(self.repo.conn) if t["office"] == office]
        return sorted(rows, key=lambda t: (t.get("weekday") if isinstance(t.get("weekday"), int) else 9,
                                           t.get("starts") or "", t["id"]))

    def changes(self, office: str) -> list[dict[str, Any]]:
        """The office's exceptions (cancelled, moved, extra), by date."""
        self.office(office)
        rows = [c for c in offices.load_changes(self.repo.conn) if c["office"] == office]
        return sorted(rows, key=lambda c: (c.get("date") or "", c.get("starts") or "", c["id"]))

    def save_office(self, code: str, values: dict[str, Any]) -> str:
        self._require_edit("edit")
        self.office(code)
        return offices.save_office(self.repo, code, values)

    def save_template(self, values: dict[str, Any], template_id: str | None = None) -> str:
        self._require_edit("edit")
        return offices.save_template(self.repo, values, template_id)

    def delete_template(self, template_id: str) -> None:
        self._require_edit("edit")
        offices.delete_template(self.repo, template_id)

    def save_change(self, values: dict[str, Any], change_id: str | None = None) -> str:
        self._require_edit("edit")
        return offices.save_change(self.repo, values, change_id)

    def delete_change(self, change_id: str) -> None:
        self._require_edit("edit")
        offices.delete_change(self.repo, change_id)

    # -- cases by number ----------------------------------------------------------------
    def case_id(self, case_number: str) -> str:
        rows = self.repo.find("case", case_number=case_number.strip())
        if not rows:
            raise ValidationError({"case": _("There is no case {number}.").format(number=case_number)})
        return rows[0]["id"]

    def case_number(self, case_id: str) -> str:
        return (self.repo.get("case", case_id) or {}).get("case_number") or ""

    def book(self, case_number: str, office: str, starts_at: str, **options) -> str:
        return self.booking.book(self.case_id(case_number), office, starts_at, **options)

    def booking_defaults(self, case_id: str, day: dt.date) -> dict[str, Any]:
        """What a new booking of the case starts with: the person's interpreter language and the checklist
        suggestions (as `bring_suggestions`)."""
        person = self.casework.person_of(case_id) or {}
        return {"interpreter": person.get("interpreter_language") or None,
                "bring": self.bring_suggestions(case_id, day)}

    def book_case(self, case_id: str, office: str, starts_at: str, **options) -> str:
        """Book a case into a slot from the app: needs the booking level of the case (app.access, logged)."""
        d = self.access.decide(case_id)
        if not d.allows(BOOKING):
            self.access.log("book", case_id, outcome="refused")
            raise AccessDenied(d.reason)
        return self.booking.book(case_id, office, starts_at, **options)

    def reschedule(self, appointment_id: str, starts_at: str, *, office: str | None = None,
                   agency: str | None = None) -> str:
        """Move a booking to another slot (and office): every rule of `book`, the booking level of the case
        (app.access, refusals logged); the old booking becomes "rescheduled" and points to the new one."""
        a = self.repo.get("appointment", appointment_id)
        if a is None or a.get("deleted") or not a.get("case_id"):
            raise ValidationError({"appointment": _("There is no booking {id}.").format(id=appointment_id)})
        d = self.access.decide(a["case_id"])
        if not d.allows(BOOKING):
            self.access.log("book", a["case_id"], outcome="refused")
            raise AccessDenied(d.reason)
        if office is not None:
            self.office(office)
        return self.booking.reschedule(appointment_id, starts_at, office=office, agency=agency)

    def lengths(self, office: str, starts_at: str, agency: str | None = None) -> list[tuple[int, int]]:
        """(slots, minutes) a booking from this slot start may take: one slot, and up to eight as long as they
        end by the office hour's end and a desk (of `agency`) is free throughout (empty when no office hour
        has a slot starting then)."""
        hour = self.booking.schedule().hour_at(office, starts_at)
        if hour is None:
            return []
        left = len(hour.slot_starts()) - hour.slot_starts().index(starts_at[11:16])
        out = [(1, hour.slot_minutes)]
        for n in range(2, min(8, left) + 1):
            try:
                self.booking.check_slot(office, starts_at, agency if agency in hour.desks else None, n)
            except ValidationError:
                break
            out.append((n, n * hour.slot_minutes))
        return out

    def free_starts(self, office: str, day: dt.date, agency: str | None, slots: int = 1,
                    exclude: str | None = None) -> list[str]:
        """The slot starts (YYYY-MM-DDTHH:MM) of the day from which a booking of `slots` slots at a desk of
        `agency` would be accepted (not past, a desk free throughout; `exclude`: a booking being moved)."""
        out = []
        for hour in self.booking.schedule().hours(office, day, day):
            for start in hour.slot_starts():
                at = f"{day.isoformat()}T{start}"
                try:
                    self.booking.check_slot(office, at, agency if agency in hour.desks else None, slots, exclude)
                except ValidationError:
                    continue
                out.append(at)
        return out

    def next_booking(self, case_number: str) -> dict[str, Any]:
        """The case's next office-hour booking still booked (ValidationError with one message if none)."""
        a = self.next_appointment(self.case_id(case_number))
        if a is None or not a.get("desk") or not a.get("office"):
            raise ValidationError({"case": _("Case {number} has no coming office-hour booking.").format(
                number=case_number)})
        return a

    def appointment(self, appointment_id: str) -> dict[str, Any] | None:
        """One appointment as stored (e.g. the one `book` just made)."""
        return self.repo.get("appointment", appointment_id)

    def next_appointment(self, case_id: str) -> dict[str, Any] | None:
        now = self.booking.now().isoformat(timespec="minutes")
        rows = [a for a in self.repo.find("appointment", case_id=case_id)
                if (a.get("outcome") or "planned") == "planned" and (a.get("starts_at") or "") >= now[:10]]
        return min(rows, key=lambda a: a["starts_at"]) if rows else None

    # -- the day --------------------------------------------------------------------------
    def day(self, office: str, day: dt.date, *, log: bool = True) -> Day:
        """The office's day as the staff member who unlocked may see it (the consent gate per case)."""
        self.office(office)
        d = build_day(self.casework, self.booking, office, day, log=False)
        levels: dict[str, str] = {}
        for r in d.rows + d.walk_ins + d.lost:
            if r.case_id:
                if r.case_id not in levels:
                    levels[r.case_id] = self.access.decide(r.case_id).level
                _restrict(r, levels[r.case_id])
        if log:
            self.access.log(f"view:day office:{office} {day.isoformat()}")
        return d

    def closed_notes(self, office: str, day: dt.date) -> list[str]:
        """Why office hours of the day do not take place: each cancelled or moved one with its note ("The
        office hour in Telgte on 14.12.2026 is cancelled: Fortbildung")."""
        name = self.office(office).name
        return [cancellation_text(name, day, c) for c in self.booking.schedule().cancellations(office, day)]

    def bring_suggestions(self, case_id: str, day: dt.date) -> list[str]:
        """The checklist for a booking: from the case's due items and open measures only when the case is
        shown in full, else the two items every client brings."""
        items = bring_suggestions(self.casework, case_id, day)
        return items if self.access.decide(case_id).allows(FULL) else items[:2]

    def case_choices(self, office: str | None = None) -> list[dict[str, str]]:
        """Open cases for a walk-in search: id, number, name, office (the household's), `office`'s first.

        Read once and kept until a case or a person changes (the day view asks at every refresh; reading
        the open cases of a store of 20,000 costs 100-250 ms, checking the change log well under 1 ms); the
        sorted list per office is kept with it (the same list object while nothing changed)."""
        rows = self._open_cases()
        seen = self._sorted.get(office)
        if seen is not None and seen[0] is rows:  # the same open cases: the same sorted list (no 50 ms sort)
            return seen[1]
        out = sorted(rows, key=lambda r: (r["office"] != office, r["name"]))
        self._sorted[office] = (rows, out)
        return out

    def _open_cases(self) -> list[dict[str, str]]:
        conn = self.repo.conn
        seq, count = conn.execute('SELECT coalesce(max(seq), 0), (SELECT count(*) FROM "case") FROM changes').fetchone()
        if self._cases is not None:
            seen, seen_count, rows = self._cases
            if (seq, count) == (seen, seen_count):
                return rows
            if count == seen_count and seq > seen and conn.execute(
                    "SELECT 1 FROM changes WHERE seq > ? AND entity IN ('case', 'person') LIMIT 1",
                    (seen,)).fetchone() is None:
                self._cases = (seq, count, rows)
                return rows
        sql = ("SELECT c.id, c.case_number, coalesce(p.given_names, ''), coalesce(p.family_name, ''), c.office,"
               " c.household_id FROM \"case\" c LEFT JOIN person p ON p.id = c.person_id"
               " WHERE coalesce(c.deleted, 0) = 0 AND coalesce(c.status, '') != 'closed'")
        rows = [{"id": r[0], "case_number": r[1] or "", "name": f"{r[2]} {r[3]}".strip(), "office": r[4] or "",
                 "household_id": r[5]} for r in conn.execute(sql)]
        self._cases = (seq, count, rows)
        return rows

    # -- two laptops booked one desk ----------------------------------------------------
    def is_double_booking(self, conflict: conflicts.Conflict) -> bool:
        """Whether an open conflict is two bookings of one desk (then `move_to_next_free` settles it)."""
        return conflict.entity == "slot_claim" and conflict.field == "appointment_id"

    def move_to_next_free(self, conflict_id: str) -> dict[str, Any] | None:
        """Settle a double booking: the booking that lost the desk moves to the next free slot of its agency
        (app.booking) and the conflict is resolved. Returns where it went (case number, name, office, start,
        desk, agency), None when nothing had to move. Needs the booking level of the case (app.access)."""
        c = conflicts.get(self.repo, conflict_id)
        loser = self.repo.get("appointment", c.other.value) if isinstance(c.other.value, str) else None
        if loser and loser.get("case_id"):
            d = self.access.decide(loser["case_id"])
            if not d.allows(BOOKING):
                self.access.log("book", loser["case_id"], outcome="refused")
                raise AccessDenied(d.reason)
        new = self.booking.move_to_next_free(conflict_id)
        if new is None:
            return None
        a = self.repo.get("appointment", new) or {}
        case = self.repo.get("case", a.get("case_id") or "") or {}
        person = self.repo.get("person", case.get("person_id") or "") or {}
        return {"appointment_id": new, "case_number": case.get("case_number") or "",
                "name": " ".join(x for x in (person.get("given_names"), person.get("family_name")) if x),
                "office": a.get("office"), "starts_at": a.get("starts_at"), "desk": a.get("desk"),
                "agency": a.get("agency")}

    # -- exports --------------------------------------------------------------------------
    def ics(self, office: str, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
        from .hours_ics import office_hours_ics

        o = self.office(office)
        start = start or self.today() - dt.timedelta(days=28)
        end = end or start + dt.timedelta(days=365)
        hours = self.booking.schedule().hours(office, start, end)
        return office_hours_ics(o, hours, title=i18n.translate(ICS_TITLE, "de").format(town=o.name))

    def _may_print(self, document: str) -> None:
        """The role check of every office-hour document (as app.print_gate's for a slip): `print` or
        `appointments`; and the offline lease."""
        if self.check_lease is not None:
            self.check_lease()
        if not (self.access.may("print") or self.access.may("appointments")):
            self.access.log(f"print:{document}", outcome="refused")
            raise AccessDenied(_("Your role ({role}) may not print this document.").format(
                role=_(self.access.actor.role.label)))

    def _slip_gate(self, row: DayRow) -> None:
        """A slip holds booking data only: it needs the booking level of its case (logged ok or refused)."""
        self.access.require(row.case_id or "", "print:slip", BOOKING, row.case_number or None)

    def render(self, document: str, office: str, day: dt.date, lang: str = "de") -> bytes:
        """daylist, weekplan, interpreters (for the week of `day`) or slips (every booking of the day), through
        the print gate (AccessDenied, logged); the print is an audit entry, per case for slips and the day list."""
        from .documents import hours_docs

        self.office(office)
        if document not in hours_docs.DOCUMENTS:
            raise ValueError(f"unknown document {document!r}; one of {', '.join(hours_docs.DOCUMENTS)}")
        self._may_print(document)
        if document == "daylist":
            d = self.day(office, day, log=False)
            for r in d.booked + d.walk_ins:
                if r.case_id:  # what of the case is on the list: all of it, or the booking only
                    level = self.access.decide(r.case_id).level
                    self.access.log("print:daylist", r.case_id, r.case_number or None,
                                    "full" if level == FULL else "restricted")
            pdf = hours_docs.daylist(d, self.office(office))
        elif document == "slips":
            d = self.day(office, day, log=False)
            rows = [r for r in d.booked if r.status == "booked"]
            for r in rows:
                self._slip_gate(r)
            pdf = hours_docs.slips(rows, self.office(office), d)
        else:  # the weekly plan and the interpreter plan hold no client data
            pdf = hours_docs.render(self, document, office, day, lang)
        self.access.log(f"print:{document} office:{office} {day.isoformat()}")
        return pdf

    def case_slip(self, case_number: str, lang: str | None = None) -> bytes | None:
        """The slip of the case's next office-hour booking (None when its next appointment is none), through the
        print gate: the role check, then the booking level of the case (AccessDenied; both logged)."""
        from .documents import hours_docs

        cid = self.case_id(case_number)
        a = self.next_appointment(cid)
        if a is None or not a.get("desk") or not a.get("office"):
            return None
        self._may_print("slip")
        day = self.day(a["office"], dt.date.fromisoformat(a["starts_at"][:10]), log=False)
        row = next((r for r in day.booked if r.appointment_id == a["id"]), None)
        if row is None:
            return None
        self._slip_gate(row)
        return hours_docs.slips([row], self.office(a["office"]), day, lang)


def _restrict(row: DayRow, level: str) -> None:
    """Leave out of a day row what the level does not show: below full the due items and open measures (case
    data); at none the client too (the desk stays taken)."""
    row.level = level
    if level == FULL:
        return
    row.due, row.measures = [], []
    if level == NONE:
        row.name = row.case_number = row.purpose = ""
        row.bring = []


def hours_for(session) -> OfficeHours:
    """The session's service (one per open repository)."""
    repo = session._need()
    cached = getattr(session, "_hours", None)
    if cached is None or cached.repo is not repo:
        cached = OfficeHours(repo, casework_for(session), session.access, session.check_lease)
        session._hours = cached
    return cached
