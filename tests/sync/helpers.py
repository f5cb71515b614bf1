"""Test helpers for sync: replicas as real SQLCipher stores and in-process exchange."""

from __future__ import annotations

from app import schema
from app.replica.changelog import ChangeLog
from app.repository import Repository, clock_for
from app.store import Store
from app.replica.merge import merge

PASSPHRASE = "richtig-geheim"


def make_store(path, login="anna"):
    store, _ = Store.create(path, PASSPHRASE, login=login)
    return store


def all_changes(store):
    return [c for _, c in ChangeLog(store.conn).since(0, limit=10**9)]


def exchange(src, dst):
    """Merge everything src has logged into dst."""
    return merge(dst.conn, all_changes(src), clock_for(dst))


def domain_state(store) -> dict:
    """Every domain row and field stamp, for comparing replicas."""
    out = {}
    for name, ent in schema.ENTITIES.items():
        cols = ", ".join(f'"{c}"' for c in ent.column_names())
        out[name] = sorted(store.conn.execute(f'SELECT id, {cols} FROM "{name}"').fetchall(), key=repr)
    out["field_state"] = sorted(store.conn.execute("SELECT entity_id, field, hlc FROM field_state"))
    return out


def open_conflicts(store) -> set:
    return set(store.conn.execute(
        "SELECT entity_id, field, loser_hlc, winner_hlc, loser_value FROM conflicts WHERE status = 'open'"))


__all__ = ["Repository", "make_store", "all_changes", "exchange", "domain_state", "open_conflicts"]
