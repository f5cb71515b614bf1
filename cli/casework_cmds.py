"""Case-work subcommands: `forms check PATH`, `rules check PATH` and `due` (deadlines and hints across cases)."""

from __future__ import annotations

import datetime as dt
import json

from app.forms import FormDefinitionError, check_path
from i18n import N_, _

from .common import add_store_option, open_session
from .main import UserError


# the states of a due item as the case's chronicle names them (ui.casework.chronicle_tab)
STATE_LABELS = {"overdue": N_("overdue"), "due_soon": N_("due soon"), "upcoming": N_("upcoming"),
                "reached": N_("since"), "info": N_("note")}


def register(sub) -> None:
    forms = sub.add_parser("forms", help=_("questionnaire definitions"))
    fsub = forms.add_subparsers(dest="forms_command", metavar=_("ACTION"))
    chk = fsub.add_parser("check", help=_("validate a form definition file or a folder of them"))
    chk.add_argument("path", metavar=_("PATH"), help=_("a file or a folder"))
    chk.set_defaults(handler=cmd_forms_check)
    forms.set_defaults(handler=lambda args: forms.print_help() or 2)

    rules = sub.add_parser("rules", help=_("deadline and hint rules"))
    rsub = rules.add_subparsers(dest="rules_command", metavar=_("ACTION"))
    rchk = rsub.add_parser("check", help=_("validate a rule file or a folder of them (and run each rule's example)"))
    rchk.add_argument("path", metavar=_("PATH"), help=_("a file or a folder"))
    rchk.set_defaults(handler=cmd_rules_check)
    rules.set_defaults(handler=lambda args: rules.print_help() or 2)

    due = sub.add_parser("due", help=_("due items and hints across cases, one per line"))
    add_store_option(due)
    due.add_argument("--date", metavar=_("YYYY-MM-DD"), help=_("evaluate on this day (default today)"))
    due.add_argument("--office", metavar=_("OFFICE"), help=_("only cases of this office (code, e.g. AHL)"))
    due.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    due.set_defaults(handler=cmd_due)


def cmd_forms_check(args) -> int:
    try:
        forms = check_path(args.path)
    except FormDefinitionError as exc:
        raise UserError(str(exc)) from None
    except RecursionError:  # JSON nested too deeply for the parser
        raise UserError(_("{path}: nested too deeply").format(path=args.path)) from None
    for f in forms:
        print(_("ok {source}: {id} version {version}, {n} fields").format(
            source=f.source, id=f.id, version=f.version, n=len(f.fields())))
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
            print(_("ok {rule} (no example to check)").format(rule=rule.id))
            continue
        due = dt.date.fromisoformat(ex["due"]) if ex.get("due") else None
        hint = evaluate_rule(rule, ex["facts"], due or dt.date.today(), ruleset)
        if hint is None or hint.due != due:
            raise UserError(_("{source}: rule {rule}: its example gives {got}, expected {due}").format(
                source=rule.source, rule=rule.id, got=_("no hint") if hint is None else hint.due, due=due))
        print(_("ok {rule}: due {due} ({source})").format(rule=rule.id, due=due or "-", source=rule.legal_source))
    return 0


def cmd_due(args) -> int:
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
        session.check_lease()
        items = session.casework().due_list(today, office)  # only cases the staff member may see in full
    finally:
        session.lock()
    for item in items:
        if args.json:
            print(json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True))
        else:
            due = item.hint.due.isoformat() if item.hint.due else "-"
            state = _(STATE_LABELS[item.hint.state]) if item.hint.state in STATE_LABELS else item.hint.state
            print(f"{due}\t{state}\t{item.case_number}\t{item.name}\t{item.hint.rule_id}\t{item.hint.text}")
    return 0
