"""Benchmark of app.replica.merge alone: how fast one store takes in changes, by path.

    .venv/bin/python bench/bench_merge.py [--cases 6500] [--batch 5000]

Generates `cases` households of 100 field changes each (as 13 laptops x 500
cases would send them: household, person and case fields, later edits that
saw the earlier ones) and measures, on a fresh SQLCipher store each:

1. fresh     every change new, the fast path (one field_state read per batch);
2. repush    the same batches again: all duplicates;
3. conflict  the same fields edited concurrently by a second device (every
             change a concurrent overwrite: the slow path that reads the
             field's log and writes conflict rows), on top of 1;
4. limit     the same rows logged and applied with plain SQL executemany,
             no merge decisions: the upper bound on this machine.

Wall time and process CPU time are both printed (the machine may be shared).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.replica.changelog import Change  # noqa: E402
from app.repository import clock_for  # noqa: E402
from app.store import Store  # noqa: E402
from app.replica.merge import merge  # noqa: E402

HH_FIELDS = ("office", "address", "accommodation", "notes", "arrival_date")
PERSON_FIELDS = ("family_name", "given_names", "birth_date", "nationality", "phone", "interpreter_language")
CASE_FIELDS = ("status", "rechtskreis", "staff", "opened")


def generate(cases: int, device: str, t0: int, salt: str = "") -> list[Change]:
    out, n = [], 0
    for i in range(cases):
        hid, pid, cid = f"h{i:07d}", f"p{i:07d}", f"c{i:07d}"
        prev: dict = {}
        for j in range(100):
            n += 1
            k = j % 3
            ent, eid, fields = (("household", hid, HH_FIELDS), ("person", pid, PERSON_FIELDS),
                                ("case", cid, CASE_FIELDS))[k]
            fld = fields[(j // 3) % len(fields)]
            value = {"office": "AHL", "status": "active", "rechtskreis": "SGB II", "arrival_date": "2016-03-01",
                     "birth_date": "1990", "opened": "2016-04-01"}.get(fld, f"{fld} {j}{salt}")
            h = f"{t0 + n:013d}-0000-{device}"
            out.append(Change(h, ent, eid, fld, value, prev.get((eid, fld)), device, "staff1", hid))
            prev[(eid, fld)] = h
    return out


def timed(label: str, fn, count: int) -> None:
    w, c = time.perf_counter(), time.process_time()
    fn()
    w, c = time.perf_counter() - w, time.process_time() - c
    print(f"{label:9} {count:>8} changes  {w:6.2f} s wall  {count / w:>9,.0f}/s wall  {count / c:>9,.0f}/s cpu")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=6500)
    ap.add_argument("--batch", type=int, default=5000)
    args = ap.parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    try:
        changes = generate(args.cases, "devA", 1_700_000_000_000)
        rivals = generate(args.cases, "devB", 1_700_000_000_000, salt="b")
        rivals = [Change(c.hlc, c.entity, c.entity_id, c.field, c.value, None, c.device_id, c.staff_id,
                         c.root_id) for c in rivals]  # never saw devA's values
        store, _ = Store.create(base / "s", "richtig-geheim")
        clock = clock_for(store)
        batches = [changes[i:i + args.batch] for i in range(0, len(changes), args.batch)]
        timed("fresh", lambda: [merge(store.conn, b, clock) for b in batches], len(changes))
        timed("repush", lambda: [merge(store.conn, b, clock) for b in batches], len(changes))
        rb = [rivals[i:i + args.batch] for i in range(0, len(rivals), args.batch)]
        timed("conflict", lambda: [merge(store.conn, b, clock) for b in rb], len(rivals))
        opened = store.conn.execute("SELECT count(*) FROM conflicts WHERE status = 'open'").fetchone()[0]
        print(f"          open conflicts after 3: {opened:,}")
        store.close()

        limit, _ = Store.create(base / "l", "richtig-geheim")
        conn = limit.conn

        def plain():
            for b in batches:
                conn.execute("BEGIN")
                conn.executemany("INSERT OR IGNORE INTO changes (hlc, entity, entity_id, field, value, prev_hlc,"
                                 " device_id, staff_id, root_id) VALUES (?,?,?,?,?,?,?,?,?)", [c.as_row() for c in b])
                conn.executemany("INSERT OR REPLACE INTO field_state (entity_id, field, hlc) VALUES (?,?,?)",
                                 [(c.entity_id, c.field, c.hlc) for c in b])
                for ent in ("household", "person", "case"):
                    rows = [(c.entity_id, c.value) for c in b if c.entity == ent]
                    conn.executemany(f'INSERT INTO "{ent}" (id, notes) VALUES (?, ?) ON CONFLICT (id) DO '
                                     f'UPDATE SET notes = excluded.notes' if ent == "household" else
                                     f'INSERT INTO "{ent}" (id, staff) VALUES (?, ?) ON CONFLICT (id) DO '
                                     f'UPDATE SET staff = excluded.staff' if ent == "case" else
                                     f'INSERT INTO "{ent}" (id, phone) VALUES (?, ?) ON CONFLICT (id) DO '
                                     f'UPDATE SET phone = excluded.phone', rows)
                conn.execute("COMMIT")

        timed("limit", plain, len(changes))
        limit.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
