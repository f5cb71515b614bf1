"""Course planning subcommands: `courses`, `waitlist` (positions with their reasons), `transitions`, `planning`.

    sprechstunde courses --store DIR [--office CODE] [--kind KIND] [--json]
    sprechstunde waitlist --store DIR --kind KIND [--level LEVEL] [--date D] [--json]
    sprechstunde transitions --store DIR [--date D] [--twelve-months] [--pdf FILE] [--json]
    sprechstunde planning --store DIR [--date D] [--months N] [--office CODE] [--csv] [--pdf FILE] [--json]

They act as the staff member who unlocked (SPRECHSTUNDE_LOGIN) through the consent gate
(app.gated_courses): lists and counts keep the cases shown in full and the agency's own records,
and say how many they left out.

Every option is checked before the store is opened: a bad value is one line
and exit code 1. `--json` prints one JSON object per line. The hub's
allocation is `sprechstunde-hub allocate` (sync.hub.allocate).
"""

from __future__ import annotations

import datetime as dt
import json

from app.gated_courses import hidden_text, left_out_text
from app.schema import COURSE_LEVELS, OFFICE_CODES
from i18n import _

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    p = sub.add_parser("courses", help=_("courses with dates and seats, soonest first"))
    add_store_option(p)
    p.add_argument("--office", metavar=_("OFFICE"), help=_("only courses in this town (office code, e.g. AHL)"))
    p.add_argument("--kind", metavar=_("KIND"), help=_("only this kind of course (measure id, e.g. integrationskurs)"))
    p.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    p.set_defaults(handler=cmd_courses)

    p = sub.add_parser("waitlist", help=_("the county-wide waiting list of a kind of course, with the reasons"))
    add_store_option(p)
    p.add_argument("--kind", metavar=_("KIND"), required=True, help=_("kind of course (measure id)"))
    p.add_argument("--level", metavar=_("LEVEL"), help=_("level ({levels}); default: every level").format(
        levels=", ".join(COURSE_LEVELS)))
    p.add_argument("--date", metavar=_("YYYY-MM-DD"), help=_("count waiting days up to this day (default today)"))
    p.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    p.set_defaults(handler=cmd_waitlist)

    p = sub.add_parser("transitions", help=_("cases changing Rechtskreis (Übergabemanagement), soonest first"))
    add_store_option(p)
    p.add_argument("--date", metavar=_("YYYY-MM-DD"), help=_("evaluate on this day (default today)"))
    p.add_argument("--pdf", metavar=_("FILE"),
                   help=_("write the agenda of the weekly transition session (from --date) as PDF to FILE"))
    p.add_argument("--twelve-months", action="store_true",
                   help=_("instead: cases reaching 12 months in the Integration Point, with the planned exit"))
    p.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    p.set_defaults(handler=cmd_transitions)

    p = sub.add_parser("planning", help=_("demand against seats per town, kind and level (Bildungsträgerkonferenz)"))
    add_store_option(p)
    p.add_argument("--date", metavar=_("YYYY-MM-DD"), help=_("plan from this day (default today)"))
    p.add_argument("--months", type=int, default=3, metavar=_("N"),
                   help=_("count seats of courses starting within N months (default 3)"))
    p.add_argument("--office", metavar=_("OFFICE"), help=_("only this town (office code)"))
    p.add_argument("--csv", action="store_true", help=_("CSV for a spreadsheet (semicolons)"))
    p.add_argument("--pdf", metavar=_("FILE"), help=_("write the table as PDF to FILE"))
    p.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    p.set_defaults(handler=cmd_planning)


# -- option checks (before the store is opened) ------------------------------------------
def _date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(_("--date: not a date: {date} (use YYYY-MM-DD)").format(date=text)) from None


def _office(text: str | None) -> str | None:
    office = text.upper() if text else None
    if office and office not in OFFICE_CODES:
        raise UserError(_("--office: unknown office {office} (known: {known})").format(
            office=text, known=", ".join(OFFICE_CODES)))
    return office


def _kind(text: str | None) -> str | None:
    from app.measures import Catalogue

    if text is None:
        return None
    known = Catalogue().items
    if text not in known:
        raise UserError(_("--kind: unknown kind of course {kind} (known: {known})").format(
            kind=text, known=", ".join(known)))
    return text


def _level(text: str | None) -> str | None:
    if text is None:
        return None
    level = text if text == "alpha" else text.upper()
    if level not in COURSE_LEVELS:
        raise UserError(_("--level: unknown level {level} (known: {known})").format(
            level=text, known=", ".join(COURSE_LEVELS)))
    return level


def _pdf_target(path: str | None):
    """The PDF's file, checked before the store is opened: its folder exists and it is not a folder."""
    from pathlib import Path

    if path is None:
        return None
    target = Path(path)
    if target.is_dir() or not target.parent.is_dir():
        raise UserError(_("--pdf: cannot write {path}").format(path=path))
    return target


