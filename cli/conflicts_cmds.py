"""`sprechstunde conflicts`: list open sync conflicts for scripts, or resolve one."""

from __future__ import annotations

import json

from i18n import _, ngettext

from app import conflicts
from app.labels import label

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    p = sub.add_parser("conflicts", help=_("list open sync conflicts (or resolve one with --resolve)"))
    add_store_option(p)
    p.add_argument("--json", action="store_true", help=_("machine-readable output (a JSON list)"))
    p.add_argument("--household", metavar="ID", help=_("only conflicts of this household"))
    p.add_argument("--case", metavar="ID", help=_("only conflicts of this case"))
    p.add_argument("--resolve", metavar=_("CONFLICT_ID"), help=_("resolve this conflict"))
    p.add_argument("--take", choices=("current", "other"), help=_("with --resolve: keep which value"))
    p.add_argument("--value", metavar="JSON", help=_("with --resolve: a new value, as JSON (e.g. '\"text\"')"))
    p.set_defaults(handler=cmd_conflicts)


def cmd_conflicts(args) -> int:
    if args.resolve and not (args.take or args.value is not None):
        raise UserError(_("--resolve needs --take current|other or --value"))
    if not args.resolve and (args.take or args.value is not None):
        raise UserError(_("--take and --value only go with --resolve CONFLICT_ID"))
    if args.take and args.value is not None:
        raise UserError(_("either --take or --value, not both"))
    session = open_session(args)
    try:
        session.check_lease()
        if args.resolve:
            return _resolve(session, args)
        found = session.open_conflicts(household_id=args.household, case_id=args.case)
        names = {} if args.json else {(c.entity, c.entity_id): session.record_name(c.entity, c.entity_id)
                                      for c in found}
    finally:
        session.lock()
    if args.json:
        print(json.dumps([c.to_dict() for c in found], ensure_ascii=False, indent=1))
        return 0
    if not found:
        print(_("No open conflicts."))
        return 0
    for c in found:
        print(f"{c.id}  {names[(c.entity, c.entity_id)]}: {label('field', c.field)}")
        for side_name, side in ((_("current"), c.current), (_("other"), c.other)):
            who = side.staff_name or side.staff_id or side.device_id or "?"
            print(f"    {side_name}: {json.dumps(side.value, ensure_ascii=False)}  ({who}, {side.at})")
    print(ngettext("{n} open conflict", "{n} open conflicts", len(found)).format(n=len(found)))
    return 0


def _resolve(session, args) -> int:
    try:
        if args.value is not None:
            try:
                value = json.loads(args.value)
            except ValueError:
                raise UserError(_("--value must be JSON, e.g. '\"Bahnhofstraße 3\"'")) from None
            session.resolve_conflict(args.resolve, "new", value, typed=False)
        else:
            session.resolve_conflict(args.resolve, take=args.take)
    except conflicts.ConflictError:
        raise UserError(_("conflict {id} is not open").format(id=args.resolve)) from None
    except (ValueError, KeyError) as exc:
        raise UserError(str(exc)) from None
    print(_("Conflict resolved."))
    return 0
