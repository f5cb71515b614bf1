"""Benchmark: the guided intake of a family of four, scripted through the GUI.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_intake.py [--repeat 3] [--demo-households 200]

Opens the main window on a fresh SQLCipher store (optionally filled with the demo data,
so the case list and the due count have real work to do), then presses "New intake" and
goes through household and members, two consent declarations and two intake surveys as a
person would (tests/ui/intake_driver.py: typed keys, clicks, picks in lists). Reports what
a person does (keys, clicks, choices) and the wall time of the program's part (typing is
instant here: a person's typing time is not measured).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--demo-households", type=int, default=200)
    args = ap.parse_args()
    import app.keyring
    from app import demo
    from app.session import Session
    from app.store import Store
    from tests.ui.intake_driver import run_family_of_four
    from PySide6.QtCore import QThreadPool
    from ui.main import build_app, build_main_window

    app.keyring.default_kdf = lambda: dict(app.keyring.LOW)  # the unlock is not what is measured
    qapp = build_app()
    times, effort = [], None
    for _ in range(args.repeat):
        path = Path(tempfile.mkdtemp()) / "store"
        store, _recovery = Store.create(path, "bench-passphrase", login="bench")
        if args.demo_households:
            demo.fill(store, households=args.demo_households, reference=dt.date.today())
        session = Session(path)
        session.attach(store)
        win = build_main_window(session)
        win.resize(1366, 768)
        win.show()
        qapp.processEvents()
        t = time.perf_counter()
        effort = run_family_of_four(win)
        QThreadPool.globalInstance().waitForDone()  # background work (the due count) counts too
        qapp.processEvents()
        times.append(time.perf_counter() - t)
        assert win.case_view.case_id is not None
        win.close()
    assert effort is not None
    print(f"guided intake, family of four (2 cases, {args.demo_households} demo households in the store):")
    print(f"  person's actions: {effort.keys} keys typed, {effort.clicks} clicks, {effort.choices} picks in lists")
    print(f"  per step after the household (keys, picks): {effort.per_step}")
    print(f"  wall time of the program: median {statistics.median(times):.2f} s, "
          f"runs {', '.join(f'{x:.2f}' for x in times)}")


if __name__ == "__main__":
    main()
