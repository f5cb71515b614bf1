"""The facts the rules look at, gathered for one case or for all cases in a few bulk queries.

One implementation serves every caller: `gather(conn, case_id)` for a case view,
`gather(conn)` for every not deleted case, and `due_facts(conn, office, households)`
for the "due soon" list: only open cases, with their labels, optionally only those
of some households (the count after a save recounts only what it touched). The
names of the facts are documented in docs/rules.md. Ordering follows the
services: latest completed response by date; consent and measure entries by date,
then by the order in which they were recorded (the stamp of a field that never
changes). Stamps are read only where two entries share a date, so the bulk
queries do not look up two million field stamps.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

INTAKE_FACTS = ("entry_date", "residence_status", "asylum_application_date", "decision_date",
                "country_of_origin", "accommodation")
WORK_FORMS = ("profiling_u25", "profiling_ue25")
SOCIAL_FORM = "profiling_social"
_MEASURE_FACTS = ("status", "proposed_on", "registered_on", "start_date", "end_date")
_LIVE = "coalesce({t}.deleted, 0) = 0"
_CHUNK = 500  # ids per `IN (...)`, well below SQLite's limit of bound parameters
_FEW = 2000  # `gather` of every case: up to this many read by id, more by one scan of each table
_CASES = ('SELECT c.id, c.rechtskreis, c.status, c.office, c.opened, p.birth_date, c.case_number, '
          'c.household_id, p.given_names, p.family_name FROM "case" c '
          "LEFT JOIN person p ON p.id = c.person_id WHERE " + _LIVE.format(t="c"))


def _chunks(ids: list[str]):
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def _rows(conn, sql: str, ids: list[str] | None, column: str, params: tuple = ()) -> list:
    """`sql` over the whole table (ids None) or for the rows whose `column` is one of `ids`."""
    if ids is None:
        return conn.execute(sql, params).fetchall()
    out: list = []
    for part in _chunks(ids):
        out.extend(conn.execute(sql + f" AND {column} IN ({','.join('?' * len(part))})", (*params, *part)).fetchall())
    return out


def _stamps(conn, field: str, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in _chunks(ids):
        out.update(conn.execute(f"SELECT entity_id, hlc FROM field_state WHERE field = ? AND entity_id IN "
                                f"({','.join('?' * len(part))})", (field, *part)).fetchall())
    return out


def _tied_stamps(conn, rows: list, field: str, group) -> dict[str, str]:
    """Stamps (of `field`) of the rows (id first) that share their group (key and date) with another row:
    only there does the order of recording decide."""
    keys = [group(r) for r in rows]
    counts = Counter(keys)
    if len(counts) == len(keys):
        return {}
    return _stamps(conn, field, [r[0] for r, k in zip(rows, keys, strict=True) if counts[k] > 1])


def _decoder():
    """json.loads with the scalar results remembered: the same codes and dates recur across cases."""
    known: dict[str, object] = {}

    def decode(text: str):
        if text in known:
            return known[text]
        value = json.loads(text)
        if isinstance(value, (str, int, float, bool)) or value is None:
            known[text] = value
        return value
    return decode


def gather(conn, case_id: str | None = None) -> dict[str, dict]:
    """{case id: facts} for one case or all not deleted cases."""
    if case_id is None:
        rows = conn.execute(_CASES).fetchall()
    else:
        rows = conn.execute(_CASES + " AND c.id = ?", (case_id,)).fetchall()
    return _gather(conn, rows, by_id=case_id is not None or len(rows) <= _FEW)[0]


def due_facts(conn, office: str | None = None, households=None) -> tuple[dict[str, dict], dict[str, tuple]]:
    """({case id: facts}, {case id: (case number, household id, name)}) of the open (not closed, not
    deleted) cases, of one office if given, of the given households only if given."""
    sql, params = _CASES + " AND coalesce(c.status, '') != 'closed'", []
    if office:
        sql += " AND c.office = ?"
        params.append(office)
    rows = _rows(conn, sql, None if households is None else sorted(households), "c.household_id", tuple(params))
    return _gather(conn, rows, by_id=True)


def _gather(conn, case_rows: list, by_id: bool) -> tuple[dict[str, dict], dict[str, tuple]]:
    facts: dict[str, dict] = {}
    labels: dict[str, tuple[str, str, str]] = {}
    for cid, rk, status, office, opened, birth, number, hh, given, family in case_rows:
        facts[cid] = {"rechtskreis": rk, "status": status, "office": office, "case_opened": opened,
                      "birth_date": birth}
        labels[cid] = (number or "", hh or "", " ".join(x for x in (given, family) if x))
    # by_id: the rows of these cases are read through the index on case_id; else by one scan of each table
    ids = list(facts) if by_id else None
    if ids == []:
        return {}, {}
    # questionnaires: the latest completed intake gives its answers; profilings give their dates
    latest_intake: dict[str, tuple] = {}
    for rid, cid, form_id, date in _rows(conn, (
            "SELECT r.id, r.case_id, r.form_id, r.date FROM form_response r WHERE r.completed = 1 AND "
            + _LIVE.format(t="r")), ids, "r.case_id"):
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
        decode = _decoder()
        marks = ",".join("?" * len(INTAKE_FACTS))
        answers = _rows(conn, f"SELECT a.response_id, a.key, a.value FROM answer a WHERE a.key IN ({marks})",
                        None if ids is None else list(wanted), "a.response_id", INTAKE_FACTS)
        for rid, key, value in answers:
            if rid in wanted and value is not None:
                facts[wanted[rid]][key] = decode(value)
    # consent: the latest decision per agency and provider
    consents = [r for r in _rows(conn, (
        "SELECT x.id, x.case_id, x.agency, x.provider_name, x.state, x.date FROM consent x WHERE "
        + _LIVE.format(t="x")), ids, "x.case_id") if ids is not None or r[1] in facts]
    stamps = _tied_stamps(conn, consents, "state", lambda r: (r[1], r[2], r[3], r[5] or ""))
    current: dict[tuple, tuple] = {}
    for xid, cid, agency, provider, state, date in consents:
        key = (cid, agency, provider)
        if (date or "", stamps.get(xid) or "") >= current.get(key, ("", "", None))[:2]:
            current[key] = (date or "", stamps.get(xid) or "", state)
    for (cid, agency, _p), (date, _s, state) in current.items():
        if state == "given":
            facts[cid][f"consent_{agency}"] = date
    # measures: the latest not cancelled entry per catalogue id wins
    measures = [r for r in _rows(conn, (
        "SELECT m.id, m.case_id, m.catalogue_id, m.status, m.proposed_on, m.registered_on, m.start_date, "
        "m.end_date FROM measure m WHERE " + _LIVE.format(t="m")), ids, "m.case_id") if ids is not None or r[1] in facts]
    stamps = _tied_stamps(conn, measures, "catalogue_id", lambda r: (r[1], r[2], r[4] or ""))
    names: dict[str, tuple[str, ...]] = {}  # the fact names of a catalogue id, made once
    for _mid, cid, cat, status, proposed, registered, start, end in sorted(
            measures, key=lambda r: (r[4] or "", stamps.get(r[0]) or "")):
        if status == "cancelled":
            continue
        n = names.get(cat)
        if n is None:
            n = names[cat] = tuple(f"measure_{cat}_{x}" for x in _MEASURE_FACTS)
        f = facts[cid]
        f[n[0]], f[n[1]], f[n[2]], f[n[3]], f[n[4]] = status, proposed, registered, start, end
    # seat offers the client has not answered yet (app.allocation): the earliest deadline
    for cid, hold in _rows(conn, ("SELECT o.case_id, o.hold_until FROM seat_offer o WHERE o.state = 'offered'"
                                  " AND o.accepted_on IS NULL AND o.declined_on IS NULL AND " + _LIVE.format(t="o")),
                           ids, "o.case_id"):
        if cid in facts and hold and hold < (facts[cid].get("seat_offer_hold_until") or "9999"):
            facts[cid]["seat_offer_hold_until"] = hold
    # flags: set and not cleared since
    flags: dict[str, dict[str, bool]] = defaultdict(dict)
    events = [r for r in _rows(conn, (
        "SELECT e.id, e.case_id, e.kind, e.flag, e.date FROM event e "
        "WHERE e.kind IN ('flag', 'flag_cleared') AND " + _LIVE.format(t="e")), ids, "e.case_id")
              if ids is not None or r[1] in facts]
    stamps = _tied_stamps(conn, events, "kind", lambda r: (r[1], r[3], r[4] or ""))
    for _eid, cid, kind, flag, _date in sorted(events, key=lambda r: (r[4] or "", stamps.get(r[0]) or "")):
        flags[cid][flag] = kind == "flag"
    for cid, state in flags.items():
        facts[cid]["flags"] = sorted(f for f, on in state.items() if on)
    return {cid: {k: v for k, v in f.items() if v is not None and v != "" and v != []}
            for cid, f in facts.items()}, labels


def case_labels(conn) -> dict[str, tuple[str, str, str]]:
    """{case id: (case number, household id, "Given Family")} for every not deleted case."""
    out = {}
    for cid, number, hh, given, family in conn.execute(
            'SELECT c.id, c.case_number, c.household_id, p.given_names, p.family_name FROM "case" c '
            "LEFT JOIN person p ON p.id = c.person_id WHERE " + _LIVE.format(t="c")):
        out[cid] = (number or "", hh or "", " ".join(x for x in (given, family) if x))
    return out
