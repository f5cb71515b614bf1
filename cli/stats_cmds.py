"""`sprechstunde stats`: the central office's counts and the steering figures of a period (app.statistics,
app.steering), small counts hidden as "< 5" (docs/statistics.md).

`--from D --to D` choose the period (default: the last twelve months, or the year of `--year`), `--by
office,rechtskreis,...` crosses the clients by these dimensions; `--json` gives one document (the old
fields plus `period`, `tables`, `waiting_times`), `--csv` one line per table entry, `--xlsx FILE` a workbook.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from app.checks import PartialDateError, parse_input_date
from app.labels import label
from app.steering import DIMENSIONS, Period, as_json
from app.steering_export import labelled_rows, title, to_csv, to_xlsx
from i18n import _

from .common import add_store_option, open_session
from .main import UserError


def register(sub) -> None:
    p = sub.add_parser("stats", help=_("counts by office, status, Rechtskreis, country; measures; transitions"))
    add_store_option(p)
    p.add_argument("--year", metavar=_("YYYY"), help=_("count transitions of this year only"))
    p.add_argument("--from", dest="start", metavar=_("DATE"), help=_("first day of the period (DD.MM.YYYY)"))
    p.add_argument("--to", dest="end", metavar=_("DATE"), help=_("last day of the period (DD.MM.YYYY)"))
    p.add_argument("--by", metavar=_("DIMENSIONS"),
                   help=_("cross the clients by these, comma-separated: {names}").format(names=",".join(DIMENSIONS)))
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help=_("machine-readable output"))
    out.add_argument("--csv", action="store_true", help=_("every table as CSV lines (table;row;column;value)"))
    p.add_argument("--xlsx", metavar=_("FILE.xlsx"), help=_("also write every table to this workbook"))
    p.set_defaults(handler=cmd_stats)


def parse_day(option: str, text: str) -> dt.date:
    try:
        iso = parse_input_date(text)
    except PartialDateError:
        iso = None
    if iso is None:
        raise UserError(_("{option}: not a date: {text} (use DD.MM.YYYY)").format(option=option, text=text))
    return dt.date.fromisoformat(iso)


def parse_period(start: str | None, end: str | None, year: str | None = None) -> Period:
    if year and not (start or end):
        return Period(dt.date(int(year), 1, 1), min(dt.date(int(year), 12, 31), dt.date.today()))
    default = Period.last_year()
    period = Period(parse_day("--from", start) if start else default.start,
                    parse_day("--to", end) if end else default.end)
    if period.end < period.start:
        raise UserError(_("--to: the period ends before it begins"))
    return period


def parse_by(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    names = tuple(x.strip() for x in text.split(",") if x.strip())
    bad = [n for n in names if n not in DIMENSIONS]
    if bad or not names or len(set(names)) != len(names):
        raise UserError(_("--by: unknown or repeated dimension {names} (one of {known})").format(
            names=",".join(bad or names), known=",".join(DIMENSIONS)))
    return names


def cmd_stats(args) -> int:
    if args.year is not None and not (len(args.year) == 4 and args.year.isascii() and args.year.isdigit()):
        raise UserError(_("--year: not a year: {year} (use YYYY)").format(year=args.year))
    period = parse_period(args.start, args.end, args.year)
    by = parse_by(args.by)
    session = open_session(args)
    try:
        stats = session.statistics(args.year)
        fig = session.steering(period.start, period.end, by)
        catalogue = session.resources.catalogue
    finally:
        session.lock()
    if args.xlsx:
        try:
            Path(args.xlsx).write_bytes(to_xlsx(fig, catalogue))
        except OSError as exc:
            raise UserError(_("cannot write {path}: {reason}").format(path=args.xlsx, reason=exc.strerror)) from None
    if args.json:
        print(json.dumps({**stats, **as_json(fig)}, indent=1, ensure_ascii=False, sort_keys=True))
        return 0
    if args.csv:
        sys.stdout.write(to_csv(fig, catalogue))
        return 0
    print(_("Cases: {n}").format(n=stats["cases_total"]))
    for heading, key, kind in ((_("Open cases by office"), "open_cases_by_office", "office"),
                               (_("Cases by status"), "cases_by_status", "status"),
                               (_("Open cases by Rechtskreis"), "open_cases_by_rechtskreis", None),
                               (_("Open cases by nationality"), "open_cases_by_nationality", "country")):
        print(f"{heading}:")
        for code, n in sorted(stats[key].items(), key=lambda kv: -kv[1] if isinstance(kv[1], int) else 0):
            print(f"  {label(kind, code) if kind and code != '?' else code}: {n}")
    if stats.get("deleted_cases"):
        print(_("Deleted cases (anonymised, still counted): {n}").format(n=stats["deleted_cases"]))
    print(_("Measures started: {started}, waiting or registered: {waiting}").format(
        started=stats["measures_started"], waiting=stats["measures_waiting"]))
    print(_("Transitions into work: {work}, into training: {training}").format(
        work=stats["transitions"].get("work_start", 0), training=stats["transitions"].get("training_start", 0)))
    print()
    print(_("Steering figures {start} to {end} (counts below 5 hidden)").format(
        start=period.start.strftime("%d.%m.%Y"), end=period.end.strftime("%d.%m.%Y")))
    for name, t in fig["tables"].items():
        header, rows = labelled_rows(name, t, catalogue)
        print(f"{title(name)}:")
        if t.one_dimensional:
            for row in rows:
                print(f"  {row[0]}: {row[1]}")
            continue
        widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
        for row in [header] + rows:
            print("  " + "  ".join(str(v).ljust(widths[0]) if i == 0 else str(v).rjust(widths[i])
                                   for i, v in enumerate(row)))
    return 0


def cmd_report(args) -> int:
    """`sprechstunde print report --from D --to D --out FILE.pdf`: the German steering report."""
    if not args.period_from or not args.to_agency:
        raise UserError(_("the report needs --from and --to"))
    if args.case:
        raise UserError(_("--case does not apply to the report"))
    period = parse_period(args.period_from, args.to_agency)
    out = Path(args.out) if args.out else Path(f"steuerung-{period.start.isoformat()}-{period.end.isoformat()}.pdf")
    session = open_session(args)
    try:
        pdf = session.steering_report(period.start, period.end)
    finally:
        session.lock()
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise UserError(_("cannot write {path}: {reason}").format(path=out, reason=exc.strerror)) from None
    print(out)
    return 0
