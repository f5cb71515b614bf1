"""Steering figures for the county's steering committee: clients, measures, transitions, employer offers and
placements, for a chosen period and month by month, with small counts suppressed (app.suppression).

Counted from the current state of the store (at the central office: every office's), merged-away and
deleted records left out:

* clients: cases open at some time in the period (opened on or before its end, not closed before its
  start), by office, status, Rechtskreis, country (nationality), sex and age group (age at the end of the
  period), or crossed by any of these (`by`);
* measures: proposed (proposed_on in the period), started (start date in the period), completed (end date
  in the period and status completed), waiting (registered or waiting now); waiting time = days from
  registration (or the proposal) to the start, for measures started in the period;
* transitions: chronicle events work_start / training_start in the period; into the SGB II: Rechtskreis
  events in the period of cases now in the SGB II;
* employer offers by kind and status; placements by outcome in the period.

`figures(conn, start, end, by, suppress)` returns every table; `drill_down` lists the cases behind one
count, only for a caller that may see cases.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import Counter
from dataclasses import dataclass

from i18n import _

from .checks import age_range
from .schema import OFFER_KINDS, OFFER_STATUSES
from .suppression import THRESHOLD, Table, series, table

DIMENSIONS = ("office", "status", "rechtskreis", "country", "sex", "age_group")
AGE_GROUPS = ("0-17", "18-24", "25-34", "35-49", "50+", "?")
MEASURE_COLUMNS = ("proposed", "waiting", "started", "completed")
TRANSITION_COLUMNS = ("work_start", "training_start", "sgb2", "placement_started")
PLACEMENT_OUTCOMES = ("proposed", "sent", "invited", "hired", "rejected", "started")


class DrillDownRefused(Exception):
    """The caller may not see the cases behind a figure; the message is one sentence."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def last_year(cls, today: dt.date | None = None) -> "Period":
        today = today or dt.date.today()
        first = dt.date(today.year - 1, today.month + 1, 1) if today.month < 12 else dt.date(today.year, 1, 1)
        return cls(first, today)

    def months(self) -> list[str]:
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def has(self, day: str | None) -> bool:
        return bool(day) and self.start.isoformat() <= day[:10] <= self.end.isoformat()  # type: ignore[index]


def age_group(birth: str | None, on: dt.date) -> str:
    ages = age_range(birth, on) if birth else None
    if ages is None:
        return "?"
    age = ages[0]
    for limit, name in ((18, "0-17"), (25, "18-24"), (35, "25-34"), (50, "35-49")):
        if age < limit:
            return name
    return "50+"


_CASES_IN = ('FROM "case" c JOIN person p ON p.id = c.person_id WHERE coalesce(c.deleted, 0) = 0 '
             "AND coalesce(p.deleted, 0) = 0 AND p.merged_into IS NULL AND (c.opened IS NULL OR c.opened <= :end) "
             "AND (c.closed IS NULL OR c.closed >= :start)")
_DIGITS4 = "[0-9][0-9][0-9][0-9]"
# the latest day a (partial) birth date may mean, where it is well-formed (as app.checks.pdate_range); else NULL
_LAST_BIRTH = (f"CASE WHEN b GLOB '{_DIGITS4}-[0-9][0-9]-[0-9][0-9]' THEN CASE WHEN b >= '0001' "
               "AND date(b, '+0 days') = b THEN b END "
               f"WHEN b GLOB '{_DIGITS4}' AND b >= '0001' THEN b || '-12-31' "
               f"WHEN b GLOB '{_DIGITS4}-[0-9][0-9]' AND b >= '0001' AND date(b || '-01', '+0 days') = b || '-01' "
               "THEN date(b || '-01', '+1 month', '-1 day') END")
# the youngest possible age (app.checks.age_range) below a limit L on the day D <=> the latest possible birth
# is later than D's month and day L years before (compared as text: (year, month, day) as app.checks.age_on)
_AGE_LIMITS = ((18, "0-17"), (25, "18-24"), (35, "25-34"), (50, "35-49"))
_AGE_GROUP = ("CASE WHEN last IS NULL THEN NULL "
              + " ".join(f"WHEN last > :before{limit} THEN '{name}'" for limit, name in _AGE_LIMITS) + " ELSE '50+' END")


def _age_cutoffs(on: dt.date) -> dict[str, str]:
    return {f"before{limit}": f"{on.year - limit:04d}-{on.month:02d}-{on.day:02d}" for limit, _n in _AGE_LIMITS}


def _unknown(column: str) -> str:
    return f"coalesce(nullif({column}, ''), '?')"


def clients(conn, period: Period) -> list[dict]:
    """One row per case open in the period, with the values of every dimension (the drill-down)."""
    out = []
    for cid, office, status, rk, country, sex, birth in conn.execute(
            "SELECT c.id, c.office, c.status, c.rechtskreis, p.nationality, p.sex, p.birth_date " + _CASES_IN,
            _period(period)):
        out.append({"case_id": cid, "office": office or "?", "status": status or "?", "rechtskreis": rk or "?",
                    "country": country or "?", "sex": sex or "?", "age_group": age_group(birth, period.end)})
    return out


