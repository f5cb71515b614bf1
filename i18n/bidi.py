"""Bidi isolates for left-to-right runs inside right-to-left text (pure Python, no Qt, no reportlab).

In an Arabic or Farsi sentence a German legal citation such as `§ 25 Abs. 2 AufenthG` is a
run of weak and neutral characters between Latin words: the bidi algorithm moves the `§` and
the numbers to the other end (`Abs. 2 AufenthG 25 §`). Wrapped in a left-to-right isolate
(LRI … PDI) the run keeps its own order wherever it stands, in Qt and in our PDF layer alike.

`isolate_ltr_runs(text)` wraps every run that starts with a Latin letter, a digit or `§` and
ends with a Latin letter or digit (inner spaces, `.`, `/`, `-`, `:`, `,` and `§` allowed);
brackets around a run stay outside, so they pair with the surrounding text. Text without
right-to-left letters is returned unchanged.
"""

from __future__ import annotations

import re

LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
_LATIN = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_START = f"[{_LATIN}0-9§]"
_END = f"[{_LATIN}0-9]"
_INNER = f"[{_LATIN}0-9§.,:/\\- ]"
_RUN = re.compile(f"{_START}(?:{_INNER}*{_END})?")
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_ISOLATED = re.compile(f"[{LRI}{FSI}\u2067].*?{PDI}", re.S)


def has_rtl(text: str) -> bool:
    return bool(_RTL.search(text or ""))


def isolate_ltr_runs(text: str) -> str:
    """`text` with each left-to-right run (citation, number, Latin words) as an LRI … PDI isolate."""
    if not text or not has_rtl(text):
        return text
    out, pos = [], 0
    for m in _ISOLATED.finditer(text):  # what is isolated already stays as it is
        out.append(_wrap(text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_wrap(text[pos:]))
    return "".join(out)


def _wrap(part: str) -> str:
    return _RUN.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", part)
