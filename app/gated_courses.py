"""The course service as the GUI and the command line see it: app.course_service behind the consent gate.

The same rule as the case-work tabs (app.gated): a staff member sees a case's waiting-list
entries, seat offers, measures and provider feedback in full while the client's consent for
their agency is given (`full`), and without it (`own`) the records staff of their agency made:
an entry on a list is the agency's when its staff registered it, a seat offer follows its entry,
a feedback event is a chronicle event. A role without case data (interpreter, data-protection
officer) gets nothing of a case.

* The case's course tab: `waitlist.places_of_case`, `for_case`, `offers_for_case` and the measures
  (`casework`, the gated case work) keep what may be seen; registering is a new record (the agency's
  own) and puts only a measure the agency may see on "waiting list"; taking an entry off the list,
  answering a seat offer and recording feedback on a measure name a record, which must be one the
  staff member may see (else AccessDenied with the reason, logged).
* The handover passes the case on and reads all of its open measures; the transition and 12-month
  lists (and the week's agenda) judge every record by the rules: they need the case in full.
* County-wide: a waiting list (`waitlist.positions`), the planning table (`plan`) and the feedback
  counts keep, and count, only what may be seen of each case; `positions_shown` and `plan_counted`
  also say how much was left out. The course catalogue (courses, providers, seats) is no client data.
* The allocation run mixes every case: the hub runs it (sync.hub.allocate, no staff member); on a
  laptop it needs the permission to manage offices (the central office, a demo or test store).
"""

from __future__ import annotations

import datetime as dt
import json

from i18n import ngettext

from .access import FULL, OWN, Access, AccessDenied
from .course_service import CourseService
from .gated import GatedCaseWork
from .waitlist import Position, Waitlist


def left_out_text(n: int) -> str:
    """Why the planning table counts fewer people than there are (the consent gate, app.gated_courses)."""
    return ngettext("Not counted: {n} entry or proposal of a case without the client's consent for your agency.",
                    "Not counted: {n} entries or proposals of cases without the client's consent for your agency.",
                    n).format(n=n)


def hidden_text(n: int) -> str:
    """Why places of a waiting list are missing (the consent gate, app.gated_courses)."""
    return ngettext("{n} more person on this list is not shown: no consent for your agency.",
                    "{n} more people on this list are not shown: no consent for your agency.", n).format(n=n)


class _Visible:
    """What may be seen of every case now: the level per case and, of the cases at `own`, the agency's
    records (read once for the lists of one call: the case records from the index of first saves, the
    waiting-list entries by their maker)."""

    def __init__(self, access: Access):
        self.access = access
        self.levels = access.levels() if access.may("case_data") and access.actor.agency else {}
        own_cases = sorted(c for c, lv in self.levels.items() if lv == OWN)
        self.own: set[str] = set()
        if own_cases:
            self.own = access.own_made()
            entries = [r[0] for r in access.repo.conn.execute(
                "SELECT id FROM waitlist_entry WHERE case_id IN (SELECT value FROM json_each(?))",
                (json.dumps(own_cases),))]
            self.own |= access.own_records(entries)

    def keep(self, _entity: str, record_id: str, case_id: str) -> bool:
        level = self.levels.get(case_id)
        return level == FULL or (level == OWN and record_id in self.own)

    def full(self, case_id: str) -> bool:
        return self.levels.get(case_id) == FULL


