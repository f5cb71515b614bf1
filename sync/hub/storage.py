"""The hub's storage: an app/ store plus hub-only tables (devices, codes, nonces, scope).

The hub keeps the same SQLCipher store as a laptop (change log, field state,
domain tables, conflicts: app.store / app.migrations), so the one merge in
app.replica.merge applies pushed changes exactly as a laptop applies pulled ones. The
tables below exist only on the hub; they have their own numbered migrations
(meta key ``hub_schema``) so that they never collide with app migrations.

Scope: ``hub_feed`` files every change under the offices that saw its
household when it arrived (global entities under "*"). ``hub_scope`` says which office sees which household (root) since
which hub change seq: the household's own office plus every office it is
shared with (a ``share`` entity not deleted). ``hub_scope_exit`` records when
a household left an office's scope (moved or unshared) so the next pull of
that office's laptops can remove it locally. The central office (ZIP) sees
every household and needs neither table.

The hub's secret comes from SPRECHSTUNDE_HUB_PASSPHRASE or from the file named
by SPRECHSTUNDE_HUB_KEYFILE; it unlocks the store as an ordinary passphrase.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from app import schema
from app.store import Store, StoreError
from i18n import _

PASSPHRASE_ENV = "SPRECHSTUNDE_HUB_PASSPHRASE"
KEYFILE_ENV = "SPRECHSTUNDE_HUB_KEYFILE"
DIR_ENV = "SPRECHSTUNDE_HUB_DIR"
STORE_SUBDIR = "store"
HUB_LOGIN = "hub"
CENTRAL = "ZIP"
TLS_PASSWORD_META = "hub_tls_key_password"  # meta key: the password of hub-key.pem
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class HubError(Exception):
    """A problem the administrator can fix; the message says what."""


def _hub_v1(conn) -> None:
    for sql in (
        """CREATE TABLE hub_devices (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, office TEXT NOT NULL,
            public_key BLOB NOT NULL, replica_id TEXT NOT NULL,
            enrolled_at INTEGER NOT NULL, revoked_at INTEGER, revoke_reason TEXT,
            last_seen INTEGER, pull_cursor INTEGER NOT NULL DEFAULT 0,
            pushed INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX hub_devices_replica ON hub_devices (replica_id)",
        """CREATE TABLE hub_codes (
            code_hash TEXT PRIMARY KEY, office TEXT NOT NULL, name TEXT NOT NULL,
            created INTEGER NOT NULL, expires INTEGER NOT NULL,
            used_at INTEGER, device_id TEXT)""",
        """CREATE TABLE hub_nonces (device_id TEXT NOT NULL, nonce TEXT NOT NULL, at INTEGER NOT NULL,
            PRIMARY KEY (device_id, nonce)) WITHOUT ROWID""",
        """CREATE TABLE hub_scope (office TEXT NOT NULL, root_id TEXT NOT NULL, since_seq INTEGER NOT NULL,
            PRIMARY KEY (office, root_id)) WITHOUT ROWID""",
        "CREATE INDEX hub_scope_root ON hub_scope (root_id)",
        """CREATE TABLE hub_scope_exit (office TEXT NOT NULL, seq INTEGER NOT NULL, root_id TEXT NOT NULL,
            PRIMARY KEY (office, seq, root_id)) WITHOUT ROWID""",
        # which entities belong to a household (for the backfill of a household that enters an
        # office's scope); one row per entity is much cheaper than an index over every change
        # the change-log seqs each office receives ("*": global entities), appended at push time
        # so that a pull reads only its office's changes instead of scanning the whole log
        """CREATE TABLE hub_feed (office TEXT NOT NULL, seq INTEGER NOT NULL, origin TEXT NOT NULL,
            PRIMARY KEY (office, seq)) WITHOUT ROWID""",
        # which devices wrote to a household: a household that enters a device's scope needs no
        # backfill when that device is its only writer (the common case: it made the household)
        # (first_seq: from when; a household a laptop wrote to outside its office's scope, e.g.
        # registered for another office, is removed from that laptop at its next pull)
        """CREATE TABLE hub_root_writers (root_id TEXT NOT NULL, replica_id TEXT NOT NULL,
            first_seq INTEGER NOT NULL, PRIMARY KEY (root_id, replica_id)) WITHOUT ROWID""",
        "CREATE INDEX hub_root_writers_replica ON hub_root_writers (replica_id, first_seq)",
        """CREATE TABLE hub_root_entities (root_id TEXT NOT NULL, entity_id TEXT NOT NULL,
            PRIMARY KEY (root_id, entity_id)) WITHOUT ROWID""",
        'CREATE INDEX IF NOT EXISTS hub_share_household ON "share" (household_id)',
    ):
        conn.execute(sql)


