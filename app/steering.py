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


def clients(conn, period: Period) -> list[dict]:
    """One row per case open in the period, with the values of every dimension."""
    out = []
    for cid, office, status, rk, country, sex, birth in conn.execute(
            'SELECT c.id, c.office, c.status, c.rechtskreis, p.nationality, p.sex, p.birth_date FROM "case" c '
            "JOIN person p ON p.id = c.person_id WHERE coalesce(c.deleted, 0) = 0 AND coalesce(p.deleted, 0) = 0 "
            "AND p.merged_into IS NULL AND (c.opened IS NULL OR c.opened <= ?) AND (c.closed IS NULL OR c.closed >= ?)",
            (period.end.isoformat(), period.start.isoformat())):
        out.append({"case_id": cid, "office": office or "?", "status": status or "?", "rechtskreis": rk or "?",
                    "country": country or "?", "sex": sex or "?", "age_group": age_group(birth, period.end)})
    return out


def _key(row: dict, dims: tuple[str, ...]) -> str:
    return " / ".join(str(row[d]) for d in dims)


def client_tables(rows: list[dict], by: tuple[str, ...] = (), suppress: bool = True) -> dict[str, Table]:
    if not by:
        out = {}
        for d in DIMENSIONS:
            counts = Counter(r[d] for r in rows)
            order = list(AGE_GROUPS) if d == "age_group" else None
            out[f"clients_by_{d}"] = series(dict(counts), [g for g in order if g in counts] if order else None,
                                            suppress)
        return out
    if len(by) == 1:
        return {f"clients_by_{by[0]}": series(dict(Counter(r[by[0]] for r in rows)), None, suppress)}
    rows_dims, col_dim = by[:-1], by[-1]
    counts = Counter((_key(r, rows_dims), str(r[col_dim])) for r in rows)
    return {"clients_by_" + "_".join(by): table(dict(counts), suppress=suppress)}


def measure_tables(conn, period: Period, suppress: bool = True) -> dict[str, Table]:
    counts: Counter = Counter()
    waits: dict[str, list[int]] = {}
    for cat, status, proposed, registered, start, end in conn.execute(
            "SELECT catalogue_id, status, proposed_on, registered_on, start_date, end_date FROM measure "
            "WHERE coalesce(deleted, 0) = 0"):
        cat = cat or "?"
        if period.has(proposed):
            counts[(cat, "proposed")] += 1
        if status in ("registered", "waiting"):
            counts[(cat, "waiting")] += 1
        if status in ("started", "interrupted", "completed") and period.has(start):
            counts[(cat, "started")] += 1
            since = registered or proposed
            if since and start and since <= start:
                waits.setdefault(cat, []).append((dt.date.fromisoformat(start[:10])
                                                  - dt.date.fromisoformat(since[:10])).days)
        if status == "completed" and period.has(end):
            counts[(cat, "completed")] += 1
    out = {"measures": table(dict(counts), cols=list(MEASURE_COLUMNS), suppress=suppress)}
    wait_rows = {}
    for cat, days in sorted(waits.items()):
        shown = not suppress or len(days) >= THRESHOLD
        wait_rows[cat] = {"n": len(days) if shown else "< 5",
                          "median_days": round(pystats.median(days)) if shown else None,
                          "mean_days": round(pystats.mean(days)) if shown else None}
    out["waiting_times"] = wait_rows  # type: ignore[assignment]
    return out


def monthly_transitions(conn, period: Period, suppress: bool = True) -> Table:
    counts: Counter = Counter()
    marks = ",".join("?" * 2)
    for kind, date in conn.execute(
            f"SELECT kind, date FROM event WHERE coalesce(deleted, 0) = 0 AND kind IN ({marks})",
            ("work_start", "training_start")):
        if period.has(date):
            counts[(date[:7], kind)] += 1
    for (date,) in conn.execute(
            'SELECT e.date FROM event e JOIN "case" c ON c.id = e.case_id WHERE coalesce(e.deleted, 0) = 0 '
            "AND e.kind = 'rechtskreis' AND c.rechtskreis = 'SGB II'"):
        if period.has(date):
            counts[(date[:7], "sgb2")] += 1
    for (date,) in conn.execute("SELECT outcome_on FROM placement WHERE coalesce(deleted, 0) = 0 AND status = 'started'"):
        if period.has(date):
            counts[(date[:7], "placement_started")] += 1
    return table(dict(counts), period.months(), list(TRANSITION_COLUMNS), suppress)


def monthly_new_clients(conn, period: Period, suppress: bool = True) -> Table:
    counts: Counter = Counter()
    for (opened,) in conn.execute(
            'SELECT c.opened FROM "case" c JOIN person p ON p.id = c.person_id WHERE coalesce(c.deleted, 0) = 0 '
            "AND p.merged_into IS NULL AND coalesce(p.deleted, 0) = 0"):
        if period.has(opened):
            counts[opened[:7]] += 1
    return series(dict(counts), period.months(), suppress)


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
    rows = clients(conn, period)
    tables: dict = client_tables(rows, by, suppress)
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
