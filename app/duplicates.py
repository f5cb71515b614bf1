"""Duplicate persons: find likely pairs across transliterations, and merge them as changes.

The same person is often registered twice, on two laptops or by two agencies:
Mohammed / Muhammad / Mohamad, Al-Hassan / Alhasan, a birth date that is only
the placeholder 01.01.YYYY. `find_duplicates` reads the persons and lets
app.linkage propose pairs (blocking, field comparisons, Fellegi-Sunter weights
learned from the store; docs/duplicates.md). `skeleton` and `name_keys` stay
for the case list's search. `merge_persons` keeps one record and
points the other to it (`merged_into`), moving its cases (and its household's
records when that household is left without members). Every step is an
ordinary change through the Repository, so a merge replicates like any edit and
the merged-away record and its history stay in the log.
"""

from __future__ import annotations

import re
from typing import Any

from i18n import _

from . import linkage, schema
from .linkage import Candidate
from .search import fold

__all__ = ["Candidate", "MergeRefused", "find_duplicates", "merge_persons", "merge_households", "name_keys",
           "repair_references", "resolve", "similarity", "skeleton"]

NAME_FIELDS = ("family_name", "given_names")
ORIG_FIELDS = ("family_name_orig", "given_names_orig")
# fields a merge copies from the merged-away record when the kept one has none
FILL_FIELDS = ("family_name_orig", "given_names_orig", "birth_date", "sex", "nationality",
               "country_of_origin", "interpreter_language", "phone", "relation")

