"""Benchmark: the "due soon" list across all cases of a realistic store.

    .venv/bin/python bench/bench_due.py [--households 2000] [--repeat 3]

Builds a real SQLCipher store from the demo generator (app.demo), then gives
every case an intake survey, a consent declaration, two measures and a flag on
every tenth case, and times CaseWork.due_list (median of --repeat runs after a
warm-up). Target: well under 5 s for 10,000 cases, since the list is rebuilt
when staff open the page.
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
    args = ap.parse_args()
    from app import demo, interchange
    from app.casework import CaseWork
    from app.repository import Repository
    from app.store import Store

    store, _ = Store.create(Path(tempfile.mkdtemp()) / "store", "bench-passphrase")
    t = time.perf_counter()
    interchange.import_document(store, demo.generate(households=args.households))
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
    today = dt.date(2017, 9, 1)
    cw.due_list(today)  # warm-up
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        items = cw.due_list(today)
        times.append(time.perf_counter() - t)
    print(f"due_list: {len(items)} items, median {statistics.median(times):.2f} s "
          f"({1000 * statistics.median(times) / len(cases):.2f} ms per case)")
    store.close()


if __name__ == "__main__":
    main()