class GatedWaitlist:
    def __init__(self, gate: "GatedCourses", inner: Waitlist):
        self._gate, self._inner = gate, inner
        self.rules = inner.rules
        self.catalogue = inner.catalogue

    # -- county-wide --------------------------------------------------------------------
    def positions_shown(self, catalogue_id: str, level: str | None = None, today: dt.date | None = None,
                        waiting_only: bool = True) -> tuple[list[Position], int]:
        """The list in order, with the entries that may be seen (each keeps its place), and how many were left
        out."""
        every = self._inner.positions(catalogue_id, level, today, waiting_only)
        visible = self._gate._visible()
        shown = [p for p in every if visible.keep("waitlist_entry", p.entry["id"], p.entry["case_id"])]
        return shown, len(every) - len(shown)

    def positions(self, catalogue_id: str, level: str | None = None, today: dt.date | None = None,
                  waiting_only: bool = True) -> list[Position]:
        return self.positions_shown(catalogue_id, level, today, waiting_only)[0]

    def lists(self) -> list[tuple[str, str]]:
        """(kind, level) of every list with someone on it (no one named)."""
        return self._inner.lists()

    # -- one case -----------------------------------------------------------------------
    def for_case(self, case_id: str) -> list[dict]:
        return self._gate._records(case_id, self._inner.for_case(case_id))

    def places_of_case(self, case_id: str, today: dt.date | None = None) -> list[tuple[dict, Position | None]]:
        d = self._gate._decide(case_id, OWN)
        places = self._inner.places_of_case(case_id, today)
        if d.level == FULL:
            return places
        mine = self._gate.access.own_records(e["id"] for e, _p in places)
        return [(e, p) for e, p in places if e["id"] in mine]

    def offers_for_case(self, case_id: str) -> list[dict]:
        d = self._gate._decide(case_id, OWN)
        offers = self._inner.offers_for_case(case_id)
        if d.level == FULL:
            return offers
        mine = {e["id"] for e in self.for_case(case_id)}
        return [o for o in offers if o.get("entry_id") in mine]

    def position_of(self, entry: dict, today: dt.date | None = None) -> Position | None:
        self._gate._named("waitlist_entry", entry["id"])
        return self._inner.position_of(entry, today)

    def register(self, case_id: str, catalogue_id: str, level: str | None = None, **kw) -> str:
        """A new entry (the agency's own); the measure put on "waiting list" is one the staff member may see."""
        self._gate._decide(case_id, OWN)
        return self._gate._own_waitlist.register(case_id, catalogue_id, level, **kw)

    def withdraw(self, entry_id: str, date: str | None = None) -> None:
        self._gate._named("waitlist_entry", entry_id)
        self._inner.withdraw(entry_id, date)

    def answer_offer(self, offer_id: str, accept: bool, date: str | None = None) -> None:
        offer = self._gate._repo.get("seat_offer", offer_id) or {}
        if offer.get("entry_id"):  # the offer follows its entry (the hub made it)
            self._gate._named("waitlist_entry", offer["entry_id"])
        self._inner.answer_offer(offer_id, accept, date)


class GatedFeedback:
    def __init__(self, gate: "GatedCourses", inner):
        self._gate, self._inner = gate, inner

    def record(self, measure_id: str, kind: str, date: str | None = None, **kw) -> str:
        self._gate._named("measure", measure_id)
        return self._inner.record(measure_id, kind, date, **kw)

    def for_measure(self, measure_id: str) -> list[dict]:
        case_id = self._gate._named("measure", measure_id)
        return self._gate._records(case_id, self._inner.for_measure(measure_id))


class GatedHandovers:
    """The handover and the lists judged by the rules: the case in full."""

    def __init__(self, gate: "GatedCourses", inner):
        self._gate, self._inner = gate, inner
        self.data = inner.data

    def for_case(self, case_id: str) -> list[dict]:
        self._gate._decide(case_id, FULL)
        return self._inner.for_case(case_id)

    def plan(self, case_id: str, expected_on: str, **kw) -> str:
        self._gate._decide(case_id, FULL)
        return self._inner.plan(case_id, expected_on, **kw)

    def _step(self, handover_id: str) -> None:
        row = self._gate._repo.get("handover", handover_id) or {}
        self._gate._decide(row.get("case_id") or "", FULL)

    def send(self, handover_id: str, date: str | None = None, contact: str = "") -> None:
        self._step(handover_id)
        self._inner.send(handover_id, date, contact)

    def accept(self, handover_id: str, date: str | None = None) -> None:
        self._step(handover_id)
        self._inner.accept(handover_id, date)

    def return_(self, handover_id: str, reason: str, date: str | None = None) -> None:
        self._step(handover_id)
        self._inner.return_(handover_id, reason, date)

    def shared_items(self, case_id: str, agency: str) -> list[str]:
        self._gate._decide(case_id, FULL)
        return self._inner.shared_items(case_id, agency)

    def _full(self, rows: list) -> list:
        visible = self._gate._visible()
        return [r for r in rows if visible.full(r.case_id)]

    def transitions(self, today: dt.date | None = None, office: str | None = None, until: dt.date | None = None):
        return self._full(self._inner.transitions(today, office, until))

    def agenda(self, session_day: dt.date, office: str | None = None):
        return self._full(self._inner.agenda(session_day, office))

    def twelve_months(self, today: dt.date | None = None, office: str | None = None):
        return self._full(self._inner.twelve_months(today, office))


