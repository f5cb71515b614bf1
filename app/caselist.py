"""The case list: one query for all rows, and search-as-you-type over them in memory.

`load_rows` reads every open-or-closed, not deleted case with its person's
names in one SQL statement (20,000 cases in a fraction of a second);
`CaseIndex.match` then filters those rows for a typed query without touching
the database, so each keystroke costs a scan of short folded strings. Names
in Latin and original script are both searched, case and accents folded
(app.search).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .search import fold

COLUMNS = (
    "case_id", "household_id", "person_id", "case_number", "family_name", "given_names",
    "family_name_orig", "given_names_orig", "birth_date", "office", "rechtskreis", "status",
    "opened", "search_text",
)

_SQL = """
SELECT c.id, c.household_id, c.person_id, c.case_number, p.family_name, p.given_names,
       p.family_name_orig, p.given_names_orig, p.birth_date, c.office, c.rechtskreis,
       c.status, c.opened, coalesce(p.search_text, '')
FROM "case" c JOIN person p ON p.id = c.person_id
WHERE coalesce(c.deleted, 0) = 0 AND coalesce(p.deleted, 0) = 0 AND p.merged_into IS NULL
"""  # unordered: the list model sorts


@dataclass(frozen=True, slots=True)
class CaseRow:
    case_id: str
    household_id: str
    person_id: str
    case_number: str | None
    family_name: str | None
    given_names: str | None
    family_name_orig: str | None
    given_names_orig: str | None
    birth_date: str | None
    office: str | None
    rechtskreis: str | None
    status: str | None
    opened: str | None
    search_text: str


def load_rows(conn) -> list[CaseRow]:
    return [CaseRow(*r) for r in conn.execute(_SQL)]


class CaseIndex:
    """Rows plus the filters a user sets; `match` returns the positions that pass."""

    def __init__(self, rows: list[CaseRow]):
        self.rows = rows
        self._text = [f"{r.search_text} {(r.case_number or '').casefold()}" for r in rows]

    def match(self, query: str = "", office: str | None = None, status: str | None = None) -> list[int]:
        tokens = fold(query).split()
        text, rows = self._text, self.rows
        candidates: Sequence[int] = range(len(rows))
        if office:
            candidates = [i for i in candidates if rows[i].office == office]
        if status:
            candidates = [i for i in candidates if rows[i].status == status]
        for tok in tokens:
            candidates = [i for i in candidates if tok in text[i]]
        return list(candidates)
