"""Benchmark: waiting-list order and seat allocation at the hub; the planning view over many cases.

    .venv/bin/python bench/bench_courses.py [--people 5000] [--courses 200] [--cases 20000] [--repeat 3]

1. A real SQLCipher store (as the hub keeps it) with `--people` cases on the
   county-wide lists (six lists: integration course A1/A2/B1, literacy,
   DeuFöV B1/B2; obligation, assessment and dates spread) and `--courses`
   courses of 15 seats in the 13 towns, 60 % starting in the next months.
   Timed: the order of every list with its explanations; the first
   allocation run (every free seat offered: thousands of new offers); a run
   a day later after 30 % of the offers were answered (the steady state of
   the hourly run); a run that changes nothing. Target: ≤ 1 s.
2. A store with `--cases` cases (demo generator), a third of them on a list,
   a third with a proposed language measure, a German level from Profiling II
   for half, and 300 courses. Timed: the planning view (app.planning.plan).
   Target: ≤ 1 s.
Medians of --repeat runs after a warm-up where the run does not write.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOWNS = ("AHL", "BEC", "BEE", "DRE", "ENN", "EVE", "OEL", "OST", "SAS", "SEN", "TEL", "WAD", "WAF")
LISTS = (("integrationskurs", "A1"), ("integrationskurs", "A2"), ("integrationskurs", "B1"), ("alphakurs", "alpha"),
         ("deufoev", "B1"), ("deufoev", "B2"))
TODAY = dt.date(2026, 10, 1)


def _median(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _store(cases_wanted: int):
    from app import demo, interchange
    from app.store import Store

    store, _ = Store.create(Path(tempfile.mkdtemp()) / "store", "bench-passphrase")
    store.conn.execute("PRAGMA cache_size = -262144")
    households = max(10, cases_wanted // 2)
    doc = demo.generate(households=households)
    interchange.import_document(store, doc)
    return store


def _courses(svc, n: int, rng: random.Random) -> None:
    pids = [svc.courses.save_provider({"name": f"Träger {i}", "towns": [TOWNS[i % 13]]}) for i in range(7)]
    for i in range(n):
        kind, level = LISTS[i % len(LISTS)]
        start = TODAY + dt.timedelta(days=rng.randint(-60, 150))
        svc.courses.save_course({"provider_id": pids[i % 7], "catalogue_id": kind, "level": level,
                                 "office": TOWNS[i % 13], "start_date": start.isoformat(),
                                 "end_date": (start + dt.timedelta(weeks=30)).isoformat(), "seats": 15,
                                 "childcare": i % 3 == 0})


def bench_allocation(people: int, courses: int, repeat: int) -> None:
    from app.casework import CaseWork
    from app.course_service import CourseService
    from app.repository import Repository

    rng = random.Random(1)
    store = _store(people)
    repo = Repository(store)
    repo.today = TODAY
    svc = CourseService(CaseWork(repo))
    t = time.perf_counter()
    case_ids = [r[0] for r in repo.conn.execute('SELECT id FROM "case" ORDER BY id LIMIT ?', (people,))]
    with repo.transaction():
        _courses(svc, courses, rng)
        for i, cid in enumerate(case_ids):
            kind, level = LISTS[i % len(LISTS)]
            obliged = rng.random() < 0.3
            day = (TODAY - dt.timedelta(days=rng.randint(0, 300))).isoformat()
            svc.waitlist.register(cid, kind, level, date=day, obligated=obliged,
                                  obligated_since=day if obliged else None, level_assessed=rng.random() < 0.5,
                                  childcare_needed=rng.random() < 0.1,
                                  towns=rng.sample(TOWNS, 3) if rng.random() < 0.5 else None)
    print(f"allocation: {len(case_ids)} people on {len(LISTS)} lists, {courses} courses; set up in "
          f"{time.perf_counter() - t:.1f} s")

    def order_all():
        return sum(len(svc.waitlist.positions(k, lv, TODAY)) for k, lv in LISTS)

    svc.waitlist.positions(*LISTS[0], TODAY)
    secs, n = _median(order_all, repeat)
    print(f"  order of every list with explanations ({n} positions): {secs * 1000:.0f} ms")
    t = time.perf_counter()
    first = svc.allocate(TODAY)
    print(f"  first allocation run: {time.perf_counter() - t:.2f} s ({first.to_dict()})")
    offers = [o for o in repo.find("seat_offer") if o["state"] == "offered"]
    with repo.transaction():
        for o in offers[: int(len(offers) * 0.3)]:
            svc.waitlist.answer_offer(o["id"], rng.random() < 0.8, TODAY.isoformat())
    t = time.perf_counter()
    second = svc.allocate(TODAY + dt.timedelta(days=1))
    print(f"  next day, 30 % of the offers answered: {time.perf_counter() - t:.2f} s ({second.to_dict()})")
    day = TODAY + dt.timedelta(days=1)
    svc.allocate(day)
    secs, _r = _median(lambda: svc.allocate(day), repeat)
    print(f"  a run that changes nothing (the hourly run on a quiet day): {secs * 1000:.0f} ms")
    store.close()


def bench_planning(cases: int, repeat: int) -> None:
    from app.casework import CaseWork
    from app.course_service import CourseService
    from app.repository import Repository

    rng = random.Random(2)
    store = _store(cases)
    repo = Repository(store)
    repo.today = TODAY
    svc = CourseService(CaseWork(repo))
    t = time.perf_counter()
    case_rows = repo.conn.execute('SELECT id, household_id FROM "case" ORDER BY id').fetchall()
    with repo.transaction():
        _courses(svc, 300, rng)
        for i, (cid, hh) in enumerate(case_rows):
            if i % 3 == 0:
                kind, level = LISTS[i % len(LISTS)]
                svc.waitlist.register(cid, kind, level, date=(TODAY - dt.timedelta(days=rng.randint(0, 300))).isoformat())
            elif i % 3 == 1:
                repo.save("measure", {"household_id": hh, "case_id": cid, "catalogue_id": "integrationskurs",
                                      "status": "proposed", "proposed_on": "2026-09-01"})
            if i % 2 == 0:
                rid = repo.save("form_response", {"household_id": hh, "case_id": cid, "form_id": "profiling_ue25",
                                                  "form_version": 1, "date": "2026-08-01", "completed": True})
                repo.save("answer", {"household_id": hh, "response_id": rid, "key": "languages",
                                     "value": [{"language": "Arabisch", "level": "native"},
                                               {"language": "Deutsch", "level": rng.choice(("A1", "A2", "B1"))}]})
    n = repo.conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
    print(f"planning: {n} cases set up in {time.perf_counter() - t:.1f} s")
    svc.plan(TODAY)
    secs, rows = _median(lambda: svc.plan(TODAY), repeat)
    print(f"  planning view: {secs * 1000:.0f} ms ({len(rows)} rows)")
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--courses", type=int, default=200)
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    bench_allocation(args.people, args.courses, args.repeat)
    bench_planning(args.cases, args.repeat)


if __name__ == "__main__":
    main()
