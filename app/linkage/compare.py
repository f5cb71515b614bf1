"""Compare two persons field by field: a graded level per field, never one score on one key.

`prepare(row, household_names)` turns a person row into what the comparisons read once
(canonical name tokens, the original script, the birth date, sex, nationality and country,
first language, phone, the given names of the household's other members, and the other
spellings a merge kept in `person.aliases`).
`compare(a, b)` gives a `Comparison`: one level per field of FIELDS (names in `LEVELS`),
plus what the reviewer should know (given and family names swapped, the father's name
moved into the given names). A missing value is its own level, which the model makes
neutral evidence, not a match. Given names are compared as sets of tokens: one shared
token out of two is "partial", not a full match (Ahmad Walid / Ahmad Mohammed). A token
that differs only by a final -a or -i is another name (Ivan / Ivanna, Amin / Amina,
Hussein / Hosseini, Ahmad / Ahmadi). Names in their original script overrule the Latin
spelling: equal there means equal; nothing shared there makes a near Latin spelling
different (Шевченко / Савченко). A person's aliases are more variants of the name: the names
compare as the best of every variant against every variant (a third registration spelled like
an alias is that person).
`compare_pairs(people, pairs)` does the same for many pairs at once (as integer codes, see
`PairCodes`): what `app.linkage.link` runs over hundreds of thousands of candidates.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from typing import Any, NamedTuple

from rapidfuzz.distance import JaroWinkler, Levenshtein

from .normalise import Birth, birth, orig_tokens, phone_key, skeleton, tokens

FIELDS = ("family", "given", "birth", "sex", "nationality", "language", "phone", "relatives")
# levels per field, best first; the last is always "missing"
NAME_LEVELS = ("exact", "close", "subset", "partial", "weak", "different", "missing")
LEVELS: dict[str, tuple[str, ...]] = {
    "family": NAME_LEVELS,
    "given": NAME_LEVELS,
    "birth": ("exact", "swapped", "digit", "placeholder_year", "placeholder_year1", "same_year", "year1",
              "different", "missing"),
    "sex": ("same", "different", "missing"),
    "nationality": ("same", "different", "missing"),
    "language": ("same", "different", "missing"),
    "phone": ("same", "different", "missing"),
    "relatives": ("shared", "none_shared", "missing"),
}
EXACT, CLOSE, SUBSET, PARTIAL, WEAK, DIFFERENT, MISSING = range(7)
_MISSING = {f: len(levels) - 1 for f, levels in LEVELS.items()}


@dataclass(frozen=True)
class Prepared:
    id: str
    family: tuple[str, ...]
    given: tuple[str, ...]
    family_orig: tuple[str, ...]
    given_orig: tuple[str, ...]
    birth: Birth | None
    sex: str | None
    nations: frozenset[str]
    language: str | None
    phone: str | None
    relatives: frozenset[str]
    household_id: str | None
    aliases: tuple = ()  # other spellings kept by a merge: (family, given, family_orig, given_orig) each
    names: tuple = ()  # (family, given, family_orig, given_orig, aliases): the key of the name comparison's cache
    family_key: str = ""
    given_key: str = ""
    full_key: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", (self.family, self.given, self.family_orig, self.given_orig, self.aliases))
        object.__setattr__(self, "family_key", " ".join(sorted(self.family)))
        object.__setattr__(self, "given_key", " ".join(sorted(self.given)))
        object.__setattr__(self, "full_key", self.family_key + "|" + self.given_key)


def prepare(row: dict[str, Any], household_names: frozenset[str] = frozenset()) -> Prepared:
    nations = frozenset(x for x in (row.get("nationality"), row.get("country_of_origin")) if x)
    somali = "SO" in nations
    langs = row.get("languages")
    language = None
    if isinstance(langs, list) and langs and isinstance(langs[0], dict):
        language = langs[0].get("language")
    language = language or row.get("interpreter_language")
    sex = row.get("sex") if row.get("sex") in ("f", "m") else None
    family, given = tokens(row.get("family_name"), True, somali), tokens(row.get("given_names"), False, somali)
    family_orig, given_orig = orig_tokens(row.get("family_name_orig")), orig_tokens(row.get("given_names_orig"))
    aliases = _aliases(row.get("aliases"), (family, given, family_orig, given_orig), somali) if row.get("aliases") else ()
    return Prepared(row["id"], family, given, family_orig, given_orig, birth(row.get("birth_date")), sex, nations,
                    language, phone_key(row.get("phone")), household_names, row.get("household_id"), aliases)


_NAME_FIELDS = ("family_name", "given_names", "family_name_orig", "given_names_orig")


def _aliases(value: Any, own: tuple, somali: bool) -> tuple:
    """The alias entries (a list of name parts, or its JSON text) as name variants; a part an entry
    lacks is the person's own (an alias of the given names alone keeps the family name)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return ()
    if not isinstance(value, list):
        return ()
    out: list[tuple] = []
    for entry in value:
        if not isinstance(entry, dict):
            continue
        parts = []
        for k, f in enumerate(_NAME_FIELDS):
            v = entry.get(f)
            if not isinstance(v, str) or not v.strip():
                parts.append(own[k])
            elif k < 2:
                parts.append(tokens(v, k == 0, somali))
            else:
                parts.append(orig_tokens(v))
        variant = tuple(parts)
        if variant != own and variant not in out and (variant[0] or variant[1]):
            out.append(variant)
    return tuple(out)


