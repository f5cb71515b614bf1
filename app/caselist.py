"""The case list: one query for all rows, and search-as-you-type over them in memory.

`load_rows` reads every open-or-closed, not deleted case with its person's
names in one SQL statement (20,000 cases in a fraction of a second), and a
row without a case (`case_id` None) for every household member who has none,
a child for instance, so that a search finds everyone; the list without a
query shows the cases only;
`CaseIndex.match` then filters those rows for a typed query without touching
the database, so each keystroke costs a scan of short folded strings. Names
in Latin and original script are both searched, case and accents folded, and
direction marks and zero-width characters ignored (app.search); so are the
case number, the birth date (1990, 01.05.1990, 1990-05-01), the household's
address and the phone number (by its digits).

Spelling: a query word of four or more letters also finds names that are
spelled differently. The index keeps every distinct name word once, with its
transliteration skeletons (app.duplicates.name_keys: Mohamed, Muhammad and
Mohammed are all 'mhmd'; Alazawi and Al-Azzawi are 'lsv'); a word matches when
its skeleton is a prefix of a name's, or when rapidfuzz scores the two words
at SIMILAR or more (one typo in a long name). Both look at the few thousand
distinct words, not at every row, so a keystroke stays cheap.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .duplicates import ARTICLES, name_keys
from .search import FORMAT_CHARS, fold

SIMILAR = 85  # rapidfuzz ratio (0-100) from which two name words count as the same name
MIN_FUZZY = 4  # shorter query words only match as typed
_NOT_DIGIT = re.compile(r"\D")

COLUMNS = (
    "case_id", "household_id", "person_id", "case_number", "family_name", "given_names",
    "family_name_orig", "given_names_orig", "birth_date", "office", "rechtskreis", "status",
    "opened", "search_text", "address", "phone",
)

_CASES_SQL = """
SELECT c.id, c.household_id, c.person_id, c.case_number, p.family_name, p.given_names,
       p.family_name_orig, p.given_names_orig, p.birth_date, c.office, c.rechtskreis,
       c.status, c.opened, coalesce(p.search_text, ''), coalesce(h.address, ''), coalesce(p.phone, '')
FROM "case" c JOIN person p ON p.id = c.person_id LEFT JOIN household h ON h.id = c.household_id
WHERE coalesce(c.deleted, 0) = 0 AND coalesce(p.deleted, 0) = 0 AND p.merged_into IS NULL
"""  # unordered: the list model sorts
_MEMBERS_SQL = """
SELECT NULL, p.household_id, p.id, NULL, p.family_name, p.given_names,
       p.family_name_orig, p.given_names_orig, p.birth_date, h.office, NULL,
       NULL, NULL, coalesce(p.search_text, ''), coalesce(h.address, ''), coalesce(p.phone, '')
FROM person p JOIN household h ON h.id = p.household_id
WHERE coalesce(p.deleted, 0) = 0 AND p.merged_into IS NULL AND coalesce(h.deleted, 0) = 0
  AND NOT EXISTS (SELECT 1 FROM "case" c WHERE c.person_id = p.id AND coalesce(c.deleted, 0) = 0)
"""  # unordered: the list model sorts


@dataclass(frozen=True, slots=True)
class CaseRow:
    case_id: str | None  # None: a household member without a case (found by a search only)
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
    address: str = ""
    phone: str = ""


def load_rows(conn, members: bool = True) -> list[CaseRow]:
    """The case list's rows; with `members`, also a row for each household member without a case."""
    rows = [CaseRow(*r) for r in conn.execute(_CASES_SQL)]
    return rows + [CaseRow(*r) for r in conn.execute(_MEMBERS_SQL)] if members else rows


class CaseIndex:
    """Rows plus the filters a user sets; `match` returns the positions that pass."""

    def __init__(self, rows: list[CaseRow]):
        self.rows = rows
        fold_address = lru_cache(maxsize=None)(fold)  # the members of a household share one address
        self._text = [_row_text(r, fold_address) for r in rows]
        self._word_rows: dict[str, list[int]] | None = None  # built on the first word that needs it
        self._similar = lru_cache(maxsize=256)(self._similar_rows)

    def match(self, query: str = "", office: str | None = None, status: str | None = None) -> list[int]:
        tokens = fold(query).split()
        text, rows = self._text, self.rows
        candidates: Sequence[int] = range(len(rows))
        if not tokens:  # without a query the list shows cases; members without one only when searched for
            candidates = [i for i in candidates if rows[i].case_id is not None]
        if office:
            candidates = [i for i in candidates if rows[i].office == office]
        if status:
            candidates = [i for i in candidates if rows[i].status == status]
        for tok in tokens:
            similar = self._similar(tok)
            digits = _NOT_DIGIT.sub("", tok) if tok[:1].isdigit() or tok[:1] == "+" else ""
            if len(digits) < 3 or digits == tok:
                digits = ""  # (a plain number is looked up as typed already)
            # the common case first: one substring test per row (this loop is the cost of a keystroke)
            if not similar and not digits:
                candidates = [i for i in candidates if tok in text[i]]
            elif not digits:
                candidates = [i for i in candidates if tok in text[i] or i in similar]
            else:
                candidates = [i for i in candidates if tok in text[i] or digits in text[i] or i in similar]
        return list(candidates)

    def _build_words(self) -> None:
        """The distinct name words, the rows that hold each, and their skeletons (sorted, so that the
        words whose skeleton starts with a prefix are one slice). Built lazily: opening the list
        does not wait for it."""
        words: dict[str, list[int]] = {}
        for i, r in enumerate(self.rows):
            parts = r.search_text.partition(" | ")[0].split()  # the folded names (app.search)
            # each word, and an article written together with the next: "Al-Azzawi" found as "Alazawi"
            joined = {a + b for a, b in zip(parts, parts[1:], strict=False) if a in ARTICLES}
            for word in set(parts) | joined:
                words.setdefault(word, []).append(i)
        self._words = list(words)
        self._keys = sorted((k, w) for w in self._words for k in name_keys(w))
        self._word_rows = words

    def _similar_rows(self, tok: str) -> frozenset[int]:
        """Rows whose names hold a word spelled like `tok` (skeleton prefix, or rapidfuzz >= SIMILAR)."""
        if len(tok) < MIN_FUZZY or not tok.isalpha():
            return frozenset()
        if self._word_rows is None:
            self._build_words()
        assert self._word_rows is not None
        found = set()
        for key in name_keys(tok):
            if len(key) < 3:
                continue
            at = bisect.bisect_left(self._keys, (key, ""))
            while at < len(self._keys) and self._keys[at][0].startswith(key):
                found.add(self._keys[at][1])
                at += 1
        found.update(w for w, _score, _i in process.extract(
            tok, self._words, scorer=fuzz.ratio, score_cutoff=SIMILAR, limit=None))
        return frozenset(i for w in found for i in self._word_rows[w])


def _row_text(r: CaseRow, fold_address=fold) -> str:
    """What a query word is looked up in: names (folded, also without spaces), case number, birth date in
    ISO and German form, address, and the phone number's digits."""
    born = r.birth_date or ""
    german = ".".join(reversed(born.split("-"))) if born else ""
    phone = _NOT_DIGIT.sub("", r.phone) if r.phone else ""
    names = r.search_text
    if not names.isascii():  # stored by an older version, perhaps with ZWNJ
        names = FORMAT_CHARS.sub("", names)
    return f"{names} {(r.case_number or '').casefold()} {born} {german} {fold_address(r.address) if r.address else ''} {phone}"
