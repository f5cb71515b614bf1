"""The planning view for the Bildungsträgerkonferenz: demand against seats per town, course kind and level.

Per town (the case's office for demand, the course's town for seats), kind of
course (catalogue id) and level:

* `waiting`: people on the waiting list without a seat or an open offer: the
  people the waiting list shows (app.waitlist, `waiting_only`). A seat offered
  and not yet answered is held for its person and already off the course's
  free seats (`taken`), so counting the person as waiting too would count
  them twice; declined or expired, they wait again;
* `proposed`: people with a measure of that kind proposed in profiling who
  are not on its list yet (level: their German level from Profiling II);
* `seats`: free seats (seats minus seats given) of courses that start within
  the next `months` months (from `today`, not started yet), `courses` their number;
* `wait_avg` / `wait_max`: days the waiting people have waited so far;
* `gap`: waiting + proposed - seats (more people than seats when positive);
* `seats_nearby`: free seats of the same kind and level in the other towns
  within `reach` minutes by bus and train (app.travel, resources/towns.json),
  so a town without a course of its own shows what its people can reach;
  `gap_nearby`: the gap when those seats are counted too. These seats are also
  the other town's own `seats`: totals never add them up;
* `german_levels`: German levels from Profiling II of the people counted.

`keep(entity, record id, case id)`, when given, says which waiting-list entries, measures and
questionnaires may be counted (app.gated_courses: what the staff member may see of each case);
`left_out`, a list, then receives one item per entry or measure that was not counted.

A few bulk queries, so that 20,000 cases take well under a second
(bench/bench_courses.py). `to_csv` writes the table for a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

from .checks import add_offset, parse_date
from .travel import Towns, default_towns

REACH_MINUTES = 45  # what a course participant is asked to travel, door to door, each way
GERMAN = {"deutsch", "german", "de", "allemand", "немецкий"}
WORK_FORMS = ("profiling_u25", "profiling_ue25")


@dataclass
class PlanRow:
    office: str
    kind: str
    level: str
    waiting: int = 0
    proposed: int = 0
    seats: int = 0
    courses: int = 0
    seats_nearby: int = 0
    wait_days: list[int] = field(default_factory=list)
    german_levels: Counter = field(default_factory=Counter)

    @property
    def wait_avg(self) -> int:
        return round(sum(self.wait_days) / len(self.wait_days)) if self.wait_days else 0

    @property
    def wait_max(self) -> int:
        return max(self.wait_days, default=0)

    @property
    def gap(self) -> int:
        return self.waiting + self.proposed - self.seats

    @property
    def gap_nearby(self) -> int:
        return self.gap - self.seats_nearby

    def to_dict(self) -> dict:
        return {"office": self.office, "kind": self.kind, "level": self.level or None, "waiting": self.waiting,
                "proposed": self.proposed, "seats": self.seats, "courses": self.courses, "wait_avg": self.wait_avg,
                "wait_max": self.wait_max, "gap": self.gap, "seats_nearby": self.seats_nearby,
                "gap_nearby": self.gap_nearby, "german_levels": dict(sorted(self.german_levels.items()))}


Keep = Callable[[str, str, str], bool]


def german_levels(conn, keep: Keep | None = None) -> dict[str, str]:
    """{case id: German level} from each case's latest work profiling (Profiling II) that `keep` allows."""
    latest: dict[str, tuple[str, str]] = {}
    for rid, cid, date in conn.execute(
            "SELECT id, case_id, date FROM form_response WHERE completed = 1 AND coalesce(deleted, 0) = 0"
            f" AND form_id IN ({','.join('?' * len(WORK_FORMS))})", WORK_FORMS):
        if keep is not None and not keep("form_response", rid, cid):
            continue
        if (date or "", rid) > latest.get(cid, ("", "")):
            latest[cid] = (date or "", rid)
    wanted = {rid: cid for cid, (_d, rid) in latest.items()}
    out: dict[str, str] = {}
    for rid, value in conn.execute("SELECT response_id, value FROM answer WHERE key = 'languages'"):
        cid = wanted.get(rid)
        if cid is None or not value:
            continue
        for item in json.loads(value) or []:
            if isinstance(item, dict) and str(item.get("language", "")).strip().lower() in GERMAN:
                out[cid] = str(item.get("level") or "")
    return out


