"""`sprechstunde unmerge` and `sprechstunde undo`: take back a merge of persons, or the last edit of a record."""

from __future__ import annotations

import json

from app.unmerge import UndoRefused
from i18n import _

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    p = sub.add_parser("unmerge", help=_("undo the merge of a person into another (or list merged persons)"))
    add_store_option(p)
    p.add_argument("person", nargs="?", metavar=_("PERSON"), help=_("id of the merged-away person"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output (one JSON document)"))
    p.set_defaults(handler=cmd_unmerge)
    u = sub.add_parser("undo", help=_("take back the last edit of a record"))
    add_store_option(u)
    u.add_argument("entity", metavar=_("KIND"), help=_("kind of record, e.g. person, household, case"))
    u.add_argument("id", metavar="ID", help=_("id of the record"))
    u.add_argument("--show", action="store_true", help=_("only show the last edit, change nothing"))
    u.add_argument("--json", action="store_true", help=_("machine-readable output (one JSON document)"))
    u.set_defaults(handler=cmd_undo)


def _name(p: dict) -> str:
    return f"{p.get('family_name') or ''}, {p.get('given_names') or ''} ({p.get('birth_date') or '?'})"


def cmd_unmerge(args) -> int:
    session = open_session(args)
    try:
        if not args.person:
            rows = [{"person_id": p["id"], "person": _name(p), "merged_into": p["into"]["id"],
                     "into": _name(p["into"]), "merged_at": p["merged_at"]} for p in session.undo.merged_persons()]
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=1))
            elif not rows:
                print(_("No merged persons."))
            for r in rows if not args.json else []:
                print(f"{r['person_id']}  {r['person']}  → {r['merged_into']}  {r['into']}")
            return 0
        try:
            back = session.undo.unmerge_person(args.person)
        except UndoRefused as exc:
            raise UserError(str(exc)) from None
    finally:
        session.lock()
    if args.json:
        print(json.dumps(back))
    else:
        print(_("Undone. Moved back: cases {cases}, household records {records}; fields restored: {fields}.").format(
            cases=back["cases"], records=back["household_records"], fields=back["fields"]))
    return 0


def cmd_undo(args) -> int:
    from app import schema

    if args.entity not in schema.ENTITIES:
        raise UserError(_("unknown kind of record: {kind}").format(kind=args.entity))
    session = open_session(args)
    try:
        try:
            edit = session.undo.last_edit(args.entity, args.id) if args.show else \
                session.undo.undo_last_edit(args.entity, args.id)
        except UndoRefused as exc:
            raise UserError(str(exc)) from None
        if edit is None:
            raise UserError(_("this record has no history"))
    finally:
        session.lock()
    fields = {f: {"old": old, "new": new} for f, (old, new) in edit.fields.items()}
    if args.json:
        print(json.dumps({"entity": edit.entity, "id": edit.entity_id, "hlc": edit.hlc, "when": edit.when,
                          "undone": not args.show, "fields": fields}, ensure_ascii=False))
        return 0
    print((_("Last edit ({when}):") if args.show else _("Taken back: the edit of {when}:")).format(when=edit.when))
    for f, v in fields.items():
        print(f"  {f}: {json.dumps(v['new'], ensure_ascii=False)} → {json.dumps(v['old'], ensure_ascii=False)}"
              if not args.show else f"  {f}: {json.dumps(v['old'], ensure_ascii=False)} → "
                                    f"{json.dumps(v['new'], ensure_ascii=False)}")
    return 0
