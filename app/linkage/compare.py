"""Compare two persons field by field: a graded level per field, never one score on one key.

`prepare(row, household_names)` turns a person row into what the comparisons read once
(canonical name tokens, the original script, the birth date, sex, nationality and country,
first language, phone, the given names of the household's other members).
`compare(a, b)` gives a `Comparison`: one level per field of FIELDS (names in `LEVELS`),
plus what the reviewer should know (given and family names swapped, the father's name
moved into the given names). A missing value is its own level, which the model makes
neutral evidence, not a match. Given names are compared as sets of tokens: one shared
token out of two is "partial", not a full match (Ahmad Walid / Ahmad Mohammed). A token
that differs only by a final -a or -i is another name (Ivan / Ivanna, Amin / Amina,
Hussein / Hosseini, Ahmad / Ahmadi). Names in their original script overrule the Latin
spelling: equal there means equal; nothing shared there makes a near Latin spelling
different (Шевченко / Савченко).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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
    names: tuple = ()  # (family, given, family_orig, given_orig): the key of the name comparison's cache
    family_key: str = ""
    given_key: str = ""
    full_key: str = ""
    names_id: int = -1  # the same number for the same `names` within one run (app.linkage.link sets it)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", (self.family, self.given, self.family_orig, self.given_orig))
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
    return Prepared(row["id"], tokens(row.get("family_name"), True, somali), tokens(row.get("given_names"), False, somali),
                    orig_tokens(row.get("family_name_orig")), orig_tokens(row.get("given_names_orig")),
                    birth(row.get("birth_date")), sex, nations, language, phone_key(row.get("phone")),
                    household_names, row.get("household_id"))


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
    if a == b or sorted(a) == sorted(b):
        return EXACT
    short, other = (a, b) if len(a) <= len(b) else (b, a)
    best = [max(token_level(t, o) for o in other) for t in short]
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
    first = next(i for i in range(8) if a[i] != b[i])
    return a[first + 1:] == b[first + 1:]


@lru_cache(maxsize=262144)
def _names(a: tuple, b: tuple) -> tuple[int, int, bool, bool]:
    """Family and given-name levels, and whether they are swapped or the father's name moved (cached:
    common names meet each other again and again)."""
    af, ag, afo, ago = a
    bf, bg, bfo, bgo = b
    fam, giv = names_level(af, bf), names_level(ag, bg)
    swapped = moved = False
    if fam > CLOSE or giv > CLOSE:
        x_fam, x_giv = names_level(af, bg), names_level(ag, bf)
        if x_fam <= CLOSE and x_giv <= CLOSE:
            fam, giv, swapped = x_fam, x_giv, True
        elif fam in (SUBSET, PARTIAL) and giv in (SUBSET, PARTIAL):
            whole = names_level(af + ag, bf + bg)
            if whole <= CLOSE:  # Yonas | Tesfay Gebremedhin = Yonas Tesfay | Gebremedhin
                fam = giv = whole
                moved = True
    if not swapped:
        fam = _orig_adjust(fam, afo, bfo)
        giv = _orig_adjust(giv, ago, bgo)
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


def compare(a: Prepared, b: Prepared, names_cache: dict[tuple[int, int], tuple] | None = None) -> Comparison:
    """The levels of a pair. `names_cache` (with `names_id` set): the name comparisons of one run, keyed by two
    small numbers instead of the names themselves (hashing the nested name tuples was a third of the time)."""
    if names_cache is not None and a.names_id >= 0 and b.names_id >= 0:
        key = (a.names_id, b.names_id)
        names = names_cache.get(key)
        if names is None:
            names = names_cache[key] = _names(a.names, b.names)
        fam, giv, swapped, moved = names
    else:
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


def missing_level(field: str) -> int:
    return _MISSING[field]