@lru_cache(maxsize=262144)
def token_level(a: str, b: str) -> int:
    """3 same, 2 close (vowels or one typo), 1 weak, 0 another name."""
    if a == b:
        return 3
    if (a == b + "a" or b == a + "a" or a == b + "i" or b == a + "i") and min(len(a), len(b)) >= 3:
        return 0  # Ivan / Ivanna, Hussein / Hosseini: another name, not a spelling
    jw = JaroWinkler.similarity(a, b)
    if skeleton(a) == skeleton(b) and jw >= 0.83:  # Maxamed / Mohamed 0.84; Mahmoud / Mohammed 0.80
        return 2
    if min(len(a), len(b)) >= 5 and Levenshtein.distance(a, b, score_cutoff=1) <= 1 and jw >= 0.9:
        return 2
    return 1 if jw >= 0.82 else 0


@lru_cache(maxsize=262144)
def names_level(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if not a or not b:
        return MISSING
    if a == b or (len(a) == len(b) > 1 and sorted(a) == sorted(b)):
        return EXACT
    short, other = (a, b) if len(a) <= len(b) else (b, a)
    if len(other) == 1:
        best = [token_level(short[0], other[0])]
    else:
        best = [max([token_level(t, o) for o in other]) for t in short]
    if min(best) >= 2:
        return CLOSE if len(a) == len(b) else SUBSET
    if max(best) >= 2:
        return PARTIAL
    return WEAK if max(best) == 1 else DIFFERENT


def _orig_adjust(level: int, a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if not a or not b or level == MISSING:
        return level
    if sorted(a) == sorted(b):
        return EXACT
    if not set(a) & set(b):  # nothing shared as written: whatever the Latin spelling says
        return DIFFERENT
    return level


(B_EXACT, B_SWAPPED, B_DIGIT, B_PLACEHOLDER, B_PLACEHOLDER1, B_SAME_YEAR, B_YEAR1, B_DIFFERENT,
 B_MISSING) = range(len(LEVELS["birth"]))


def birth_level(a: Birth | None, b: Birth | None) -> int:
    """Not cached: the pairs of birth dates hardly repeat, and the comparison is cheaper than a cache."""
    if a is None or b is None:
        return B_MISSING
    gap = abs(a.year - b.year)
    if a.placeholder or b.placeholder:
        if gap == 0:
            return B_PLACEHOLDER
        return B_PLACEHOLDER1 if gap == 1 else B_DIFFERENT
    ta, tb = a.text, b.text
    if ta == tb:
        return B_EXACT
    if gap == 0 and a.month == b.day and a.day == b.month:
        return B_SWAPPED
    if _one_digit(ta, tb):
        return B_DIGIT
    if gap == 0:
        return B_SAME_YEAR
    return B_YEAR1 if gap == 1 else B_DIFFERENT


def _one_digit(a: str, b: str) -> bool:
    """Two YYYYMMDD texts that differ in exactly one place."""
    for i in range(8):
        if a[i] != b[i]:
            return a[i + 1:] == b[i + 1:]
    return False


@lru_cache(maxsize=262144)
def _names(a: tuple, b: tuple) -> tuple[int, int, bool, bool]:
    """Family and given-name levels, and whether they are swapped or the father's name moved (cached:
    common names meet each other again and again). With aliases on either side: the best of every
    variant against every variant (fewest levels down from exact, the names as registered first)."""
    best = _names_one(a, b)
    if a[4] or b[4]:
        for va in (a[:4], *a[4]):
            for vb in (b[:4], *b[4]):
                found = _names_one(va, vb)
                if found[0] + found[1] < best[0] + best[1]:
                    best = found
    return best


def _names_one(a: tuple, b: tuple) -> tuple[int, int, bool, bool]:
    return _names_core(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3], names_level, _orig_adjust, _whole)


def _whole(af: tuple[str, ...], ag: tuple[str, ...], bf: tuple[str, ...], bg: tuple[str, ...]) -> int:
    return names_level(af + ag, bf + bg)


def _names_core(af, ag, afo, ago, bf, bg, bfo, bgo, level, adjust, whole) -> tuple[int, int, bool, bool]:
    """The name comparison of one variant against one: `level` compares two name parts, `adjust` lets the
    original script have its say (`_orig_adjust`), `whole` compares both names as one. `compare_pairs`
    writes the same steps out on numbered name parts (the batch test checks that they agree)."""
    fam, giv = level(af, bf), level(ag, bg)
    swapped = moved = False
    if fam > CLOSE or giv > CLOSE:
        x_fam, x_giv = level(af, bg), level(ag, bf)
        if x_fam <= CLOSE and x_giv <= CLOSE:
            fam, giv, swapped = x_fam, x_giv, True
        elif fam in (SUBSET, PARTIAL) and giv in (SUBSET, PARTIAL):
            both = whole(af, ag, bf, bg)
            if both <= CLOSE:  # Yonas | Tesfay Gebremedhin = Yonas Tesfay | Gebremedhin
                fam = giv = both
                moved = True
    if not swapped:
        fam = adjust(fam, afo, bfo)
        giv = adjust(giv, ago, bgo)
    return fam, giv, swapped, moved


def _same(a, b) -> int:
    if not a or not b:
        return 2
    return 0 if a == b else 1


class Comparison(NamedTuple):
    levels: tuple[int, ...]  # one per FIELDS
    swapped: bool = False  # given and family names swapped
    moved: bool = False  # the father's name written with the given names on one side
    same_household: bool = False  # two members of one household: twins, siblings, parent and child

    def level(self, field: str) -> str:
        return LEVELS[field][self.levels[FIELDS.index(field)]]


def compare(a: Prepared, b: Prepared) -> Comparison:
    """The levels of a pair (for many pairs: `compare_pairs`)."""
    fam, giv, swapped, moved = _names(a.names, b.names)
    an, bn = a.nations, b.nations
    nat = 2 if not an or not bn else (0 if an & bn else 1)
    if a.relatives and b.relatives and a.household_id != b.household_id:
        shared = len(a.relatives & b.relatives)  # canonical spellings: Leila and Layla meet
        rel = 0 if shared >= 2 else (1 if shared == 0 else 2)  # one common name (Mohammed) says little
    else:
        rel = 2
    return Comparison((fam, giv, birth_level(a.birth, b.birth), _same(a.sex, b.sex), nat,
                       _same(a.language, b.language), _same(a.phone, b.phone), rel), swapped, moved,
                      a.household_id is not None and a.household_id == b.household_id)


# A pair's levels as one integer (for many pairs at once): the name part (family, given, swapped,
# moved), then birth, sex, nationality, language, phone, relatives, then "same household".
_REST = 9 * 3 ** 5


class PairCodes(NamedTuple):
    codes: list[int]  # per pair: its levels and flags as one number (`decode`)
    # per pair, for the names both spell alike (as Model.total weighs them by frequency): how many persons
    # bear that family name, those given names, and that whole name (-1 for a part not shared); or None
    shared_names: list[tuple[int, int, int] | None]


def decode(code: int) -> Comparison:
    """The Comparison of a code of `compare_pairs`."""
    code, same = divmod(code, 2)
    name, rest = divmod(code, _REST)
    name, moved = divmod(name, 2)
    name, swapped = divmod(name, 2)
    fam, giv = divmod(name, 7)
    rest, rel = divmod(rest, 3)
    rest, phone = divmod(rest, 3)
    rest, lang = divmod(rest, 3)
    rest, nat = divmod(rest, 3)
    bl, sex = divmod(rest, 3)
    return Comparison((fam, giv, bl, sex, nat, lang, phone, rel), bool(swapped), bool(moved), bool(same))


def levels_of(code: int) -> tuple[int, ...]:
    return decode(code).levels


def compare_pairs(people: Sequence[Prepared], pairs: Sequence[int]) -> PairCodes:
    """`compare` over many pairs, each given as i * len(people) + j: the same levels, as codes, without a
    Comparison per pair. The per-person values are laid out in lists first; the parts of the names are
    numbered and compared once per pair of distinct parts (common names meet again and again)."""
    n = len(people)
    # names: every tuple of tokens numbered, its levels against another looked up by two numbers
    tuple_ids: dict[tuple, int] = {}
    fam_t = [tuple_ids.setdefault(p.family, len(tuple_ids)) for p in people]
    giv_t = [tuple_ids.setdefault(p.given, len(tuple_ids)) for p in people]
    fo_t = [tuple_ids.setdefault(p.family_orig, len(tuple_ids)) for p in people]
    go_t = [tuple_ids.setdefault(p.given_orig, len(tuple_ids)) for p in people]
    tups = list(tuple_ids)
    big = len(tups)
    empty = tuple_ids.get((), -1)
    level_cache: dict[int, int] = {}
    orig_cache: dict[int, int] = {}
    level_of, orig_of = level_cache.get, orig_cache.get

    def level(k: int) -> int:  # names_level of the two tuples numbered in k (a miss in level_cache)
        x, y = divmod(k, big)
        found = level_cache[k] = names_level(tups[x], tups[y])
        return found

    def orig(k: int) -> int:  # _orig_adjust of two tuples in the original script: -1 when it does not decide
        x, y = divmod(k, big)
        found = orig_cache[k] = _orig_adjust(-1, tups[x], tups[y])
        return found

    keys: dict[str, int] = {}
    fkey = [keys.setdefault(p.family_key, len(keys)) for p in people]
    gkey = [keys.setdefault("|" + p.given_key, len(keys)) for p in people]
    aliased = [bool(p.aliases) for p in people]
    f_count = Counter(fkey)
    g_count = Counter(gkey)
    n_count = Counter(p.full_key for p in people)
    births = [p.birth for p in people]
    # sex, nationality and language: few combinations, their three levels looked up per pair of them
    kinds: dict[tuple, int] = {}
    kind = [kinds.setdefault((p.sex, p.nations, p.language), len(kinds)) for p in people]
    kind_rows = list(kinds)
    k_count = len(kinds)
    kind_levels: dict[int, int] = {}
    phones = [p.phone for p in people]
    relatives = [p.relatives for p in people]
    households = [p.household_id for p in people]
    codes: list[int] = []
    exact: list[tuple[int, int, int] | None] = []
    add_code, add_exact = codes.append, exact.append
    for i, group in groupby(pairs, n.__rfloordiv__):  # the pairs of person i (sorted: i * n + j)
        base, bi, ki = i * n, births[i], kind[i] * k_count
        pi, ri, hi = phones[i], relatives[i], households[i]
        fi, gi, foi, goi, fki, gki, ai = fam_t[i], giv_t[i], fo_t[i], go_t[i], fkey[i], gkey[i], aliased[i]
        for x in group:
            j = x - base
            if ai or aliased[j]:
                fam, giv, swapped, moved = _names(people[i].names, people[j].names)
            else:  # _names_core, written out: the numbers of the name parts, their levels looked up
                fj, gj = fam_t[j], giv_t[j]
                k = fi * big + fj
                got = level_of(k)
                fam = level(k) if got is None else got
                k = gi * big + gj
                got = level_of(k)
                giv = level(k) if got is None else got
                swapped = moved = False
                if fam > CLOSE or giv > CLOSE:
                    k = fi * big + gj
                    got = level_of(k)
                    x_fam = level(k) if got is None else got
                    x_giv = MISSING  # not needed when the crossed family name is not close either
                    if x_fam <= CLOSE:
                        k = gi * big + fj
                        got = level_of(k)
                        x_giv = level(k) if got is None else got
                    if x_fam <= CLOSE and x_giv <= CLOSE:
                        fam, giv, swapped = x_fam, x_giv, True
                    elif fam in (SUBSET, PARTIAL) and giv in (SUBSET, PARTIAL):
                        both = names_level(tups[fi] + tups[gi], tups[fj] + tups[gj])
                        if both <= CLOSE:
                            fam = giv = both
                            moved = True
                if not swapped:
                    if foi != empty and fam != MISSING and fo_t[j] != empty:
                        k = foi * big + fo_t[j]
                        got = orig_of(k)
                        said = orig(k) if got is None else got
                        if said >= 0:
                            fam = said
                    if goi != empty and giv != MISSING and go_t[j] != empty:
                        k = goi * big + go_t[j]
                        got = orig_of(k)
                        said = orig(k) if got is None else got
                        if said >= 0:
                            giv = said
            tf = None
            if not swapped and not moved:
                f_same = fam == EXACT and fki == fkey[j]
                g_same = giv == EXACT and gki == gkey[j]
                if f_same or g_same:
                    tf = (f_count[fki] if f_same else -1, g_count[gki] if g_same else -1,
                          n_count[people[i].full_key] if f_same and g_same else -1)
            code = (((fam * 7 + giv) * 2 + swapped) * 2 + moved) * _REST
            bj = births[j]
            rest = B_MISSING if bi is None or bj is None else birth_level(bi, bj)
            kk = ki + kind[j]
            got = kind_levels.get(kk)
            if got is None:
                (sa, na, la), (sb, nb, lb) = kind_rows[kind[i]], kind_rows[kind[j]]
                got = kind_levels[kk] = ((2 if not sa or not sb else (0 if sa == sb else 1)) * 9
                                          + (2 if not na or not nb else (0 if na & nb else 1)) * 3
                                          + (2 if not la or not lb else (0 if la == lb else 1)))
            pj = phones[j]
            rest = (rest * 27 + got) * 3 + (2 if not pi or not pj else (0 if pi == pj else 1))
            rj, hj = relatives[j], households[j]
            if ri and rj and hi != hj:
                shared = len(ri & rj)
                rest = rest * 3 + (0 if shared >= 2 else (1 if shared == 0 else 2))
            else:
                rest = rest * 3 + 2
            add_code((code + rest) * 2 + (hi is not None and hi == hj))
            add_exact(tf)
    return PairCodes(codes, exact)


def missing_level(field: str) -> int:
    return _MISSING[field]
