"""Numbered schema migrations, each run inside one transaction.

Migration N brings a store from version N-1 to N. Version 1 is the first
layout ever shipped; later migrations add what later releases need. Never edit
a migration that has shipped: add a new one.
"""

from __future__ import annotations

from typing import Callable

from . import schema


def _v1(conn) -> None:
    """The change log, field stamps, meta, conflicts and the first domain tables."""
    _script(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE changes (
            seq INTEGER PRIMARY KEY,
            hlc TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT,
            prev_hlc TEXT,
            device_id TEXT NOT NULL,
            staff_id TEXT,
            root_id TEXT,
            UNIQUE (entity_id, field, hlc)
        );
        CREATE INDEX changes_hlc ON changes (hlc);
        CREATE TABLE field_state (
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            hlc TEXT NOT NULL,
            PRIMARY KEY (entity_id, field)
        ) WITHOUT ROWID;
        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY,
            entity TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            field TEXT NOT NULL,
            winner_hlc TEXT NOT NULL,
            loser_hlc TEXT NOT NULL,
            loser_value TEXT,
            status TEXT NOT NULL DEFAULT 'open',
            resolved_hlc TEXT,
            UNIQUE (entity_id, field, loser_hlc)
        );
        """
    )
    # Version 1 had these four tables with these columns only (frozen here).
    for name, columns in V1_COLUMNS.items():
        ent = schema.entity(name)
        cols = ", ".join(f'"{c}" {schema.sql_type(ent.field_map[c])}' for c in columns)
        conn.execute(f'CREATE TABLE "{name}" (id TEXT PRIMARY KEY, {cols})')


V1_COLUMNS = {
    "staff": ("name", "login", "agency", "office", "deleted"),
    "household": ("office", "address", "accommodation", "arrival_date", "notes", "deleted"),
    "person": ("household_id", "relation", "family_name", "given_names", "family_name_orig",
               "given_names_orig", "birth_date", "sex", "nationality", "languages",
               "interpreter_language", "deleted"),
    "case": ("household_id", "person_id", "case_number", "office", "rechtskreis", "status",
             "staff", "opened", "closed", "deleted"),
}


def _v2(conn) -> None:
    """Field-workflow entities, person search text and the audit of reads."""
    for name, ent in schema.ENTITIES.items():
        if name in V1_COLUMNS:
            _add_missing_columns(conn, ent)
            _create_indexes(conn, ent)
        else:
            _create_entity_table(conn, ent)
    conn.execute('ALTER TABLE "person" ADD COLUMN search_text TEXT')
    conn.execute(
        "CREATE TABLE access_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL, staff_id TEXT,"
        " action TEXT NOT NULL, entity TEXT, entity_id TEXT)"
    )


def _v3(conn) -> None:
    """Deletion orders (app.replica.purge): ids purged for good, orders applied here; anonymised cases."""
    ensure_entities(conn)
    conn.execute("CREATE TABLE purged (entity_id TEXT PRIMARY KEY, order_id TEXT NOT NULL) WITHOUT ROWID")
    conn.execute("CREATE TABLE purge_orders (id TEXT PRIMARY KEY, basis TEXT NOT NULL, issued_at INTEGER NOT NULL,"
                 " applied_at TEXT NOT NULL, confirmed INTEGER NOT NULL DEFAULT 0)")


def _script(conn, sql: str) -> None:
    """Run several statements inside the current transaction (executescript would commit)."""
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


def _create_entity_table(conn, ent: schema.Entity) -> None:
    cols = ", ".join(f'"{f.name}" {schema.sql_type(f)}' for f in ent.fields)
    conn.execute(f'CREATE TABLE IF NOT EXISTS "{ent.table}" (id TEXT PRIMARY KEY, {cols})')
    _create_indexes(conn, ent)


def _index_name(ent: schema.Entity, idx: tuple[str, ...]) -> str:
    return f'{ent.table}_{"_".join(idx)}'


def _create_indexes(conn, ent: schema.Entity) -> None:
    for idx in ent.indexes:
        name = _index_name(ent, idx)
        conn.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{ent.table}" ({", ".join(chr(34) + c + chr(34) for c in idx)})')


def _add_missing_columns(conn, ent: schema.Entity) -> None:
    have = {row[1] for row in conn.execute(f'PRAGMA table_info("{ent.table}")')}
    for f in ent.fields:
        if f.name not in have:
            conn.execute(f'ALTER TABLE "{ent.table}" ADD COLUMN "{f.name}" {schema.sql_type(f)}')


def ensure_entities(conn) -> None:
    """Create missing tables, columns and indexes for every entity in app.schema.

    Idempotent; a later migration that adds entities or fields calls this.
    """
    for ent in schema.ENTITIES.values():
        _create_entity_table(conn, ent)
        _add_missing_columns(conn, ent)
        _create_indexes(conn, ent)


def _v4(conn) -> None:
    """Course seats, waiting lists, seat offers, handovers; measure.course_id (docs/courses.md)."""
    ensure_entities(conn)


def _v5(conn) -> None:
    """Staff roles (new staff fields) and the hash-chained audit trail; the earlier access log
    is carried over into the chain, oldest first (app.audit)."""
    from . import audit

    ensure_entities(conn)
    for statement in audit.TABLE_STATEMENTS:
        conn.execute(statement)
    row = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    old = conn.execute("SELECT at, staff_id, action, entity, entity_id FROM access_log ORDER BY seq").fetchall()
    prev = audit.GENESIS
    for n, (at, staff_id, action, entity, entity_id) in enumerate(old if row else [], start=1):
        case = entity_id if entity == "case" else None
        e = {"device_id": row[0], "n": n, "at": at, "staff_id": staff_id, "role": None, "agency": None,
             "action": action, "case_id": None, "case_number": case, "outcome": "ok", "prev": prev}
        e["hash"] = prev = audit.entry_hash(e)
        conn.execute(f"INSERT INTO audit_trail ({', '.join(audit.FIELDS)}, hash) VALUES "
                     f"({', '.join('?' * (len(audit.FIELDS) + 1))})", [e[f] for f in audit.FIELDS] + [e["hash"]])


def _v6(conn) -> None:
    """Tables, columns and indexes of the employer service (employer, offer, placement)."""
    ensure_entities(conn)


def _v7(conn) -> None:
    """Who made each record the consent gate judges: a partial index of the change log over the first
    write of their case_id (app.access; schema.MADE_WHERE)."""
    conn.execute(f"CREATE INDEX IF NOT EXISTS changes_made ON changes (value, staff_id) WHERE {schema.MADE_WHERE}")


MIGRATIONS: list[Callable] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]
LATEST = len(MIGRATIONS)


def current_version(conn) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn, target: int = LATEST) -> list[int]:
    """Run every pending migration up to `target`, each in its own transaction."""
    done = []
    version = current_version(conn)
    if version > LATEST:
        raise RuntimeError(f"store version {version} is newer than this program ({LATEST})")
    while version < target:
        step = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
        done.append(version)
    # entities, fields or indexes added to app.schema since the last migration
    if target == LATEST and _entities_missing(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            ensure_entities(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return done


def _entities_missing(conn) -> bool:
    """Whether app.schema has an entity, field or index the store lacks."""
    indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for ent in schema.ENTITIES.values():
        have = {row[1] for row in conn.execute(f'PRAGMA table_info("{ent.table}")')}
        if not have or any(f.name not in have for f in ent.fields):
            return True
        if any(_index_name(ent, idx) not in indexes for idx in ent.indexes):
            return True
    return False
