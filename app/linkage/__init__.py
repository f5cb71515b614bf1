"""Record linkage of persons: which registrations, from any of the 13 offices, are one person.

`link(rows)` runs the steps of the package on person rows (dicts as in the `person` table):
`normalise` (one spelling across German and English transliterations and scripts),
`blocking` (candidate pairs from several keys, close to linear in the number of persons),
`compare` (a graded level per field), `model` (Fellegi-Sunter weights: u from random pairs,
m by EM on the candidates, term frequencies for exact names), `reasons` (why, per field,
and the look-alike patterns). It returns each pair at or above the threshold with its match
probability, best first, each person keeping at most TOP_N candidates. Pure Python on top of
rapidfuzz and anyascii; no database (app.duplicates reads the rows and writes merges).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .blocking import candidate_pairs
from .compare import Comparison, Prepared, compare, prepare
from .model import Model, fit
from .reasons import FieldReason, explain, summary, warnings

TOP_N = 20


@dataclass
class Candidate:
    person_id: str
    other_id: str
    score: float  # match probability, 0..1
    reasons: list[str] = field(default_factory=list)  # msgids, most telling first
    fields: list[FieldReason] = field(default_factory=list)  # every field: level, weight in bits


@dataclass
class LinkResult:
    candidates: list[Candidate]
    compared: int  # candidate pairs scored
    model: Model
    blocked_pairs: set[tuple[str, str]] | None = None  # id pairs of the candidates (keep_pairs=True)


def _relatives(rows: Sequence[dict[str, Any]], prepared: list[Prepared]) -> list[Prepared]:
    by_household: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.get("household_id"):
            by_household[r["household_id"]].append(i)
    out = []
    for i, (r, p) in enumerate(zip(rows, prepared, strict=True)):
        members = by_household.get(r.get("household_id") or "", [])
        names = frozenset(t for j in members if j != i for t in prepared[j].given)
        out.append(replace(p, relatives=names) if names else p)
    return out


def link(rows: Sequence[dict[str, Any]], threshold: float = 0.8, person_id: str | None = None,
         top_n: int = TOP_N, keep_pairs: bool = False) -> LinkResult:
    rows = [r for r in rows if not r.get("merged_into") and not r.get("deleted")]
    people = _relatives(rows, [prepare(r) for r in rows])
    only = [i for i, p in enumerate(people) if p.id == person_id] if person_id is not None else None
    pairs = sorted(candidate_pairs(people, only))
    name_ids: dict[tuple, int] = {}
    for p in people:  # Prepared is frozen for its users; this run numbers the names it has just made
        object.__setattr__(p, "names_id", name_ids.setdefault(p.names, len(name_ids)))
    names_cache: dict[tuple[int, int], tuple] = {}
    comparisons: list[Comparison] = [compare(people[i], people[j], names_cache) for i, j in pairs]
    model = fit(people, comparisons)
    scored: list[tuple[float, int, int, Comparison]] = []
    for (i, j), c in zip(pairs, comparisons, strict=True):
        prob = model.probability(model.total(c, people[i], people[j]))
        if prob >= threshold:
            scored.append((prob, i, j, c))
    scored.sort(key=lambda t: -t[0])
    kept: dict[int, int] = defaultdict(int)
    out = []
    for prob, i, j, c in scored:
        if kept[i] >= top_n and kept[j] >= top_n:
            continue
        kept[i] += 1
        kept[j] += 1
        a, b = people[i], people[j]
        first, second = sorted((a.id, b.id))
        if person_id is not None and second == person_id:
            first, second = second, first
        fields = explain(model, a, b, c)
        out.append(Candidate(first, second, round(prob, 3), summary(c, fields, warnings(a, b, c)), fields))
    out.sort(key=lambda c: (-c.score, c.person_id, c.other_id))
    blocked = {tuple(sorted((people[i].id, people[j].id))) for i, j in pairs} if keep_pairs else None
    return LinkResult(out, len(pairs), model, blocked)  # type: ignore[arg-type]
