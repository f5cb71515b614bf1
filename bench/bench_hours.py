"""Benchmark: the office-hour day view after unlocking, and a year of slots for all 13 towns.

    .venv/bin/python bench/bench_hours.py [--cases 20000] [--repeat 5] [--qt] [--keep]

1. day      a real SQLCipher store (real Argon2id KDF) with --cases cases from the demo
            generator (app.demo); one town (Ahlen) holds its Monday office hour with 40
            appointments: every slot of its four desks booked (36), four walk-ins, each
            client with case work (intake, consent, two measures) so the due items are
            real, statuses kept/missed/arrived before the office's clock time, booked after.
            Timed: `Session.unlock` → what the Today page asks for (offices, home town,
            its office-hour day, `OfficeHours.day`, the walk-in search choices).
                                                                    target ≤ 300 ms
2. qt       (--qt) the same offscreen (QT_QPA_PLATFORM=offscreen): unlock, then the real
            `TodayPage` built, filled and painted; and the whole main window after the
            lock screen's `unlocked` (its workspace: the case list of all cases and every
            page, the Today page in front).
3. year     `Schedule` from the templates and exceptions in force, every office hour of a
            year for all 13 towns and their slots (start, end, desk, agency).
                                                                    target ≤ 100 ms
            Also `Booking.slot_states` over a year (each office-hour day's bookings read).

The office's clock is fixed (app.booking's default clock) to the Monday 10:30, so the
page opens on that day. Stores go under bench/results/ (gitignored), removed afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_store import PASSPHRASE, RESULTS, SEED, doc_with_cases, make_store, ms  # noqa: E402

OFFICE = "AHL"
DAY = dt.date(2026, 10, 5)  # a Monday after the demo's reference date 2026-10-01: Ahlen 09:00-12:00, 4 desks
BOOKED_ON = dt.datetime(2026, 10, 1, 8, 0)
CLOCK = dt.datetime.combine(DAY, dt.time(10, 30))
WALK_INS = 4
INTAKE = {"country_of_origin": "iraq", "interpreter_needed": True, "residence_status": "gestattung",
          "entry_date": "2025-06", "accommodation": "shared", "referred_by": "sozialamt"}


def fix_clock() -> None:
    """The office's clock (app.booking's default) at the Monday 10:30, for the bench process."""
    import app.booking

    app.booking._now = lambda: CLOCK  # type: ignore[assignment]


def book_the_day(store) -> dict:
    from app.booking import HOME_OFFICE_META, Booking
    from app.casework import CaseWork
    from app.repository import Repository

    repo = Repository(store, today=BOOKED_ON.date())
    cw = CaseWork(repo)
    booking = Booking(repo, cw.chronicle, clock=lambda: BOOKED_ON)
    [hour] = booking.schedule().hours(OFFICE, DAY, DAY)
    slots = hour.slots()
    cases = repo.conn.execute(
        'SELECT c.id, p.interpreter_language FROM "case" c JOIN person p ON p.id = c.person_id'
        " WHERE c.office = ? AND c.status IN ('new', 'active') AND c.opened <= '2026-09-01'"
        " ORDER BY c.id LIMIT ?", (OFFICE, len(slots) + WALK_INS)).fetchall()
    assert len(cases) == len(slots) + WALK_INS, "too few open cases in the town"
    t = time.perf_counter()
    with repo.transaction():
        for cid, lang in cases:
            cw.save_intake(cid, {**INTAKE, "interpreter_language": lang or "ar"}, date="2026-09-02")
            cw.consent.record(cid, "JC", "given", "2026-09-02")
            cw.measures.add(cid, "integrationskurs", status="registered", date="2026-09-03")
            cw.measures.add(cid, "fim", status="proposed", date="2026-09-03")
        ids = []
        for slot, (cid, lang) in zip(slots, cases, strict=False):
            ids.append((slot, booking.book(cid, OFFICE, slot.starts_at, agency=slot.agency,
                                           interpreter=lang if lang and lang != "de" else None,
                                           purpose="Beratung Arbeit", bring=["Pass", "Post seit dem letzten Besuch"])))
        repo.today = DAY
        for i, (slot, aid) in enumerate(ids):
            if slot.starts_at[11:16] < "10:20":
                booking.clock = lambda s=slot: dt.datetime.fromisoformat(s.starts_at) + dt.timedelta(minutes=3)
                if i % 9 == 4:
                    booking.set_status(aid, "missed")
                else:
                    booking.set_status(aid, "arrived")
                    booking.set_status(aid, "kept")
        for k, (cid, lang) in enumerate(cases[len(slots):]):
            booking.clock = lambda k=k: CLOCK - dt.timedelta(minutes=40 - 8 * k)
            booking.walk_in(cid, OFFICE, agency="JC", interpreter=lang if lang and lang != "de" else None)
        store.set_meta(HOME_OFFICE_META, OFFICE)
    took = time.perf_counter() - t
    return {"bookings": len(ids), "walk_ins": WALK_INS, "seconds": took}


def bench_day(path: Path, repeat: int) -> None:
    from app.session import Session

    runs = []
    for _ in range(repeat):
        session = Session(path)
        t0 = time.perf_counter()
        session.unlock(PASSPHRASE)
        t1 = time.perf_counter()
        hours = session.hours
        offices = hours.field_offices()
        home = hours.booking.home_office()
        day = hours.default_day(home)
        view = hours.day(home, day)
        t2 = time.perf_counter()
        choices = hours.case_choices(home)
        t3 = time.perf_counter()
        session.lock()
        assert len(offices) == 13 and day == DAY
        assert len(view.booked) + len(view.walk_ins) == 40 and len(choices) > 0
        runs.append((t3 - t0, t1 - t0, t2 - t1, t3 - t2))
    med = sorted(runs)[len(runs) // 2]
    due = sum(1 for r in view.booked if r.due)
    print(f"[day] {OFFICE} {DAY}, {len(view.booked)} booked + {len(view.walk_ins)} walk-ins "
          f"({due} with due items, interpreters {', '.join(view.interpreters)}), {repeat} runs: "
          f"unlock→filled view median {ms(med[0])} (best {ms(min(runs)[0])}); split: unlock {ms(med[1])}, "
          f"day view {ms(med[2])}, walk-in choices ({len(choices)} cases) {ms(med[3])}")


FIRST = """
import sys, time
sys.path.insert(0, {root!r})
from bench.bench_hours import PASSPHRASE, fix_clock
fix_clock()
from app.session import Session
session = Session({path!r})
t0 = time.perf_counter()
if {gui}:
    session.attach(session.open_store(PASSPHRASE))  # the lock screen: key derived off the GUI thread
