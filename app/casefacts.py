"""The facts the rules look at, gathered for one case or for all cases in a few bulk queries.

One implementation serves both: `gather(conn, case_id)` for a case view and
`gather(conn)` for the "due soon" list across every case (a handful of
SELECTs instead of several per case). The names of the facts are documented
in docs/rules.md. Ordering follows the services: latest completed response by
date; consent and measure entries by date, then by the order in which they
were recorded (the stamp of a field that never changes).
"""

from __future__ import annotations

import json
from collections import defaultdict

INTAKE_FACTS = ("entry_date", "residence_status", "asylum_application_date", "decision_date",
                "country_of_origin", "accommodation")
WORK_FORMS = ("profiling_u25", "profiling_ue25")
SOCIAL_FORM = "profiling_social"
_LIVE = "coalesce({t}.deleted, 0) = 0"


def _rows(conn, sql: str, case_id: str | None, column: str):
    if case_id is not None:
        sql += f" AND {column} = ?"
        return conn.execute(sql, (case_id,)).fetchall()
    return conn.execute(sql).fetchall()


def gather(conn, case_id: str | None = None) -> dict[str, dict]:
    """{case id: facts} for one case or all not deleted cases."""
    facts: dict[str, dict] = {}
    for cid, rk, status, office, opened, birth in _rows(conn, (
            'SELECT c.id, c.rechtskreis, c.status, c.office, c.opened, p.birth_date FROM "case" c '
            "LEFT JOIN person p ON p.id = c.person_id WHERE " + _LIVE.format(t="c")), case_id, "c.id"):
        facts[cid] = {"rechtskreis": rk, "status": status, "office": office, "case_opened": opened,
                      "birth_date": birth}
    # questionnaires: the latest completed intake gives its answers; profilings give their dates
    latest_intake: dict[str, tuple] = {}
    for rid, cid, form_id, date in _rows(conn, (
            "SELECT r.id, r.case_id, r.form_id, r.date FROM form_response r WHERE r.completed = 1 AND "
            + _LIVE.format(t="r")), case_id, "r.case_id"):
        f = facts.get(cid)
        if f is None:
            continue
        if form_id == "intake":
            if (date or "", rid) > latest_intake.get(cid, ("", "")):
                latest_intake[cid] = (date or "", rid)
        elif form_id == SOCIAL_FORM or form_id in WORK_FORMS:
            name = "profiling_social_date" if form_id == SOCIAL_FORM else "profiling_work_date"
            if date and date > (f.get(name) or ""):
                f[name] = date
    wanted = {rid: cid for cid, (_d, rid) in latest_intake.items()}
    if wanted:
        marks = ",".join("?" * len(INTAKE_FACTS))
        for rid, key, value in conn.execute(
                f"SELECT a.response_id, a.key, a.value FROM answer a JOIN form_response r ON r.id = a.response_id "
                f"WHERE r.form_id = 'intake' AND a.key IN ({marks})" + (" AND r.case_id = ?" if case_id else ""),
                (*INTAKE_FACTS, *((case_id,) if case_id else ()))):
            if rid in wanted and value is not None:
                facts[wanted[rid]][key] = json.loads(value)
    # consent: the latest decision per agency and provider
    current: dict[tuple, tuple] = {}
    for cid, agency, provider, state, date, stamp in _rows(conn, (
            "SELECT x.case_id, x.agency, x.provider_name, x.state, x.date, fs.hlc FROM consent x "
            "LEFT JOIN field_state fs ON fs.entity_id = x.id AND fs.field = 'state' WHERE " + _LIVE.format(t="x")),
            case_id, "x.case_id"):
        key = (cid, agency, provider)
        if (date or "", stamp or "") >= current.get(key, ("", "", None))[:2]:
            current[key] = (date or "", stamp or "", state)
    for (cid, agency, _p), (date, _s, state) in current.items():
        if state == "given" and cid in facts:
            facts[cid][f"consent_{agency}"] = date
    # measures: the latest not cancelled entry per catalogue id wins
    measures = _rows(conn, (
        "SELECT m.case_id, m.catalogue_id, m.status, m.proposed_on, m.registered_on, m.start_date, m.end_date, "
        "fs.hlc FROM measure m LEFT JOIN field_state fs ON fs.entity_id = m.id AND fs.field = 'catalogue_id' "
        "WHERE " + _LIVE.format(t="m")), case_id, "m.case_id")
    for cid, cat, status, proposed, registered, start, end, _stamp in sorted(
            measures, key=lambda r: (r[3] or "", r[7] or "")):
        if status == "cancelled" or cid not in facts:
            continue
        f = facts[cid]
        f[f"measure_{cat}_status"] = status
        for name, v in (("proposed_on", proposed), ("registered_on", registered), ("start_date", start),
                        ("end_date", end)):
            f[f"measure_{cat}_{name}"] = v
    # seat offers the client has not answered yet (app.allocation): the earliest deadline
    for cid, hold in _rows(conn, ("SELECT o.case_id, o.hold_until FROM seat_offer o WHERE o.state = 'offered'"
                                  " AND o.accepted_on IS NULL AND o.declined_on IS NULL AND " + _LIVE.format(t="o")),
                           case_id, "o.case_id"):
        if cid in facts and hold and hold < (facts[cid].get("seat_offer_hold_until") or "9999"):
            facts[cid]["seat_offer_hold_until"] = hold
    # flags: set and not cleared since
    flags: dict[str, dict[str, bool]] = defaultdict(dict)
    events = _rows(conn, (
        "SELECT e.case_id, e.kind, e.flag, e.date, fs.hlc FROM event e "
        "LEFT JOIN field_state fs ON fs.entity_id = e.id AND fs.field = 'kind' "
        "WHERE e.kind IN ('flag', 'flag_cleared') AND " + _LIVE.format(t="e")), case_id, "e.case_id")
    for cid, kind, flag, _date, _stamp in sorted(events, key=lambda r: (r[3] or "", r[4] or "")):
        flags[cid][flag] = kind == "flag"
    for cid, state in flags.items():
        if cid in facts:
            facts[cid]["flags"] = sorted(f for f, on in state.items() if on)
    return {cid: {k: v for k, v in f.items() if v not in (None, "", [])} for cid, f in facts.items()}


def case_labels(conn) -> dict[str, tuple[str, str, str]]:
    """{case id: (case number, household id, "Given Family")} for every not deleted case."""
    out = {}
    for cid, number, hh, given, family in conn.execute(
            'SELECT c.id, c.case_number, c.household_id, p.given_names, p.family_name FROM "case" c '
            "LEFT JOIN person p ON p.id = c.person_id WHERE " + _LIVE.format(t="c")):
        out[cid] = (number or "", hh or "", " ".join(x for x in (given, family) if x))
    return out
