"""Writes the hub makes itself (seat allocation, a merge of duplicates), filed for the laptops like a push.

`filed(store, repo, fn)` runs `fn()` in one transaction of the hub's own Repository
(its staff record, its clock) and files every change it wrote in the hub's feed
(hub_root_entities, scope, hub_feed), so each household's laptops pull them at their
next sync. Nothing is filed when `fn` raises: the transaction is rolled back whole.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from app.replica.changelog import COLUMNS, row_to_change

from . import storage

T = TypeVar("T")


def filed(store, repo, fn: Callable[[], T]) -> tuple[T, int]:
    """`fn()`'s result and the number of changes it wrote and filed."""
    conn = store.conn
    with repo.transaction():
        before = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        result = fn()
        written = [row_to_change(r) for r in conn.execute(f"SELECT {COLUMNS} FROM changes WHERE seq > ?", (before,))]
        if written:
            storage.record_entities(conn, written, before + 1)
            storage.update_scope(conn, storage.affected_roots(written))
            storage.append_feed(conn, before)
    return result, len(written)
