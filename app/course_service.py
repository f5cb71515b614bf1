"""The course-planning services of one open store in one object, for the session (`session.courses`).

Bundles the catalogue (app.courses), the waiting lists (app.waitlist), provider
feedback (app.feedback), Übergabemanagement (app.handover), the planning
view (app.planning) and, for the hub or a test, one allocation run
(app.allocation). It shares the case-work services of the session
(app.casework: measures, chronicle, consent, rules), so a registration and
its measure change in one transaction.
"""

from __future__ import annotations

import datetime as dt

from . import allocation, casefacts, feedback, planning
from .casework import casework_for
from .courses import Courses
from .handover import Handovers, TransitionData
from .waitlist import Waitlist, WaitlistRules


class CourseService:
    def __init__(self, casework, rules: WaitlistRules | None = None, transitions: TransitionData | None = None):
        self.casework = casework
        self.repo = casework.repo
        self.rules = rules or WaitlistRules.load()
        self.catalogue = casework.catalogue
        self.courses = Courses(self.repo, self.catalogue)
        self.waitlist = Waitlist(self.repo, self.rules, casework.measures)
        self.feedback = feedback.Feedback(self.repo, casework.chronicle, self.catalogue)
        self.handovers = Handovers(self.repo, casework.rules, casework.chronicle, casework.consent, transitions)

    def allocate(self, today: dt.date | None = None) -> allocation.Report:
        """One allocation run on this store (the hub runs it: sync.hub.allocate)."""
        return allocation.allocate(self.repo, self.rules, self.casework.measures, today or dt.date.today())

    def plan(self, today: dt.date | None = None, months: int = 3, office: str | None = None,
             reach: int = planning.REACH_MINUTES, keep: planning.Keep | None = None,
             left_out: list | None = None) -> list[planning.PlanRow]:
        """The planning table (app.planning; `keep`, `left_out`: what may be counted, app.gated_courses)."""
        language = {k for k, item in self.catalogue.items.items() if item.kind == "language"}
        kinds = language | {c.catalogue_id for c in self.courses.rows()}
        return planning.plan(self.repo.conn, today or dt.date.today(), months, office, kinds, language, reach,
                             keep=keep, left_out=left_out)

    def planning_pdf(self, today: dt.date | None = None, months: int = 3, office: str | None = None,
                     rows: list[planning.PlanRow] | None = None) -> bytes:
        """The planning view as a German PDF for the Bildungsträgerkonferenz (app.documents.planning); `rows`:
        the table to print (default: `plan`)."""
        from .documents.planning import planning_pdf
        from .labels import label

        day = today or dt.date.today()
        return planning_pdf(self.plan(day, months, office) if rows is None else rows, self.catalogue.name, day,
                            months, lambda code: label("office", code))

    def agenda_pdf(self, session_day: dt.date | None = None, office: str | None = None,
                   rows: list | None = None) -> bytes:
        """The agenda of the weekly transition session (cases due within a week, open handovers); logged as a read.
        `rows`: the transitions to print (default: `handovers.agenda`)."""
        from i18n import _

        from .audit import log_access
        from .documents.planning import agenda_pdf
        from .handover import STATE_LABELS
        from .labels import label

        day = session_day or dt.date.today()
        pdf = agenda_pdf(self.handovers.agenda(day, office) if rows is None else rows, day,
                         lambda code: label("office", code), lambda state: _(STATE_LABELS.get(state, "")))
        log_access(self.repo.store, "print:agenda", "case", None)
        return pdf

    def feedback_counts(self, keep=None) -> dict[str, dict[str, int]]:
        return feedback.counts(self.repo.conn, keep)

    def case_labels(self) -> dict[str, tuple[str, str, str]]:
        return casefacts.case_labels(self.repo.conn)


def service_for(session) -> CourseService:
    """The session's CourseService (cached per repository, like its CaseWork)."""
    cw = casework_for(session)
    cached = getattr(session, "_course_service", None)
    if cached is None or cached.casework is not cw:
        cached = CourseService(cw)
        session._course_service = cached
    return cached
