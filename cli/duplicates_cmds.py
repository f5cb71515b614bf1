"""`sprechstunde duplicates`: list likely duplicate persons, or merge one into another."""

from __future__ import annotations

import json

from i18n import _

from app import duplicates
from app.linkage.reasons import FIELD_LABELS

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    keep, away = _("KEEP"), _("AWAY")
    p = sub.add_parser("duplicates", help=_("list likely duplicate persons (or merge two with --merge {keep} {away})")
                       .format(keep=keep, away=away))
    add_store_option(p)
    p.add_argument("--json", action="store_true", help=_("machine-readable output (a JSON list)"))
    p.add_argument("--person", metavar="ID", help=_("only candidates for this person"))
    p.add_argument("--threshold", type=float, default=0.8, metavar=_("SCORE"),
                   help=_("lowest score shown (0..1, default 0.8)"))
    p.add_argument("--explain", action="store_true",
                   help=_("show for every pair how each field was compared and what it weighs"))
    p.add_argument("--merge", nargs=2, metavar=(keep, away),
                   help=_("merge person {away} into {keep}").format(keep=keep, away=away))
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
                moved = session.merge_persons(keep, away)
            except duplicates.MergeRefused as exc:
                raise UserError(str(exc)) from None
            print(_("Merged: {cases} cases and {records} household records moved, {fields} fields filled.").format(
                cases=moved["cases"], records=moved["household_records"], fields=moved["fields"]))
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
    if not rows:
        print(_("No likely duplicates."))
    for r in rows:
        print(f"{r['score']:.2f}  {r['person_id']}  {r['person']}")
        print(f"      {r['other_id']}  {r['other']}  [{'; '.join(_(x) for x in r['reasons'])}]")
        if args.explain:
            for f in r["fields"]:
                print(f"        {_(FIELD_LABELS[f['field']]):<16} {f['weight']:+6.1f}  {_(f['reason']) if f['reason'] else '–'}")
    return 0
