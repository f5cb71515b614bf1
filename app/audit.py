"""Who read what: the hash-chained, append-only audit trail of case views, prints, exports and refusals.

Every entry names who (staff id, role, agency), what (action, case, outcome), when
and on which device, and carries the SHA-256 of the entry before it of the same
device (`prev`) and its own (`hash`, over the canonical JSON of all its fields and
`prev`), numbered `n` = 1, 2, 3 … per device. The table refuses UPDATE and DELETE
(triggers); the chain makes any edit, removal or reordering visible to `verify`.
Entries sync to the hub (sync/audit_sync.py), which accepts only a continuation of
the chain it already has; once there, the local rows cannot be rewritten unnoticed.
Changes to data are in the change log; this trail records reads.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass

FIELDS = ("device_id", "n", "at", "staff_id", "role", "agency", "action", "case_id", "case_number",
          "outcome", "prev")
GENESIS = ""  # `prev` of a device's first entry
MAX_TEXT = 200  # longest text in one entry field (the hub refuses longer)

TABLE_STATEMENTS = (
    """CREATE TABLE IF NOT EXISTS audit_trail (
        n INTEGER PRIMARY KEY, device_id TEXT NOT NULL, at TEXT NOT NULL, staff_id TEXT, role TEXT,
        agency TEXT, action TEXT NOT NULL, case_id TEXT, case_number TEXT, outcome TEXT,
        prev TEXT NOT NULL, hash TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS audit_trail_case ON audit_trail (case_number)",
    """CREATE TRIGGER IF NOT EXISTS audit_trail_no_update BEFORE UPDATE ON audit_trail
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_trail_no_delete BEFORE DELETE ON audit_trail
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
)


def entry_hash(entry: dict) -> str:
    """SHA-256 (hex) of the canonical JSON of an entry's FIELDS: the same on laptop and hub."""
    doc = [entry.get(f) for f in FIELDS]
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Who:
    staff_id: str | None
    role: str
    agency: str | None


def append(store, who: Who, action: str, case_id: str | None = None, case_number: str | None = None,
           outcome: str = "ok") -> dict:
    """Add one entry at the end of this device's chain (joins a running transaction, else commits)."""
    conn = store.conn
    in_tx = conn.in_transaction
    if not in_tx:
        conn.execute("BEGIN IMMEDIATE")
    try:
        last = conn.execute("SELECT n, hash FROM audit_trail ORDER BY n DESC LIMIT 1").fetchone()
        entry = {"device_id": store.device_id, "n": (last[0] + 1) if last else 1,
                 "at": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                 "staff_id": who.staff_id, "role": who.role, "agency": who.agency, "action": action[:MAX_TEXT],
                 "case_id": case_id, "case_number": case_number, "outcome": outcome[:MAX_TEXT],
                 "prev": last[1] if last else GENESIS}
        entry["hash"] = entry_hash(entry)
        conn.execute(f"INSERT INTO audit_trail ({', '.join(FIELDS)}, hash) VALUES ({', '.join('?' * (len(FIELDS) + 1))})",
                     [entry[f] for f in FIELDS] + [entry["hash"]])
        if not in_tx:
            conn.execute("COMMIT")
    except BaseException:
        if not in_tx and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return entry


def entries(conn, case_number: str | None = None, after: int = 0, limit: int = -1) -> list[dict]:
    """This store's entries in chain order (optionally of one case, or after entry `after`)."""
    sql = f"SELECT {', '.join(FIELDS)}, hash FROM audit_trail WHERE n > ?"
    params: list = [after]
    if case_number:
        sql += " AND case_number = ?"
        params.append(case_number)
    rows = conn.execute(sql + " ORDER BY n LIMIT ?", (*params, limit)).fetchall()
    return [dict(zip((*FIELDS, "hash"), r, strict=True)) for r in rows]


def verify_chain(chain: list[dict], head: tuple[int, str] | None = None) -> list[str]:
    """Problems of one device's entries in order (empty when sound): a gap, an edited entry, a broken
    link, or, with the `head` (n, hash) the device last declared, a chain cut short or diverged."""
    problems = []
    prev, expect = GENESIS, 1
    for e in chain:
        if e["n"] != expect:
            problems.append(f"entry {expect} is missing (next is {e['n']})")
            expect = e["n"]
        elif e["prev"] != prev:
            problems.append(f"entry {e['n']} does not follow entry {e['n'] - 1}")
        if entry_hash(e) != e["hash"]:
            problems.append(f"entry {e['n']} was changed")
        prev, expect = e["hash"], expect + 1
    if head is not None:
        n, h = head
        if expect - 1 < n:
            problems.append(f"the chain ends at entry {expect - 1} but the device declared {n}")
        elif chain and not any(e["n"] == n and e["hash"] == h for e in chain) and n > 0:
            problems.append(f"entry {n} differs from what the device declared")
    return problems


def log_access(store, action: str, entity: str | None = None, entity_id: str | None = None) -> dict:
    """An entry for the staff member who unlocked `store` (their role and agency from the staff record),
    for what is not one case's data behind the consent gate (course planning documents, the steering
    report). Office-hour prints and the day view log through app.access (app.hours)."""
    row = store.conn.execute('SELECT role, agency FROM "staff" WHERE id = ?', (store.staff_id,)).fetchone()
    who = Who(store.staff_id, (row[0] if row else None) or "admin", row[1] if row else None)
    if entity == "case":
        return append(store, who, action, case_number=entity_id)
    return append(store, who, f"{action} {entity}:{entity_id}" if entity and entity_id else action)


def accesses(store, key: str | None = None) -> list[dict]:
    """The entries about one case (its number, id or household id), oldest first, in the shape the
    Art. 15 export prints: at, staff_id, action, role, agency, outcome."""
    rows = entries(store.conn) if key is None else [
        e for e in entries(store.conn) if key in (e.get("case_number"), e.get("case_id"))]
    return [{"at": e["at"], "staff_id": e["staff_id"], "action": e["action"], "role": e.get("role"),
             "agency": e.get("agency"), "outcome": e.get("outcome")} for e in rows]
