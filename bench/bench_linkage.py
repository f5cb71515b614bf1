"""Benchmark of duplicate-person linkage: quality on generated labels, time, CPU, candidates, memory.

    .venv/bin/python bench/bench_linkage.py [--sizes 5000,20000,50000] [--method new|old|both]
                                            [--threshold 0.8] [--store 20000]

Persons come from tests/linkage_set.py (synthetic registrations as 13 field offices make
them, labelled with the true person). For each size and method it runs in a fresh
subprocess (so peak memory is that run's) and prints precision, recall and F1 of the pairs
at the threshold, wall and CPU seconds, the number of candidate pairs scored and the peak
resident memory. `old` is the skeleton-and-birth-year rule that `sprechstunde duplicates`
used before app/linkage (kept here, copied, as the baseline); `new` is app.linkage.
`--store N` also times the whole entry point on a real SQLCipher store of N persons
(`app.duplicates.find_duplicates(repo)`: reading the rows included). Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class _Rows:
    """The one method of a repository that the old search used: find('person')."""

    def __init__(self, persons):
        self.persons = persons

    def find(self, entity):
        assert entity == "person"
        return self.persons


def run_one(method: str, size: int, threshold: float) -> dict:
    from tests.linkage_set import evaluate, generate

    persons, truth = generate(size)
    t0, c0 = time.perf_counter(), time.process_time()
    if method == "old":
        from bench import linkage_baseline as old

        found, candidates = old.find_duplicates(_Rows(persons), threshold=threshold)
        pairs = [(c.person_id, c.other_id) for c in found]
    else:
        from app.linkage import link

        result = link(persons, threshold=threshold, keep_pairs=True)
        pairs = [(c.person_id, c.other_id) for c in result.candidates]
        candidates = result.compared
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = evaluate(pairs, truth)
    true_found = out["tp"]
    out.update(method=method, persons=len(persons), threshold=threshold, wall_s=round(wall, 2),
               cpu_s=round(cpu, 2), candidates=candidates,
               candidates_true_share=round(true_found / candidates, 4) if candidates else 0,
               peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    if method == "new":
        from tests.linkage_set import true_pairs

        covered = len(true_pairs(truth) & result.blocked_pairs) if result.blocked_pairs is not None else None
        out["blocking_recall"] = round(covered / out["true"], 4) if covered is not None else None
    return out


def run_store(size: int, threshold: float) -> dict:
    """The entry point on a real encrypted store: import the rows, then time find_duplicates(repo)."""
    import app.keyring
    from app.duplicates import find_duplicates
    from app.repository import Repository
    from app.store import Store
    from tests.linkage_set import evaluate, generate

    app.keyring.default_kdf = lambda: dict(app.keyring.LOW)
    persons, truth = generate(size)
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = Store.create(Path(tmp) / "s", "bench-bench-bench", login="bench")
        repo = Repository(store)
        with repo.transaction():
            households = {}
            for p in persons:
                if p["household_id"] not in households:
                    households[p["household_id"]] = repo.save("household", {"office": p["office"]})
                row = {k: v for k, v in p.items() if k not in ("id", "office", "household_id") and v is not None}
                row["household_id"] = households[p["household_id"]]
                repo.save("person", row, p["id"])
        t0, c0 = time.perf_counter(), time.process_time()
        found = find_duplicates(repo, threshold=threshold)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        store.close()
    out = evaluate([(c.person_id, c.other_id) for c in found], truth)
    out.update(method="store", persons=size, wall_s=round(wall, 2), cpu_s=round(cpu, 2),
               peak_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5000,20000,50000")
    ap.add_argument("--method", default="new", choices=("new", "old", "both"))
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--store", type=int, default=0, metavar="N")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # method:size, in the subprocess
    args = ap.parse_args(argv)
    if args.one:
        method, size = args.one.split(":")
        if method == "store":
            print(json.dumps(run_store(int(size), args.threshold)))
        else:
            print(json.dumps(run_one(method, int(size), args.threshold)))
        return 0
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    methods = ("old", "new") if args.method == "both" else (args.method,)
    jobs = [(m, int(s)) for s in args.sizes.split(",") for m in methods]
    if args.store:
        jobs.append(("store", args.store))
    for method, size in jobs:
        r = subprocess.run([sys.executable, __file__, "--one", f"{method}:{size}", "--threshold", str(args.threshold)],
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            return 1
        d = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"{d['method']:5} {d['persons']:>6} persons  P {d['precision']:.3f}  R {d['recall']:.3f}  "
              f"F1 {d['f1']:.3f}  ({d['tp']}/{d['true']} true pairs, {d['found']} proposed)  "
              f"wall {d['wall_s']} s  CPU {d['cpu_s']} s  candidates {d.get('candidates', '-')}"
              f"{'  blocking recall ' + str(d['blocking_recall']) if d.get('blocking_recall') is not None else ''}"
              f"  peak {d['peak_mb']} MB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
