"""What comes next for one case, for the case header: due items, next appointment, open measures, conflicts.

`next_steps(cw, repo, case_id, today)` reads through the case-work services
(app.casework.CaseWork) and app.conflicts and returns a `NextSteps`; a new
case (no intake yet, no consent) gets those two as its first due items, so the
end of a guided intake says what is left. `due_count(cw, today)` is the number
the navigation shows next to "Due soon".
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from . import conflicts
from .rules import Hint, in_due_list

OPEN_MEASURES = ("proposed", "registered", "waiting", "started", "interrupted")


@dataclass
class NextSteps:
    due: list[Hint] = field(default_factory=list)
    overdue: int = 0
    next_appointment: dict | None = None
    open_measures: list[dict] = field(default_factory=list)
    conflicts: int = 0
    missing: list[str] = field(default_factory=list)  # "consent", "intake": not yet recorded


def next_steps(cw, repo, case_id: str, today: _dt.date | None = None, level: str = "full") -> NextSteps:
    """`level`: what app.access allows of the case (`cw` is the gated case work then): hints need it in
    full, and so does "intake still to record"; open measures are read at `own` (the agency's own records);
    a booking sees the next appointment and whether the consent is recorded."""
    today = today or _dt.date.today()
    out = NextSteps()
    if level == "full":
        out.due = sorted((h for h in cw.hints(case_id, today) if in_due_list(h, today)),
                         key=lambda h: (h.due or _dt.date.max, h.rule_id))
    out.overdue = sum(1 for h in out.due if h.state == "overdue")
    upcoming = cw.appointments.upcoming(case_id, today.isoformat())
    out.next_appointment = upcoming[0] if upcoming else None
    if level in ("full", "own"):
        out.open_measures = [{**m, "name": cw.catalogue.name(m["catalogue_id"]) if m.get("catalogue_id") else ""}
                             for m in cw.measures.for_case(case_id) if m.get("status") in OPEN_MEASURES]
    out.conflicts = len(conflicts.list_open(repo, case_id=case_id))
    if not cw.consent.history(case_id):
        out.missing.append("consent")
    # without consent another agency's intake is not seen: "still to record" would ask for a second one
    if level == "full" and "intake" not in {r["form_id"] for r in cw.responses.for_case(case_id)}:
        out.missing.append("intake")
    return out


def due_count(cw, today: _dt.date | None = None, office: str | None = None) -> int:
    """Due and overdue items across all open cases (the due list's length)."""
    return len(cw.due_list(today, office))
