"""Benchmark: all steering figures over 50,000 persons for one year (issue 15; target <= 1 s).

    .venv/bin/python bench/bench_steering.py [--persons 50000] [--repeat 5] [--store DIR] [--profile]

Builds a real SQLCipher store: the persons, households and cases of the demo generator (app.demo,
imported through app.interchange), then a year of case work on every case, written straight into the
tables the figures read (measures through their stages, chronicle events with transitions into work,
training and the SGB II, employers, offers and placements with outcomes; 75 persons born on the edges of the
age groups, a few with unreadable dates as a merge might bring): the figures read the current
tables only, and writing 300,000 records through the change log would take the setup from one minute to
many. `--store DIR` keeps the store and reuses it on the next run.

Times `Session.steering` for the year (every table the statistics page and the report show: clients by
each dimension, measures with waiting times, transitions and new clients month by month, offers and
placements), the same with a breakdown (`--by office,rechtskreis`), and `Session.statistics` (the
counts of `sprechstunde stats`): median of --repeat runs after a warm-up, wall and CPU time (the
machine is shared: CPU time is the steadier number). `--profile` prints a cProfile of one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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

PASSPHRASE = "bench-passphrase"
SEED = 15
END = dt.date(2026, 6, 30)
START = dt.date(2025, 7, 1)
CATALOGUE = ("integrationskurs", "berufssprachkurs", "fim", "kompetenzfeststellung", "bewerbungstraining",
             "eq_vorbereitung", "anerkennung", "jugendintegrationskurs")
KINDS = ("job", "internship", "eq", "apprenticeship", "fim")
EDGE_BIRTHS = ("2008-06-30", "2008-07-01", "2008-06", "2008-07", "2008", "2001-06-30", "2001-07-01", "2001-06",
               "1991-06-30", "1991-07-01", "1976-06-30", "1976-07-01", "1976", "2008-02-29", "2000-02-29", "2000-13",
               "2000-02-30", "", "0000", "1976-06", "2010-06-31", "2026-12-01", "2030-01-01", "1960-02-29", None)
TOWNS = ("AHL", "BEC", "BEE", "DRE", "ENN", "EVE", "OEL", "OST", "SAS", "SEN", "TEL", "WAD", "WAF")


def _day(rng: random.Random, start: dt.date = START - dt.timedelta(days=120), end: dt.date = END) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def build(path: Path, persons: int):
    """The store: demo persons and cases, then a year of case work in the tables."""
    from app import demo, interchange
    from app.store import Store

    store, _ = Store.create(path, PASSPHRASE, login="bench")
    t = time.perf_counter()
    interchange.import_document(store, demo.generate(persons=persons, seed=SEED))
    took = time.perf_counter() - t
    conn = store.conn
    rng = random.Random(SEED)
    cases = conn.execute('SELECT id, household_id FROM "case" WHERE coalesce(deleted, 0) = 0').fetchall()
    # cases opened over the two years before the end, some closed: open in the year or not
    conn.execute("BEGIN")
    for cid, _hh in cases:
        opened = _day(rng, END - dt.timedelta(days=730))
        closed = _day(rng, opened) if rng.random() < 0.15 else None
        conn.execute('UPDATE "case" SET opened = ?, closed = ?, office = coalesce(office, ?) WHERE id = ?',
                     (opened.isoformat(), closed and closed.isoformat(), rng.choice(TOWNS), cid))
    # birth dates at the edges of the age groups (the last day, partial dates, 29 February), some unreadable
    persons = [r[0] for r in conn.execute('SELECT person_id FROM "case" LIMIT ?', (3 * len(EDGE_BIRTHS),))]
    for i, pid in enumerate(persons):
        conn.execute("UPDATE person SET birth_date = ? WHERE id = ?", (EDGE_BIRTHS[i % len(EDGE_BIRTHS)], pid))
    measures, events, placements = [], [], []
    for cid, hh in cases:
        for _ in range(rng.choice((1, 2, 2, 3))):
            proposed = _day(rng)
            registered = proposed + dt.timedelta(days=rng.randrange(1, 30))
            start = registered + dt.timedelta(days=rng.randrange(7, 150))
            end = start + dt.timedelta(days=rng.randrange(30, 300))
            status = rng.choice(("proposed", "registered", "waiting", "started", "started", "completed",
                                 "completed", "interrupted", "cancelled"))
            measures.append((str(uuid.uuid4()), hh, cid, rng.choice(CATALOGUE), status, proposed.isoformat(),
                             registered.isoformat(), start.isoformat() if status not in ("proposed", "registered",
                                                                                        "waiting") else None,
                             end.isoformat() if status == "completed" else None))
        for _ in range(rng.randrange(4, 14)):  # the chronicle: notes, appointments, consents ...
            events.append((str(uuid.uuid4()), hh, cid, _day(rng).isoformat(),
                           rng.choice(("note", "appointment", "consent", "measure", "form", "profiling")),
                           json.dumps({"id": "Appointment kept: {purpose}", "params": {"purpose": "x"}})))
        r = rng.random()
        if r < 0.06:
            events.append((str(uuid.uuid4()), hh, cid, _day(rng).isoformat(), "work_start", None))
        elif r < 0.10:
            events.append((str(uuid.uuid4()), hh, cid, _day(rng).isoformat(), "training_start", None))
        if rng.random() < 0.08:
            events.append((str(uuid.uuid4()), hh, cid, _day(rng).isoformat(), "rechtskreis", None))
    conn.executemany("INSERT INTO measure (id, household_id, case_id, catalogue_id, status, proposed_on, "
                     "registered_on, start_date, end_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", measures)
    conn.executemany("INSERT INTO event (id, household_id, case_id, date, kind, message) VALUES (?, ?, ?, ?, ?, ?)",
                     events)
    employers = [(str(uuid.uuid4()), f"Betrieb {i}", rng.choice(TOWNS)) for i in range(300)]
    conn.executemany("INSERT INTO employer (id, name, town) VALUES (?, ?, ?)", employers)
    offers = [(str(uuid.uuid4()), rng.choice(employers)[0], rng.choice(KINDS), f"Stelle {i}",
               rng.choice(("open", "open", "filled", "closed")), rng.choice(TOWNS)) for i in range(1200)]
    conn.executemany("INSERT INTO offer (id, employer_id, kind, title, status, town) VALUES (?, ?, ?, ?, ?, ?)",
                     offers)
    for cid, hh in rng.sample(cases, min(len(cases), 4000)):
        proposed = _day(rng)
        status = rng.choice(("proposed", "accepted", "declined", "sent", "invited", "hired", "rejected", "started"))
        sent = proposed + dt.timedelta(days=7) if status not in ("proposed", "accepted", "declined") else None
        outcome = sent + dt.timedelta(days=rng.randrange(7, 60)) if sent and status != "sent" else None
        placements.append((str(uuid.uuid4()), hh, cid, rng.choice(offers)[0], status, proposed.isoformat(),
                           sent and sent.isoformat(), outcome and outcome.isoformat()))
    conn.executemany("INSERT INTO placement (id, household_id, case_id, offer_id, status, proposed_on, sent_on, "
                     "outcome_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", placements)
    conn.execute("COMMIT")
    print(f"built: {persons} persons imported in {took:.1f} s; {len(cases)} cases, {len(measures)} measures, "
          f"{len(events)} events, {len(offers)} offers, {len(placements)} placements "
          f"({time.perf_counter() - t:.1f} s in all)")
    return store


def timed(fn, repeat: int) -> tuple[float, float, object]:
    fn()  # warm-up
    wall, cpu, out = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=50000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--store", type=Path, help="build the store here once and reuse it")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = ap.parse_args()
    from app.session import Session
    from app.store import Store

    path = args.store or Path(tempfile.mkdtemp()) / "store"
    if Store.exists(path):
        store = Store.open(path, PASSPHRASE)
        print(f"reusing the store in {path}")
    else:
        store = build(path, args.persons)
    session = Session(store.path)
    session.attach(store)
    n_persons = store.conn.execute("SELECT count(*) FROM person").fetchone()[0]
    print(f"load average at start: {os.getloadavg()[0]:.1f}; {n_persons} persons; period {START} to {END}")
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(session.steering, START, END)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    wall, cpu, fig = timed(lambda: session.steering(START, END), args.repeat)
    assert isinstance(fig, dict)
    print(f"all steering figures, one year: median {wall:.0f} ms wall, {cpu:.0f} ms CPU "
          f"({len(fig['tables'])} tables; runs {args.repeat})")
    wall, cpu, _ = timed(lambda: session.steering(START, END, ("office", "rechtskreis")), args.repeat)
    print(f"the same with --by office,rechtskreis: median {wall:.0f} ms wall, {cpu:.0f} ms CPU")
    wall, cpu, _ = timed(lambda: session.statistics(), args.repeat)
    print(f"Session.statistics (sprechstunde stats): median {wall:.0f} ms wall, {cpu:.0f} ms CPU")
    store.close()


if __name__ == "__main__":
    main()