def client_counts(conn, period: Period) -> Counter:
    """{(office, status, Rechtskreis, country, sex, age group): cases open in the period}, counted by SQLite
    in one pass (the age group too; a birth date it cannot read is judged by `age_group`)."""
    counts: Counter = Counter()
    sql = (f"SELECT office, status, rk, country, sex, {_AGE_GROUP} AS grp, CASE WHEN last IS NULL THEN b END, "
           f"count(*) FROM (SELECT *, {_LAST_BIRTH} AS last FROM (SELECT {_unknown('c.office')} AS office, "
           f"{_unknown('c.status')} AS status, {_unknown('c.rechtskreis')} AS rk, "
           f"{_unknown('p.nationality')} AS country, {_unknown('p.sex')} AS sex, p.birth_date AS b "
           + _CASES_IN + ")) GROUP BY 1, 2, 3, 4, 5, 6, 7")
    for office, status, rk, country, sex, group, birth, n in conn.execute(
            sql, {**_age_cutoffs(period.end), **_period(period)}):
        counts[(office, status, rk, country, sex, group or age_group(birth, period.end))] += n
    return counts


def client_tables(counts: Counter, by: tuple[str, ...] = (), suppress: bool = True) -> dict[str, Table]:
    """The client tables from `client_counts`: one per dimension, or the one crossed `by`."""
    def margin(dims: tuple[str, ...]) -> Counter:
        index = [DIMENSIONS.index(d) for d in dims]
        out: Counter = Counter()
        for key, n in counts.items():
            out[tuple(key[i] for i in index)] += n
        return out

    if not by:
        tables = {}
        for d in DIMENSIONS:
            one = {k[0]: n for k, n in margin((d,)).items()}
            order = [g for g in AGE_GROUPS if g in one] if d == "age_group" else None
            tables[f"clients_by_{d}"] = series(one, order, suppress)
        return tables
    if len(by) == 1:
        return {f"clients_by_{by[0]}": series({k[0]: n for k, n in margin(by).items()}, None, suppress)}
    crossed = {(" / ".join(k[:-1]), k[-1]): n for k, n in margin(by).items()}
    return {"clients_by_" + "_".join(by): table(crossed, suppress=suppress)}


def _in(column: str) -> str:
    """`column` holds a day of the period (`Period.has`)."""
    return f"substr({column}, 1, 10) BETWEEN :start AND :end"


