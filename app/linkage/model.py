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
        self._tf: dict[tuple[str, str], float] = {}
        self._sums: dict[tuple, float] = {}  # (levels, exact family name, exact given names) -> bits

    def field_weight(self, f: str, level: int) -> float:
        if level == _missing(f):
            return 0.0
        w = math.log2(self.m[f][level] / self.u[f][level])
        return min(w, CAPPED[f]) if f in CAPPED else w

    def _tf_weight(self, f: str, key: str) -> float:
        cached = self._tf.get((f, key)) if hasattr(self, "_tf") else None
        if cached is not None:
            return cached
        freq = self.family_freq if f == "family" else self.given_freq
        u = (max(freq[key] - 1, 0) + U_PSEUDO * self.u[f][EXACT]) / (self.persons + U_PSEUDO)  # the others so named
        w = min(math.log2(self.m[f][EXACT] / max(u, 1e-9)), MAX_NAME_BITS)
        if hasattr(self, "_tf"):
            self._tf[(f, key)] = w
        return w

    def weights(self, c: Comparison, a: Prepared | None = None, b: Prepared | None = None) -> list[float]:
        """Bits per field; exact names (spelt alike, not only in the original script) by their frequency:
        both names exact by the frequency of the whole name, since given and family names go together
        by origin (Yonas among Eritreans) and their separate frequencies would count that twice."""
        if hasattr(self, "_table"):
            out = [t[lv] for t, lv in zip(self._table, c.levels, strict=True)]
        else:
            out = [self.field_weight(f, lv) for f, lv in zip(FIELDS, c.levels, strict=True)]
        if c.levels[0] <= SUBSET and c.levels[1] <= SUBSET:
            for i in IMPLIED:  # one name implies its sex and origin: agreeing there tells nothing more
                out[i] = min(out[i], out[i] * IMPLIED_SHARE)
        if a is None or b is None or c.swapped or c.moved:
            return out
        exact = [i for i, (ka, kb) in enumerate(((a.family_key, b.family_key), (a.given_key, b.given_key)))
                 if c.levels[i] == EXACT and ka == kb]
        if not exact:
            return out
        for i in exact:
            out[i] = self._tf_weight(FIELDS[i], a.family_key if i == 0 else a.given_key)
        if len(exact) == 2:
            prior_u = U_PSEUDO * self.u["family"][EXACT] * self.u["given"][EXACT]
            u = (max(self.name_freq[a.full_key] - 1, 0) + prior_u) / (self.persons + U_PSEUDO)
            joint = math.log2(self.m["family"][EXACT] * self.m["given"][EXACT] / max(u, 1e-12))
            joint = min(joint, out[0] + out[1])
            share = out[0] / (out[0] + out[1]) if out[0] + out[1] > 0 else 0.5
            out[0], out[1] = joint * share, joint * (1 - share)
        return out

    def total(self, c: Comparison, a: Prepared, b: Prepared) -> float:
        """Bits of evidence of a pair. What `weights` gives depends only on the levels and, where a name is
        spelt alike, on that name: cached by those (thousands of patterns among hundreds of thousands of pairs)."""
        sums = getattr(self, "_sums", None)
        if sums is None:
            return sum(self.weights(c, a, b)) + (SAME_HOUSEHOLD_BITS if c.same_household else 0.0)
        levels = c.levels
        plain = c.swapped or c.moved
        fk = a.family_key if not plain and levels[0] == EXACT and a.family_key == b.family_key else None
        gk = a.given_key if not plain and levels[1] == EXACT and a.given_key == b.given_key else None
        key = (levels, fk, gk)
        bits = sums.get(key)
        if bits is None:
            bits = sums[key] = sum(self.weights(c, a, b))
        return bits + (SAME_HOUSEHOLD_BITS if c.same_household else 0.0)

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
    for _ in range(EM_ROUNDS):
        w_of = {f: [model.field_weight(f, lv) for lv in range(len(LEVELS[f]))] for f in FIELDS}
        m_counts = {f: [M_PSEUDO * p for p in PRIOR_M[f]] for f in learn}
        expected = 0.0
        for levels, count in patterns.items():
            post = model.probability(sum(w_of[f][lv] for f, lv in zip(FIELDS, levels, strict=True)))
            if post >= 0.5:  # the prior counts likely matches only ("hard" EM): the many
                expected += count  # unlikely candidates would otherwise add up to a false mass
            for f in learn:
                m_counts[f][levels[FIELDS.index(f)]] += post * count
        for f in learn:
            model.m[f] = _normalise(m_counts[f])
        if update_prior:
            lam = min((expected + 5.0) / (total_pairs + 5.0 * total_pairs / max(prior_matches, 1e-3)), 0.5)
            model.log_prior = math.log2(lam / (1 - lam))
