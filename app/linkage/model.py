"""Fellegi-Sunter weights learned from the store's own persons: u from random pairs, m by EM.

For each field level, m = P(level | same person) and u = P(level | different persons).
A pair's match weight is the prior log-odds plus the sum over fields of log2(m/u); its
match probability is 1 / (1 + 2^-weight). u is counted on random pairs of the persons
(plentiful, almost all non-matches); m and the share of matches are estimated by
expectation-maximisation (see `fit`), starting from, and shrunk towards, priors
(PRIOR_M), so a small store keeps sensible weights and a large one learns its own.
Two members of one household get SAME_HOUSEHOLD_BITS. A missing value weighs 0: it is neither a match nor a mismatch. An exact name match is
weighed by how common the name is (term frequency): sharing "Mohammed" says less than
sharing "Tesfamariam". Sex, nationality and language agree for most pairs of one origin
anyway, so their agreement counts at most +1 bit for sex, +0.5 for nationality and language, and
half of that when both names agree, which already imply them in part (their disagreement in full).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .compare import EXACT, FIELDS, SUBSET, LEVELS, Comparison, Prepared, compare

PRIOR_M: dict[str, tuple[float, ...]] = {
    "family": (0.70, 0.14, 0.05, 0.02, 0.02, 0.03, 0.04),
    "given": (0.68, 0.14, 0.06, 0.03, 0.02, 0.03, 0.04),
    "birth": (0.41, 0.03, 0.04, 0.31, 0.06, 0.02, 0.02, 0.02, 0.09),
    "sex": (0.92, 0.01, 0.07),
    "nationality": (0.85, 0.03, 0.12),
    "language": (0.60, 0.05, 0.35),
    "phone": (0.25, 0.10, 0.65),
    "relatives": (0.30, 0.20, 0.50),
}
PRIOR_U: dict[str, tuple[float, ...]] = {
    "family": (0.01, 0.005, 0.002, 0.002, 0.03, 0.91, 0.041),
    "given": (0.01, 0.005, 0.002, 0.003, 0.03, 0.91, 0.04),
    "birth": (0.0003, 0.00002, 0.002, 0.03, 0.05, 0.02, 0.03, 0.80, 0.06768),
    "sex": (0.50, 0.43, 0.07),
    "nationality": (0.20, 0.68, 0.12),
    "language": (0.25, 0.40, 0.35),
    "phone": (0.0001, 0.35, 0.6499),
    "relatives": (0.01, 0.49, 0.50),
}
IMPLIED = tuple(FIELDS.index(f) for f in ("sex", "nationality", "language", "relatives"))
IMPLIED_SHARE = 0.5
CAPPED = {"sex": 1.0, "nationality": 0.5, "language": 0.5}  # bits at most for agreeing
PRIOR_DUPLICATE_SHARE = 0.05  # expected pairs of the same person, per person
U_SAMPLE = 10_000
EM_ROUNDS = 12
M_PSEUDO = 40.0  # the priors weigh as much as this many matched pairs
U_PSEUDO = 200.0
MAX_NAME_BITS = 12.0
# Two members of one household are twins, siblings, parent and child far more often than one
# person entered twice in the same household form (which the household dialog shows anyway).
SAME_HOUSEHOLD_BITS = -10.0


def _missing(f: str) -> int:
    return len(LEVELS[f]) - 1


@dataclass
class Model:
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    log_prior: float  # log2 odds that a random pair is the same person
    family_freq: Counter = field(default_factory=Counter)
    given_freq: Counter = field(default_factory=Counter)
    name_freq: Counter = field(default_factory=Counter)
    persons: int = 0

    def freeze(self) -> None:
        """Fix the weights after fitting: a table per field instead of a logarithm per pair."""
        self._table = [[self.field_weight(f, lv) for lv in range(len(LEVELS[f]))] for f in FIELDS]
        self._tf: dict[tuple[str, int], float] = {}
        self._name_parts: dict[tuple, tuple[float, float]] = {}  # (levels, plain, frequencies) -> bits
        self._other_parts: dict[tuple, tuple[float, ...]] = {}  # (levels, names agree) -> bits

    def field_weight(self, f: str, level: int) -> float:
        if level == _missing(f):
            return 0.0
        w = math.log2(self.m[f][level] / self.u[f][level])
        return min(w, CAPPED[f]) if f in CAPPED else w

    def _tf_weight(self, f: str, count: int) -> float:
        """An exact name borne by `count` persons of the store (the pair's two included)."""
        cache = getattr(self, "_tf", None)
        cached = cache.get((f, count)) if cache is not None else None
        if cached is not None:
            return cached
        u = (max(count - 1, 0) + U_PSEUDO * self.u[f][EXACT]) / (self.persons + U_PSEUDO)  # the others so named
        w = min(math.log2(self.m[f][EXACT] / max(u, 1e-9)), MAX_NAME_BITS)
        if cache is not None:
            cache[(f, count)] = w
        return w

    def shared_names(self, c: Comparison, a: Prepared, b: Prepared) -> tuple[int, int, int] | None:
        """How many persons bear the family name, the given names and the whole name that a and b spell
        alike (-1 for a part they do not), or None: what the weight of exact names depends on."""
        if c.swapped or c.moved:
            return None
        f_same = c.levels[0] == EXACT and a.family_key == b.family_key
        g_same = c.levels[1] == EXACT and a.given_key == b.given_key
        if not f_same and not g_same:
            return None
        return (self.family_freq[a.family_key] if f_same else -1, self.given_freq[a.given_key] if g_same else -1,
                self.name_freq[a.full_key] if f_same and g_same else -1)

    def weights(self, c: Comparison, a: Prepared | None = None, b: Prepared | None = None) -> list[float]:
        """Bits per field; exact names (spelt alike, not only in the original script) by their frequency."""
        return self.weights_of(c, self.shared_names(c, a, b) if a is not None and b is not None else None)

    def weights_of(self, c: Comparison, shared: tuple[int, int, int] | None) -> list[float]:
        """Bits per field of a comparison whose exactly shared names are this frequent (`shared_names`):
        both names exact by the frequency of the whole name, since given and family names go together
        by origin (Yonas among Eritreans) and their separate frequencies would count that twice.
        The two names' bits and the other fields' are each worked out once (cached when frozen)."""
        levels = c.levels
        agree = levels[0] <= SUBSET and levels[1] <= SUBSET
        names_cache = getattr(self, "_name_parts", None)
        key = (levels[0], levels[1], shared)
        names = names_cache.get(key) if names_cache is not None else None
        if names is None:
            names = self._name_weights(levels[0], levels[1], shared)
            if names_cache is not None:
                names_cache[key] = names
        others_cache = getattr(self, "_other_parts", None)
        okey = (levels[2:], agree)
        others = others_cache.get(okey) if others_cache is not None else None
        if others is None:
            others = self._other_weights(levels, agree)
            if others_cache is not None:
                others_cache[okey] = others
        return [*names, *others]

    def _level_weight(self, k: int, level: int) -> float:
        table = getattr(self, "_table", None)
        return table[k][level] if table is not None else self.field_weight(FIELDS[k], level)

    def _other_weights(self, levels: tuple[int, ...], agree: bool) -> tuple[float, ...]:
        out = [self._level_weight(k, levels[k]) for k in range(2, len(FIELDS))]
        if agree:
            for i in IMPLIED:  # one name implies its sex and origin: agreeing there tells nothing more
                out[i - 2] = min(out[i - 2], out[i - 2] * IMPLIED_SHARE)
        return tuple(out)

    def _name_weights(self, family: int, given: int, shared: tuple[int, int, int] | None) -> tuple[float, float]:
        w0, w1 = self._level_weight(0, family), self._level_weight(1, given)
        if shared is None:
            return w0, w1
        f_count, g_count, n_count = shared
        if f_count >= 0:
            w0 = self._tf_weight("family", f_count)
        if g_count >= 0:
            w1 = self._tf_weight("given", g_count)
        if f_count >= 0 and g_count >= 0:
            prior_u = U_PSEUDO * self.u["family"][EXACT] * self.u["given"][EXACT]
            u = (max(n_count - 1, 0) + prior_u) / (self.persons + U_PSEUDO)
            joint = math.log2(self.m["family"][EXACT] * self.m["given"][EXACT] / max(u, 1e-12))
            joint = min(joint, w0 + w1)
            share = w0 / (w0 + w1) if w0 + w1 > 0 else 0.5
            w0, w1 = joint * share, joint * (1 - share)
        return w0, w1

    def total(self, c: Comparison, a: Prepared, b: Prepared) -> float:
        """Bits of evidence of a pair."""
        return self.total_of(c, self.shared_names(c, a, b))

    def total_of(self, c: Comparison, shared: tuple[int, int, int] | None) -> float:
        return sum(self.weights_of(c, shared)) + (SAME_HOUSEHOLD_BITS if c.same_household else 0.0)

    def probability(self, total_weight: float) -> float:
        w = self.log_prior + total_weight
        return 1.0 / (1.0 + 2.0 ** -max(min(w, 60.0), -60.0))


def _normalise(counts: list[float]) -> list[float]:
    s = sum(counts)
    return [c / s for c in counts]


def fit(people: Sequence[Prepared], comparisons: Sequence[Comparison], seed: int = 0) -> Model:
    """The model of these persons, learned on these candidate comparisons (see `fit_patterns`)."""
    return fit_patterns(people, Counter(c.levels for c in comparisons if not c.same_household), seed)


def fit_patterns(people: Sequence[Prepared], patterns: Counter, seed: int = 0) -> Model:
    """The model learned on the candidates, given as how often each pattern of levels occurs among the
    pairs that are not two members of one household (in the order the patterns first occur)."""
    n = len(people)
    total_pairs = max(n * (n - 1) / 2, 1.0)
    # u: random pairs
    rng = random.Random(seed)
    u_counts = {f: [U_PSEUDO * p for p in PRIOR_U[f]] for f in FIELDS}
    if n >= 2:
        for _ in range(min(U_SAMPLE, int(total_pairs))):
            i, j = rng.randrange(n), rng.randrange(n)
            if i == j:
                continue
            c = compare(people[i], people[j])
            for k, f in enumerate(FIELDS):
                u_counts[f][c.levels[k]] += 1
    u = {f: _normalise(v) for f, v in u_counts.items()}
    m = {f: list(PRIOR_M[f]) for f in FIELDS}
    prior_matches = PRIOR_DUPLICATE_SHARE * n
    lam = min(prior_matches / total_pairs, 0.5)
    model = Model(m, u, math.log2(lam / (1 - lam)), persons=n)
    for p in people:
        model.family_freq[p.family_key] += 1
        model.given_freq[p.given_key] += 1
        model.name_freq[p.full_key] += 1
    # m: EM, but only for the name fields and only on the candidates whose birth date (a real
    # one) or phone agrees, where names vary independently of the blocking. EM over all
    # candidates (tried) takes the many same-name, different-person pairs for the match
    # class and learns that a different birth year is typical of a match. The other fields
    # keep their priors; the share of matches is then estimated by EM over all candidates.
    b_exact, p_same = LEVELS["birth"].index("exact"), 0
    ib, ip = FIELDS.index("birth"), FIELDS.index("phone")
    training = Counter({levels: count for levels, count in patterns.items()
                        if levels[ib] == b_exact or levels[ip] == p_same})
    _em(model, training, ("family", "given"), total_pairs, prior_matches, update_prior=False)
    _em(model, patterns, (), total_pairs, prior_matches, update_prior=True)
    model.freeze()
    return model


def _em(model: Model, patterns: Counter, learn: tuple[str, ...], total_pairs: float, prior_matches: float,
        update_prior: bool) -> None:
    """Expectation-maximisation over patterns of levels: m of the fields in `learn`, and the prior."""
    totals: list[float] = []
    for round_ in range(EM_ROUNDS):
        if learn or not round_:  # learning nothing, the weights stay: only the prior moves
            w_of = {f: [model.field_weight(f, lv) for lv in range(len(LEVELS[f]))] for f in FIELDS}
            totals = [sum(w_of[f][lv] for f, lv in zip(FIELDS, levels, strict=True)) for levels in patterns]
        m_counts = {f: [M_PSEUDO * p for p in PRIOR_M[f]] for f in learn}
        expected = 0.0
        for (levels, count), total in zip(patterns.items(), totals, strict=True):
            post = model.probability(total)
            if post >= 0.5:  # the prior counts likely matches only ("hard" EM): the many
                expected += count  # unlikely candidates would otherwise add up to a false mass
            for f in learn:
                m_counts[f][levels[FIELDS.index(f)]] += post * count
        for f in learn:
            model.m[f] = _normalise(m_counts[f])
        if update_prior:
            lam = min((expected + 5.0) / (total_pairs + 5.0 * total_pairs / max(prior_matches, 1e-3)), 0.5)
            model.log_prior = math.log2(lam / (1 - lam))