def _hub_v2(conn) -> None:
    # a code may replace an enrolled device (the only way to re-enroll a replica id: `enroll --replace`)
    conn.execute("ALTER TABLE hub_codes ADD COLUMN replace_device TEXT")
    # the hub's own global changes (its staff record, written when the store was made) were never
    # filed: office laptops pull only their feed, so they could not name the hub's changes
    conn.execute("INSERT OR IGNORE INTO hub_feed (office, seq, origin)"
                 " SELECT '*', seq, device_id FROM changes WHERE root_id IS NULL")


def _hub_v3(conn) -> None:
    # deletion orders (sync.hub.retention): the register of what was deleted and why, and which
    # device confirmed applying each order
    conn.execute("CREATE TABLE hub_orders (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                 " created_at INTEGER NOT NULL, basis TEXT NOT NULL, reason TEXT NOT NULL,"
                 " case_numbers TEXT NOT NULL, counts TEXT NOT NULL, doc TEXT NOT NULL, sig TEXT NOT NULL)")
    conn.execute("CREATE TABLE hub_order_acks (order_id TEXT NOT NULL, device_id TEXT NOT NULL,"
                 " at INTEGER NOT NULL, PRIMARY KEY (order_id, device_id)) WITHOUT ROWID")


HUB_MIGRATIONS = [_hub_v1, _hub_v2, _hub_v3]


# The hub serves no case lists or searches, so the secondary indexes of the domain tables
# (and the change log's index by stamp) only cost it writes (every index is one more random page per pushed entity: about a quarter
# of push throughput). Only the two that scope needs are kept. Dropped at every open, so an
# app migration that re-creates them (ensure_entities) does not slow the hub down for long.
HUB_KEEP_INDEXES = {("household", ("office",)), ("share", ("household_id",))}


def drop_unused_indexes(conn) -> None:
    from app import schema

    # nothing reads the change log by stamp alone (by entity, field, stamp: the UNIQUE key);
    # without it each pushed change costs one B-tree insert less (about 3 % of push CPU)
    conn.execute("DROP INDEX IF EXISTS changes_hlc")

    for ent in schema.ENTITIES.values():
        for idx in ent.indexes:
            if (ent.name, tuple(idx)) not in HUB_KEEP_INDEXES:
                conn.execute(f'DROP INDEX IF EXISTS "{ent.table}_{"_".join(idx)}"')


def migrate_hub(conn) -> None:
    row = conn.execute("SELECT value FROM meta WHERE key = 'hub_schema'").fetchone()
    version = int(row[0]) if row else 0
    if version > len(HUB_MIGRATIONS):
        raise HubError(_("this hub store was written by a newer version"))
    while version < len(HUB_MIGRATIONS):
        conn.execute("BEGIN IMMEDIATE")
        try:
            HUB_MIGRATIONS[version](conn)
            version += 1
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hub_schema', ?)", (str(version),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    drop_unused_indexes(conn)


# -- the secret and the store ---------------------------------------------------
def hub_dir(arg: str | None) -> Path:
    d = arg or os.environ.get(DIR_ENV)
    if not d:
        raise HubError(_("no hub folder: pass --dir or set {env}").format(env=DIR_ENV))
    return Path(d)


def read_secret(create: bool = False) -> str:
    """The hub passphrase from the environment (or a key file, made when `create`)."""
    pw = os.environ.get(PASSPHRASE_ENV)
    if pw:
        return pw
    keyfile = os.environ.get(KEYFILE_ENV)
    if keyfile:
        path = Path(keyfile)
        if not path.exists() and create:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(32) + "\n")
        try:
            text = path.read_text("utf-8").strip()
        except OSError as exc:
            raise HubError(_("cannot read the key file {path}: {reason}").format(
                path=path, reason=exc.strerror)) from None
        if len(text) < 8:
            raise HubError(_("the key file {path} is too short").format(path=path))
        return text
    raise HubError(_("no hub secret: set {env} or {keyfile_env}").format(
        env=PASSPHRASE_ENV, keyfile_env=KEYFILE_ENV))


def create_store(folder: Path) -> Store:
    try:
        store, _recovery = Store.create(folder / STORE_SUBDIR, read_secret(create=True), login=HUB_LOGIN, name="hub")
    except StoreError as exc:
        raise HubError(str(exc)) from None
    migrate_hub(store.conn)
    return store


def open_store(folder: Path) -> Store:
    path = folder / STORE_SUBDIR
    if not Store.exists(path):
        raise HubError(_("there is no hub in {path} (run 'sprechstunde-hub init' first)").format(path=folder))
    try:
        store = Store.open(path, read_secret(), HUB_LOGIN)
    except StoreError as exc:
        raise HubError(str(exc)) from None
    migrate_hub(store.conn)
    return store


# -- enrollment codes and devices --------------------------------------------------
def now_ms() -> int:
    return int(time.time() * 1000)