def _period(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def measure_tables(conn, period: Period, suppress: bool = True) -> dict[str, Table]:
    """Measures by catalogue entry: proposed, waiting, started, completed, and the waiting times of those
    started in the period, counted by SQLite in one pass (grouped by entry and days waited)."""
    counts: Counter = Counter()
    waits: dict[str, Counter] = {}
    started = "status IN ('started', 'interrupted', 'completed') AND " + _in("start_date")
    since = "coalesce(nullif(registered_on, ''), proposed_on)"
    for cat, days, proposed, waiting, begun, completed in conn.execute(
            f"SELECT {_unknown('catalogue_id')}, CASE WHEN {started} AND nullif({since}, '') <= start_date "
            f"THEN CAST(julianday(substr(start_date, 1, 10)) - julianday(substr({since}, 1, 10)) AS INTEGER) END, "
            f"sum({_in('proposed_on')}), sum(status IN ('registered', 'waiting')), sum({started}), "
            f"sum(status = 'completed' AND {_in('end_date')}) FROM measure WHERE coalesce(deleted, 0) = 0 "
            "GROUP BY 1, 2", _period(period)):
        for col, n in zip(MEASURE_COLUMNS, (proposed, waiting, begun, completed), strict=True):
            if n:
                counts[(cat, col)] += n
        if days is not None:
            waits.setdefault(cat, Counter())[days] += begun
    out = {"measures": table(dict(counts), cols=list(MEASURE_COLUMNS), suppress=suppress)}
    wait_rows = {}
    for cat, by_days in sorted(waits.items()):
        values = sorted(by_days.elements())
        shown = not suppress or len(values) >= THRESHOLD
        wait_rows[cat] = {"n": len(values) if shown else "< 5",
                          "median_days": round(pystats.median(values)) if shown else None,
                          "mean_days": round(pystats.mean(values)) if shown else None}
    out["waiting_times"] = wait_rows  # type: ignore[assignment]
    return out


def monthly_transitions(conn, period: Period, suppress: bool = True) -> Table:
    counts: Counter = Counter()
    for month, kind, n in conn.execute(
            "SELECT substr(date, 1, 7), kind, count(*) FROM event WHERE coalesce(deleted, 0) = 0 "
            f"AND kind IN ('work_start', 'training_start') AND {_in('date')} GROUP BY 1, 2", _period(period)):
        counts[(month, kind)] += n
    for month, n in conn.execute(
            'SELECT substr(e.date, 1, 7), count(*) FROM event e JOIN "case" c ON c.id = e.case_id '
            "WHERE coalesce(e.deleted, 0) = 0 AND e.kind = 'rechtskreis' AND c.rechtskreis = 'SGB II' "
            f"AND {_in('e.date')} GROUP BY 1", _period(period)):
        counts[(month, "sgb2")] += n
    for month, n in conn.execute(
            "SELECT substr(outcome_on, 1, 7), count(*) FROM placement WHERE coalesce(deleted, 0) = 0 "
            f"AND status = 'started' AND {_in('outcome_on')} GROUP BY 1", _period(period)):
        counts[(month, "placement_started")] += n
    return table(dict(counts), period.months(), list(TRANSITION_COLUMNS), suppress)


def monthly_new_clients(conn, period: Period, suppress: bool = True) -> Table:
    counts = dict(conn.execute(
        'SELECT substr(c.opened, 1, 7), count(*) FROM "case" c JOIN person p ON p.id = c.person_id '
        "WHERE coalesce(c.deleted, 0) = 0 AND p.merged_into IS NULL AND coalesce(p.deleted, 0) = 0 "
        f"AND {_in('c.opened')} GROUP BY 1", _period(period)).fetchall())
    return series(counts, period.months(), suppress)


def employer_tables(conn, period: Period, suppress: bool = True) -> dict[str, Table]:
    offers = Counter((kind or "?", status or "open") for kind, status in conn.execute(
        "SELECT kind, status FROM offer WHERE coalesce(deleted, 0) = 0"))
    placements: Counter = Counter()
    for kind, status, proposed, sent, outcome_on in conn.execute(
            "SELECT o.kind, p.status, p.proposed_on, p.sent_on, p.outcome_on FROM placement p "
            "LEFT JOIN offer o ON o.id = p.offer_id WHERE coalesce(p.deleted, 0) = 0"):
        kind = kind or "?"
        if period.has(proposed):
            placements[(kind, "proposed")] += 1
        if period.has(sent):
            placements[(kind, "sent")] += 1
        if status in ("invited", "hired", "rejected", "started") and period.has(outcome_on):
            placements[(kind, status)] += 1
    kinds = [k for k in OFFER_KINDS if any(k == x for x, _s in offers) or any(k == x for x, _s in placements)]
    return {"offers": table(dict(offers), kinds or list(OFFER_KINDS), list(OFFER_STATUSES), suppress),
            "placements": table(dict(placements), kinds or list(OFFER_KINDS), list(PLACEMENT_OUTCOMES), suppress)}


def figures(conn, period: Period, by: tuple[str, ...] = (), suppress: bool = True) -> dict:
    """Every steering table for the period (JSON-ready through `as_json`)."""
    bad = [d for d in by if d not in DIMENSIONS]
    if bad:
        raise ValueError(_("unknown breakdown {names} (one of {known})").format(
            names=", ".join(bad), known=", ".join(DIMENSIONS)))
    tables: dict = client_tables(client_counts(conn, period), by, suppress)
    measures = measure_tables(conn, period, suppress)
    tables["measures"] = measures["measures"]
    tables["transitions_by_month"] = monthly_transitions(conn, period, suppress)
    tables["new_clients_by_month"] = monthly_new_clients(conn, period, suppress)
    tables.update(employer_tables(conn, period, suppress))
    return {"period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
            "suppressed": suppress, "threshold": THRESHOLD, "tables": tables,
            "waiting_times": measures["waiting_times"]}


def as_json(fig: dict) -> dict:
    return {**fig, "tables": {k: t.to_dict() for k, t in fig["tables"].items()}}


def drill_down(conn, period: Period, dimension: str, value: str, may_see_cases: bool) -> list[str]:
    """The case ids behind one count of clients (e.g. office BEE), only for a caller that may see cases."""
    if not may_see_cases:
        raise DrillDownRefused(_("Your role may not see the cases behind a figure."))
    if dimension not in DIMENSIONS:
        raise ValueError(dimension)
    return [r["case_id"] for r in clients(conn, period) if str(r[dimension]) == value]


def suppress_legacy(stats: dict) -> dict:
    """app.statistics' counts (the `sprechstunde stats --json` fields of old) with the same suppression."""
    from .suppression import HIDDEN, small, suppress_counts

    out = dict(stats)
    for key in ("open_cases_by_office", "cases_by_status", "open_cases_by_rechtskreis", "open_cases_by_nationality",
                "transitions"):
        out[key] = suppress_counts(stats[key])
    grid = table({(cat, st): n for cat, by in stats["measures"].items() for st, n in by.items()})
    out["measures"] = {cat: {st: grid.cell(cat, st) for st in by} for cat, by in stats["measures"].items()}
    for key in ("cases_total", "measures_started", "measures_waiting"):
        out[key] = HIDDEN if small(stats[key]) else stats[key]
    return out
