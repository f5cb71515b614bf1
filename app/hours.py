"""The office-hours service of one open store, as the UI and the command line reach it (`session.hours`).

Bundles the offices (app.offices), the derived schedule (app.schedule), the
bookings (app.booking), the day view (app.dayview), the iCalendar export
(app.hours_ics) and the office-hour documents (app.documents.hours_docs).
Case numbers are resolved here so that callers deal in what people type.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import i18n
from i18n import N_, _

from . import audit
from .booking import Booking
from .casework import CaseWork, casework_for
from .checks import ValidationError
from .dayview import Day, bring_suggestions, build_day
from .offices import Office


ICS_TITLE = N_("Office hour {town}")


class OfficeHours:
    def __init__(self, repo, casework: CaseWork):
        self.repo = repo
        self.casework = casework
        self.booking = Booking(repo, casework.chronicle)

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

    # -- cases by number ----------------------------------------------------------------
    def case_id(self, case_number: str) -> str:
        rows = self.repo.find("case", case_number=case_number.strip())
        if not rows:
            raise ValidationError({"case": _("There is no case {number}.").format(number=case_number)})
        return rows[0]["id"]

    def book(self, case_number: str, office: str, starts_at: str, **options) -> str:
        return self.booking.book(self.case_id(case_number), office, starts_at, **options)

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
        self.office(office)
        return build_day(self.casework, self.booking, office, day, log=log)

    def bring_suggestions(self, case_id: str, day: dt.date) -> list[str]:
        return bring_suggestions(self.casework, case_id, day)

    def case_choices(self, office: str | None = None) -> list[dict[str, str]]:
        """Open cases for a walk-in search: id, number, name, office (the household's)."""
        sql = ("SELECT c.id, c.case_number, coalesce(p.given_names, ''), coalesce(p.family_name, ''), c.office,"
               " c.household_id FROM \"case\" c LEFT JOIN person p ON p.id = c.person_id"
               " WHERE coalesce(c.deleted, 0) = 0 AND coalesce(c.status, '') != 'closed'")
        out = [{"id": r[0], "case_number": r[1] or "", "name": f"{r[2]} {r[3]}".strip(), "office": r[4] or "",
                "household_id": r[5]} for r in self.repo.conn.execute(sql)]
        out.sort(key=lambda r: (r["office"] != office, r["name"]))
        return out

    # -- exports --------------------------------------------------------------------------
    def ics(self, office: str, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
        from .hours_ics import office_hours_ics

        o = self.office(office)
        start = start or self.today() - dt.timedelta(days=28)
        end = end or start + dt.timedelta(days=365)
        hours = self.booking.schedule().hours(office, start, end)
        return office_hours_ics(o, hours, title=i18n.translate(ICS_TITLE, "de").format(town=o.name))

    def render(self, document: str, office: str, day: dt.date, lang: str = "de") -> bytes:
        """daylist, weekplan, interpreters (for the week of `day`) or slips (every booking of the day)."""
        from .documents import hours_docs

        self.office(office)
        pdf = hours_docs.render(self, document, office, day, lang)
        audit.log_access(self.repo.store, f"print:{document}", "office", f"{office} {day.isoformat()}")
        return pdf


    def case_slip(self, case_number: str, lang: str | None = None) -> bytes | None:
        """The slip of the case's next office-hour booking (None when its next appointment is none)."""
        from .documents import hours_docs

        cid = self.case_id(case_number)
        a = self.next_appointment(cid)
        if a is None or not a.get("desk") or not a.get("office"):
            return None
        day = self.day(a["office"], dt.date.fromisoformat(a["starts_at"][:10]), log=False)
        row = next((r for r in day.booked if r.appointment_id == a["id"]), None)
        if row is None:
            return None
        pdf = hours_docs.slips([row], self.office(a["office"]), day, lang)
        audit.log_access(self.repo.store, "print:slip", "case", case_number)
        return pdf


def hours_for(session) -> OfficeHours:
    """The session's service (one per open repository)."""
    repo = session._need()
    cached = getattr(session, "_hours", None)
    if cached is None or cached.repo is not repo:
        cached = OfficeHours(repo, casework_for(session))
        session._hours = cached
    return cached