class GatedCourses:
    def __init__(self, inner: CourseService, casework: GatedCaseWork):
        self.inner = inner
        self.access = casework.access
        self.casework = casework  # the gated case work: the case's measures as the other tabs show them
        self._repo = inner.repo
        self.rules = inner.rules
        self.catalogue = inner.catalogue
        self.courses = inner.courses  # courses, providers and seats: no client data
        # registering through the gated measures: only a measure the staff member may see goes on "waiting list"
        self._own_waitlist = Waitlist(inner.repo, inner.rules, casework.measures)
        self.waitlist = GatedWaitlist(self, inner.waitlist)
        self.feedback = GatedFeedback(self, inner.feedback)
        self.handovers = GatedHandovers(self, inner.handovers)
        self._seen: tuple[tuple, _Visible] | None = None  # what may be seen, and the state of the store it is of

    def _visible(self) -> _Visible:
        """What may be seen of every case (one bulk decision, about 0.4 s at 20,000 cases), kept until the store
        changes: a change logged, a deletion order applied, another staff member or staff moving agency."""
        conn = self._repo.conn
        key = (conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0],
               conn.execute("SELECT count(*) FROM purge_orders").fetchone()[0], self.access.gate_key())
        if self._seen is None or self._seen[0] != key:
            self._seen = (key, _Visible(self.access))
        return self._seen[1]

    # -- the check ---------------------------------------------------------------------
    def _decide(self, case_id: str, need: str):
        d = self.access.decide(case_id)
        if not d.allows(need):
            self.access.log("read", case_id or None, outcome="refused")
            raise AccessDenied(d.reason)
        return d

    def _named(self, entity: str, record_id: str) -> str:
        """Refuse (AccessDenied, logged) unless the record may be seen; its case id."""
        row = self._repo.get(entity, record_id) or {}
        case_id = row.get("case_id") or ""
        d = self._decide(case_id, OWN)
        if d.level == OWN and not self.access.own_records([record_id]):
            self.access.log("read", case_id, outcome="refused")
            raise AccessDenied(d.reason)
        return case_id

    def _records(self, case_id: str, rows: list[dict]) -> list[dict]:
        d = self._decide(case_id, OWN)
        if d.level == FULL:
            return rows
        mine = self.access.own_records(r["id"] for r in rows)
        return [r for r in rows if r["id"] in mine]

    # -- county-wide ---------------------------------------------------------------------
    def plan_counted(self, today: dt.date | None = None, months: int = 3, office: str | None = None,
                     **kw) -> tuple[list, int]:
        """The planning table over what may be seen of each case, and how many waiting-list entries and
        proposed measures it left out."""
        left_out: list = []
        rows = self.inner.plan(today, months, office, keep=self._visible().keep, left_out=left_out, **kw)
        return rows, len(left_out)

    def plan(self, today: dt.date | None = None, months: int = 3, office: str | None = None, **kw) -> list:
        return self.plan_counted(today, months, office, **kw)[0]

    def planning_pdf(self, today: dt.date | None = None, months: int = 3, office: str | None = None) -> bytes:
        day = today or dt.date.today()
        return self.inner.planning_pdf(day, months, office, rows=self.plan(day, months, office))

    def agenda_pdf(self, session_day: dt.date | None = None, office: str | None = None) -> bytes:
        day = session_day or dt.date.today()
        return self.inner.agenda_pdf(day, office, rows=self.handovers.agenda(day, office))

    def feedback_counts(self) -> dict[str, dict[str, int]]:
        return self.inner.feedback_counts(self._visible().keep)

    def case_labels(self) -> dict[str, tuple[str, str, str]]:
        """Case number, household and name of every case: what the case list shows anyone who books."""
        return self.inner.case_labels()

    def allocate(self, today: dt.date | None = None):
        """One allocation run (the hub's; on a laptop only with the permission to manage offices)."""
        self.access.require_permission("manage_offices", "courses:allocate")
        return self.inner.allocate(today)
