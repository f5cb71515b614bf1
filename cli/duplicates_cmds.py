"""`sprechstunde duplicates`: list likely duplicate persons, or merge one into another."""

from __future__ import annotations

import json

from i18n import _

from app import duplicates

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    keep, away = _("KEEP"), _("AWAY")
    p = sub.add_parser("duplicates", help=_("list likely duplicate persons (or merge two with --merge {keep} {away})")
                       .format(keep=keep, away=away))
    add_store_option(p)
    duplicates.add_options(p, keep, away)
    p.set_defaults(handler=cmd_duplicates)


def _label(p: dict) -> str:
    return f"{p.get('family_name') or ''}, {p.get('given_names') or ''} ({p.get('birth_date') or '?'})"


def cmd_duplicates(args) -> int:
    if not 0 <= args.threshold <= 1:  # also refuses nan
        raise UserError(_("--threshold must be between 0 and 1"))
    session = open_session(args)
    try:
        session.check_lease()
        if args.merge:
            keep, away = args.merge
            try:
                moved = session.merge_persons(keep, away, take_away=tuple(args.take_away))
            except duplicates.MergeRefused as exc:
                raise UserError(str(exc)) from None
            print(duplicates.merged_line(moved))
            return 0
        found = session.duplicate_candidates(args.threshold, person_id=args.person)
        rows = [{"person_id": c["a"]["id"], "other_id": c["b"]["id"], "score": c["score"], "reasons": c["reasons"],
                 "person": _label(c["a"]), "other": _label(c["b"]),
                 "fields": [{"field": f.field, "level": f.level, "weight": f.weight, "reason": f.message}
                            for f in c["fields"]]} for c in found]
    finally:
        session.lock()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for line in duplicates.report_lines(rows, args.explain):
        print(line)
    return 0
