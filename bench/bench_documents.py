"""Benchmark: document PDFs and the interpreter view's language switch.

    .venv/bin/python bench/bench_documents.py [--events 200] [--repeat 5]
    .venv/bin/python bench/bench_documents.py --all [--events 200] [--repeat 3] [--profile FILE]

Builds a real SQLCipher store with the sample case (app.documents.sample)
and 200 chronicle events, then times (median of --repeat runs, after one
warm-up that registers fonts and loads catalogs):
  * the consent PDF (target <= 0.5 s) and the Art. 15 export (target <= 2 s),
    in Arabic (shaping + bidi) and Tigrinya;
  * switching the interpreter view of the U25 profiling between Arabic and
    Tigrinya (target <= 100 ms), offscreen Qt.
With --all (issue 11's benchmark): every document of app.documents.DOCUMENTS (consent,
profiling, resources, slip, offer, handover, export) in every form language of
resources/languages.json for the one case: the total of one full round (all documents x all
languages, median of --repeat rounds) and the slowest single document (its median; target
<= 0.5 s), plus the median per document over the languages. --profile writes a cProfile of
one round to FILE (read it with `python -m pstats FILE`).
Results are printed; docs/languages.md and docs/benchmarks.md record them.
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
    ap.add_argument("--all", action="store_true", help="every document in every form language")
    ap.add_argument("--profile", metavar="FILE", help="with --all: cProfile one round into FILE")
    args = ap.parse_args(argv)
    if args.all:
        return all_documents(args.events, args.repeat, args.profile)

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


def all_documents(events: int, repeat: int, profile: str | None = None) -> int:
    """Every document in every form language for one case with `events` chronicle events."""
    from app.documents import DOCUMENTS, load_case, render_data
    from app.documents.sample import make_case
    from app.repository import Repository
    from app.store import Store
    from i18n import locale as loc

    langs = [lang.code for lang in loc.form_languages()]
    target = 0.5
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        store, _ = Store.create(Path(tmp) / "s", "bench-passphrase", login="bench")
        repo = Repository(store)
        number = make_case(repo, events=events)
        data = load_case(repo, number)
        cold: dict[tuple[str, str], float] = {}
        start = time.perf_counter()
        for doc in DOCUMENTS:  # the first round: fonts registered, catalogs read, widths not yet cached
            for lang in langs:
                t = time.perf_counter()
                render_data(doc, data, lang)
                cold[(doc, lang)] = time.perf_counter() - t
        first_round = time.perf_counter() - start
        times: dict[tuple[str, str], list[float]] = {(d, lang): [] for d in DOCUMENTS for lang in langs}
        rounds = []
        for _ in range(repeat):
            start = time.perf_counter()
            for doc in DOCUMENTS:
                for lang in langs:
                    t = time.perf_counter()
                    render_data(doc, data, lang)
                    times[(doc, lang)].append(time.perf_counter() - t)
            rounds.append(time.perf_counter() - start)
        pages = {doc: len(__import__("pypdf").PdfReader(__import__("io").BytesIO(
            render_data(doc, data, "ar"))).pages) for doc in DOCUMENTS}
        if profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
            for doc in DOCUMENTS:
                for lang in langs:
                    render_data(doc, data, lang)
            prof.disable()
            prof.dump_stats(profile)
        store.close()

    med = {key: statistics.median(v) for key, v in times.items()}
    (slow_doc, slow_lang), slowest = max(med.items(), key=lambda kv: kv[1])
    print(f"{len(DOCUMENTS)} documents x {len(langs)} languages ({', '.join(langs)}), {events} chronicle events, "
          f"median of {repeat} rounds, load {load:.1f}")
    print(f"{'document':<12}{'pages (ar)':>11}{'median':>10}{'max lang':>14}{'slowest':>10}")
    for doc in DOCUMENTS:
        per = {lang: med[(doc, lang)] for lang in langs}
        worst = max(per, key=per.__getitem__)
        print(f"{doc:<12}{pages[doc]:>11}{statistics.median(per.values()) * 1000:>8.1f}ms{worst:>14}"
              f"{per[worst] * 1000:>8.1f}ms")
    (cold_doc, cold_lang), cold_max = max(cold.items(), key=lambda kv: kv[1])
    print(f"first round in a fresh process: {first_round:.2f} s; its slowest document: {cold_doc} ({cold_lang}) "
          f"{cold_max * 1000:.1f} ms (fonts and catalogs loaded by the first one)")
    flag = "" if slowest <= target else "  OVER TARGET"
    print(f"total of one round ({len(med)} PDFs): {statistics.median(rounds):.2f} s")
    print(f"slowest single document: {slow_doc} ({slow_lang}) {slowest * 1000:.1f} ms, target {target * 1000:.0f} ms{flag}")
    return 0 if slowest <= target else 1


if __name__ == "__main__":
    sys.exit(main())
