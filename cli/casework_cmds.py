"""Case-work subcommands: `forms check PATH`, `rules check PATH` and `due` (deadlines and hints across cases)."""

from __future__ import annotations

import datetime as dt
import json

from app.forms import FormDefinitionError, check_path
from i18n import _

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    forms = sub.add_parser("forms", help="questionnaire definitions")
    fsub = forms.add_subparsers(dest="forms_command", metavar="ACTION")
    chk = fsub.add_parser("check", help="validate a form definition file or a folder of them")
    chk.add_argument("path", metavar="PATH")
    chk.set_defaults(handler=cmd_forms_check)
    forms.set_defaults(handler=lambda args: forms.print_help() or 2)

    rules = sub.add_parser("rules", help="deadline and hint rules")
    rsub = rules.add_subparsers(dest="rules_command", metavar="ACTION")
    rchk = rsub.add_parser("check", help="validate a rule file or a folder of them (and run each rule's example)")
    rchk.add_argument("path", metavar="PATH")
    rchk.set_defaults(handler=cmd_rules_check)
    rules.set_defaults(handler=lambda args: rules.print_help() or 2)

    due = sub.add_parser("due", help="due items and hints across cases, one per line")
    add_store_option(due)
    due.add_argument("--date", help="evaluate on this day (YYYY-MM-DD; default today)")
    due.add_argument("--office", help="only cases of this office (code, e.g. AHL)")
    due.add_argument("--json", action="store_true", help="one JSON object per line")
    due.set_defaults(handler=cmd_due)


def cmd_forms_check(args) -> int:
    try:
        forms = check_path(args.path)
    except FormDefinitionError as exc:
        raise UserError(str(exc)) from None
    except RecursionError:  # JSON nested too deeply for the parser
        raise UserError(_("{path}: nested too deeply").format(path=args.path)) from None
    for f in forms:
        print(f"ok {f.source}: {f.id} version {f.version}, {len(f.fields())} fields")
    return 0


def cmd_rules_check(args) -> int:
    from pathlib import Path

    from app.rules import RuleDefinitionError, RuleSet, evaluate_rule

    path = Path(args.path)
    if not path.exists():
        raise UserError(_("{path}: no such file or folder").format(path=path))
    try:
        ruleset = RuleSet.load(path)
    except RuleDefinitionError as exc:
        raise UserError(str(exc)) from None
    except RecursionError:  # JSON nested too deeply for the parser
        raise UserError(_("{path}: nested too deeply").format(path=path)) from None
    if not ruleset.rules:
        raise UserError(_("{path}: no rules found").format(path=path))
    for rule in ruleset.rules:
        ex = rule.example
        if ex is None:
            print(f"ok {rule.id} (no example to check)")
            continue
        due = dt.date.fromisoformat(ex["due"]) if ex.get("due") else None
        hint = evaluate_rule(rule, ex["facts"], due or dt.date.today(), ruleset)
        if hint is None or hint.due != due:
            raise UserError(f"{rule.source}: rule {rule.id}: its example gives "
                            f"{'no hint' if hint is None else hint.due}, expected {due}")
        print(f"ok {rule.id}: due {due or '-'} ({rule.legal_source})")
    return 0


def cmd_due(args) -> int:
    from app.casework import CaseWork
    from app.schema import OFFICE_CODES

    try:
        today = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        raise UserError(_("--date: not a date: {date} (use YYYY-MM-DD)").format(date=args.date)) from None
    office = args.office.upper() if args.office else None
    if office and office not in OFFICE_CODES:
        raise UserError(_("--office: unknown office {office} (known: {known})").format(
            office=args.office, known=", ".join(OFFICE_CODES)))
    session = open_session(args)
    try:
        items = CaseWork(session.repo).due_list(today, office)
    finally:
        session.lock()
    for item in items:
        if args.json:
            print(json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True))
        else:
            due = item.hint.due.isoformat() if item.hint.due else "-"
            print(f"{due}\t{item.hint.state}\t{item.case_number}\t{item.name}\t{item.hint.rule_id}\t{item.hint.text}")
    return 0
