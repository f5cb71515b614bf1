"""The legal glossary: fixed terms with a German definition and the agreed rendering per language.

The data is `resources/glossary/*.json` (docs/languages.md, "Legal glossary"); this module
loads it and checks texts against it:

    terms()                         -> every Term, in file order
    term("duldung").rendering("fa_AF")  -> the Rendering (Dari: Farsi's where Dari has none)
    disagreements(entries)          -> texts that miss a term's rendering or use an avoided word

`entries` are `(lang, msgid, context, text)` of translated catalog entries; i18n.catalogs feeds
the forms catalogs through it in `check()`. Pure data and matching: no catalog is read here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

GLOSSARY_DIR = Path(__file__).resolve().parent.parent / "resources" / "glossary"

_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, superscript alef, tatweel
_IGNORED = dict.fromkeys(map(ord, "\u200e\u200f\u2066\u2067\u2068\u2069\u061c\u0307"), None)


def normalize(text: str) -> str:
    """The form texts are compared in: NFC, case folded, without Arabic vowel marks, bidi
    controls or the dot Turkish İ leaves after case folding, spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_IGNORED)
    text = _ARABIC_MARKS.sub("", text)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


@dataclass(frozen=True)
class Rendering:
    lang: str
    term: str  # the agreed rendering, dictionary form
    forms: tuple[str, ...]  # spellings accepted in a text (inflected, with article)

    def found_in(self, text: str) -> bool:
        norm = normalize(text)
        return any(normalize(f) in norm for f in self.forms)


@dataclass(frozen=True)
class Term:
    id: str
    german: str
    definition: str
    law: str
    match: tuple[re.Pattern, ...]
    keep: tuple[str, ...]  # German names kept in the translation where the msgid shows them
    sources: tuple[str, ...]
    renderings: dict[str, Rendering] = field(hash=False, compare=False)
    avoid: dict[str, tuple[str, ...]] = field(hash=False, compare=False)
    note: str = ""
    not_in: frozenset[str] = frozenset()  # msgids where the matched English word means something else

    def applies_to(self, msgid: str) -> bool:
        return msgid not in self.not_in and any(p.search(msgid) for p in self.match)

    def rendering(self, lang: str) -> Rendering | None:
        """The rendering for `lang`, else its fallback language's (resources/languages.json)."""
        from .locale import language, normalize as norm_lang

        code: str | None = norm_lang(lang) or lang
        seen: set[str] = set()
        while code and code not in seen:
            if code in self.renderings:
                return self.renderings[code]
            seen.add(code)
            try:
                code = language(code).fallback
            except KeyError:
                code = None
        return None

    def kept_names(self, msgid: str) -> list[str]:
        """German names the msgid shows in brackets or alone: a translation shows them too."""
        return [name for name in self.keep
                if msgid.strip() == name or re.search(rf"\(\s*{re.escape(name)}\s*[),/]", msgid)]


@dataclass(frozen=True)
class Disagreement:
    term: str
    lang: str
    msgid: str
    context: str | None
    text: str
    problem: str  # "missing" (rendering not found), "kept" (German name dropped), "avoided" (a wrong word)
    expected: str

    def describe(self) -> str:
        mid = self.msgid if len(self.msgid) < 60 else self.msgid[:57] + "..."
        ctx = f" [{self.context}]" if self.context else ""
        if self.problem == "avoided":
            return f"{mid!r}{ctx}: glossary term {self.term!r} must not read {self.expected!r}"
        if self.problem == "kept":
            return f"{mid!r}{ctx}: glossary term {self.term!r}: keep the German {self.expected!r}"
        return f"{mid!r}{ctx}: glossary term {self.term!r} should read {self.expected!r}"


def _term(raw: dict) -> Term:
    renderings = {}
    for lang, entry in (raw.get("renderings") or {}).items():
        forms = tuple(entry.get("forms") or ()) or (entry["term"],)
        renderings[lang] = Rendering(lang, entry["term"], forms)
    return Term(
        id=raw["id"], german=raw["de"], definition=raw["definition"], law=raw.get("law", ""),
        match=tuple(re.compile(p, re.IGNORECASE) for p in raw["match"]),
        keep=tuple(raw.get("keep") or ()), sources=tuple(raw.get("sources") or ()),
        renderings=renderings,
        avoid={lang: tuple(words) for lang, words in (raw.get("avoid") or {}).items()},
        note=raw.get("note", ""), not_in=frozenset(raw.get("not_in") or ()),
    )


@lru_cache(maxsize=1)
def _load() -> tuple[dict, tuple[Term, ...]]:
    sources: dict = {}
    out: list[Term] = []
    for path in sorted(GLOSSARY_DIR.glob("*.json")):
        doc = json.loads(path.read_text("utf-8"))
        sources.update(doc.get("sources") or {})
        out.extend(_term(raw) for raw in doc.get("terms", []))
    return sources, tuple(out)


def reload() -> None:
    _load.cache_clear()


def terms() -> tuple[Term, ...]:
    return _load()[1]


def sources() -> dict[str, str]:
    """{source id: what kind of source it is}."""
    return dict(_load()[0])


def term(term_id: str) -> Term:
    for t in terms():
        if t.id == term_id:
            return t
    raise KeyError(term_id)


def disagreements(entries: Iterable[tuple[str, str, str | None, str]]) -> list[Disagreement]:
    """Every entry that misses the rendering of a term its msgid contains, drops a German name the
    msgid keeps, or uses a word the glossary avoids for that language."""
    found: list[Disagreement] = []
    all_terms = terms()
    for lang, msgid, context, text in entries:
        if not text:
            continue
        norm = normalize(text)
        for t in all_terms:
            for word in t.avoid.get(lang, ()):
                if normalize(word) in norm:
                    found.append(Disagreement(t.id, lang, msgid, context, text, "avoided", word))
            if not t.applies_to(msgid):
                continue
            rendering = t.rendering(lang)
            if rendering is not None and not rendering.found_in(text):
                found.append(Disagreement(t.id, lang, msgid, context, text, "missing", rendering.term))
            for name in t.kept_names(msgid):
                if name not in text:
                    found.append(Disagreement(t.id, lang, msgid, context, text, "kept", name))
    return found
