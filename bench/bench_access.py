"""Benchmark: what the consent check (app.access, app.gated) costs at 20,000 cases, and a deletion order.

    .venv/bin/python bench/bench_access.py [--cases 20000] [--records 16] [--erase 1000] [--repeat 5]

Builds a real SQLCipher store (the shipped Argon2id cost): the demo generator's households,
persons and cases imported through app.interchange (as bench/bench_store.py does), then per
case --records case-work records (chronicle events, an intake and a Profiling I, resource
entries, a measure, a goal) written through the replica core (app.replica.changelog, the
path a sync takes) by staff of the AA, JC, SOZ and KI, and a consent decision of the
client for the Jobcenter (half given, a quarter refused, a quarter withdrawn). So most
cases mix the records of several agencies and the Jobcenter's adviser sees them at `full`
or `own` (docs/data-protection.md). Then, as that adviser (`jc.pap`):

1. unlock -> filled case list (Session.unlock -> Session.case_rows -> CaseIndex.match("")),
   as the GUI does; and the same plus Access.levels() (the level of every case: what the
   due list filters by, and what a list marking the levels would cost).  target <= 1 s
2. opening a case: Session.case_access (decide + one audit entry), decide alone, over
   random cases; and a tab's read through the gate (chronicle events) against the same
   read without it.
3. --erase N: a deletion order for N random cases as a laptop applies it (bench/bench_erase.py:
   verify the signature, purge in one transaction, scrub).

Prints every number; the store is made in a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import interchange  # noqa: E402
from app.access import Access  # noqa: E402
from app.caselist import CaseIndex  # noqa: E402
from app.casework import CaseWork  # noqa: E402
from app.replica.changelog import Change, ChangeLog  # noqa: E402
from app.replica.clock import HybridClock  # noqa: E402
from app.repository import Repository  # noqa: E402
from app.session import Session  # noqa: E402
from app.store import Store  # noqa: E402
from bench.bench_store import doc_with_cases  # noqa: E402

PASSPHRASE = "benchmark-passphrase"
SEED = 4711
AGENCIES = ("AA", "JC", "SOZ", "KI")
VIEWER = "jc.pap"
# per case, the kinds of record and how many of each (scaled to --records)
MIX = (("event", 10), ("form_response", 2), ("resource_entry", 2), ("measure", 1), ("goal", 1))


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _record_values(kind: str, i: int, rng: random.Random) -> dict:
    day = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
    if kind == "event":
        return {"date": day, "kind": "note", "text": f"Vermerk {i}"}
    if kind == "form_response":
        return {"form_id": ("intake", "profiling_social")[i % 2], "form_version": 1, "date": day, "completed": True}
    if kind == "resource_entry":
        return {"quadrant": "persoenlich", "text": f"Ressource {i}", "date": day}
    if kind == "measure":
        return {"catalogue_id": "integrationskurs", "status": "proposed", "proposed_on": day}
    return {"kind": "goal", "text": f"Ziel {i}", "date": day}


def build(path: Path, n_cases: int, per_case: int) -> dict:
    t0 = time.perf_counter()
    store, _recovery = Store.create(path, PASSPHRASE, login="bench", name="Bench")
    interchange.import_document(store, doc_with_cases(n_cases, SEED))
    staff = {a: store.add_member(f"{a.lower()}.pap", PASSPHRASE, f"PAP {a}", a, "pap") for a in AGENCIES}
    t_import = time.perf_counter() - t0
    conn = store.conn
    cases = conn.execute('SELECT id, household_id FROM "case"').fetchall()
    scale = per_case / sum(n for _k, n in MIX)
    mix = [(k, max(1, round(n * scale))) for k, n in MIX]
    rng = random.Random(SEED)
    clock = HybridClock(store.device_id, store.meta("hlc_last"))
    log = ChangeLog(conn)
    batch: list[Change] = []
    n_records = 0

    def flush() -> None:
        conn.execute("BEGIN IMMEDIATE")
        log.append(batch)
        log.make_current(batch)
        store.set_meta("hlc_last", clock.last)
        conn.execute("COMMIT")
        batch.clear()

    t1 = time.perf_counter()
    for case_id, household_id in cases:
        home = rng.choice(AGENCIES)  # most records of a case come from the agency working with the client
        for kind, n in mix:
            for i in range(n):
                agency = home if rng.random() < 0.6 else rng.choice(AGENCIES)
                rid = uuid.uuid4().hex
                stamp = clock.now()
                values = {"household_id": household_id, "case_id": case_id, **_record_values(kind, i, rng)}
                batch += [Change(stamp, kind, rid, f, v, None, clock.device, staff[agency], household_id)
                          for f, v in values.items()]
                n_records += 1
        draw = rng.random()
        if draw < 0.75:
            stamp = clock.now()
            state = "given" if draw < 0.5 else "refused"
            values = {"household_id": household_id, "case_id": case_id, "agency": "JC", "state": state,
                      "date": "2026-03-01", "recorded_by": staff["KI"]}
            cid = uuid.uuid4().hex
            batch += [Change(stamp, "consent", cid, f, v, None, clock.device, staff["KI"], household_id)
                      for f, v in values.items()]
        elif draw < 0.875:  # given, then withdrawn
            for state, date in (("given", "2026-03-01"), ("withdrawn", "2026-06-01")):
                stamp = clock.now()
                values = {"household_id": household_id, "case_id": case_id, "agency": "JC", "state": state,
                          "date": date, "recorded_by": staff["KI"]}
                cid = uuid.uuid4().hex
                batch += [Change(stamp, "consent", cid, f, v, None, clock.device, staff["KI"], household_id)
                          for f, v in values.items()]
        if len(batch) > 50_000:
            flush()
    if batch:
        flush()
    t_records = time.perf_counter() - t1
    changes = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    store.close()
    size = sum(f.stat().st_size for f in path.iterdir())
    print(f"[build] {len(cases)} cases: import + staff {t_import:.1f} s; {n_records:,} records in "
          f"{t_records:.1f} s; {changes:,} change-log rows; {size / 1e6:.0f} MB")
    return {"cases": len(cases), "records": n_records, "changes": changes, "mb": size / 1e6}


def bench_caselist(path: Path, n_cases: int, repeat: int) -> None:
    plain, with_levels = [], []
    for _ in range(repeat):
        session = Session(path)
        t0 = time.perf_counter()
        session.unlock(PASSPHRASE, VIEWER)
        t1 = time.perf_counter()
        rows = session.case_rows()
        shown = CaseIndex(rows).match("")
        t2 = time.perf_counter()
        levels = session.access.levels()
        t3 = time.perf_counter()
        session.lock()
        assert len(shown) == n_cases and len(levels) == n_cases
        plain.append((t2 - t0, t1 - t0, t2 - t1))
        with_levels.append((t3 - t0, t3 - t2))
    med = sorted(plain)[len(plain) // 2]
    lv = sorted(with_levels)[len(with_levels) // 2]
    counts = {k: sum(1 for v in levels.values() if v == k) for k in ("full", "own", "booking", "none")}
    print(f"[caselist] unlock -> filled list, median of {repeat}: {ms(med[0])} (unlock {ms(med[1])}, "
          f"rows + index + match {ms(med[2])})")
    print(f"[caselist] + Access.levels() for every case: {ms(lv[0])} in all; levels alone median "
          f"{ms(statistics.median(w[1] for w in with_levels))}; levels: {counts}")


def bench_open(path: Path, n: int) -> None:
    session = Session(path)
    session.unlock(PASSPHRASE, VIEWER)
    try:
        conn = session.store.conn
        cases = [r[0] for r in conn.execute('SELECT id FROM "case"')]
        rng = random.Random(SEED + 1)
        picks = rng.sample(cases, min(n, len(cases)))
        access: Access = session.access
        gated = session.casework()
        plain = CaseWork(Repository(session.store))
        t_view, t_decide, t_gated, t_plain, levels = [], [], [], [], []
        for case_id in picks:
            t0 = time.perf_counter()
            d = access.decide(case_id)
            t1 = time.perf_counter()
            session.case_access(case_id)
            t2 = time.perf_counter()
            gated.chronicle.events(case_id)
            t3 = time.perf_counter()
            plain.chronicle.events(case_id)
            t4 = time.perf_counter()
            t_decide.append(t1 - t0)
            t_view.append(t2 - t1)
            t_gated.append(t3 - t2)
            t_plain.append(t4 - t3)
            levels.append(d.level)
        for label, vals in (("decide", t_decide), ("case_access (decide + audit entry)", t_view),
                            ("chronicle events through the gate", t_gated), ("same without the gate", t_plain)):
            print(f"[open] {label}: p50 {ms(pct(vals, 50))}, p95 {ms(pct(vals, 95))}, max {ms(max(vals))}")
        print(f"[open] {len(picks)} random cases: " + ", ".join(f"{k} {levels.count(k)}" for k in ("full", "own")))
    finally:
        session.lock()


def bench_erase(path: Path, n: int) -> None:
    from bench.bench_erase import apply_order

    store = Store.open(path, PASSPHRASE, VIEWER)
    try:
        cases = [r[0] for r in store.conn.execute('SELECT id FROM "case"')]
        random.seed(7)
        result = apply_order(store, random.sample(cases, min(n, len(cases))))
    finally:
        store.close()
    print(f"[erase] order for {result['cases']} cases ({result['kb']:.0f} kB): verify {ms(result['verify'])}, "
          f"purge {result['purge']:.2f} s ({result['records']:,} records, {result['changes']:,} changes), "
          f"scrub {result['scrub']:.2f} s, total {result['total']:.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--records", type=int, default=16, help="case-work records per case")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--open", type=int, default=300, help="cases opened one by one")
    ap.add_argument("--erase", type=int, default=1000, help="cases in the deletion order (0: skip)")
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        build(path, args.cases, args.records)
        bench_caselist(path, args.cases, args.repeat)
        bench_open(path, args.open)
        if args.erase:
            bench_erase(path, args.erase)


if __name__ == "__main__":
    main()
