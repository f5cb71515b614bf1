"""Counts for steering at the central office: clients by office, status, Rechtskreis, country;
measures started and waiting; transitions into work or training.

Everything is counted from the current state of the store (at the hub or the
central office's laptop that state is every office's). Merged-away and
deleted records are not counted; cases purged for retention or on request
count through their anonymised remainder (`anonymised_case`, app.retention)
in the totals and by status, office and basis. Transitions are chronicle events of the kinds
`work_start` and `training_start`, counted per year.
"""

from __future__ import annotations

from collections import Counter

_ACTIVE_CASE = """
FROM "case" c JOIN person p ON p.id = c.person_id
WHERE coalesce(c.deleted, 0) = 0 AND coalesce(p.deleted, 0) = 0 AND p.merged_into IS NULL
"""
TRANSITION_KINDS = ("work_start", "training_start")


def _margin(cases: Counter, index: int, open_only: bool = False) -> dict:
    """Cases by one of their values (None as "?"), the open ones only if `open_only`; in SQLite's order."""
    out: Counter = Counter()
    for key, n in cases.items():
        if not open_only or key[4]:
            out[key[index]] += n
    return {("?" if k is None else k): out[k] for k in sorted(out, key=lambda k: (k is not None, k or ""))}


def statistics(conn, year: str | None = None) -> dict:
    """A nested dict of counts (JSON-ready)."""
    out: dict = {}
    cases: Counter = Counter()  # (office, status, Rechtskreis, nationality, open): cases, in one pass
    for office, status, rk, nationality, is_open, n in conn.execute(
            "SELECT c.office, c.status, c.rechtskreis, p.nationality, coalesce(c.status, '') != 'closed', count(*) "
            + _ACTIVE_CASE + " GROUP BY 1, 2, 3, 4, 5"):
        cases[(office, status, rk, nationality, bool(is_open))] += n
    out["cases_total"] = sum(cases.values())
    out["open_cases_by_office"] = _margin(cases, 0, open_only=True)
    out["cases_by_status"] = _margin(cases, 1)
    out["open_cases_by_rechtskreis"] = _margin(cases, 2, open_only=True)
    out["open_cases_by_nationality"] = _margin(cases, 3, open_only=True)
    _add_anonymised(conn, out)
    measures: dict[str, Counter] = {}
    for cat, status, n in conn.execute(
        "SELECT catalogue_id, status, count(*) FROM measure WHERE coalesce(deleted, 0) = 0 GROUP BY 1, 2"
    ):
        measures.setdefault(cat or "?", Counter())[status or "?"] += n
    out["measures"] = {k: dict(v) for k, v in sorted(measures.items())}
    out["measures_started"] = sum(v.get("started", 0) for v in measures.values())
    out["measures_waiting"] = sum(v.get("waiting", 0) + v.get("registered", 0) for v in measures.values())
    params: list = list(TRANSITION_KINDS)
    where = ""
    if year:
        where = " AND substr(date, 1, 4) = ?"
        params.append(year)
    kinds = ",".join("?" * len(TRANSITION_KINDS))
    out["transitions"] = dict(conn.execute(
        f"SELECT kind, count(*) FROM event WHERE coalesce(deleted, 0) = 0 AND kind IN ({kinds}){where}"
        " GROUP BY kind", params).fetchall())
    return out


def _add_anonymised(conn, out: dict) -> None:
    """Cases deleted under the retention rules or on request still count, by what their remainder kept."""
    rows = conn.execute("SELECT office, status, basis FROM anonymised_case WHERE coalesce(deleted, 0) = 0").fetchall()
    out["cases_total"] += len(rows)
    for _office, status, _basis in rows:
        key = status if status is not None else "?"
        out["cases_by_status"][key] = out["cases_by_status"].get(key, 0) + 1
    out["deleted_cases"] = len(rows)
    out["deleted_cases_by_basis"] = dict(Counter(b or "?" for _o, _s, b in rows))
    out["deleted_cases_by_office"] = dict(Counter(o or "?" for o, _s, _b in rows))
