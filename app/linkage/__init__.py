"""Record linkage of persons: which registrations, from any of the 13 offices, are one person.

`link(rows)` runs the steps of the package on person rows (dicts as in the `person` table):
`normalise` (one spelling across German and English transliterations and scripts),
`blocking` (candidate pairs from several keys, close to linear in the number of persons),
`compare` (a graded level per field), `model` (Fellegi-Sunter weights: u from random pairs,
m by EM on the candidates, term frequencies for exact names), `reasons` (why, per field,
and the look-alike patterns). It returns each pair at or above the threshold with its match
probability, best first, each person keeping at most TOP_N candidates. The candidates are
compared in one batch (`compare.compare_pairs`: integer codes, not an object per pair) and a
probability is worked out once per pattern of levels. Pure Python on top of rapidfuzz and
anyascii; no database (app.duplicates reads the rows and writes merges).
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .blocking import pair_ids
from .compare import Prepared, compare_pairs, decode, levels_of, prepare
from .model import Model, fit_patterns
from .reasons import FieldReason, explain, summary, warnings

TOP_N = 20


@dataclass
class Candidate:
    person_id: str
    other_id: str
    score: float  # match probability, 0..1
    reasons: list[str] = field(default_factory=list)  # msgids, most telling first
    fields: list[FieldReason] = field(default_factory=list)  # every field: level, weight in bits


class LinkResult:
    """What `link` found: the candidates, how many pairs it scored, the model; with keep_pairs=True also
    `blocked_pairs`, the id pairs of every candidate (made when first read: the benchmark's, not the search's)."""

    def __init__(self, candidates: list[Candidate], compared: int, model: Model,
                 pairs: tuple[list[int], list[str]] | None = None) -> None:
        self.candidates, self.compared, self.model = candidates, compared, model
        self._pairs = pairs
        self._blocked: set[tuple[str, str]] | None = None

    @property
    def blocked_pairs(self) -> set[tuple[str, str]] | None:
        if self._blocked is None and self._pairs is not None:
            ids, names = self._pairs
            n = len(names)
            blocked = set()
            for x in ids:
                i, j = divmod(x, n)
                a, b = names[i], names[j]
                blocked.add((a, b) if a < b else (b, a))
            self._blocked, self._pairs = blocked, None
        return self._blocked


def _relatives(rows: Sequence[dict[str, Any]], prepared: list[Prepared]) -> None:
    """The given names of each person's household members (the persons were made in this run: set in place)."""
    by_household: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.get("household_id"):
            by_household[r["household_id"]].append(i)
    for members in by_household.values():
        if len(members) < 2:
            continue
        for i in members:
            names = frozenset(t for j in members if j != i for t in prepared[j].given)
            if names:
                object.__setattr__(prepared[i], "relatives", names)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: a run makes millions of objects that live until its end (and no
    cycles), and each collection walked them all again (about 1.2 s of 8 at 50,000 persons)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def link(rows: Sequence[dict[str, Any]], threshold: float = 0.8, person_id: str | None = None,
         top_n: int = TOP_N, keep_pairs: bool = False) -> LinkResult:
    with _no_cyclic_gc():
        return _link(rows, threshold, person_id, top_n, keep_pairs)


def _link(rows: Sequence[dict[str, Any]], threshold: float, person_id: str | None, top_n: int,
          keep_pairs: bool) -> LinkResult:
    rows = [r for r in rows if not r.get("merged_into") and not r.get("deleted")]
    people = [prepare(r) for r in rows]
    _relatives(rows, people)
    n = len(people)
    only = [i for i, p in enumerate(people) if p.id == person_id] if person_id is not None else None
    pairs = pair_ids(people, only)
    codes, shared_names = compare_pairs(people, pairs)
    # the model learns on how often each pattern of levels occurs (pairs of one household left out)
    per_code = Counter(codes)
    patterns: Counter = Counter()
    for code, count in per_code.items():
        if not code & 1:  # not two members of one household
            patterns[levels_of(code)] += count
    model = fit_patterns(people, patterns)
    # the probability depends only on the levels and how common the names spelt alike are: once for each
    keys: list[Any] = [code if tf is None else (code, tf) for code, tf in zip(codes, shared_names, strict=True)]
    probs: dict[Any, float] = {}
    for key in dict.fromkeys(keys):
        code, tf = (key, None) if isinstance(key, int) else key
        probs[key] = model.probability(model.total_of(decode(code), tf))
    scored: list[tuple[float, int, int, int]] = []
    for x, key in zip(pairs, keys, strict=True):
        prob = probs[key]
        if prob >= threshold:
            i, j = divmod(x, n)
            scored.append((prob, i, j, key if isinstance(key, int) else key[0]))
    scored.sort(key=lambda t: -t[0])
    kept: dict[int, int] = defaultdict(int)
    out = []
    for prob, i, j, code in scored:
        if kept[i] >= top_n and kept[j] >= top_n:
            continue
        kept[i] += 1
        kept[j] += 1
        a, b = people[i], people[j]
        c = decode(code)
        first, second = sorted((a.id, b.id))
        if person_id is not None and second == person_id:
            first, second = second, first
        fields = explain(model, a, b, c)
        out.append(Candidate(first, second, round(prob, 3), summary(c, fields, warnings(a, b, c)), fields))
    out.sort(key=lambda c: (-c.score, c.person_id, c.other_id))
    return LinkResult(out, len(pairs), model, (pairs, [p.id for p in people]) if keep_pairs else None)
