"""``sprechstunde-hub audit --dir DIR [--case CASE_NUMBER] [--json] [--verify]``: the laptops' audit trails.

Lists every entry the hub holds (who, role, agency, what, when, device), oldest first per
device; `--verify` recomputes every device's hash chain and compares it with the head the
device last declared: a removed, edited or cut-off entry is named, and the exit code is 1.
"""

from __future__ import annotations

import json

from i18n import _

from . import audit as hub_audit
from .storage import HubError


def register(add, with_store) -> None:
    p = add("audit", lambda args: cmd_audit(args, with_store),
            _("the audit trail of case views, prints, exports and refusals from every laptop"))
    p.add_argument("--case", metavar=_("CASE_NUMBER"), help=_("only entries of this case"))
    p.add_argument("--json", action="store_true", help=_("one JSON object per line"))
    p.add_argument("--verify", action="store_true",
                   help=_("check every device's hash chain; exit code 1 if one is broken or shortened"))


def cmd_audit(args, with_store) -> int:
    def run(store):
        conn = store.conn
        hub_audit.ensure_tables(conn)
        if args.verify:
            return _verify(conn, args.json)
        names = dict(conn.execute("SELECT id, coalesce(name, login, '') FROM staff").fetchall())
        for e in sorted(hub_audit.entries(conn, args.case), key=lambda e: (e["at"], e["device_id"], e["n"])):
            if args.json:
                print(json.dumps({**e, "staff_name": names.get(e["staff_id"], "")}, ensure_ascii=False, sort_keys=True))
            else:
                print("\t".join(str(x or "-") for x in (e["at"], e["device_id"], e["n"], names.get(e["staff_id"]) or
                                                        e["staff_id"], e["role"], e["agency"], e["action"],
                                                        e["case_number"], e["outcome"])))
        return 0

    return with_store(args, run)


def _verify(conn, as_json: bool) -> int:
    found = hub_audit.verify(conn)
    counts = dict(conn.execute("SELECT device_id, count(*) FROM hub_audit GROUP BY device_id").fetchall())
    for device, problems in found.items():
        if as_json:
            print(json.dumps({"device_id": device, "entries": counts.get(device, 0), "ok": not problems,
                              "problems": problems}, ensure_ascii=False))
        elif problems:
            for p in problems:
                print(_("{device}: {problem}").format(device=device, problem=p))
        else:
            print(_("{device}: {n} entries, chain intact").format(device=device, n=counts.get(device, 0)))
    broken = [d for d, p in found.items() if p]
    if broken:
        raise HubError(_("the audit chain of {n} device(s) is broken or shortened").format(n=len(broken)))
    return 0
