"""Benchmark: 13 laptops sync 650,000 field changes into one hub over real HTTPS on loopback.

    .venv/bin/python bench/bench_sync.py [--dir /tmp/sprechstunde-bench] [--laptops 13] [--cases 500]
                                         [--concurrency 4] [--rebuild]

Setup (not timed, cached in --dir between runs): 13 laptop stores, one per
branch office, each with `cases` households of about 100 field changes each
(household, four persons, a case, resource-map entries, later edits), written
through the repository. Every run makes a fresh hub (init + serve as a real
uvicorn process with TLS) and re-enrolls the laptops, so a run is repeatable.

Measured:
* the full round: all laptops sync (push, then pull) concurrently; total
  time and hub throughput in changes per second;
* bytes on the wire per change (request and response bodies, plus a fixed
  estimate for headers);
* a single small edit round trip: laptop A edits one field and syncs, laptop B
  of the same office syncs and has the value (median of 20);
* the baseline: the same changes logged and applied with plain SQL
  (executemany) into one SQLCipher file with a large page cache.
Not part of the test-suite.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SPRECHSTUNDE_HUB_PASSPHRASE", "bench-hub-secret")

from app.schema import OFFICE_CODES  # noqa: E402

PASSPHRASE = "bench-passphrase"
OFFICES = [o for o in OFFICE_CODES if o != "ZIP"]


# -- setup -------------------------------------------------------------------------------
def _letters(n: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": a name part per index (names take no digits)."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = chr(97 + r) + out
        if not n:
            return out.capitalize()


def build_laptop(args) -> int:
    folder, office, cases, seed = args
    import random

    from app.repository import Repository
    from app.store import Store

    rnd = random.Random(seed)
    store, _ = Store.create(Path(folder), PASSPHRASE, login=f"staff-{office.lower()}")
    repo = Repository(store)
    with repo.transaction():
        for i in range(cases):
            h = repo.save("household", {"office": office, "address": f"Bahnhofstr. {i}", "accommodation": "Wohnung",
                                        "arrival_date": "2016-03-01", "notes": "Erstaufnahme"})
            persons = []
            for j in range(4):
                persons.append(repo.save("person", {
                    "household_id": h, "relation": "head" if j == 0 else "child",
                    "family_name": f"Al-Hassan {_letters(i)}", "given_names": f"Muhammad {_letters(j)}",
                    "family_name_orig": "الحسن", "given_names_orig": "محمد",
                    "birth_date": f"{1970 + j * 8}-01-01", "sex": "m", "nationality": "SYR",
                    "country_of_origin": "SYR", "languages": [{"lang": "ar", "level": "native"}],
                    "interpreter_language": "ar"}))
            case = repo.save("case", {"household_id": h, "person_id": persons[0], "case_number": f"{office}-{i}",
                                      "office": office, "rechtskreis": "AsylbLG", "status": "new",
                                      "staff": "anna", "opened": "2016-03-02"})
            for q in ("persoenlich", "sozial", "materiell", "infrastrukturell"):
                repo.save("resource_entry", {"household_id": h, "case_id": case, "quadrant": q,
                                             "text": f"Eintrag {q}", "author": "anna", "date": "2016-03-02"})
            n = 5 + 4 * 12 + 8 + 4 * 6
            k = 0
            while n < 100:  # later edits on the same fields
                repo.save("household", {"notes": f"Notiz {k} {rnd.random():.6f}"}, entity_id=h)
                n, k = n + 1, k + 1
    count = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    store.close()
    return count


def build(folder: Path, laptops: int, cases: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(str(folder / f"laptop-{OFFICES[i]}"), OFFICES[i], cases, i) for i in range(laptops)]
    t0 = time.perf_counter()
    with cf.ProcessPoolExecutor(max_workers=2) as pool:
        total = sum(pool.map(build_laptop, jobs))
    (folder / "built.json").write_text(json.dumps({"laptops": laptops, "cases": cases, "changes": total}))
    print(f"setup: {laptops} laptops, {total} changes written in {time.perf_counter() - t0:.1f} s")


# -- the hub -----------------------------------------------------------------------------
def start_hub(folder: Path, port: int):
    shutil.rmtree(folder, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "sync.hub.cli", "init", "--dir", str(folder)], env=env,
                         check=True, capture_output=True, text=True).stdout
    log = open(folder / "hub.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "sync.hub.cli", "serve", "--dir", str(folder), "--port", str(port)],
                            env=env, stderr=log, stdout=subprocess.DEVNULL)
    import httpx

    for _ in range(200):
        try:
            httpx.get(f"https://127.0.0.1:{port}/v1/health", verify=False, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    fingerprint = next(x.split(": ", 1)[1] for x in out.splitlines()
                       if x.startswith(("Certificate fingerprint", "Fingerabdruck des Zertifikats")))
    return proc, fingerprint


def hub_code(folder: Path, office: str) -> str:
    from sync.hub import storage

    s = storage.open_store(folder)
    try:
        return storage.new_code(s.conn, office, f"bench {office}")[0]
    finally:
        s.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- measurements ------------------------------------------------------------------------
def baseline(folder: Path, laptop_dirs: list[Path]) -> tuple[int, float]:
    """Log and apply the same changes with plain SQL into one fresh SQLCipher file."""
    from app import schema
    from app.replica.changelog import row_to_change
    from app.store import Store

    rows = []
    for d in laptop_dirs:
        s = Store.open(d, PASSPHRASE)
        rows += s.conn.execute("SELECT hlc, entity, entity_id, field, value, prev_hlc, device_id, staff_id, root_id"
                               " FROM changes WHERE device_id = ? ORDER BY hlc", (s.device_id,)).fetchall()
        s.close()
    shutil.rmtree(folder, ignore_errors=True)
    store, _ = Store.create(folder, PASSPHRASE)
    conn = store.conn
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT OR IGNORE INTO changes (hlc, entity, entity_id, field, value, prev_hlc, device_id,"
                     " staff_id, root_id) VALUES (?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT OR REPLACE INTO field_state (entity_id, field, hlc) VALUES (?,?,?)",
                     [(r[2], r[3], r[0]) for r in rows])
    by_column: dict[tuple[str, str], list] = {}
    for c in map(row_to_change, rows):  # the latest value per field (rows are in stamp order per laptop)
        f = schema.ENTITIES[c.entity].field_map[c.field]
        by_column.setdefault((c.entity, c.field), []).append((c.entity_id, schema.to_column(f, c.value)))
    for (entity, field), params in by_column.items():
        conn.executemany(f'INSERT INTO "{entity}" (id, "{field}") VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET'
                         f' "{field}" = excluded."{field}"', params)
    conn.execute("COMMIT")
    dt = time.perf_counter() - t0
    store.close()
    return len(rows), dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default="/tmp/sprechstunde-bench")
    ap.add_argument("--laptops", type=int, default=13)
    ap.add_argument("--cases", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=4, help="laptops syncing at the same time")
    ap.add_argument("--port", type=int, default=18999)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    folder = Path(args.dir)
    built = folder / "built.json"
    if args.rebuild or not built.exists() or json.loads(built.read_text())[
            "laptops"] != args.laptops or json.loads(built.read_text())["cases"] != args.cases:
        shutil.rmtree(folder, ignore_errors=True)
        build(folder, args.laptops, args.cases)
    laptop_dirs = [folder / f"laptop-{OFFICES[i]}" for i in range(args.laptops)]

    from app.repository import Repository
    from app.store import Store
    from sync.client import SyncEngine, enroll

    hub_dir = folder / "hub"
    load = os.getloadavg()[0]
    proc, fingerprint = start_hub(hub_dir, args.port)
    url = f"https://127.0.0.1:{args.port}"
    try:
        stores = [Store.open(d, PASSPHRASE) for d in laptop_dirs]
        for s, d in zip(stores, laptop_dirs, strict=True):
            enroll(s, url, hub_code(hub_dir, d.name.split("-")[1]), fingerprint)
        total = sum(s.conn.execute("SELECT count(*) FROM changes").fetchone()[0] for s in stores)

        hub_cpu0, cpu0, t0 = cpu_seconds(proc.pid), time.process_time(), time.perf_counter()
        with cf.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            summaries = list(pool.map(lambda s: SyncEngine(s).sync(), stores))
        round_s = time.perf_counter() - t0
        hub_cpu, client_cpu = cpu_seconds(proc.pid) - hub_cpu0, time.process_time() - cpu0
        bad = [x.error for x in summaries if not x.ok]
        if bad:
            print("errors:", bad[:3])
            return 1
        pushed = sum(x.pushed for x in summaries)
        wire = sum(x.bytes_sent + x.bytes_received for x in summaries)

        # a second laptop for the first office, then the small-edit round trip
        extra_dir = folder / "extra"
        shutil.rmtree(extra_dir, ignore_errors=True)
        b, _ = Store.create(extra_dir, PASSPHRASE)
        enroll(b, url, hub_code(hub_dir, OFFICES[0]), fingerprint)
        t1 = time.perf_counter()
        first = SyncEngine(b).sync()
        first_s = time.perf_counter() - t1
        a = stores[0]
        h = a.conn.execute("SELECT id FROM household LIMIT 1").fetchone()[0]
        trips, singles = [], []
        for i in range(21):
            Repository(a).save("household", {"notes": f"round trip {i}"}, entity_id=h)
            t = time.perf_counter()
            assert SyncEngine(a).sync().ok
            singles.append(time.perf_counter() - t)
            assert SyncEngine(b).sync().ok
            trips.append(time.perf_counter() - t)
            assert Repository(b).get("household", h)["notes"] == f"round trip {i}"
        b.close()
        for s in stores:
            s.close()
    finally:
        proc.terminate()
        proc.wait()

    print(f"laptops: {args.laptops}, changes: {total} (pushed {pushed})")
    print(f"full round (push + pull, {args.concurrency} at a time): {round_s:.2f} s  "
          f"-> hub throughput {pushed / round_s:,.0f} changes/s")
    print(f"CPU during the round: hub process {hub_cpu:.1f} s ({pushed / hub_cpu:,.0f} changes per hub CPU second), "
          f"13 clients {client_cpu:.1f} s; load average before: {load:.1f}")
    print(f"bytes on the wire per change: {wire / max(pushed, 1):.0f}")
    print(f"new laptop, first sync of its office ({first.applied} changes): {first_s:.2f} s")
    print(f"small edit: sync {statistics.median(singles[1:]) * 1000:.0f} ms, "
          f"round trip laptop A -> hub -> laptop B {statistics.median(trips[1:]) * 1000:.0f} ms (median of 20)")
    if not args.no_baseline:
        n, dt = baseline(folder / "baseline", laptop_dirs)
        print(f"baseline plain SQL into one SQLCipher file: {n} changes in {dt:.2f} s -> {n / dt:,.0f} changes/s; "
              f"ratio {(n / dt) / (pushed / round_s):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
