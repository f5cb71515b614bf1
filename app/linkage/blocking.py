"""Candidate pairs without comparing everyone with everyone: several blocking keys, capped blocks.

A pair is a candidate when the two persons share one of these keys:

* two name tokens, in any order and from either field (skeletons: Mohammed / Muhammad ->
  'mhmd'), and the birth year within three years (a person without a birth date in every window): finds
  swapped names and the father's name moved between the fields;
* a family-name token, the initial of a given name and the birth year, within one year
  (two keys of two-year windows, so 1990 meets 1989 and 1991): finds a misspelt given name;
* a given-name token and the full birth date: finds a misspelt or changed family name;
* the phone number;
* two name tokens in the original script.

Each key is made for the name as registered and for every other spelling a merge kept
(`Prepared.aliases`): a third registration spelled like an alias meets the person.

A block larger than CAP (a common name: Mohammed Al-Hassan) is not compared pairwise: it
is sorted by birth date and name and each person meets only the WINDOW persons next to
them (sorted neighbourhood), so the work grows close to linearly with the number of
persons. Pairs are numbered i * len(people) + j (`pair_ids`): one integer per pair, so the
pairs that several keys find are counted once without building a tuple for each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import combinations

from .compare import Prepared
from .normalise import skeleton

CAP = 20
YEARS = (1920, 2030)
WINDOW = 12
_WINDOWS = range(YEARS[0] // 6, YEARS[1] // 6 + 1)
UNDATED = -1  # the window of a person without a birth date: every one of _WINDOWS


def keys(p: Prepared) -> set[tuple]:
    out: set[tuple] = set()
    for family, given, family_orig, given_orig in ((p.family, p.given, p.family_orig, p.given_orig), *p.aliases):
        _variant_keys(out, p, family, given, family_orig, given_orig)
    if p.phone:
        out.add(("p", p.phone))
    return out


@lru_cache(maxsize=65536)
def _name_parts(family: tuple[str, ...], given: tuple[str, ...]) -> tuple[tuple, tuple, tuple]:
    """What the keys take from a name (cached: names repeat): the pairs of skeletons in any order, the
    (family skeleton, given initial) pairs and the given skeletons."""
    names = sorted({skeleton(t) for t in family + given if t})
    pairs = tuple(combinations(names, 2)) or (tuple(names),)
    initials = {t[:1] for t in given}
    family_initials = tuple(dict.fromkeys((skeleton(t), i) for t in family for i in sorted(initials)))
    return pairs, family_initials, tuple(skeleton(t) for t in given)


def _variant_keys(out: set[tuple], p: Prepared, family: tuple[str, ...], given: tuple[str, ...],
                  family_orig: tuple[str, ...], given_orig: tuple[str, ...]) -> None:
    pairs, family_initials, given_skeletons = _name_parts(family, given)
    if p.birth is None:  # without a birth date: in every window (pair_ids adds them to each; UNDATED marks it)
        out.update(("n", UNDATED) + pair for pair in pairs)
    else:
        y = p.birth.year
        a, b = y // 6, (y + 3) // 6  # two six-year windows: any two years at most three apart share one
        for pair in pairs:
            out.add(("n", a) + pair)
            out.add(("n", b) + pair)
        c, d = y // 2, (y + 1) // 2
        for f, i in family_initials:
            out.add(("fy", f, i, c))
            out.add(("fy", f, i, d))
        if not p.birth.placeholder:
            for g in given_skeletons:
                out.add(("gd", g, p.birth.text))
    if family_orig or given_orig:
        orig = sorted(set(family_orig + given_orig))
        for ox, oy in combinations(orig, 2):
            out.add(("o", ox, oy))


def _sort_key(p: Prepared) -> tuple:
    return (p.birth.text if p.birth else "", p.family, p.given)


def candidate_pairs(people: Sequence[Prepared], only: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a blocking key; with `only`, just the pairs of those persons."""
    n = len(people)
    return {divmod(x, n) for x in pair_ids(people, only)}


def pair_ids(people: Sequence[Prepared], only: Iterable[int] | None = None) -> list[int]:
    """`candidate_pairs` as sorted numbers i * len(people) + j (i < j): the order of the index pairs."""
    n = len(people)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, p in enumerate(people):
        for k in keys(p):
            blocks[k].append(i)  # in increasing order of i
    # the undated persons of a name pair belong to each of its windows: merged into the windows that have
    # dated persons, and once on their own when some window has none (it would be that block in each)
    undated = {k[2:]: blocks.pop(k) for k in [k for k in blocks if k[0] == "n" and k[1] == UNDATED]}
    if undated:
        dated_windows: dict[tuple, int] = defaultdict(int)
        for k, members in blocks.items():
            if k[0] == "n" and k[1] in _WINDOWS and k[2:] in undated:
                blocks[k] = sorted(members + undated[k[2:]])
                dated_windows[k[2:]] += 1
        for names, members in undated.items():
            if dated_windows[names] < len(_WINDOWS):
                blocks[("n", UNDATED) + names] = members
    wanted = set(only) if only is not None else None
    pairs: set[int] = set()
    add, add_one = pairs.update, pairs.add
    sort_keys: list[tuple] | None = None
    for members in blocks.values():
        size = len(members)
        if size < 2:
            continue
        if wanted is not None:
            hits = [m for m in members if m in wanted]
            if not hits:
                continue
        if size <= CAP:
            if wanted is None:
                for pos in range(size - 1):
                    base = members[pos] * n
                    add([base + j for j in members[pos + 1:]])
            else:
                add([min(h, m) * n + max(h, m) for h in hits for m in members if m != h])
            continue
        if sort_keys is None:
            sort_keys = [_sort_key(p) for p in people]
        ordered = sorted(members, key=sort_keys.__getitem__)
        for pos, i in enumerate(ordered):
            for j in ordered[pos + 1:pos + 1 + WINDOW]:
                if wanted is None or i in wanted or j in wanted:
                    add_one(i * n + j if i < j else j * n + i)
    return sorted(pairs)