_DIGRAPHS = (("dsch", "j"), ("tsch", "ch"), ("sch", "s"),  # German tsch is English ch: Schewtschenko ~ Shevchenko
             ("dj", "j"), ("kh", "h"), ("ch", "h"),
             ("sh", "s"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ou", "u"),
             ("oo", "u"), ("ee", "i"), ("ck", "k"), ("q", "k"), ("c", "k"), ("w", "v"),
             ("z", "s"), ("x", "ks"), ("j", "y"))
_VOWELS = re.compile(r"[aeiouyäöü]")
_NON_LETTER = re.compile(r"[^\w]")
_ARTICLES = ("al", "el", "ul", "ad", "as", "ar", "an", "at", "az", "ash")
ARTICLES = _ARTICLES  # articles written before a name, as in Al-Hassan (also for app.caselist)


class MergeRefused(ValueError):
    """The two records cannot be merged (same record, missing, already merged)."""


def skeleton(token: str) -> str:
    """A transliteration-insensitive key of one name token: Mohammed, Muhammad, Mohamad -> 'mhmd'."""
    t = _NON_LETTER.sub("", fold(token))
    if not t.isascii():  # Arabic, Cyrillic, Ge'ez: the folded text itself is the key
        return t
    for a, b in _DIGRAPHS:
        t = t.replace(a, b)
    t = re.sub(r"(.)\1+", r"\1", t)
    head, rest = t[:1], t[1:]
    rest = _VOWELS.sub("", rest)
    return (head if not _VOWELS.match(head) else "") + rest or t


def name_keys(text: str | None) -> set[str]:
    """Skeletons of every token, with and without a leading article (Al-Hassan, Alhasan -> 'hsn')."""
    keys: set[str] = set()
    for token in fold(text).split():
        if len(token) < 2 or token in _ARTICLES:  # "Al Hassan" written apart
            continue
        keys.add(skeleton(token))
        for art in _ARTICLES:
            if token.startswith(art) and len(token) - len(art) >= 3:
                keys.add(skeleton(token[len(art):]))
    keys.discard("")
    return keys


def is_placeholder_date(value: str | None) -> bool:
    """01.01.YYYY (or only a year): registered when the real date was unknown."""
    if not value:
        return False
    return len(value) == 4 or value.endswith("-01-01")


def similarity(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, list[str]]:
    """Match probability (0..1) of two person rows on their own (the model's priors), with reasons (msgids)."""
    a, b = {**a, "id": "a"}, {**b, "id": "b"}
    found = linkage.link([a, b], threshold=0.0).candidates
    return (found[0].score, found[0].reasons) if found else (0.0, [])


def find_duplicates(repo, person_id: str | None = None, threshold: float = 0.8) -> list[Candidate]:
    """Likely duplicate pairs among active persons (or of one person), most probable first (app.linkage)."""
    return linkage.link(repo.find("person"), threshold=threshold, person_id=person_id).candidates


def resolve(repo, entity: str, entity_id: str) -> str:
    """Follow `merged_into` to the surviving record; a merge cycle (two laptops merged
    each into the other) resolves to the smallest id of the cycle on every replica."""
    seen: list[str] = []
    current = entity_id
    while current not in seen:
        seen.append(current)
        row = repo.get(entity, current)
        nxt = row.get("merged_into") if row else None
        if not nxt:
            return current
        current = nxt
    return min(seen[seen.index(current):])


REVIEW_FIELDS = ("family_name", "given_names") + FILL_FIELDS  # what a reviewer may take from either record


def merge_persons(repo, keep_id: str, away_id: str, take_away: tuple[str, ...] = ()) -> dict[str, int]:
    """Merge person `away_id` into `keep_id`; returns counts of what moved. `take_away` names the
    fields (of REVIEW_FIELDS) whose value the reviewer chose from the merged-away record; the
    merged-away record keeps all its values (and the log its history)."""
    moved = {"cases": 0, "fields": 0, "household_records": 0}
    with repo.transaction():
        keep, away = repo.get("person", keep_id), repo.get("person", away_id)
        if keep is None or away is None:
            raise MergeRefused(_("unknown person"))
        if resolve(repo, "person", keep_id) == resolve(repo, "person", away_id):
            raise MergeRefused(_("these records are already the same person"))
        if keep.get("merged_into") or away.get("merged_into"):
            raise MergeRefused(_("a record that was merged away cannot be merged again"))
        fill = {f: away[f] for f in FILL_FIELDS if keep.get(f) in (None, "") and away.get(f) not in (None, "")}
        if is_placeholder_date(keep.get("birth_date")) and away.get("birth_date") and \
                not is_placeholder_date(away["birth_date"]) and away["birth_date"][:4] == keep["birth_date"][:4]:
            fill["birth_date"] = away["birth_date"]  # a real date beats 01.01.YYYY
        for f in take_away:
            if f not in REVIEW_FIELDS:
                raise MergeRefused(_("this field cannot be taken over: {field}").format(field=f))
            if away.get(f) not in (None, "") and away.get(f) != keep.get(f):
                fill[f] = away[f]
        langs = _union_languages(keep.get("languages"), away.get("languages"))
        if langs != keep.get("languages"):
            fill["languages"] = langs
        if fill:
            repo.save("person", fill, keep_id)
            moved["fields"] = len(fill)
        for case in repo.find("case", include_deleted=True, person_id=away_id):
            repo.save("case", {"person_id": keep_id}, case["id"])
            moved["cases"] += 1
        repo.save("person", {"merged_into": keep_id}, away_id)
        old_hh, new_hh = away.get("household_id"), keep.get("household_id")
        if old_hh and new_hh and old_hh != new_hh and not [
                p for p in repo.find("person", household_id=old_hh) if not p.get("merged_into")]:
            moved["household_records"] = merge_households(repo, new_hh, old_hh)
    return moved


def merge_households(repo, keep_id: str, away_id: str) -> int:
    """Move every record of household `away_id` to `keep_id` and point it there; returns how many moved."""
    n = 0
    with repo.transaction():
        if repo.get("household", keep_id) is None or repo.get("household", away_id) is None:
            raise MergeRefused(_("unknown household"))
        if resolve(repo, "household", keep_id) == resolve(repo, "household", away_id):
            raise MergeRefused(_("these records are already the same household"))
        for name, ent in schema.ENTITIES.items():
            if ent.root != "household_id" or "household_id" not in ent.field_map:
                continue
            for row in repo.find(name, include_deleted=True, household_id=away_id):
                repo.save(name, {"household_id": keep_id}, row["id"])
                n += 1
        repo.save("household", {"merged_into": keep_id}, away_id)
    return n


def repair_references(repo, changes=None) -> int:
    """Re-point records that point at a merged-away person or household to the survivor.

    Another laptop may add a case to a person (or a member to a household) while
    the merge of that person travels; run after every merge of received changes,
    on laptops and at the hub. With `changes` (the batch just merged) only what
    the batch touched is looked at: the persons and households it points records
    at, and those it merged away. Without it, the whole store. The target is a
    function of the merged state (`resolve`), so replicas that repair the same
    record write the same value and converge without a conflict (two equal heads
    are not one). Writes ordinary changes; returns how many records moved.
    """
    conn = repo.conn
    if changes is None:
        persons, households = _merged(conn, "person", None), _merged(conn, "household", None)
    else:
        person_refs: set[str] = set()
        household_refs: set[str] = set()
        for c in changes:
            if not c.value or type(c.value) is not str:
                continue
            if c.field == "merged_into":
                (person_refs if c.entity == "person" else household_refs).add(c.entity_id)
            elif (c.entity, c.field) == ("case", "person_id"):
                person_refs.add(c.value)
            elif c.field == "household_id":
                household_refs.add(c.value)
        persons = _merged(conn, "person", person_refs) if person_refs else []
        households = _merged(conn, "household", household_refs) if household_refs else []
    if not persons and not households:
        return 0
    n = 0
    with repo.transaction():
        case_table = schema.ENTITIES["case"].table
        for away in persons:
            target = resolve(repo, "person", away)
            if target == away:  # the survivor of a merge cycle stays where it is
                continue
            for (case_id,) in conn.execute(f'SELECT id FROM "{case_table}" WHERE person_id = ? ORDER BY id',
                                           (away,)).fetchall():
                repo.save("case", {"person_id": target}, case_id)
                n += 1
        for away in households:
            target = resolve(repo, "household", away)
            if target == away:
                continue
            for name, ent in schema.ENTITIES.items():
                if ent.root != "household_id" or "household_id" not in ent.field_map:
                    continue
                keep_merged = " AND merged_into IS NULL" if name == "person" else ""  # it stays with its history
                for (row_id,) in conn.execute(f'SELECT id FROM "{ent.table}" WHERE household_id = ?{keep_merged}'
                                              " ORDER BY id", (away,)).fetchall():
                    repo.save(name, {"household_id": target}, row_id)
                    n += 1
    return n


def _merged(conn, entity: str, ids) -> list[str]:
    """The ids (of `ids`, or all) of persons or households that are merged into another, sorted."""
    table = schema.ENTITIES[entity].table
    if ids is None:
        return [r[0] for r in conn.execute(f'SELECT id FROM "{table}" WHERE merged_into IS NOT NULL ORDER BY id')]
    ids, out = sorted(ids), []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out += [r[0] for r in conn.execute(
            f'SELECT id FROM "{table}" WHERE merged_into IS NOT NULL AND id IN ({",".join("?" * len(chunk))})',
            chunk)]
    return sorted(out)


def _union_languages(a, b):
    if not b:
        return a
    if not a:
        return b
    if isinstance(a, list) and isinstance(b, list):
        out = list(a)
        for item in b:
            if item not in out:
                out.append(item)
        return out
    return a
