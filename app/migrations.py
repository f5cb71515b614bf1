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


def _script(conn, sql: str) -> None:
    """Run several statements inside the current transaction (executescript would commit)."""
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


def _create_entity_table(conn, ent: schema.Entity) -> None:
    cols = ", ".join(f'"{f.name}" {schema.sql_type(f)}' for f in ent.fields)
    conn.execute(f'CREATE TABLE IF NOT EXISTS "{ent.table}" (id TEXT PRIMARY KEY, {cols})')
    _create_indexes(conn, ent)


def _create_indexes(conn, ent: schema.Entity) -> None:
    for idx in ent.indexes:
        name = f'{ent.table}_{"_".join(idx)}'
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


MIGRATIONS: list[Callable] = [_v1, _v2]
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
    if target == LATEST and _entities_missing(conn):  # entities or fields added to app.schema since the last migration
        conn.execute("BEGIN IMMEDIATE")
        try:
            ensure_entities(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return done


def _entities_missing(conn) -> bool:
    for ent in schema.ENTITIES.values():
        have = {row[1] for row in conn.execute(f'PRAGMA table_info("{ent.table}")')}
        if not have or any(f.name not in have for f in ent.fields):
            return True
    return False
