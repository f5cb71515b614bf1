"""Store benchmarks: import, unlock to a filled case list, search latency, SQLCipher overhead.

Rerunnable, prints numbers; not part of the test suite (DESIGN.md: speed is
measured by benchmarks, not by timed assertions). Everything goes through the
same app/ functions the UI and CLI use:

1. import      generate(persons=50,000) -> app.interchange.import_document
               into a new encrypted store (real Argon2id KDF).
2. caselist    a store with 20,000 cases: Session.unlock (KDF + SQLCipher key)
               -> Session.case_rows (app.caselist.load_rows) -> CaseIndex ->
               match("") = the rows the list shows first.   target <= 1 s
3. search      keystroke by keystroke, CaseIndex.match over the case rows of
               the 50,000-person store, and over an index of all 50,000
               persons (upper bound).                     target p95 <= 50 ms
4. ratio       the same workload (import through the repository, case list
               query, searches) on a plain sqlite3 connection with the same
               pragmas vs the SQLCipher store; plus a raw SQL insert/query
               workload without our Python layers.         target <= 1.3
5. qt (--qt)   the real CaseListPage offscreen: refresh() after unlock, and
               apply_filter() per keystroke including the proxy model.

Usage:  .venv/bin/python bench/bench_store.py [--persons 50000] [--cases 20000]
        [--ratio-persons 10000] [--qt] [--only import,caselist,search,ratio,qt]
Stores are created under bench/results/ (gitignored) and removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import demo, interchange, migrations  # noqa: E402
from app.caselist import CaseIndex, CaseRow, load_rows  # noqa: E402
from app.session import Session  # noqa: E402
from app.store import Store  # noqa: E402

PASSPHRASE = "benchmark-passphrase"
SEED = 4711
RESULTS = ROOT / "bench" / "results"


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def doc_with_cases(n_cases: int, seed: int) -> dict:
    """A demo document with exactly n_cases cases (persons without a case are kept)."""
    persons = int(n_cases / 0.55) + 1000
    doc = demo.generate(persons=persons, seed=seed)
    cases = doc["entities"]["case"]
    assert len(cases) >= n_cases, "generator gave fewer cases than expected"
    doc["entities"]["case"] = cases[:n_cases]
    return doc


def make_store(path: Path, doc: dict | None) -> tuple[Store, float]:
    store, _recovery = Store.create(path, PASSPHRASE, login="bench")
    took = 0.0
    if doc is not None:
        t0 = time.perf_counter()
        interchange.import_document(store, doc)
        took = time.perf_counter() - t0
    return store, took


def plain_store(path: Path) -> Store:
    """Our Store over a plain sqlite3 connection with the same pragmas as app.store.connect."""
    path.mkdir(parents=True)
    conn = sqlite3.connect(str(path / "plain.db"), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA cache_size = -262144")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA temp_store = MEMORY")
    migrations.migrate(conn)
    conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", (uuid.uuid4().hex[:16],))
    return Store(path, None, b"", uuid.uuid4().hex, conn)


def typing_queries(rows: list[CaseRow], n_names: int, seed: int) -> list[str]:
    """Every prefix a person types for some names: Latin, original script, case number, two tokens."""
    rng = random.Random(seed)
    picks = rng.sample(rows, min(n_names, len(rows)))
    words = []
    for r in picks:
        words.append((r.family_name or "").lower())
        if r.given_names_orig:
            words.append(r.given_names_orig)
        words.append(f"{(r.given_names or '').split()[0].lower()} {(r.family_name or '')[:4].lower()}")
    words += [r.case_number for r in picks[:5] if r.case_number]
    out = []
    for w in words:
        out += [w[:i] for i in range(1, len(w) + 1) if not w[:i].endswith(" ")]
    return out


def time_search(index: CaseIndex, queries: list[str]) -> dict:
    lat, hits = [], []
    for q in queries:
        t0 = time.perf_counter()
        found = index.match(q)
        lat.append(time.perf_counter() - t0)
        hits.append(len(found))
    return {"n": len(lat), "p50": pct(lat, 50), "p95": pct(lat, 95), "max": max(lat),
            "hits_median": statistics.median(hits)}


def person_index(conn) -> CaseIndex:
    """An index of every person (as if each had a case): the upper bound of the search."""
    rows = []
    for pid, hh, fam, giv, famo, givo, born, st in conn.execute(
            "SELECT id, household_id, family_name, given_names, family_name_orig, given_names_orig,"
            " birth_date, search_text FROM person"):
        rows.append(CaseRow(pid, hh, pid, None, fam, giv, famo, givo, born, None, None, None, None, st or ""))
    return CaseIndex(rows)


# -- the benchmarks ---------------------------------------------------------------
def bench_import(work: Path, persons: int) -> dict:
    t0 = time.perf_counter()
    doc = demo.generate(persons=persons, seed=SEED)
    gen = time.perf_counter() - t0
    rows = sum(len(v) for v in doc["entities"].values())
    store, took = make_store(work / "import", doc)
    changes = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    cases = store.conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
    store.close()
    size = sum(f.stat().st_size for f in (work / "import").iterdir())
    print(f"[import] {persons} persons, {rows} rows ({cases} cases), {changes} change-log rows")
    print(f"[import] generate {gen:.1f} s; import {took:.1f} s = {persons / took:,.0f} persons/s, "
          f"{rows / took:,.0f} rows/s, {changes / took:,.0f} changes/s; store {size / 1e6:.0f} MB")
    return {"persons": persons, "rows": rows, "changes": changes, "cases": cases, "seconds": took,
            "store_dir": work / "import"}


def bench_caselist(work: Path, n_cases: int, repeat: int = 5) -> dict:
    path = work / "caselist"
    store, _ = make_store(path, doc_with_cases(n_cases, SEED + 1))
    store.close()
    runs = []
    for _ in range(repeat):
        session = Session(path)
        t0 = time.perf_counter()
        session.unlock(PASSPHRASE)
        t1 = time.perf_counter()
        rows = session.case_rows()
        t2 = time.perf_counter()
        index = CaseIndex(rows)
        shown = index.match("")
        t3 = time.perf_counter()
        session.lock()
        runs.append((t3 - t0, t1 - t0, t2 - t1, t3 - t2))
        assert len(shown) == n_cases
    best = min(runs)
    med = sorted(runs)[len(runs) // 2]
    print(f"[caselist] {n_cases} cases, {repeat} runs: unlock->filled median {ms(med[0])} (best {ms(best[0])}); "
          f"median split: unlock {ms(med[1])}, load_rows {ms(med[2])}, index+match {ms(med[3])}")
    return {"cases": n_cases, "median": med, "best": best, "store_dir": path}


def bench_search(store_dir: Path, n_names: int = 40) -> dict:
    session = Session(store_dir)
    session.unlock(PASSPHRASE)
    rows = session.case_rows()
    index = CaseIndex(rows)
    queries = typing_queries(rows, n_names, SEED)
    res_cases = time_search(index, queries)
    t0 = time.perf_counter()
    pindex = person_index(session.store.conn)
    build = time.perf_counter() - t0
    res_persons = time_search(pindex, queries)
    persons = len(pindex.rows)
    session.lock()
    for label, n, r in (("case rows", len(rows), res_cases), ("all persons", persons, res_persons)):
        print(f"[search] {label} ({n}): {r['n']} keystrokes, p50 {ms(r['p50'])}, p95 {ms(r['p95'])}, "
              f"max {ms(r['max'])}, median hits {r['hits_median']}")
    print(f"[search] building the all-persons index: {ms(build)}")
    return {"cases": res_cases, "persons": res_persons, "n_cases": len(rows), "n_persons": persons}


def _workload(store: Store, doc: dict) -> dict:
    t0 = time.perf_counter()
    interchange.import_document(store, doc)
    t1 = time.perf_counter()
    for _ in range(5):
        rows = load_rows(store.conn)
    t2 = time.perf_counter()
    for _ in range(3):
        n = store.conn.execute(
            "SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id"
            " WHERE p.search_text LIKE '%al%'").fetchone()[0]
        for pid in [r.person_id for r in rows[:2000]]:
            store.conn.execute("SELECT * FROM person WHERE id = ?", (pid,)).fetchone()
    t3 = time.perf_counter()
    assert n >= 0
    return {"import": t1 - t0, "caselist": t2 - t1, "queries": t3 - t2, "total": t3 - t0}


def _raw_workload(conn, n: int = 200_000) -> dict:
    rng = random.Random(1)
    conn.execute("CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b INTEGER, c TEXT)")
    conn.execute("CREATE INDEX t_b ON t (b)")
    data = [(uuid.UUID(int=rng.getrandbits(128)).hex, f"name {i}", rng.randrange(1000), "x" * 40) for i in range(n)]
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", data)
    conn.execute("COMMIT")
    t1 = time.perf_counter()
    for row in data[:20000]:
        conn.execute("SELECT a FROM t WHERE id = ?", (row[0],)).fetchone()
    for b in range(200):
        conn.execute("SELECT count(*), max(a) FROM t WHERE b = ?", (b,)).fetchone()
    conn.execute("SELECT count(*) FROM t WHERE c LIKE '%y%'").fetchone()
    t2 = time.perf_counter()
    return {"insert": t1 - t0, "query": t2 - t1, "total": t2 - t0}


def bench_ratio(work: Path, persons: int, repeat: int = 5) -> dict:
    doc = demo.generate(persons=persons, seed=SEED + 2)
    enc, plain, raw_enc, raw_plain = [], [], [], []
    for i in range(repeat):
        s = plain_store(work / f"plain{i}")
        plain.append(_workload(s, doc))
        raw_plain.append(_raw_workload(s.conn))
        s.close()
        s, _ = make_store(work / f"enc{i}", None)
        s.close()
        s = Store.open(work / f"enc{i}", PASSPHRASE)  # the connection a working session uses
        enc.append(_workload(s, doc))
        raw_enc.append(_raw_workload(s.conn))
        s.close()

    def med(runs, key):
        return statistics.median(r[key] for r in runs)

    def best(runs, key):
        return min(r[key] for r in runs)

    out = {}
    print(f"[ratio] {persons} persons, {repeat} alternating runs each; ratio = SQLCipher / plain "
          "(of the medians; of the best runs)")
    for label, keys, p_runs, e_runs in (("app workload", ("import", "caselist", "queries", "total"), plain, enc),
                                        ("raw SQL     ", ("insert", "query", "total"), raw_plain, raw_enc)):
        for key in keys:
            mp, me, bp, be = med(p_runs, key), med(e_runs, key), best(p_runs, key), best(e_runs, key)
            out[(label.strip(), key)] = (mp, me, bp, be)
            print(f"[ratio] {label} {key:9s}: plain {mp:7.3f} s, SQLCipher {me:7.3f} s (median); "
                  f"ratio {me / mp:.2f}; best-run ratio {be / bp:.2f}")
    return out


def bench_qt(store_dir: Path, n_names: int = 20) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.case_list import CaseListPage

    app = QApplication.instance() or QApplication([])
    session = Session(store_dir)
    page = CaseListPage(session)
    page.resize(1200, 800)
    page.show()
    app.processEvents()
    t0 = time.perf_counter()
    session.unlock(PASSPHRASE)
    page.refresh()
    app.processEvents()
    fill = time.perf_counter() - t0
    queries = typing_queries(page.index.rows, n_names, SEED)
    lat = []
    for q in queries:
        page.search.blockSignals(True)
        page.search.setText(q)
        page.search.blockSignals(False)
        t1 = time.perf_counter()
        page.apply_filter()
        app.processEvents()
        lat.append(time.perf_counter() - t1)
    n = len(page.index.rows)
    page.search.clear()
    page.apply_filter()
    app.processEvents()
    t2 = time.perf_counter()
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    app.processEvents()
    resort = time.perf_counter() - t2
    print(f"[qt] ui/case_list.py, {n} cases: unlock+refresh+paint {ms(fill)}; keystroke (match + proxy + paint) "
          f"p50 {ms(pct(lat, 50))}, p95 {ms(pct(lat, 95))}, max {ms(max(lat))} over {len(lat)} keystrokes; "
          f"click on a column header {ms(resort)}")
    session.lock()
    page.deleteLater()
    app.processEvents()
    return {"cases": n, "fill": fill, "p50": pct(lat, 50), "p95": pct(lat, 95), "resort": resort}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--persons", type=int, default=50_000)
    p.add_argument("--cases", type=int, default=20_000)
    p.add_argument("--ratio-persons", type=int, default=10_000)
    p.add_argument("--qt", action="store_true", help="also measure the Qt case list page (offscreen)")
    p.add_argument("--only", default="import,caselist,search,ratio", help="comma-separated parts")
    p.add_argument("--keep", action="store_true", help="keep the benchmark stores")
    args = p.parse_args(argv)
    parts = set(args.only.split(",")) | ({"qt"} if args.qt else set())
    print(f"# Sprechstunde store benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start (other work shares the machine)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=RESULTS))
    try:
        imported = None
        if parts & {"import", "search"}:
            imported = bench_import(work, args.persons)
        if "caselist" in parts or "qt" in parts:
            caselist = bench_caselist(work, args.cases)
        if "search" in parts:
            bench_search(imported["store_dir"])
        if "ratio" in parts:
            bench_ratio(work, args.ratio_persons)
        if "qt" in parts:
            bench_qt(caselist["store_dir"])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"# stores kept in {work}")
    if "qt" in parts:  # PySide6 can crash while tearing down widgets at interpreter exit
        sys.stdout.flush()
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
