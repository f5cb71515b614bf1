"""Benchmark: a laptop applies a deletion order for 1,000 cases.

    .venv/bin/python bench/bench_erase.py [--households 3000] [--cases 1000]

Builds a real SQLCipher store from the demo generator (app.demo: households with members,
cases, questionnaires, resource maps, measures, chronicle, appointments), picks --cases cases,
makes the order as the hub would (app.replica.purge.plan), signs it with a P-256 key like the
hub's TLS key, and times what the laptop does in sync.client_orders: verify the signature,
purge in one transaction (domain rows, change log, field state, conflicts), then scrub
(WAL truncated; with --vacuum also VACUUM). Prints the store size and each step's time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def apply_order(store, case_ids: list[str], vacuum: bool = False) -> dict:
    """Make a deletion order for `case_ids` as the hub would, sign it, and apply it to the open store as
    sync.client_orders does; returns the times (s) and counts."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from app.replica import purge
    from sync import orders

    conn = store.conn
    targets = purge.plan(conn, case_ids)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench hub")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(dt.datetime(2026, 1, 1)).not_valid_after(dt.datetime(2036, 1, 1))
            .sign(key, hashes.SHA256()))
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    text = orders.make("bench-order", "hub", 0, "retention", targets)
    sig = orders.sign(key, text)

    t1 = time.perf_counter()
    _doc, parsed = orders.verify(pem, "hub", text, sig)
    t2 = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    res = purge.apply(conn, "bench-order", parsed)
    purge.record_order(conn, "bench-order", "retention", 0)
    conn.execute("COMMIT")
    t3 = time.perf_counter()
    purge.scrub(conn, vacuum=vacuum)
    t4 = time.perf_counter()
    return {"cases": len(case_ids), "persons": len(parsed.persons), "roots": len(parsed.roots),
            "kb": len(text) / 1e3, "verify": t2 - t1, "purge": t3 - t2, "scrub": t4 - t3, "total": t4 - t1,
            "records": res.records, "changes": res.changes}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=3000)
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--vacuum", action="store_true", help="also VACUUM in the scrub (not needed; shrinks the file)")
    args = ap.parse_args()

    from app import demo
    from app.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store, _recovery = Store.create(Path(tmp) / "s", "bench-passphrase-1", login="anna")
        demo.fill(store, households=args.households, reference=dt.date(2026, 11, 2))
        build = time.perf_counter() - t0
        conn = store.conn
        cases = [r[0] for r in conn.execute('SELECT id FROM "case"')]
        changes_before = conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        size = (Path(tmp) / "s" / "store.db").stat().st_size
        random.seed(7)
        chosen = random.sample(cases, min(args.cases, len(cases)))
        r = apply_order(store, chosen, args.vacuum)
        left = conn.execute('SELECT count(*) FROM "case"').fetchone()[0]
        store.close()

    print(f"store: {args.households} households, {len(cases)} cases, {changes_before:,} changes, "
          f"{size / 1e6:.1f} MB (built in {build:.1f} s)")
    print(f"order: {r['cases']} cases, {r['persons']} persons, {r['roots']} whole households, {r['kb']:.0f} kB")
    print(f"verify signature + parse: {r['verify'] * 1000:.0f} ms")
    print(f"purge (one transaction): {r['purge']:.2f} s  -> {r['records']:,} records, {r['changes']:,} changes removed; "
          f"{left} cases left")
    print(f"scrub ({'VACUUM, ' if args.vacuum else ''}WAL truncated): {r['scrub']:.2f} s")
    print(f"total on the laptop: {r['total']:.2f} s")


if __name__ == "__main__":
    main()
