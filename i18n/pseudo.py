"""Pseudo-translation: a fake UI language that makes layout problems visible.

`sprechstunde --lang x-pseudo` (or `i18n.set_language("x-pseudo")`) shows every
UI text from the German catalog with accented letters, about 40 % longer and
in brackets, so truncated labels, hard-coded (untranslated) strings and fixed
widths stand out (the padding comes in words of up to 8 `~`, so it wraps where
a translation would). `tests/ui/test_pseudo_layout.py` renders the main screens
in both pseudo locales and fails on clipped texts. `x-pseudo-rtl` additionally marks texts right-to-left
(U+202E … U+202C) for trying a mirrored layout with German-speaking testers.
`{placeholders}`, `%v`-style Qt formats and `&` mnemonics are kept intact.
"""

from __future__ import annotations

import gettext as _gettext
import re

PSEUDO = "x-pseudo"
PSEUDO_RTL = "x-pseudo-rtl"
_ACCENTS = str.maketrans("aeiouyAEIOUYcnsz", "àéîöûÿÀÉÎÖÛŸçñšž")
_KEEP = re.compile(r"(\{[^{}]*\}|%[a-zA-Z]|&(?=\w)|<[^>]+>)")


def pseudo(text: str, rtl: bool = False) -> str:
    parts = _KEEP.split(text)
    out = "".join(p if _KEEP.fullmatch(p) else p.translate(_ACCENTS) for p in parts)
    n = max(1, len(text) * 2 // 5)
    pad = " ".join("~" * min(8, n - i) for i in range(0, n, 8))  # words, as a translation has: it can wrap
    out = f"[{out} {pad}]"
    return f"\u202e{out}\u202c" if rtl else out


class PseudoTranslations(_gettext.NullTranslations):
    def __init__(self, base: _gettext.NullTranslations, rtl: bool = False):
        super().__init__()
        self.base, self.rtl = base, rtl

    def gettext(self, message):
        return pseudo(self.base.gettext(message), self.rtl)

    def ngettext(self, msgid1, msgid2, n):
        return pseudo(self.base.ngettext(msgid1, msgid2, n), self.rtl)

    def pgettext(self, context, message):
        return pseudo(self.base.pgettext(context, message), self.rtl)
