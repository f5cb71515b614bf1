"""``sprechstunde-hub retention`` and ``erase``: what the retention rules make due, and deleting it.

    sprechstunde-hub retention --dir DIR [--date D] [--apply] [--json]
    sprechstunde-hub erase     --dir DIR --case CASE_NUMBER --reason TEXT [--json]

Both issue a signed deletion order (sync.hub.retention) that every laptop
applies at its next sync; `sprechstunde-hub devices` shows who has not
confirmed it yet. See docs/data-protection.md.
"""

from __future__ import annotations

import datetime as dt
import json

from app import retention as rules
from i18n import _

from . import storage
from .retention import case_by_number, issue
from .storage import HubError


def _day(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise HubError(_("--date {text} is not a date (YYYY-MM-DD)").format(text=repr(text))) from None


def _key(folder, store):
    from .file_import import SealedFileError, hub_private_key

    try:
        return hub_private_key(folder, store)
    except SealedFileError as exc:
        raise HubError(str(exc)) from None


def _print_issued(out, as_json: bool) -> None:
    if as_json:
        return
    print(_("Deletion order {order}: {cases} cases and {records} records deleted at the hub "
            "({changes} change-log entries); every laptop applies it at its next sync "
            "(see 'sprechstunde-hub devices').").format(order=out.id, cases=out.cases, records=out.records,
                                                       changes=out.changes))
    if not out.scrubbed:
        print(_("Note: the hub store was busy; freed space is overwritten at the next idle checkpoint."))


def cmd_retention(args) -> int:
    day = _day(args.date)
    try:
        loaded = rules.load_rules()
    except rules.RetentionError as exc:
        raise HubError(str(exc)) from None
    folder = storage.hub_dir(args.dir)
    store = storage.open_store(folder)
    try:
        due = rules.due(store.conn, day, loaded)
        result: dict = {"date": day.isoformat(), "due": [d.to_dict() for d in due], "order": None}
        if not args.json:
            if not due:
                print(_("Nothing is due for deletion on {date}.").format(date=day.isoformat()))
            for d in due:
                action = _("anonymise") if d.rule.action == "anonymise" else _("delete")
                record = _("case") if d.record == "case" else _("appointment")
                print(f"{d.case_number or '-':16} {d.office or '-':4} {record:10} " + _(
                    "{rule}: since {start}, due {due} -> {action}").format(
                    rule=d.rule.id, start=d.start.isoformat(), due=d.due.isoformat(), action=action))
        if args.apply and due:
            cases = [d.entity_id for d in due if d.record == "case"]
            records = [d.entity_id for d in due if d.record != "case"]
            out = issue(store, _key(folder, store), "retention",
                        f"retention rules on {day.isoformat()}", cases, records, day)
            result["order"] = out.to_dict()
            _print_issued(out, args.json)
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=1))
    finally:
        store.close()
    return 0


def cmd_erase(args) -> int:
    reason = (args.reason or "").strip()
    if not reason:
        raise HubError(_("--reason must say why (e.g. the date of the client's request)"))
    if not (args.case or "").strip():
        raise HubError(_("--case needs a case number"))
    folder = storage.hub_dir(args.dir)
    store = storage.open_store(folder)
    try:
        case_id = case_by_number(store.conn, args.case)
        if case_id is None:
            raise HubError(_("no case {number} at the hub (deleted already?)").format(number=args.case.strip()))
        out = issue(store, _key(folder, store), "erasure", reason, [case_id])
        if args.json:
            print(json.dumps(out.to_dict(), ensure_ascii=False, indent=1))
        _print_issued(out, args.json)
    finally:
        store.close()
    return 0


def register(add) -> None:
    """Add the two commands with the hub CLI's `add(name, handler, help)` (sync.hub.cli.build_parser)."""
    p = add("retention", cmd_retention, _("list what the retention rules make due; --apply deletes it"))
    p.add_argument("--date", metavar=_("DATE"), help=_("the day to judge by, YYYY-MM-DD (default today)"))
    p.add_argument("--apply", action="store_true",
                   help=_("delete what is due: a signed order that every laptop applies at its next sync"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p = add("erase", cmd_erase, _("delete a case on request (Art. 17 GDPR) at the hub and on every laptop"))
    p.add_argument("--case", required=True, metavar=_("CASE_NUMBER"), help=_("the case number"))
    p.add_argument("--reason", required=True, metavar=_("TEXT"),
                   help=_("why, for the deletion register (e.g. request of 2026-12-01)"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
