"""The occupation classification (a KldB 2010 subset shipped in resources/occupations.json): names, and
which code a word typed in Profiling II stands for.

KldB 2010 codes have five digits: occupational area (1), main group (2), group (3), subgroup (4) and the
level of requirement (5th digit: 1 helper, 2 skilled, 3 specialist, 4 expert). `similarity(a, b)` says how
close two codes are by the digits they share; `code_for(text)` finds the code of a free-text occupation
("Maler", "Kfz-Werkstatt", "Pflegehilfe") by the terms in the data file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "resources" / "occupations.json"
LEVELS = {"1": "helper", "2": "skilled", "3": "specialist", "4": "expert"}


@dataclass(frozen=True)
class Occupation:
    code: str
    name: str
    terms: tuple[str, ...]


def normalize(text: str) -> str:
    """Case-folded, without gender endings (/in, /-frau, (m/w/d)) and extra spaces."""
    t = (text or "").casefold()
    t = re.sub(r"\((m/w/d|w/m/d|m/w)\)", " ", t)
    t = re.sub(r"/-?(in|innen|frau|köchin|r)\b", " ", t)
    t = t.replace("ß", "ss")
    return " ".join(re.sub(r"[^\w()+-]+", " ", t).split())


class Classification:
    def __init__(self, occupations: list[Occupation]):
        self.occupations = {o.code: o for o in occupations}
        self._terms: dict[str, str] = {}
        for o in occupations:
            for term in (o.name, *o.terms):
                self._terms.setdefault(normalize(term), o.code)
        # longest first: "fachkraft fur lagerlogistik" before "lager"
        self._by_length = sorted(self._terms, key=len, reverse=True)

    @classmethod
    def load(cls, path: Path = DATA) -> "Classification":
        doc = json.loads(Path(path).read_text("utf-8"))
        return cls([Occupation(o["code"], o["name"], tuple(o.get("terms", ()))) for o in doc["occupations"]])

    def name(self, code: str | None) -> str:
        o = self.occupations.get(code or "")
        return o.name if o else (code or "")

    def code_for(self, text: str | None) -> str | None:
        """The code a typed occupation stands for: a term equal to it, else the longest term it contains
        as whole words; None when nothing fits."""
        t = normalize(text or "")
        if not t:
            return None
        if t in self._terms:
            return self._terms[t]
        padded = f" {t} "
        for term in self._by_length:
            if len(term) >= 4 and f" {term} " in padded:
                return self._terms[term]
        return None

    def choices(self) -> list[tuple[str, str]]:
        """(code, name) sorted by name, for a picker."""
        return sorted(((o.code, o.name) for o in self.occupations.values()), key=lambda x: x[1])


def similarity(a: str | None, b: str | None) -> float:
    """1.0 the same occupation type, 0.8 the same subgroup at another level, 0.6 the same group, 0.3 the same
    main group, else 0."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    for digits, score in ((4, 0.8), (3, 0.6), (2, 0.3)):
        if a[:digits] == b[:digits]:
            return score
    return 0.0


@lru_cache(maxsize=1)
def default_classification() -> Classification:
    return Classification.load()
