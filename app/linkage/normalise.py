"""Names and dates as the comparisons need them: one spelling for German and English transliterations.

`canon(token)` folds a Latin name token so that the conventions of German and English
registers meet before any string score: Schewtschenko / Shevchenko -> 'shavhanku',
Tkatschuk / Tkachuk, Dschawad / Javad, Jussuf / Yusuf (j -> y -> i), Chaled / Khaled,
Iwan / Ivan, Sainab / Zainab, Olha / Olga, Oeztuerk / Öztürk, doubled letters, a final h,
o/u and e/a (Mohammed / Muhammad / Mohamad -> 'muhamad'). Somali spellings (Maxamed,
Cabdi, Faadumo) are folded too when the token shows them or the person is Somali.
Names in Arabic, Cyrillic or Ge'ez script are transliterated by anyascii first.
`skeleton(canon)` keeps the first letter and the consonants: the coarse key for blocking.
Al-/El- before a family name is dropped (Al-Hassan, Alhasan, El-Hassan -> 'hasan'); other
letters are not taken for articles ("Az" of Azimi stays).
`birth(value)` reads a partial birth date and says whether it is a placeholder (01.01.YYYY
or a bare year): such a date says only "this year, perhaps".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from anyascii import anyascii

from ..search import fold

_RULES = (("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("zh", "sh"), ("dj", "j"), ("kh", "h"), ("ch", "h"),
          ("gh", "g"), ("ph", "f"), ("th", "t"), ("dh", "d"), ("ck", "k"), ("q", "k"), ("c", "k"), ("w", "v"),
          ("z", "s"), ("ue", "u"), ("oe", "o"), ("ae", "a"), ("j", "y"), ("ou", "u"), ("oo", "u"), ("ee", "i"),
          ("ei", "ai"), ("ey", "ai"), ("ay", "ai"), ("y", "i"), ("lh", "lg"), ("rh", "rg"), ("o", "u"), ("e", "a"))
_SOMALI_MARK = re.compile(r"x[aeiou]|[aeiou]c[aeiou]|aa|uu|ii")  # ^c (Cabdi) alone: also Celik
_DOUBLE = re.compile(r"(.)\1+")
_NOT_LETTER = re.compile(r"[^a-z]")
_VOWELS = re.compile(r"[aeiou]")
FAMILY_PREFIXES = ("al", "el")


@lru_cache(maxsize=65536)
def canon(token: str, somali: bool = False) -> str:
    """One spelling of a name token across transliteration conventions ('' for no letters)."""
    t = _NOT_LETTER.sub("", anyascii(fold(token)).lower())
    if somali or _SOMALI_MARK.search(t):
        t = re.sub(r"^c(?=[aeiou])", "", t)
        t = re.sub(r"(?<=[aeiou])c(?=[aeiou])", "", t).replace("x", "h")
    for a, b in _RULES:
        if a in t:
            t = t.replace(a, b)
    t = _DOUBLE.sub(r"\1", t)
    if len(t) > 3 and t.endswith("h") and t[-2] in "aiu":
        t = t[:-1]
    return t


@lru_cache(maxsize=65536)
def skeleton(c: str) -> str:
    """First letter and consonants of a canonical token: a key that survives vowel spellings."""
    return c[:1] + _VOWELS.sub("", c[1:]) if c else ""


@lru_cache(maxsize=65536)
def tokens(text: str | None, family: bool = False, somali: bool = False) -> tuple[str, ...]:
    """Canonical tokens of a name field; a family name loses a leading Al-/El- (cached: names repeat)."""
    out = []
    for raw in fold(text).split():
        if raw in FAMILY_PREFIXES:  # Al Hassan written apart (also in the given names, when swapped)
            continue
        if family:
            for p in FAMILY_PREFIXES:
                if raw.startswith(p) and len(raw) - len(p) >= 3:
                    raw = raw[len(p):]
                    break
        c = canon(raw, somali)
        if len(c) >= 2:
            out.append(c)
    return tuple(out)


@lru_cache(maxsize=65536)
def orig_tokens(text: str | None) -> tuple[str, ...]:
    """A name in its original script, folded (marks, alef/yeh forms): compared as written."""
    return tuple(t for t in fold(text).split() if t not in ("ال",))


class Birth(NamedTuple):
    year: int
    month: int | None
    day: int | None
    placeholder: bool  # 01.01.YYYY or a bare year: the real day was not known
    text: str  # YYYYMMDD, 00 for what is not known


def birth(value: str | None) -> Birth | None:
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2]) if len(parts) > 2 else None
    except ValueError:
        return None
    placeholder = month is None or (month == 1 and day in (1, None))
    return Birth(year, month, day, placeholder, f"{year:04d}{month or 0:02d}{day or 0:02d}")


def phone_key(value: str | None) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    return digits[-8:] if len(digits) >= 7 else None