def code_hash(code: str) -> str:
    canon = "".join(c for c in code.upper() if c in CODE_ALPHABET)
    return hashlib.sha256(canon.encode()).hexdigest()


def new_code(conn, office: str, name: str, valid_hours: float = 24.0,
             replace: str | None = None) -> tuple[str, int]:
    """A one-time enrollment code (shown once; only its hash is stored) and its expiry (ms).

    With `replace` (a device id) the code re-enrolls that device's laptop: the new key takes over
    its replica id and the old enrollment is revoked. Plain codes only enroll replica ids that are
    new to the hub."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(20))  # 100 bits
    code = "-".join(raw[i:i + 5] for i in range(0, 20, 5))
    created = now_ms()
    expires = created + int(valid_hours * 3_600_000)
    conn.execute("INSERT INTO hub_codes (code_hash, office, name, created, expires, replace_device)"
                 " VALUES (?,?,?,?,?,?)", (code_hash(code), office, name, created, expires, replace))
    return code, expires


class EnrollRefused(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def redeem_code(conn, code: str, public_key: bytes, replica_id: str, name: str) -> dict:
    """Use a code once: a new device row bound to its key and its replica id.

    The hub decides the identity: a plain code binds a replica id only if no device
    was ever enrolled with it and it is not the hub's own (stamps name their replica,
    so anyone can read a laptop's id; naming it must not take that laptop over). A
    code made for replacing a device (`new_code(replace=...)`) binds exactly that
    device's replica id and revokes the old enrollment.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT office, name, expires, used_at, replace_device FROM hub_codes"
                           " WHERE code_hash = ?", (code_hash(code),)).fetchone()
        if row is None:
            raise EnrollRefused("unknown_code", "the enrollment code is not known")
        office, code_name, expires, used_at, replace = row
        if used_at is not None:
            raise EnrollRefused("code_used", "the enrollment code has been used already")
        if expires < now_ms():
            raise EnrollRefused("code_expired", "the enrollment code has expired")
        device_id = secrets.token_hex(8)
        at = now_ms()
        if replace is not None:
            old = get_device(conn, replace)
            if old is None or old.replica_id != replica_id:
                raise EnrollRefused("replica_mismatch", f"this code re-enrolls device {replace}; "
                                    "use it on that laptop's store")
            conn.execute("UPDATE hub_devices SET revoked_at = ?, revoke_reason = ?"
                         " WHERE replica_id = ? AND revoked_at IS NULL", (at, f"replaced by {device_id}", replica_id))
        else:
            taken = conn.execute("SELECT id FROM hub_devices WHERE replica_id = ? ORDER BY enrolled_at DESC LIMIT 1",
                                 (replica_id,)).fetchone()
            own = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
            if taken is not None or (own is not None and own[0] == replica_id):
                raise EnrollRefused("replica_taken", "this laptop's identity is enrolled already"
                                    + (f" (device {taken[0]}); re-enrolling it needs a code made with "
                                       f"'sprechstunde-hub enroll --replace {taken[0]}'" if taken else ""))
        conn.execute(
            "INSERT INTO hub_devices (id, name, office, public_key, replica_id, enrolled_at) VALUES (?,?,?,?,?,?)",
            (device_id, code_name or name, office, public_key, replica_id, at))
        conn.execute("UPDATE hub_codes SET used_at = ?, device_id = ? WHERE code_hash = ?",
                     (at, device_id, code_hash(code)))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return {"device_id": device_id, "office": office, "name": code_name or name, "replica_id": replica_id}


@dataclass(frozen=True)
class Device:
    id: str
    name: str
    office: str
    public_key: bytes
    replica_id: str
    revoked_at: int | None
    revoke_reason: str | None


def get_device(conn, device_id: str) -> Device | None:
    row = conn.execute("SELECT id, name, office, public_key, replica_id, revoked_at, revoke_reason"
                       " FROM hub_devices WHERE id = ?", (device_id,)).fetchone()
    return Device(*row) if row else None


def list_devices(conn) -> list[dict]:
    cols = ("id", "name", "office", "replica_id", "enrolled_at", "revoked_at", "revoke_reason",
            "last_seen", "pull_cursor", "pushed")
    rows = conn.execute(f"SELECT {', '.join(cols)} FROM hub_devices ORDER BY enrolled_at").fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]


def revoke(conn, device_id: str, reason: str = "revoked by administrator") -> bool:
    cur = conn.execute("UPDATE hub_devices SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL",
                       (now_ms(), reason, device_id))
    return cur.rowcount > 0


# -- scope -------------------------------------------------------------------------
SCOPE_FIELDS = {("household", "office"), ("share", "office"), ("share", "household_id"), ("share", "deleted")}


