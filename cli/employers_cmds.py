"""`sprechstunde employers` (employers and their open offers) and `sprechstunde match --offer ID | --case NUMBER`
(the candidates for an offer, or the offers for a case, with the reason and what is missing). Both act as the
staff member who unlocked (SPRECHSTUNDE_LOGIN) through the gated employer service the GUI uses
(app.gated_employers): candidates whose case may not be shown in full are only counted, and a refusal (a case
without consent, a role without case data) is one line, exit 1."""

from __future__ import annotations

import datetime as dt
import json

from app.access import AccessDenied
from app.checks import ValidationError
from app.employers import KIND_LABELS
from app.travel import default_towns
from i18n import _, ngettext

from .common import add_store_option, open_session
from .main import UserError

SHOW_EXCLUDED = 10  # how many not eligible candidates the text output lists (those missing least)
SHOW_ELIGIBLE = 25  # the best candidates the text output lists (--json gives all)


def register(sub) -> None:
    p = sub.add_parser("employers", help=_("employers and their open offers"))
    add_store_option(p)
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_employers)
    m = sub.add_parser("match", help=_("candidates for an offer, or offers for a case, with reasons"))
    add_store_option(m)
    which = m.add_mutually_exclusive_group(required=True)
    which.add_argument("--offer", metavar=_("ID"), help=_("the offer (its id, or the first 8 characters)"))
    which.add_argument("--case", metavar=_("CASE_NUMBER"), help=_("the case number"))
    m.add_argument("--date", metavar=_("YYYY-MM-DD"), help=_("judge on this day (default today)"))
    m.add_argument("--json", action="store_true", help=_("machine-readable output"))
    m.set_defaults(handler=cmd_match)


def _offer_dict(emp, o: dict) -> dict:
    return {"id": o["id"], "kind": o.get("kind"), "title": o.get("title"), "occupation": o.get("occupation"),
            "occupation_name": emp.occupations.name(o.get("occupation")), "german_level": o.get("german_level"),
            "driving_licence": o.get("driving_licence"), "work_permit_needed": o.get("work_permit_needed"),
            "hours": o.get("hours"), "start_date": o.get("start_date"), "town": o.get("town"),
            "max_travel_minutes": o.get("max_travel_minutes"), "places": o.get("places"), "status": o.get("status"),
            "employer_id": o.get("employer_id")}


def _offer_line(emp, o: dict) -> str:
    parts = [_(KIND_LABELS.get(o.get("kind") or "", o.get("kind") or "")), o.get("title") or ""]
    if o.get("german_level"):
        parts.append(_("German {level}").format(level=o["german_level"]))
    if o.get("start_date"):
        parts.append(_("from {date}").format(date=dt.date.fromisoformat(o["start_date"]).strftime("%d.%m.%Y")))
    return f"{o['id'][:8]}  " + ", ".join(parts)


def cmd_employers(args) -> int:
    session = open_session(args)
    try:
        emp = session.employer_service
        rows = [{**{k: e.get(k) for k in ("id", "name", "town", "sector", "contact_person", "phone", "email")},
                 "open_offers": e["open_offers"],
                 "offers": [_offer_dict(emp, o) for o in emp.offers(e["id"])]} for e in emp.employers()]
        lines = {e["id"]: [_offer_line(emp, o) for o in emp.offers(e["id"])] for e in rows}
    finally:
        session.lock()
    if args.json:
        print(json.dumps({"employers": rows}, indent=1, ensure_ascii=False))
        return 0
    if not rows:
        print(_("No employers yet."))
    towns = default_towns()
    for e in rows:
        print(_("{name} ({town}, {sector}): {n} open offers").format(
            name=e["name"], town=towns.name(e["town"]), sector=e["sector"] or "–", n=e["open_offers"]))
        for line in lines[e["id"]]:
            print(f"  {line}")
    return 0


def cmd_match(args) -> int:
    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UserError(_("--date: not a date: {date} (use YYYY-MM-DD)").format(date=args.date)) from None
    session = open_session(args)
    hidden = 0
    try:
        emp = session.employer_service
        if args.offer:
            offer = emp.find_offer(args.offer.strip())
            if offer is None:
                raise UserError(_("there is no offer {id}").format(id=args.offer))
            employer = emp.employer(offer["employer_id"]) or {}
            try:
                found = emp.candidates(offer["id"], today=day)
            except ValidationError as exc:
                raise UserError("; ".join(exc.errors.values())) from None
            except AccessDenied as exc:  # the role: one line, and the refusal is in the audit trail
                raise UserError(str(exc)) from None
            matches, hidden = found.shown, found.hidden
            head = _("{title} at {employer}").format(title=offer["title"], employer=employer.get("name", ""))
            subject = {"offer": _offer_dict(emp, offer)}
            names = {m.case_id: (m.profile.name if m.profile else "") for m in matches}
        else:
            case_id = emp.case_by_number(args.case)
            if case_id is None:
                raise UserError(_("there is no case {number}").format(number=args.case))
            try:
                matches = emp.offers_for_case(case_id, today=day)
            except AccessDenied as exc:  # consent or role: one line, and the refusal is in the audit trail
                raise UserError(str(exc)) from None
            offers = {o["id"]: o for o in emp.offers()}
            head = _("Offers for case {number}").format(number=args.case)
            subject = {"case_number": args.case}
            names = {m.offer_id: _("{title} at {employer}").format(
                title=offers[m.offer_id]["title"],
                employer=(emp.employer(offers[m.offer_id]["employer_id"]) or {}).get("name", "")) for m in matches}
    finally:
        session.lock()
    if args.json:
        key = "candidates" if args.offer else "offers"
        items = [{**m.to_dict(), "name": names[m.case_id if args.offer else m.offer_id]} for m in matches]
        extra = {"hidden": hidden} if args.offer else {}
        print(json.dumps({**subject, key: items, **extra}, indent=1, ensure_ascii=False))
        return 0
    print(head)
    eligible = [m for m in matches if m.eligible]
    if not eligible:
        print("  " + _("nothing fits all requirements"))
    for n, m in enumerate(eligible[:SHOW_ELIGIBLE], 1):
        who = f"{m.profile.case_number} {names[m.case_id]}" if args.offer and m.profile else names[m.offer_id]
        print(f"  {n}. {who} ({round(m.score)}): {m.sentence}")
    if len(eligible) > SHOW_ELIGIBLE:
        print("  " + _("… and {n} more (all with --json)").format(n=len(eligible) - SHOW_ELIGIBLE))
    rest = [m for m in matches if not m.eligible]
    if rest:
        print(_("Not suitable (those missing least):"))
        for m in sorted(rest, key=lambda x: x.n_missing)[:SHOW_EXCLUDED]:
            who = f"{m.profile.case_number} {names[m.case_id]}" if args.offer and m.profile else names[m.offer_id]
            print(f"  - {who}: {'; '.join(m.missing)}")
    if hidden:
        print(ngettext("{n} more candidate is not shown: the client has not consented to pass data to your "
                       "agency.", "{n} more candidates are not shown: their clients have not consented to pass "
                       "data to your agency.", hidden).format(n=hidden))
    return 0
