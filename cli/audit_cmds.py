"""`sprechstunde audit --store DIR [--case CASE_NUMBER] [--json]`: who viewed, printed or exported which case.

Shows this laptop's hash-chained audit trail (app.audit) to a staff member whose role
may read it (dpo, central, admin; resources/roles.json); anyone else gets one line and
exit code 1, and the refusal is itself an entry. The hub holds every laptop's trail
(`sprechstunde-hub audit`).
"""

from __future__ import annotations

import json

from app.access import AccessDenied
from i18n import _

from .common import add_store_option, open_session
from .main import UserError

JSON_FIELDS = ("n", "at", "device_id", "staff_id", "staff_name", "role", "agency", "action", "case_number",
               "outcome", "hash")


def register(sub) -> None:
    p = sub.add_parser("audit", help=_("the audit trail: who viewed, printed or exported which case"))
    add_store_option(p)
    p.add_argument("--case", metavar=_("CASE_NUMBER"), help=_("only entries of this case"))
    p.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    p.set_defaults(handler=cmd_audit)


def cmd_audit(args) -> int:
    session = open_session(args)
    try:
        rows = session.audit_entries(args.case)
        problems = session.audit_problems()
    except AccessDenied as exc:
        raise UserError(str(exc)) from None
    finally:
        session.lock()
    for e in rows:
        if args.json:
            print(json.dumps({k: e.get(k) for k in JSON_FIELDS}, ensure_ascii=False))
        else:
            print("\t".join(str(x or "-") for x in (e["at"], e["staff_name"] or e["staff_id"], e["role"], e["agency"],
                                                    e["action"], e["case_number"], e["outcome"])))
    if problems:
        raise UserError(_("the audit chain of this laptop is broken: {problem}").format(problem=problems[0]))
    return 0