def record_entities(conn, changes, seq: int) -> None:
    """Remember which household each entity belongs to and who wrote to it (inside the push transaction).

    `seq` is the first change-log seq of this push."""
    pairs = {(c.root_id, c.entity_id) for c in changes if c.root_id is not None}
    conn.executemany("INSERT OR IGNORE INTO hub_root_entities (root_id, entity_id) VALUES (?, ?)", sorted(pairs))
    writers = {(c.root_id, c.device_id) for c in changes if c.root_id is not None}
    conn.executemany("INSERT OR IGNORE INTO hub_root_writers (root_id, replica_id, first_seq) VALUES (?, ?, ?)",
                     [(r, d, seq) for r, d in sorted(writers)])


def append_feed(conn, after_seq: int) -> None:
    """File the changes logged after `after_seq` under the offices that see them (after update_scope)."""
    new = conn.execute("SELECT seq, root_id, device_id FROM changes WHERE seq > ?", (after_seq,)).fetchall()
    roots = sorted({r for _seq, r, _d in new if r is not None})
    offices: dict[str, list[str]] = {}
    for i in range(0, len(roots), 500):
        chunk = roots[i:i + 500]
        for root, office in conn.execute(
                f"SELECT root_id, office FROM hub_scope WHERE root_id IN ({','.join('?' * len(chunk))})", chunk):
            offices.setdefault(root, []).append(office)
    rows = [(o, seq, d) for seq, r, d in new for o in (offices.get(r, ()) if r is not None else ("*",))]
    conn.executemany("INSERT OR IGNORE INTO hub_feed (office, seq, origin) VALUES (?, ?, ?)", rows)


def affected_roots(changes) -> set[str]:
    return {c.root_id for c in changes if c.root_id and (c.entity, c.field) in SCOPE_FIELDS}


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def refused_roots(conn, device: Device, changes) -> list[str]:
    """Households this push would change but the device's office may not write to (empty: all allowed).

    An office's device may write to a household that is new to the hub (registered
    at its office hours, perhaps for another office), in its office's scope now,
    in it earlier (edits made offline before a move reached the laptop), or one it
    wrote to before. The household of an entity the hub already has is taken from
    the hub's own record, not from what the device claims. The central office may
    write everywhere.
    """
    if device.office == CENTRAL:
        return []
    roots = {c.root_id for c in changes if c.root_id is not None}
    ids_by_entity: dict[str, set[str]] = {}
    for c in changes:
        if c.root_id is not None:
            ids_by_entity.setdefault(c.entity, set()).add(c.entity_id)
    for entity, ids in ids_by_entity.items():
        column = schema.ENTITIES[entity].root
        for chunk in _chunks(sorted(ids)):
            roots.update(r for (r,) in conn.execute(
                f'SELECT "{column}" FROM "{entity}" WHERE id IN ({",".join("?" * len(chunk))})', chunk) if r)
    refused = []
    for chunk in _chunks(sorted(roots)):
        marks = ",".join("?" * len(chunk))
        known = {r for (r,) in conn.execute(f'SELECT id FROM "household" WHERE id IN ({marks})', chunk)}
        if not known:
            continue
        allowed = {r for (r,) in conn.execute(
            f"SELECT root_id FROM hub_scope WHERE office = ? AND root_id IN ({marks})"
            f" UNION SELECT root_id FROM hub_scope_exit WHERE office = ? AND root_id IN ({marks})"
            f" UNION SELECT root_id FROM hub_root_writers WHERE replica_id = ? AND root_id IN ({marks})",
            [device.office, *chunk, device.office, *chunk, device.replica_id, *chunk])}
        refused.extend(sorted(known - allowed))
    return refused


def offices_of(conn, root_id: str) -> set[str]:
    out = set()
    row = conn.execute('SELECT office FROM "household" WHERE id = ?', (root_id,)).fetchone()
    if row and row[0]:
        out.add(row[0])
    for (office,) in conn.execute(
            'SELECT office FROM "share" WHERE household_id = ? AND coalesce(deleted, 0) = 0', (root_id,)):
        if office:
            out.add(office)
    out.discard(CENTRAL)
    return out


def update_scope(conn, roots: set[str]) -> None:
    """Bring hub_scope up to date for these roots (inside the push transaction)."""
    if not roots:
        return
    seq = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
    for root in sorted(roots):
        want = offices_of(conn, root)
        have = {r[0] for r in conn.execute("SELECT office FROM hub_scope WHERE root_id = ?", (root,))}
        for office in sorted(want - have):
            conn.execute("INSERT INTO hub_scope (office, root_id, since_seq) VALUES (?,?,?)", (office, root, seq))
        for office in sorted(have - want):
            conn.execute("DELETE FROM hub_scope WHERE office = ? AND root_id = ?", (office, root))
            conn.execute("INSERT OR IGNORE INTO hub_scope_exit (office, seq, root_id) VALUES (?,?,?)",
                         (office, seq, root))
