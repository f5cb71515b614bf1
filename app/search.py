"""Search keys for names in any script: case, accents and Arabic marks folded.

`fold` turns a name into the form that is stored in `person.search_text` and
that a typed query is compared against: casefolded, accents removed (é → e,
ü → u), Arabic diacritics and tatweel removed, alef and yeh variants unified,
Persian/Arabic kaf and yeh unified, direction marks and zero-width characters
dropped (FORMAT_CHARS), hyphens and apostrophes as spaces. So
"Al-Hassan", "alhassan" and "AL HASSAN" all find each other's records by part,
and "محمد" finds "مُحَمَّد".
"""

from __future__ import annotations

import json
import re
import unicodedata

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_UNIFY = str.maketrans({
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",  # alef forms
    "\u0649": "\u064a", "\u06cc": "\u064a", "\u06d2": "\u064a",  # yeh forms
    "\u06a9": "\u0643",  # Persian kaf
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u2019": " ", "'": " ", "-": " ", "\u2010": " ", ".": " ", ",": " ",
})
_SPACES = re.compile(r"\s+")
# direction marks, embeddings and isolates, zero-width (non-)joiners and other invisible format
# characters: a query pasted from a right-to-left text carries them, a name may (ZWNJ in Persian)
FORMAT_CHARS = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def fold(text: str | None) -> str:
    if not text:
        return ""
    text = FORMAT_CHARS.sub("", _ARABIC_MARKS.sub("", text))
    decomposed = unicodedata.normalize("NFKD", text)
    # drop combining marks of Latin/Cyrillic letters but keep Ethiopic and Arabic letters whole
    stripped = "".join(c for c in decomposed if not (unicodedata.combining(c) and ord(c) < 0x0600))
    text = unicodedata.normalize("NFC", stripped).casefold().translate(_UNIFY)
    text = text.replace("ß", "ss")
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """The folded text without spaces, so 'al hassan' also matches 'alhassan'."""
    return fold(text).replace(" ", "")


PERSON_NAME_FIELDS = ("family_name", "given_names", "family_name_orig", "given_names_orig")
_SEARCH_COLUMNS = PERSON_NAME_FIELDS + ("aliases",)


def alias_names(aliases) -> list[str]:
    """The name parts of `person.aliases` (other spellings a merge kept; a list, or its JSON text)."""
    if isinstance(aliases, str):
        try:
            aliases = json.loads(aliases)
        except ValueError:
            return []
    if not isinstance(aliases, list):
        return []
    return [v for a in aliases if isinstance(a, dict) for f in PERSON_NAME_FIELDS
            if isinstance(v := a.get(f), str) and v]


def person_search_text(row: dict) -> str:
    """The names in Latin and original script, and the other spellings a merge kept (aliases), folded."""
    names = " ".join([row.get(f) or "" for f in PERSON_NAME_FIELDS] + alias_names(row.get("aliases")))
    folded = fold(names)
    return f"{folded} | {folded.replace(' ', '')}"  # fold, then compact (without folding twice)


def _derive_person(conn, person_id: str) -> None:
    row = conn.execute(f"SELECT {', '.join(_SEARCH_COLUMNS)} FROM person WHERE id = ?", (person_id,)).fetchone()
    if row is not None:
        text = person_search_text(dict(zip(_SEARCH_COLUMNS, row, strict=True)))
        conn.execute("UPDATE person SET search_text = ? WHERE id = ?", (text, person_id))


def _derive_persons(conn, person_ids: list[str]) -> None:
    """`_derive_person` for many rows: one read and one executemany per 500 ids."""
    cols = ", ".join(_SEARCH_COLUMNS)
    for i in range(0, len(person_ids), 500):
        chunk = person_ids[i:i + 500]
        rows = conn.execute(f"SELECT id, {cols} FROM person WHERE id IN ({','.join('?' * len(chunk))})",
                            chunk).fetchall()
        conn.executemany("UPDATE person SET search_text = ? WHERE id = ?",
                         [(person_search_text(dict(zip(_SEARCH_COLUMNS, r[1:], strict=True))), r[0]) for r in rows])


# Derived (non-replicated) columns, recomputed whenever a row of the entity changes
# (DERIVED_MANY: the same for a list of ids, for batch writers such as the sync merge).
DERIVED = {"person": _derive_person}
DERIVED_MANY = {"person": _derive_persons}
