"""Office-hour subcommands: `hours` (slots with free/booked desks), `book`, `today`, `ics`, and the
office-hour documents of `print` (daylist, weekplan, interpreters, the day's slips; slip of a case's next
appointment).

Every bad value (unknown office, a time in the past, on a holiday, outside the
office hours, a taken desk) is one line and exit code 1, with nothing written.
`--json`: `hours` and `today` print one JSON document.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from i18n import _

from .common import add_store_option, open_session
from .main import UserError

HOURS_DOCUMENTS = ("daylist", "weekplan", "interpreters", "slips")


def register(sub) -> None:
    h = sub.add_parser("hours", help=_("the office-hour slots in a date range, with free and booked desks"))
    add_store_option(h)
    h.add_argument("--office", metavar=_("CODE"), help=_("one office (default: all)"))
    h.add_argument("--from", dest="start", metavar=_("YYYY-MM-DD"), help=_("first day (default today)"))
    h.add_argument("--to", dest="end", metavar=_("YYYY-MM-DD"), help=_("last day (default: a week on)"))
    h.add_argument("--json", action="store_true", help=_("one JSON document"))
    h.set_defaults(handler=cmd_hours)

    b = sub.add_parser("book", help=_("book a case into an office-hour slot"))
    add_store_option(b)
    b.add_argument("--case", required=True, metavar=_("CASE_NUMBER"), help=_("the case number"))
    b.add_argument("--office", required=True, metavar=_("CODE"), help=_("the office (e.g. TEL)"))
    b.add_argument("--at", required=True, metavar='"YYYY-MM-DD HH:MM"', help=_("the slot's start"))
    b.add_argument("--agency", choices=("AA", "JC", "SOZ"), help=_("the agency's desk (default: the first free)"))
    b.add_argument("--interpreter", metavar=_("LANG"), help=_("interpreter language needed"))
    b.add_argument("--purpose", default="", metavar=_("TEXT"), help=_("what the appointment is for"))
    b.add_argument("--slots", default="1", metavar="N",
                   help=_("a longer appointment: N consecutive slots of one desk (1-8, default 1)"))
    b.add_argument("--json", action="store_true", help=_("one JSON document"))
    b.set_defaults(handler=cmd_book)

    r = sub.add_parser("reschedule", help=_("move an office-hour booking to another slot"))
    add_store_option(r)
    which = r.add_mutually_exclusive_group(required=True)
    which.add_argument("--booking", metavar="ID", help=_("the booking (its appointment id)"))
    which.add_argument("--case", metavar=_("CASE_NUMBER"), help=_("the case's next office-hour booking"))
    r.add_argument("--at", required=True, metavar='"YYYY-MM-DD HH:MM"', help=_("the new slot's start"))
    r.add_argument("--office", metavar=_("CODE"), help=_("another office (default: the booking's)"))
    r.add_argument("--json", action="store_true", help=_("one JSON document"))
    r.set_defaults(handler=cmd_reschedule)

    t = sub.add_parser("today", help=_("the day's bookings with due items, walk-ins and interpreter needs"))
    add_store_option(t)
    t.add_argument("--office", required=True, metavar=_("CODE"), help=_("the office (e.g. TEL)"))
    t.add_argument("--date", metavar=_("YYYY-MM-DD"), help=_("the day (default today)"))
    t.add_argument("--json", action="store_true", help=_("one JSON document"))
    t.set_defaults(handler=cmd_today)

    i = sub.add_parser("ics", help=_("the office hours of an office as an iCalendar file (no client data)"))
    add_store_option(i)
    i.add_argument("--office", required=True, metavar=_("CODE"), help=_("the office (e.g. TEL)"))
    i.add_argument("--out", required=True, metavar=_("FILE.ics"), help=_("output file"))
    i.set_defaults(handler=cmd_ics)


def _slots(value: str) -> int:
    """--slots: a whole number (the range, one to eight, is app.booking's rule and message)."""
    try:
        return int(str(value).strip())
    except ValueError:
        raise UserError(_("--slots must be a whole number, not {value}").format(value=value)) from None


def _date(value: str | None, default: dt.date | None = None) -> dt.date:
    if not value:
        return default or dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(_("not a date: {value} (YYYY-MM-DD)").format(value=value)) from None


def _office(session, code: str | None) -> str | None:
    from app.checks import ValidationError

    if code is None:
        return None
    try:
        return session.hours.office(code.upper()).code
    except ValidationError:
        raise UserError(_("unknown office {code}").format(code=code)) from None


def _one_line(exc) -> str:
    errors = getattr(exc, "errors", None)
    return next(iter(errors.values())) if errors else str(exc)


def cmd_hours(args) -> int:
    start = _date(args.start)
    end = _date(args.end, start + dt.timedelta(days=6))
    if end < start or (end - start).days > 366:
        raise UserError(_("--to must lie from --from up to a year later"))
    with open_session(args) as session:
        office = _office(session, args.office)
        slots = session.hours.slots(office, start, end)
    if args.json:
        print(json.dumps({"from": start.isoformat(), "to": end.isoformat(), "office": office,
                          "slots": [{**s, "desks": [{k: v for k, v in d.items() if k != "appointment_id"} | {
                              "booked": not d["free"]} for d in s["desks"]]} for s in slots]}, ensure_ascii=False))
        return 0
    for s in slots:
        desks = " ".join(f"{d['desk']}:{d['agency']}:{_('free') if d['free'] else _('booked')}" for d in s["desks"])
        print(f"{s['office']} {s['starts_at'].replace('T', ' ')}  {desks}")
    return 0


def cmd_book(args) -> int:
    from app.checks import ValidationError

    at = args.at.strip().replace(" ", "T", 1)
    slots = _slots(args.slots)
    with open_session(args) as session:
        office = _office(session, args.office)
        try:
            aid = session.hours.book(args.case, office, at, agency=args.agency, interpreter=args.interpreter,
                                     purpose=args.purpose, slots=slots)
        except ValidationError as exc:
            raise UserError(_one_line(exc)) from None
        a = session.hours.appointment(aid) or {}
    if args.json:
        print(json.dumps({"appointment_id": aid, "case": args.case, "office": office, "starts_at": a["starts_at"],
                          "ends_at": a.get("ends_at"), "desk": a.get("desk"), "agency": a.get("agency"),
                          "interpreter": a.get("interpreter_language"), "status": "booked"}, ensure_ascii=False))
    else:
        print(_("booked: {case} in {office} on {at}, desk {desk} ({agency})").format(
            case=args.case, office=office, at=a["starts_at"].replace("T", " "), desk=a.get("desk"),
            agency=a.get("agency")))
    return 0


def cmd_reschedule(args) -> int:
    from app.access import AccessDenied
    from app.checks import ValidationError

    at = args.at.strip().replace(" ", "T", 1)
    with open_session(args) as session:
        office = _office(session, args.office)
        try:
            old = session.hours.next_booking(args.case) if args.case else session.hours.appointment(args.booking)
            if old is None:
                raise UserError(_("there is no booking {id}").format(id=args.booking))
            aid = session.hours.reschedule(old["id"], at, office=office)
        except ValidationError as exc:
            raise UserError(_one_line(exc)) from None
        except AccessDenied as exc:
            raise UserError(str(exc)) from None
        a = session.hours.appointment(aid) or {}
        case = args.case or session.hours.case_number(a["case_id"])
    if args.json:
        print(json.dumps({"appointment_id": aid, "rescheduled": old["id"], "case": case, "office": a.get("office"),
                          "from": old["starts_at"], "starts_at": a["starts_at"], "ends_at": a.get("ends_at"),
                          "desk": a.get("desk"), "agency": a.get("agency"),
                          "interpreter": a.get("interpreter_language"), "status": "booked"}, ensure_ascii=False))
    else:
        print(_("rescheduled: {case} from {old} to {at} in {office}, desk {desk} ({agency})").format(
            case=case, old=old["starts_at"].replace("T", " "), at=a["starts_at"].replace("T", " "),
            office=a.get("office"), desk=a.get("desk"), agency=a.get("agency")))
    return 0


def cmd_today(args) -> int:
    from app.booking import STATUS_LABELS

    with open_session(args) as session:
        office = _office(session, args.office)
        day = session.hours.day(office, _date(args.date))
        notes = session.hours.closed_notes(office, day.date)
    if args.json:
        print(json.dumps(day.to_dict(), ensure_ascii=False))
        return 0
    for note in notes:  # a cancelled (or moved) office hour and why
        print(note)
    if not day.hours:
        print(_("no office hours in {office} on {date}").format(office=office, date=day.date.isoformat())
              + (f" ({day.holiday})" if day.holiday else ""))
    for lang in day.interpreters:
        print(_("interpreter {lang}: {times}").format(lang=lang, times=day.interpreter_times(lang)))
    for r in day.booked:
        span = f"–{r.ends_at[11:16]}" if r.slots > 1 else ""
        print(f"{r.starts_at[11:16]}{span} {r.desk}:{r.agency} {r.case_number} {r.name} – {r.purpose}"
              + (f" [{r.interpreter}]" if r.interpreter else "") + f" {_(STATUS_LABELS.get(r.status, r.status))}"
              + (f" · {'; '.join(r.due)}" if r.due else ""))
    for r in day.walk_ins:
        when = (r.arrived_at or r.starts_at)[11:16]
        if r.status == "arrived":
            print(_("walk-in {time} {number} {name}, waiting {minutes} min").format(
                time=when, number=r.case_number, name=r.name,
                minutes=r.waiting_minutes if r.waiting_minutes is not None else "–"))
        else:  # seen already (kept) or gone (missed, cancelled)
            print(_("walk-in {time} {number} {name}, {status}").format(
                time=when, number=r.case_number, name=r.name, status=_(STATUS_LABELS.get(r.status, r.status))))
    return 0


def cmd_ics(args) -> int:
    with open_session(args) as session:
        office = _office(session, args.office)
        data = session.hours.ics(office)
    _write(Path(args.out), data)
    print(args.out)
    return 0


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise UserError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None


def print_hours_document(args) -> int:
    """`print daylist|weekplan|interpreters|slips --office CODE --date YYYY-MM-DD --out FILE.pdf`: German, the
    slips German and each client's language (every booking of the day still booked, one per page)."""
    from app.access import AccessDenied

    if not args.office:
        raise UserError(_("{document} needs --office").format(document=args.document))
    day = _date(getattr(args, "date", None))
    with open_session(args) as session:
        office = _office(session, args.office)
        try:
            pdf = session.hours.render(args.document, office, day)
        except AccessDenied as exc:  # the role: one line, and the refusal is in the audit trail
            raise UserError(str(exc)) from None
    out = Path(args.out) if args.out else Path(f"{args.document}_{office}_{day.isoformat()}.pdf")
    _write(out, pdf)
    print(out)
    return 0


def print_booking_slip(args) -> int | None:
    """`print slip --case N`: the slip of the case's next office-hour booking; None if it has none (then the
    case's plain appointment slip is printed)."""
    from app.access import AccessDenied
    from app.checks import ValidationError
    from i18n import locale as loc

    lang = loc.normalize(args.doc_lang) if args.doc_lang else None
    if args.doc_lang and lang is None:
        raise UserError(_("unknown language {lang}").format(lang=args.doc_lang))
    with open_session(args) as session:
        try:
            pdf = session.hours.case_slip(args.case, lang)
        except ValidationError:
            raise UserError(_("there is no case {number}").format(number=args.case)) from None
        except AccessDenied as exc:  # role or consent: one line, and the refusal is in the audit trail
            raise UserError(str(exc)) from None
    if pdf is None:
        return None
    out = Path(args.out) if args.out else Path(f"slip_{dt.date.today().isoformat()}.pdf")
    _write(out, pdf)
    print(out)
    return 0
