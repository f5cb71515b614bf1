"""Two staff documents of the central office, in German: the planning table and the transition agenda.

`planning_pdf` prints the planning view for the Bildungsträgerkonferenz
(demand against free seats per town, course and level: app.planning);
`agenda_pdf` the agenda of the weekly transition session (the cases due,
with their handover state: app.handover). A4 tables with the app's embedded fonts; the texts are in the UI catalog
(German only, no client language). The agenda names cases and people, so
the caller logs it as a read.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm

from i18n import N_
from i18n import locale as loc

from . import text as T
from .layout import MARGIN, SMALL, Page

PLAN_TITLE = N_("Course planning: demand and seats")
AGENDA_TITLE = N_("Transition session: agenda")
PLAN_HEAD = (N_("Town"), N_("Course"), N_("Level"), N_("Waiting"), N_("Proposed"), N_("Free seats"), N_("Courses"),
             N_("Avg. days waited"), N_("Gap"), N_("Nearby"))
PLAN_WIDTHS = (22, 32, 12, 14, 20, 18, 13, 19, 12, 0)
AGENDA_HEAD = (N_("Due"), N_("Case"), N_("Name"), N_("Town"), N_("Reason"), N_("Handover"))
AGENDA_WIDTHS = (16, 30, 34, 22, 50, 0)
SIZE = 8.5


def _fit(text: str, width: float, bold: bool) -> str:
    """The text, cut with an ellipsis where it is wider than its column."""
    if T.width(text, SIZE, bold) <= width:
        return text
    while len(text) > 1 and T.width(text + "…", SIZE, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _row(p: Page, cells: list, widths: tuple[int, ...], bold: bool = False, numeric_from: int = 99) -> None:
    """One table line; columns from `numeric_from` on are numbers, aligned right (width 0: the rest of the line)."""
    p.ensure(SIZE * 2.2)
    x = MARGIN
    y = p.y - SIZE
    for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
        width = (w * mm) if w else (p.inner - (x - MARGIN))
        text = _fit(str(cell), width - 4, bold)
        if i >= numeric_from:
            T.draw_line(p.c, x, y, text, SIZE, bold=bold, align="right", box_width=width - 4)
        else:
            T.draw_line(p.c, x, y, text, SIZE, bold=bold)
        x += width
    p.y -= SIZE * 1.6
    p.c.setLineWidth(0.2)
    p.c.line(MARGIN, p.y + 2, p.width - MARGIN, p.y + 2)


def planning_pdf(rows, kind_name, today: dt.date, months: int, office_name, reach: int = 45) -> bytes:
    """`rows`: app.planning.PlanRow; `kind_name(code)`, `office_name(code)`: how they are printed."""
    p = Page("de", PLAN_TITLE, p_footer(today))
    p.title(PLAN_TITLE)
    p.raw(p.tr(N_("As of {date}; free seats of courses starting within {months} months."), "de",
               date=loc.format_date(today, "de", "medium"), months=months), size=SMALL)
    p.spacer(4)
    _row(p, [p.tr(h, "de") for h in PLAN_HEAD], PLAN_WIDTHS, bold=True)
    for r in rows:
        _row(p, [office_name(r.office), kind_name(r.kind), r.level or "–", r.waiting, r.proposed, r.seats, r.courses,
                 r.wait_avg, r.gap, r.seats_nearby or ""], PLAN_WIDTHS, numeric_from=3)
    total = [sum(getattr(r, k) for r in rows) for k in ("waiting", "proposed", "seats", "courses")]
    _row(p, [p.tr(N_("Total"), "de"), "", "", *total, "", total[0] + total[1] - total[2], ""], PLAN_WIDTHS, bold=True,
         numeric_from=3)
    p.raw(p.tr(N_("Nearby: free seats of the same course and level in other towns within {minutes} minutes by bus "
                  "and train (counted there as well, so not in the total)."), "de", minutes=reach), size=SMALL)
    return p.finish()


def agenda_pdf(items, session_day: dt.date, office_name, state_name) -> bytes:
    """`items`: app.handover.Transition due up to a week after `session_day`, and open handovers."""
    p = Page("de", AGENDA_TITLE, p_footer(session_day))
    p.title(AGENDA_TITLE)
    p.raw(p.tr(N_("Session of {date}: cases due by {until} and open handovers."), "de",
               date=loc.format_date(session_day, "de", "full"),
               until=loc.format_date(session_day + dt.timedelta(days=7), "de", "medium")), size=SMALL)
    p.spacer(4)
    _row(p, [p.tr(h, "de") for h in AGENDA_HEAD], AGENDA_WIDTHS, bold=True)
    for t in items:
        _row(p, [loc.format_date(t.due, "de", "short") if t.due else "–", t.case_number, t.name,
                 office_name(t.office), t.title, state_name(t.state)], AGENDA_WIDTHS)
    if not items:
        p.raw(p.tr(N_("No cases are due."), "de"))
    return p.finish()


def p_footer(day: dt.date) -> str:
    return f"Integration Point Kreis Warendorf · {loc.format_date(day, 'de', 'medium')}"