else:
    session.unlock(PASSPHRASE)
t1 = time.perf_counter()
hours = session.hours
view = hours.day(hours.booking.home_office(), hours.default_day(hours.booking.home_office()))
t2 = time.perf_counter()
print(t2 - t0, t1 - t0, t2 - t1)
"""


def bench_first(path: Path, repeat: int) -> None:
    """The first unlock of a fresh process (the morning's): the holiday tables are not computed yet."""
    import subprocess

    out = {}
    for gui in (False, True):
        runs = []
        for _ in range(repeat):
            code = FIRST.format(root=str(ROOT), path=str(path), gui=gui)
            line = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            runs.append(tuple(float(x) for x in line.split()))
        out[gui] = sorted(runs)[len(runs) // 2]
    print(f"[first] first unlock of a process → day view, median of {repeat} processes: "
          f"Session.unlock {ms(out[False][0])} (unlock {ms(out[False][1])}, day {ms(out[False][2])}); "
          f"open_store + attach as the lock screen does, holiday tables computed meanwhile {ms(out[True][0])} "
          f"(unlock {ms(out[True][1])}, day {ms(out[True][2])})")


class _FirstPaint:
    """Notes when the Today table is first painted with its rows (an event filter on its viewport)."""

    def __init__(self):
        from PySide6.QtCore import QEvent, QObject, QTimer

        outer = self

        class Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802
                if event.type() == QEvent.Type.Paint and not outer.seen and outer.page is not None \
                        and outer.page.model.rowCount():
                    outer.seen = True
                    QTimer.singleShot(0, outer.done)  # runs when this paint is over
                return False

        self.at: float | None = None
        self.seen = False
        self.page = None
        self.filter = Filter()

    def done(self) -> None:
        self.at = time.perf_counter()

    def watch(self, page) -> None:
        self.at, self.seen, self.page = None, False, page
        page.table.viewport().installEventFilter(self.filter)


def _settle(app) -> None:
    """Run the event loop until what the page deferred to after its first paint is done."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    for _i in range(5):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, QDeadlineTimer(20))


def bench_qt(path: Path, repeat: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.session import Session
    from ui.main import build_main_window
    from ui.today_page import TodayPage

    app = QApplication.instance() or QApplication([])
    first = _FirstPaint()
    page_runs, window_runs = [], []
    for _ in range(repeat):
        session = Session(path)
        t0 = time.perf_counter()
        session.unlock(PASSPHRASE)
        t1 = time.perf_counter()
        page = TodayPage(session)
        first.watch(page)
        page.resize(1366, 768)
        page.show()
        app.processEvents()
        _settle(app)
        t3 = time.perf_counter()
        assert first.at is not None, "the table was not painted"
        t2 = first.at
        assert page.model.rowCount() >= 36 and page.queue_model.rowCount() == WALK_INS and page.walk_in_choices()
        page_runs.append((t2 - t0, t1 - t0, t2 - t1, t3 - t0))
        page.deleteLater()
        session.lock()
        app.processEvents()

        session = Session(path)
        window = build_main_window(session)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        t0 = time.perf_counter()
        store = session.open_store(PASSPHRASE)  # what the lock screen does off the GUI thread
        t1 = time.perf_counter()
        window.lock_screen.unlocked.emit(store)
        t2 = time.perf_counter()
        front = window.pages.currentWidget()
        assert isinstance(front, TodayPage) and front.model.rowCount() >= 36
        first.watch(front)
        app.processEvents()
        _settle(app)
        t4 = time.perf_counter()
        assert first.at is not None and window.case_list.model.rows, "the day was not painted or no case list"
        window_runs.append((first.at - t0, t1 - t0, t2 - t1, t4 - t0))
        window.lock()
        window.close()
        window.deleteLater()
        app.processEvents()
    w = sorted(window_runs)[len(window_runs) // 2]
    med = [statistics.median(r[i] for r in page_runs) for i in range(4)]
    print(f"[qt] TodayPage, {repeat} runs, medians: unlock→filled table painted {ms(med[0])} "
          f"(best {ms(min(page_runs)[0])}); unlock {ms(med[1])}, page to its first paint {ms(med[2])} "
          f"(best {ms(min(r[2] for r in page_runs))}); with what follows the paint (row heights, walk-in list) "
          f"{ms(med[3])}")
    print(f"[qt] main window, {repeat} runs: unlock→the Today page in front painted median {ms(w[0])} "
          f"(best {ms(min(window_runs)[0])}); split: unlock {ms(w[1])}, workspace built {ms(w[2])}; "
          f"with the case list and the navigation counts that follow {ms(w[3])}")


def bench_year(path: Path, repeat: int) -> None:
    from app import offices
    from app.booking import Booking
    from app.repository import Repository
    from app.schedule import Schedule, nrw_holidays
    from app.session import Session

    session = Session(path)
    session.unlock(PASSPHRASE)
    conn = session.store.conn
    start, end = dt.date(2027, 1, 1), dt.date(2027, 12, 31)
    cold = time.perf_counter()
    nrw_holidays.cache_clear()
    Schedule(offices.load_templates(conn), offices.load_changes(conn)).hours(None, start, end)
    cold = time.perf_counter() - cold
    runs, n_hours, n_slots = [], 0, 0
    for _ in range(repeat):
        t = time.perf_counter()
        sched = Schedule(offices.load_templates(conn), offices.load_changes(conn))
        hours = sched.hours(None, start, end)
        slots = [s for h in hours for s in h.slots()]
        runs.append(time.perf_counter() - t)
        n_hours, n_slots = len(hours), len(slots)
    towns = len({h.office for h in hours})
    states = []
    booking = Booking(Repository(session.store))
    for _ in range(max(1, repeat // 2)):
        t = time.perf_counter()
        rows = booking.slot_states(None, DAY - dt.timedelta(days=180), DAY + dt.timedelta(days=184))
        states.append(time.perf_counter() - t)
    session.lock()
    print(f"[year] {towns} towns, {start}..{end}: {n_hours} office hours, {n_slots} slots; derived median "
          f"{ms(statistics.median(runs))} (best {ms(min(runs))}; first run with the holiday table {ms(cold)}); "
          f"slot_states for a year around the bench day ({len(rows)} slot rows) median {ms(statistics.median(states))}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--qt", action="store_true", help="also the Qt page and main window (offscreen)")
    ap.add_argument("--keep", action="store_true", help="keep the store")
    ap.add_argument("--store", type=Path, help="a store kept by an earlier run (--keep): measure only")
    args = ap.parse_args(argv)
    print(f"# Sprechstunde office-hours benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(f"# {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start (other work shares the machine)")
    fix_clock()
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="hours-", dir=RESULTS))  # (empty with --store)
    try:
        path = args.store or work / "store"
        if args.store is None:
            t = time.perf_counter()
            store, _ = make_store(path, doc_with_cases(args.cases, SEED + 1))
            made = book_the_day(store)
            store.close()
            print(f"# store: {args.cases} cases imported, {made['bookings']} bookings and {made['walk_ins']} "
                  f"walk-ins with case work in {time.perf_counter() - t:.1f} s")
        bench_day(path, args.repeat)
        bench_first(path, args.repeat)
        bench_year(path, args.repeat)
        if args.qt:
            bench_qt(path, args.repeat)
    finally:
        if args.keep:
            print(f"# store kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.qt:  # PySide6 can crash while tearing down widgets at interpreter exit
        sys.stdout.flush()
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
