"""Benchmark: the "due soon" list across all cases of a realistic store.

    .venv/bin/python bench/bench_due.py [--households 2000] [--repeat 3] [--store DIR] [--profile]

Builds a real SQLCipher store from the demo generator (app.demo), then gives
every case an intake survey, a consent declaration, two measures and a flag on
every tenth case, and times CaseWork.due_list (median of --repeat runs after a
warm-up). Target (issue 9): at most 1 s for 20,000 cases (`--households 9850`).
`--store DIR` keeps the store built there and reuses it on the next run (the
setup takes minutes); `--profile` prints a cProfile of one run. Then the
navigation's count (Session.due_count): the first count, and the count after a
save in one household (only that household is counted again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INTAKE = {"country_of_origin": "iraq", "interpreter_needed": False, "residence_status": "gestattung",
          "entry_date": "2016-06", "accommodation": "shared", "referred_by": "sozialamt"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--store", type=Path, help="build the store here once and reuse it")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = ap.parse_args()
    from app.casework import CaseWork
    from app.repository import Repository
    from app.store import Store

    path = args.store or Path(tempfile.mkdtemp()) / "store"
    if Store.exists(path):
        store = Store.open(path, "bench-passphrase")
        repo = Repository(store)
        cw = CaseWork(repo)
        print(f"reusing {len(repo.find('case'))} cases in {path}")
    else:
        store, cw = build(path, args.households)
    today = dt.date(2017, 9, 1)
    cw.due_list(today)  # warm-up
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(cw.due_list, today)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
    n_cases = len(cw.repo.find("case"))
    times, cpu = [], []
    for _ in range(args.repeat):
        t, c = time.perf_counter(), time.process_time()
        items = cw.due_list(today)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"due_list: {n_cases} cases, {len(items)} items, median {statistics.median(times):.2f} s "
          f"({1000 * statistics.median(times) / n_cases:.3f} ms per case; runs: "
          + ", ".join(f"{x:.2f}" for x in times) + f"; CPU median {statistics.median(cpu):.2f} s)")
    count_after_a_save(store, cw, today, args.repeat)
    store.close()


def count_after_a_save(store, cw, today: dt.date, repeat: int) -> None:
    """The navigation's count (Session.due_count): the first count, then after one consent is recorded."""
    from app.next_steps import DueCount
    from app.session import Session

    session = Session(store.path)
    session.attach(store)
    counter = DueCount()
    t = time.perf_counter()
    n = session.due_count(counter, today)
    first = time.perf_counter() - t
    case_id = next(i.case_id for i in cw.due_list(today))
    times = []
    for k in range(repeat):
        cw.consent.record(case_id, "JC", "given" if k % 2 == 0 else "withdrawn", "2017-08-01")
        t = time.perf_counter()
        n = session.due_count(counter, today)
        times.append(time.perf_counter() - t)
    assert counter.full_counts == 1 and n == len(cw.due_list(today))
    print(f"due count: first {first:.2f} s ({n} items); after a save in one household median "
          f"{1000 * statistics.median(times):.0f} ms ({counter.counted_households} household counted again)")


def build(path: Path, households: int):
    from app import demo, interchange
    from app.casework import CaseWork
    from app.repository import Repository
    from app.store import Store

    store, _ = Store.create(path, "bench-passphrase")
    t = time.perf_counter()
    interchange.import_document(store, demo.generate(households=households))
    repo = Repository(store)
    cw = CaseWork(repo)
    cases = repo.find("case")
    with repo.transaction():
        for i, case in enumerate(cases):
            c = case["id"]
            cw.save_intake(c, INTAKE, date="2017-06-26")
            cw.consent.record(c, "AA", "given", "2017-06-26")
            cw.measures.add(c, "integrationskurs", status="registered", date="2017-07-06")
            cw.measures.add(c, "fim", status="started", date="2017-07-15")
            if i % 10 == 0:
                cw.chronicle.set_flag(c, "dublin", "2017-09-12")
    print(f"{len(cases)} cases with case work set up in {time.perf_counter() - t:.1f} s")
    return store, cw


if __name__ == "__main__":
    main()
