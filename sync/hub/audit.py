"""The hub's copy of every laptop's audit trail: append-only, one hash chain per device.

A laptop sends its entries after those the hub has (``POST /v1/audit``). The hub
accepts only a continuation of the chain it holds for the signing device: entries
of that device only, numbered on from its last entry, each linking to the hash of
the one before and carrying the hash of its own fields (recomputed here). An entry
the hub has already must come again unchanged; a different one is refused
(``audit_rewrite``), and so is a laptop whose declared head is behind what the hub
holds (``audit_shortened``). Nothing updates or deletes a stored entry (triggers).
`verify` recomputes every chain and compares it with the head each device last
declared, so a removed, edited or cut-off entry in the hub's own file is reported.
"""

from __future__ import annotations

import time

from app import audit as A
from sync import protocol as P

from .service import Refused

MAX_ENTRIES = 5000  # entries in one request
_TEXT_FIELDS = ("device_id", "at", "staff_id", "role", "agency", "action", "case_id", "case_number", "outcome")
_KEYS = frozenset((*A.FIELDS, "hash"))

TABLES = (
    """CREATE TABLE IF NOT EXISTS hub_audit (
        device_id TEXT NOT NULL, n INTEGER NOT NULL, at TEXT NOT NULL, staff_id TEXT, role TEXT, agency TEXT,
        action TEXT NOT NULL, case_id TEXT, case_number TEXT, outcome TEXT, prev TEXT NOT NULL,
        hash TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (device_id, n)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS hub_audit_case ON hub_audit (case_number)",
    """CREATE TRIGGER IF NOT EXISTS hub_audit_no_update BEFORE UPDATE ON hub_audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS hub_audit_no_delete BEFORE DELETE ON hub_audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    # the newest (n, hash) each device declared: what its chain must reach
    """CREATE TABLE IF NOT EXISTS hub_audit_head (device_id TEXT PRIMARY KEY, n INTEGER NOT NULL,
        hash TEXT NOT NULL, at INTEGER NOT NULL)""",
)
COLUMNS = (*A.FIELDS, "hash")


def ensure_tables(conn) -> None:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'hub_audit_head'").fetchone():
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in TABLES:
            conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _check_entry(e) -> dict:
    if type(e) is not dict or set(e) != _KEYS:
        raise P.ProtocolError("an audit entry has the wrong fields")
    if type(e["n"]) is not int or not 1 <= e["n"] <= P.MAX_SEQ:
        raise P.ProtocolError("bad audit entry number")
    for f in _TEXT_FIELDS:
        v = e[f]
        if v is not None and (type(v) is not str or len(v) > A.MAX_TEXT):
            raise P.ProtocolError(f"bad audit field {f}")
    if type(e["device_id"]) is not str or type(e["at"]) is not str or type(e["action"]) is not str:
        raise P.ProtocolError("an audit entry needs device, time and action")
    for f in ("prev", "hash"):
        if type(e[f]) is not str or len(e[f]) > 64:
            raise P.ProtocolError(f"bad audit field {f}")
    if A.entry_hash(e) != e["hash"]:
        raise Refused(409, "audit_hash", f"audit entry {e['n']} does not match its hash")
    return e


def _head(conn, replica: str) -> tuple[int, str]:
    row = conn.execute("SELECT n, hash FROM hub_audit WHERE device_id = ? ORDER BY n DESC LIMIT 1",
                       (replica,)).fetchone()
    return (row[0], row[1]) if row else (0, A.GENESIS)


def push(hub, device, doc: dict) -> dict:
    """Store the entries that continue the device's chain; refuse rewrites, gaps and a shortened chain."""
    entries, head = doc.get("entries"), doc.get("head")
    if doc.get("v") != P.PROTOCOL or not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise P.ProtocolError("audit needs v=1 and at most 5000 entries")
    if (not isinstance(head, list) or len(head) != 2 or type(head[0]) is not int or not 0 <= head[0] <= P.MAX_SEQ
            or type(head[1]) is not str or len(head[1]) > 64):
        raise P.ProtocolError("audit needs the device's head [n, hash]")
    replica = device.replica_id
    checked = [_check_entry(e) for e in entries]
    if any(e["device_id"] != replica for e in checked):
        raise Refused(403, "audit_foreign", "a device may only send its own audit entries")
    checked.sort(key=lambda e: e["n"])
    with hub.lock:
        conn = hub.conn
        last_n, last_hash = _head(conn, replica)
        if head[0] < last_n:
            raise Refused(409, "audit_shortened", f"the device declares {head[0]} entries, the hub holds {last_n}")
        new: list[dict] = []
        for e in checked:
            if e["n"] <= last_n:
                stored = conn.execute("SELECT hash FROM hub_audit WHERE device_id = ? AND n = ?",
                                      (replica, e["n"])).fetchone()
                if stored is None or stored[0] != e["hash"]:
                    raise Refused(409, "audit_rewrite", f"audit entry {e['n']} differs from the one the hub holds")
                continue
            expect_n, expect_prev = (new[-1]["n"] + 1, new[-1]["hash"]) if new else (last_n + 1, last_hash)
            if e["n"] != expect_n or e["prev"] != expect_prev:
                raise Refused(409, "audit_gap", f"audit entry {e['n']} does not continue the chain at {expect_n}")
            new.append(e)
        final = new[-1] if new else None
        if final is not None and head[0] == final["n"] and head[1] != final["hash"]:
            raise Refused(409, "audit_head", "the declared head does not match the last entry")
        now = int(time.time() * 1000)
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany(
                f"INSERT INTO hub_audit ({', '.join(COLUMNS)}, received_at) "
                f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
                [(*(e[c] for c in COLUMNS), now) for e in new])
            conn.execute("INSERT OR REPLACE INTO hub_audit_head (device_id, n, hash, at) VALUES (?, ?, ?, ?)",
                         (replica, head[0], head[1], now))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return {"accepted": len(new), "last": new[-1]["n"] if new else last_n}


def entries(conn, case_number: str | None = None) -> list[dict]:
    """Every stored entry, by device and chain order (optionally of one case)."""
    sql = f"SELECT {', '.join(COLUMNS)}, received_at FROM hub_audit"
    params: tuple = ()
    if case_number:
        sql += " WHERE case_number = ?"
        params = (case_number,)
    rows = conn.execute(sql + " ORDER BY device_id, n", params).fetchall()
    return [dict(zip((*COLUMNS, "received_at"), r, strict=True)) for r in rows]


def verify(conn) -> dict[str, list[str]]:
    """Problems per device (replica id); a device whose chain is sound maps to []."""
    heads = {r[0]: (r[1], r[2]) for r in conn.execute("SELECT device_id, n, hash FROM hub_audit_head")}
    chains: dict[str, list[dict]] = {}
    for e in entries(conn):
        chains.setdefault(e["device_id"], []).append(e)
    out = {}
    for replica in sorted(set(heads) | set(chains)):
        out[replica] = A.verify_chain(chains.get(replica, []), heads.get(replica))
    return out
