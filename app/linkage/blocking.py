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

A block larger than CAP (a common name: Mohammed Al-Hassan) is not compared pairwise: it
is sorted by birth date and name and each person meets only the WINDOW persons next to
them (sorted neighbourhood), so the work grows close to linearly with the number of
persons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations

from .compare import Prepared
from .normalise import skeleton

CAP = 20
YEARS = (1920, 2030)
WINDOW = 12


def keys(p: Prepared) -> set[tuple]:
    out: set[tuple] = set()
    names = sorted({skeleton(t) for t in p.family + p.given if t})
    pairs: list[tuple[str, ...]] = list(combinations(names, 2)) or [tuple(names)]
    if p.birth is None:  # without a birth date: in every window (a few persons; large blocks are capped)
        out.update(("n", w) + pair for pair in pairs for w in range(YEARS[0] // 6, YEARS[1] // 6 + 1))
    else:
        y = p.birth.year
        for pair in pairs:  # two six-year windows: any two years at most three apart share one
            out.add(("n", y // 6) + pair)
            out.add(("n", (y + 3) // 6) + pair)
        initials = {t[:1] for t in p.given}
        for t in p.family:
            for i in initials:
                out.add(("fy", skeleton(t), i, y // 2))
                out.add(("fy", skeleton(t), i, (y + 1) // 2))
        if not p.birth.placeholder:
            for t in p.given:
                out.add(("gd", skeleton(t), p.birth.text))
    if p.phone:
        out.add(("p", p.phone))
    orig = sorted(set(p.family_orig + p.given_orig))
    for ox, oy in combinations(orig, 2):
        out.add(("o", ox, oy))
    return out


def _sort_key(p: Prepared) -> tuple:
    return (p.birth.text if p.birth else "", p.family, p.given)


def candidate_pairs(people: Sequence[Prepared], only: Iterable[int] | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a blocking key; with `only`, just the pairs of those persons."""
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for i, p in enumerate(people):
        for k in keys(p):
            blocks[k].append(i)
    wanted = set(only) if only is not None else None
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if wanted is not None:
            hits = [m for m in members if m in wanted]
            if not hits:
                continue
        if len(members) <= CAP:
            if wanted is None:
                pairs.update(combinations(members, 2))
            else:
                pairs.update((min(h, m), max(h, m)) for h in hits for m in members if m != h)
            continue
        ordered = sorted(members, key=lambda i: _sort_key(people[i]))
        for pos, i in enumerate(ordered):
            for j in ordered[pos + 1:pos + 1 + WINDOW]:
                if wanted is None or i in wanted or j in wanted:
                    pairs.add((min(i, j), max(i, j)))
    return pairs