def plan(conn, today: dt.date, months: int = 3, office: str | None = None, kinds: set[str] | None = None,
         language: set[str] | None = None, reach: int = REACH_MINUTES, towns: Towns | None = None,
         keep: Keep | None = None, left_out: list | None = None) -> list[PlanRow]:
    """The table (see the module docstring). `kinds`: which proposed measures count as demand (default: all);
    `language`: kinds whose proposed people are placed by their German level (default: all); `reach`: minutes
    of travel to a course in another town that count as nearby."""
    rows: dict[tuple[str, str, str], PlanRow] = {}

    def row(o: str, k: str, lv: str) -> PlanRow:
        key = (o or "", k or "", lv or "")
        if key not in rows:
            rows[key] = PlanRow(*key)
        return rows[key]

    levels = german_levels(conn, keep)
    case_office = dict(conn.execute('SELECT id, office FROM "case" WHERE coalesce(deleted, 0) = 0'
                                    " AND coalesce(status, '') != 'closed'").fetchall())
    holding = {r[0] for r in conn.execute("SELECT entry_id FROM seat_offer WHERE coalesce(deleted, 0) = 0"
                                          " AND state IN ('offered', 'allocated')")}  # as app.waitlist.live_entries
    listed: set[tuple[str, str]] = set()
    for eid, cid, kind, level, registered in conn.execute(
            "SELECT id, case_id, catalogue_id, coalesce(level, ''), registered_on FROM waitlist_entry"
            " WHERE coalesce(deleted, 0) = 0 AND withdrawn_on IS NULL"):
        if eid in holding or cid not in case_office:
            listed.add((cid, kind))
            continue
        if keep is not None and not keep("waitlist_entry", eid, cid):
            if left_out is not None:
                left_out.append(eid)
            continue
        listed.add((cid, kind))
        r = row(case_office[cid], kind, level)
        r.waiting += 1
        since = parse_date(registered)
        r.wait_days.append(max((today - since).days, 0) if since else 0)
        r.german_levels[levels.get(cid) or "?"] += 1
    for mid, cid, kind in conn.execute("SELECT id, case_id, catalogue_id FROM measure WHERE coalesce(deleted, 0) = 0"
                                       " AND status = 'proposed'"):
        if cid not in case_office or (cid, kind) in listed or (kinds is not None and kind not in kinds):
            continue
        if keep is not None and not keep("measure", mid, cid):
            if left_out is not None:
                left_out.append(mid)
            continue
        listed.add((cid, kind))  # a person proposed twice for one kind counts once
        lv = (levels.get(cid) or "") if language is None or kind in language else ""
        r = row(case_office[cid], kind, lv if lv in ("A1", "A2", "B1", "B2", "C1", "C2") else "")
        r.proposed += 1
        r.german_levels[(levels.get(cid) or "?")] += 1
    until = add_offset(today, {"months": months})
    for c_office, kind, level, start, seats, taken in conn.execute(
            "SELECT office, catalogue_id, coalesce(level, ''), start_date, seats, taken FROM course"
            " WHERE coalesce(deleted, 0) = 0"):
        day = parse_date(start)
        if day is None or not today < day <= until:
            continue
        r = row(c_office, kind, level)
        r.courses += 1
        r.seats += max((seats or 0) - (taken or 0), 0)
    _nearby(list(rows.values()), reach, towns or default_towns())
    out = [r for r in rows.values() if not office or r.office == office]
    return sorted(out, key=lambda r: (r.office, r.kind, r.level))


def _nearby(rows: list[PlanRow], reach: int, towns: Towns) -> None:
    """Fill `seats_nearby`: the free seats of the same kind and level in the other towns within `reach` minutes."""
    offering: dict[tuple[str, str], list[PlanRow]] = defaultdict(list)
    for r in rows:
        if r.seats:
            offering[(r.kind, r.level)].append(r)
    for r in rows:
        for other in offering.get((r.kind, r.level), ()):
            if other.office != r.office:
                minutes = towns.minutes(r.office, other.office)
                if minutes is not None and minutes <= reach:
                    r.seats_nearby += other.seats


def totals(rows: list[PlanRow]) -> dict[str, int]:
    return {k: sum(getattr(r, k) for r in rows) for k in ("waiting", "proposed", "seats", "courses", "gap")}


CSV_COLUMNS = ("office", "kind", "level", "waiting", "proposed", "seats", "courses", "wait_avg", "wait_max", "gap",
               "seats_nearby", "gap_nearby", "german_levels")


def to_csv(rows: list[PlanRow], headers: dict[str, str] | None = None) -> str:
    """The table as CSV (semicolons, as German spreadsheets read it); `headers`: column titles to print."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow([(headers or {}).get(c, c) for c in CSV_COLUMNS])
    for r in rows:
        d = r.to_dict()
        d["german_levels"] = " ".join(f"{k}:{v}" for k, v in d["german_levels"].items())
        w.writerow(["" if d[c] is None else d[c] for c in CSV_COLUMNS])
    return buf.getvalue()


def by_office(rows: list[PlanRow]) -> dict[str, list[PlanRow]]:
    out: dict[str, list[PlanRow]] = defaultdict(list)
    for r in rows:
        out[r.office].append(r)
    return dict(out)
