"""The interchange JSON: every entity's current state, for import, export and demo data.

    {"format": "sprechstunde-interchange", "version": 1,
     "entities": {"household": [{"id": "...", "office": "AHL", ...}, ...],
                  "person": [...], "case": [...], ...}}

Rows carry their UUID `id` and their non-null fields as in app.schema;
entities and rows are sorted (by entity name, then id) so that an export is
byte-stable and `import` then `export` reproduces the input exactly. Import
writes through the repository (so every row becomes change-log entries) in one
transaction: a bad row rejects the whole file and nothing is saved. The
repository's input hygiene (app.hygiene) applies as to any local write; its
refusal names the row (`person[3]`), its id, the field and the reason.
See docs/interchange.md.
"""

from __future__ import annotations

import json
from typing import Any

from i18n import _

from . import schema
from .replica.changelog import read_row
from .hygiene import Refused
from .repository import Repository, check_values

FORMAT = "sprechstunde-interchange"
VERSION = 1


class InterchangeError(ValueError):
    """The document is not valid interchange JSON; the message names where."""


def export_document(store) -> dict[str, Any]:
    entities: dict[str, list] = {}
    for name in sorted(schema.ENTITIES):
        ent = schema.ENTITIES[name]
        ids = [r[0] for r in store.conn.execute(f'SELECT id FROM "{ent.table}" ORDER BY id')]
        rows = []
        for entity_id in ids:
            row = read_row(store.conn, ent, entity_id)
            if row is None:  # cannot happen: the id was selected just now
                continue
            rows.append({k: v for k, v in row.items() if v is not None})
        if rows:
            entities[name] = rows
    return {"format": FORMAT, "version": VERSION, "entities": entities}


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def validate_document(doc: Any) -> None:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InterchangeError(_("not a Sprechstunde interchange file (format is missing or different)"))
    if doc.get("version") != VERSION:
        raise InterchangeError(_("unsupported interchange version {version}").format(version=doc.get("version")))
    entities = doc.get("entities")
    if not isinstance(entities, dict):
        raise InterchangeError(_("'entities' must be an object"))
    for name, rows in entities.items():
        if name not in schema.ENTITIES:
            raise InterchangeError(_("unknown entity '{name}'").format(name=name))
        if not isinstance(rows, list):
            raise InterchangeError(_("'{name}' must be a list").format(name=name))
        ent = schema.ENTITIES[name]
        for i, row in enumerate(rows):
            where = f"{name}[{i}]"
            if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
                raise InterchangeError(_("{where}: every row needs a text 'id'").format(where=where))
            try:
                check_values(ent, {k: v for k, v in row.items() if k != "id"})
            except (KeyError, ValueError) as exc:
                raise InterchangeError(f"{where}: {exc.args[0]}") from None


def import_document(store, doc: Any, repo: Repository | None = None, progress=None) -> int:
    """Validate, then write every row in one transaction; returns the number of rows."""
    validate_document(doc)
    repo = repo or Repository(store)
    typed, repo.typed = repo.typed, False  # stored state: planned appointments may lie in the past
    try:
        return _write(repo, doc, progress)
    finally:
        repo.typed = typed


def _write(repo: Repository, doc: dict, progress) -> int:
    count = 0
    total = sum(len(rows) for rows in doc["entities"].values())
    with repo.transaction():
        for name in _import_order(doc["entities"]):
            for i, row in enumerate(doc["entities"][name]):
                values = {k: v for k, v in row.items() if k != "id"}
                try:
                    repo.save(name, values, entity_id=row["id"])
                except Refused as exc:
                    field, msg = next(iter(exc.problems.items()))
                    raise InterchangeError(_("{where} (id {id}), {field}: {reason}").format(
                        where=f"{name}[{i}]", id=row["id"], field=field, reason=msg)) from None
                count += 1
                if progress and count % 1000 == 0:
                    progress(count, total)
    return count


def _import_order(entities: dict) -> list[str]:
    first = ["staff", "household", "person", "case"]
    return [n for n in first if n in entities] + sorted(n for n in entities if n not in first)
