"""Removing households from a replica: their records, field states, conflicts and change-log rows.

A household that left a laptop's scope (moved to another office, unshared)
stays at the hub; the laptop must not keep it. This is not a change that
replicates: nothing is logged, the rows are simply gone from this store.
"""

from __future__ import annotations

from .. import schema


def remove_roots(conn, roots: list[str]) -> int:
    """Delete households (and everything in them) locally, without change-log entries.

    Used when a household left this office's scope: the hub keeps it; this
    laptop must not. Runs inside the caller's transaction. Returns how many
    of these households were here.
    """
    present = 0
    for i in range(0, len(roots), 200):
        chunk = roots[i:i + 200]
        marks = ",".join("?" * len(chunk))
        present += conn.execute(f'SELECT count(*) FROM "household" WHERE id IN ({marks})', chunk).fetchone()[0]
        for ent in schema.ENTITIES.values():
            if ent.root is None:
                continue
            col = "id" if ent.root == "id" else ent.root
            ids = [r[0] for r in conn.execute(f'SELECT id FROM "{ent.table}" WHERE "{col}" IN ({marks})', chunk)]
            for j in range(0, len(ids), 500):
                part = ids[j:j + 500]
                m = ",".join("?" * len(part))
                conn.execute(f"DELETE FROM field_state WHERE entity_id IN ({m})", part)
                conn.execute(f"DELETE FROM conflicts WHERE entity_id IN ({m})", part)
                conn.execute(f'DELETE FROM "{ent.table}" WHERE id IN ({m})', part)
        conn.execute(f"DELETE FROM changes WHERE root_id IN ({marks})", chunk)
    return present
