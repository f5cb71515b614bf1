"""`sprechstunde stats`: the central office's counts for steering (see app.statistics)."""

from __future__ import annotations

import json

from app.labels import label
from app.statistics import statistics
from i18n import _

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    p = sub.add_parser("stats", help=_("counts by office, status, Rechtskreis, country; measures; transitions"))
    add_store_option(p)
    p.add_argument("--year", metavar=_("YYYY"), help=_("count transitions of this year only"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))
    p.set_defaults(handler=cmd_stats)


def cmd_stats(args) -> int:
    if args.year is not None and not (len(args.year) == 4 and args.year.isascii() and args.year.isdigit()):
        raise UserError(_("--year: not a year: {year} (use YYYY)").format(year=args.year))
    session = open_session(args)
    store = session.store
    try:
        stats = statistics(store.conn, args.year)
    finally:
        session.lock()
    if args.json:
        print(json.dumps(stats, indent=1, ensure_ascii=False, sort_keys=True))
        return 0
    print(_("Cases: {n}").format(n=stats["cases_total"]))
    for title, key, kind in ((_("Open cases by office"), "open_cases_by_office", "office"),
                             (_("Cases by status"), "cases_by_status", "status"),
                             (_("Open cases by Rechtskreis"), "open_cases_by_rechtskreis", None),
                             (_("Open cases by nationality"), "open_cases_by_nationality", "country")):
        print(f"{title}:")
        for code, n in sorted(stats[key].items(), key=lambda kv: -kv[1]):
            print(f"  {label(kind, code) if kind and code != '?' else code}: {n}")
    if stats.get("deleted_cases"):
        print(_("Deleted cases (anonymised, still counted): {n}").format(n=stats["deleted_cases"]))
    print(_("Measures started: {started}, waiting or registered: {waiting}").format(
        started=stats["measures_started"], waiting=stats["measures_waiting"]))
    print(_("Transitions into work: {work}, into training: {training}").format(
        work=stats["transitions"].get("work_start", 0), training=stats["transitions"].get("training_start", 0)))
    return 0