def _write_pdf(target, pdf: bytes) -> None:
    try:
        target.write_bytes(pdf)
    except OSError as exc:
        raise UserError(_("--pdf: cannot write {path}: {reason}").format(path=target, reason=exc.strerror)) from None
    print(_("Written: {path}").format(path=target))


def _short(iso: str | None) -> str:
    from app.waitlist import short_date

    return short_date(iso) if iso else "–"


# -- commands ------------------------------------------------------------------------------
def cmd_courses(args) -> int:
    office, kind = _office(args.office), _kind(args.kind)
    session = open_session(args)
    try:
        svc = session.courses
        rows = svc.courses.rows(office, kind)
        names = {k: svc.catalogue.name(k) for k in svc.catalogue.items}
    finally:
        session.lock()
    for c in rows:
        if args.json:
            print(json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True))
            continue
        extras = [x for x, on in ((_("childcare"), c.childcare), (_("accessible"), c.accessible)) if on]
        print("\t".join([f"{_short(c.start_date)}–{_short(c.end_date)}", c.office,
                         f"{names.get(c.catalogue_id, c.catalogue_id)} {c.level}".strip(), c.provider,
                         _("{free} of {seats} seats free").format(free=c.free, seats=c.seats),
                         ", ".join(extras)]).rstrip())
    if not rows and not args.json:
        print(_("No courses."))
    return 0


def cmd_waitlist(args) -> int:
    kind, level, today = _kind(args.kind), _level(args.level), _date(args.date)
    session = open_session(args)
    try:
        svc = session.courses
        levels = [level] if level is not None else sorted(
            {lv for k, lv in _lists(svc) if k == kind}, key=lambda v: (COURSE_LEVELS + ("",)).index(v))
        labels = svc.case_labels()
        out = []
        hidden = 0
        for lv in levels:
            shown, left_out = svc.waitlist.positions_shown(kind, lv, today)
            hidden += left_out
            for p in shown:
                number, _hh, name = labels.get(p.entry["case_id"], ("", "", ""))
                out.append((lv, p, number, name))
    finally:
        session.lock()
    for lv, p, number, name in out:
        if args.json:
            print(json.dumps(p.to_dict(number, name), ensure_ascii=False, sort_keys=True))
        else:
            print("\t".join([lv or "–", p.text(), number, name]))
    if not out and not hidden and not args.json:
        print(_("Nobody is waiting."))
    if hidden and not args.json:
        print(hidden_text(hidden))
    return 0


def _lists(svc) -> list[tuple[str, str]]:
    return svc.waitlist.lists()


def cmd_transitions(args) -> int:
    today, target = _date(args.date), _pdf_target(args.pdf)
    session = open_session(args)
    try:
        if target is not None:
            pdf = session.courses.agenda_pdf(today)
            _write_pdf(target, pdf)
            return 0
        h = session.courses.handovers
        rows = h.twelve_months(today) if args.twelve_months else h.transitions(today)
    finally:
        session.lock()
    from app.handover import STATE_LABELS

    for r in rows:
        if args.json:
            print(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True))
        elif args.twelve_months:
            print("\t".join([_short(r.planned_exit.isoformat()), r.case_number, r.name, r.office,
                             _("12 months on {date}").format(date=_short(r.limit.isoformat())), r.exit_label]))
        else:
            print("\t".join([_short(r.due.isoformat() if r.due else None), r.case_number, r.name, r.office,
                             r.title, _(STATE_LABELS.get(r.state, "?"))]))
    if not rows and not args.json:
        print(_("No cases."))
    return 0


def cmd_planning(args) -> int:
    today, office, target = _date(args.date), _office(args.office), _pdf_target(args.pdf)
    if not 1 <= args.months <= 24:
        raise UserError(_("--months: from 1 to 24"))
    session = open_session(args)
    try:
        svc = session.courses
        if target is not None:
            _write_pdf(target, svc.planning_pdf(today, args.months, office))
            return 0
        rows, left_out = svc.plan_counted(today, args.months, office)
        names = {k: svc.catalogue.name(k) for k in svc.catalogue.items}
    finally:
        session.lock()
    from app.planning import to_csv

    if args.csv:
        print(to_csv(rows), end="")
        return 0
    for r in rows:
        if args.json:
            print(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True))
        else:
            print("\t".join([r.office, f"{names.get(r.kind, r.kind)} {r.level}".strip(),
                             _("waiting {w}, proposed {p}, free seats {s} in {c} courses, waited {avg} days "
                               "on average").format(w=r.waiting, p=r.proposed, s=r.seats, c=r.courses,
                                                    avg=r.wait_avg)
                             + (_("; {n} free seats nearby").format(n=r.seats_nearby) if r.seats_nearby else "")]))
    if left_out and not args.json:
        print(left_out_text(left_out))
    return 0
