"""Benchmark: document PDFs and the interpreter view's language switch.

    .venv/bin/python bench/bench_documents.py [--events 200] [--repeat 5]

Builds a real SQLCipher store with the sample case (app.documents.sample)
and 200 chronicle events, then times (median of --repeat runs, after one
warm-up that registers fonts and loads catalogs):
  * the consent PDF (target <= 0.5 s) and the Art. 15 export (target <= 2 s),
    in Arabic (shaping + bidi) and Tigrinya;
  * switching the interpreter view of the U25 profiling between Arabic and
    Tigrinya (target <= 100 ms), offscreen Qt.
Results are printed; docs/languages.md records them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _median(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from app.documents import render
    from app.documents.sample import make_case
    from app.repository import Repository
    from app.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store, _ = Store.create(Path(tmp) / "s", "bench-passphrase", login="bench")
        repo = Repository(store)
        number = make_case(repo, events=args.events)
        rows = []
        for doc, target in (("consent", 0.5), ("export", 2.0)):
            for lang in ("ar", "ti"):
                t = _median(lambda doc=doc, lang=lang: render(repo, doc, number, lang), args.repeat)
                pages = len(__import__("pypdf").PdfReader(__import__("io").BytesIO(
                    render(repo, doc, number, lang))).pages)
                rows.append((f"{doc} PDF ({lang}, {args.events} events, {pages} p.)", t, target))
        store.close()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from app.forms import default_registry
    from ui.fonts import register_fonts
    from ui.interpreter_view import InterpreterView

    register_fonts()
    view = InterpreterView(default_registry().get("profiling_u25"), "ar")
    view.resize(1100, 800)
    view.show()
    app.processEvents()
    langs = iter(["ti", "ar"] * (args.repeat * 4 + 4))

    def switch():
        view.set_language(next(langs))
        app.processEvents()

    rows.append(("interpreter view switch ar <-> ti (U25 profiling)", _median(switch, args.repeat * 2), 0.1))

    print(f"{'measurement':<55}{'median':>10}{'target':>10}")
    ok = True
    for name, t, target in rows:
        flag = "" if t <= target else "  OVER TARGET"
        ok = ok and t <= target
        print(f"{name:<55}{t * 1000:>8.1f}ms{target * 1000:>8.0f}ms{flag}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
