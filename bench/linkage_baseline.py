"""The duplicate search as it was before app/linkage (commit 8f96c9b), frozen as the benchmark's baseline.

A copy of app/duplicates.py's find_duplicates and its helpers, unchanged except that it
also returns how many pairs it scored. Only bench/bench_linkage.py uses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from i18n import N_

from app.search import fold

NAME_FIELDS = ("family_name", "given_names")
ORIG_FIELDS = ("family_name_orig", "given_names_orig")

_DIGRAPHS = (("dsch", "j"), ("tsch", "ch"), ("sch", "s"),  # German tsch is English ch: Schewtschenko ~ Shevchenko
             ("dj", "j"), ("kh", "h"), ("ch", "h"),
             ("sh", "s"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("ou", "u"),
             ("oo", "u"), ("ee", "i"), ("ck", "k"), ("q", "k"), ("c", "k"), ("w", "v"),
             ("z", "s"), ("x", "ks"), ("j", "y"))
_VOWELS = re.compile(r"[aeiouyäöü]")
_NON_LETTER = re.compile(r"[^\w]")
_ARTICLES = ("al", "el", "ul", "ad", "as", "ar", "an", "at", "az", "ash")
ARTICLES = _ARTICLES  # articles written before a name, as in Al-Hassan (also for app.caselist)


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


def _joined_key(text: str | None) -> str:
    tokens = [t for t in fold(text).split() if t not in _ARTICLES]
    return "".join(skeleton(t) for t in tokens)


def is_placeholder_date(value: str | None) -> bool:
    """01.01.YYYY (or only a year): registered when the real date was unknown."""
    if not value:
        return False
    return len(value) == 4 or value.endswith("-01-01")


@dataclass
class Candidate:
    person_id: str
    other_id: str
    score: float
    reasons: list[str] = field(default_factory=list)


def _fuzzy(x: str | None, y: str | None) -> float:
    """Similarity of two names' skeletons; a near miss counts only half (Mohammed / Ahmad)."""
    ratio = SequenceMatcher(None, _joined_key(x), _joined_key(y)).ratio()
    return ratio if ratio >= 0.9 else ratio / 2


def similarity(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, list[str]]:
    """Score (0..1) that two person rows are the same person, with reasons for the reviewer (msgids)."""
    reasons: list[str] = []
    name_score = 0.0
    for fields in (NAME_FIELDS, ORIG_FIELDS):
        ta = " ".join(a.get(f) or "" for f in fields)
        tb = " ".join(b.get(f) or "" for f in fields)
        if not ta.strip() or not tb.strip():
            continue
        fam_a, fam_b = name_keys(a.get(fields[0])), name_keys(b.get(fields[0]))
        giv_a, giv_b = name_keys(a.get(fields[1])), name_keys(b.get(fields[1]))
        fam = 1.0 if fam_a & fam_b else _fuzzy(a.get(fields[0]), b.get(fields[0]))
        giv = 1.0 if giv_a & giv_b else _fuzzy(a.get(fields[1]), b.get(fields[1]))
        swapped = 1.0 if (fam_a & giv_b and giv_a & fam_b) else 0.0  # family and given names swapped
        score = max(0.6 * fam + 0.4 * giv, 0.9 * swapped)
        if score > name_score:
            name_score = score
    if name_score >= 0.99:
        reasons.append(N_("names match"))
    elif name_score >= 0.7:
        reasons.append(N_("names similar"))
    da, db = a.get("birth_date"), b.get("birth_date")
    if da and db:
        if da == db and not is_placeholder_date(da):
            date_score = 1.0
            reasons.append(N_("same birth date"))
        elif da[:4] == db[:4] and (is_placeholder_date(da) or is_placeholder_date(db) or da == db):
            date_score = 0.7
            reasons.append(N_("same birth year (placeholder date)"))
        elif da[:4] == db[:4]:
            date_score = 0.3
            reasons.append(N_("same birth year"))
        else:
            date_score = 0.0
            reasons.append(N_("different birth year"))
    else:
        date_score = 0.5
    score = 0.7 * name_score + 0.3 * date_score
    if date_score == 0.0:
        score = min(score, 0.6)
    return round(score, 3), reasons


def find_duplicates(repo, person_id: str | None = None, threshold: float = 0.8) -> tuple[list[Candidate], int]:
    """Likely duplicate pairs among active persons (or of one person), best first."""
    people = [p for p in repo.find("person") if not p.get("merged_into")]
    # Blocking, so that 5,000 people called Mohammed are not compared with each other pairwise:
    # candidates share a family-name key and a given-name key (in either order), or a
    # family-name key and the birth year.
    blocks: dict[tuple, list[int]] = {}
    for i, p in enumerate(people):
        fam = name_keys(p.get("family_name")) | name_keys(p.get("family_name_orig"))
        giv = name_keys(p.get("given_names")) | name_keys(p.get("given_names_orig"))
        keys = {("n",) + tuple(sorted((f, g))) for f in fam for g in giv}
        year = (p.get("birth_date") or "")[:4]
        if year:
            keys |= {("y", k, year) for k in fam | giv}
        for k in keys:
            blocks.setdefault(k, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    out = []
    compared = 0
    for i, j in pairs:
        a, b = people[i], people[j]
        if person_id is not None and person_id not in (a["id"], b["id"]):
            continue
        compared += 1
        score, reasons = similarity(a, b)
        if score >= threshold:
            first, second = sorted((a["id"], b["id"]))
            if person_id is not None and second == person_id:
                first, second = second, first
            out.append(Candidate(first, second, score, reasons))
    out.sort(key=lambda c: (-c.score, c.person_id, c.other_id))
    return out, compared
