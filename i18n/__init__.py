"""Translation of UI and form texts through Babel gettext catalogs.

`_` translates into the current UI language; `N_` marks a text for extraction
without translating it (`NN_` one with plural forms); `ngettext` picks a plural
form. Catalogs are the `.po` files in `i18n/locale/<lang>/LC_MESSAGES/<domain>.po`; they are read directly
with Babel (no compiled `.mo` needed at run time). Message ids are English;
German is the default UI language and has a full catalog.

Three domains (see i18n/catalogs.py): `messages` (UI), `forms` (texts of form
definitions and printed documents, in every form language) and `staff`
(rules, measures: UI languages). A lookup tries them in this order, so
callers need not know where a text lives. `D_` marks a document text for the forms catalog.
Language codes are normalized through `resources/languages.json` (`kmr` ->
`ku`, `prs` -> `fa`). Locale helpers (text direction, formatting): i18n.locale.
"""

from __future__ import annotations

import gettext as _gettext
import threading
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DOMAINS = ("messages", "forms", "staff")
DEFAULT_LANGUAGE = "de"
UI_LANGUAGES = ("de", "en")

_lock = threading.Lock()
_cache: dict[str, _gettext.NullTranslations] = {}
_reverse: dict[str, dict[str, str]] = {}  # language -> translated text -> msgid (msgid_for)
_current = DEFAULT_LANGUAGE


class _POTranslations(_gettext.NullTranslations):
    """gettext translations read from a .po file through Babel."""

    def __init__(self, paths: list[Path]):
        super().__init__()
        from babel.messages.pofile import read_po

        self.plural = None
        self._messages: dict = {}
        for path in reversed(paths):  # earlier paths win
            with open(path, "rb") as fh:
                catalog = read_po(fh)
            self.plural = self.plural or (catalog.plural_expr and _compile_plural(catalog.plural_expr))
            self._load(catalog)

    def _load(self, catalog) -> None:
        for msg in catalog:
            if not msg.id or msg.fuzzy:
                continue
            key_ctx = msg.context
            if isinstance(msg.id, (list, tuple)):
                forms = [s for s in msg.string] if msg.string else []
                if forms and all(forms):
                    self._messages[(key_ctx, msg.id[0])] = tuple(forms)
            elif msg.string:
                self._messages[(key_ctx, msg.id)] = msg.string

    def gettext(self, message):
        found = self._messages.get((None, message))
        if isinstance(found, tuple):
            return found[0]
        return found or message

    def pgettext(self, context, message):
        return self._messages.get((context, message)) or message

    def ngettext(self, msgid1, msgid2, n):
        forms = self._messages.get((None, msgid1))
        if isinstance(forms, tuple) and self.plural:
            idx = self.plural(n)
            if 0 <= idx < len(forms):
                return forms[idx]
        return msgid1 if n == 1 else msgid2


def _compile_plural(expr: str):
    return _gettext.c2py(expr)


def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog for `lang` (cached); an empty one where none exists."""
    if lang.startswith("x-pseudo"):
        from .pseudo import PSEUDO_RTL, PseudoTranslations

        return PseudoTranslations(translations(DEFAULT_LANGUAGE), rtl=lang == PSEUDO_RTL)
    with _lock:
        if lang not in _cache:
            code = _normalize(lang)
            paths = [LOCALE_DIR / code / "LC_MESSAGES" / f"{d}.po" for d in DOMAINS]
            paths = [p for p in paths if p.exists()]
            _cache[lang] = _POTranslations(paths) if paths else _gettext.NullTranslations()
        return _cache[lang]


def _normalize(lang: str) -> str:
    from .locale import normalize

    try:
        return normalize(lang) or lang
    except (OSError, ValueError):
        return lang


def reload() -> None:
    with _lock:
        _cache.clear()
        _reverse.clear()


def set_language(lang: str) -> None:
    global _current
    _current = lang


def current_language() -> str:
    return _current


def _(message: str) -> str:
    return translations(_current).gettext(message)


def N_(message: str) -> str:
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a text with plural forms for extraction without translating it (picked later by `n`)."""
    return singular, plural


def D_(message: str) -> str:
    """Mark a printed-document text for the forms catalog (translated later with `translate`)."""
    return message


def has_translation(message: str, lang: str) -> bool:
    """Whether `lang` (or its fallback language: Dari -> Farsi) has a (non-fuzzy) translation of
    `message`; the source language always has."""
    from .locale import source_language

    if _normalize(lang) == source_language():
        return True
    return any(_lookup(message, step) for step in fallback_chain(lang))


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(_current).pgettext(context, message)


GENDER_CONTEXT = {"f": "female", "m": "male"}  # a person's `sex` -> msgctxt of the gendered variant


def _lookup(message: str, lang: str, context: str | None = None) -> str | None:
    found = getattr(translations(lang), "_messages", {}).get((context, message))
    if isinstance(found, tuple):
        return found[0]
    return found or None


def fallback_chain(lang: str) -> list[str]:
    """`lang`, then the languages its texts fall back to before German (`fallback` in
    resources/languages.json: Dari -> Farsi); without loops."""
    from .locale import language

    chain: list[str] = []
    code: str | None = _normalize(lang)
    while code and code not in chain:
        chain.append(code)
        try:
            code = language(code).fallback
        except KeyError:
            code = None
    return chain


def translate(message: str, lang: str, gender: str | None = None) -> str:
    """`message` in a given language, independent of the UI language (forms, PDFs).

    `gender` ("f" or "m", a person's `sex`) picks the variant for a woman or a man where the
    catalog has one (msgctxt "female"/"male": Arabic and Tigrinya verbs and adjectives agree
    with the person); otherwise, and for anyone else, the neutral text (the entry without context).

    A text the client's language lacks is never shown in English: the language's fallback
    (Dari: Farsi) is tried, then the German text is given, marked with the name of German in
    the reader's language (`[آلمانی] …`) so that nobody takes it for a translation
    (`german_fallback`). A text no catalog knows (free text) comes back as it is."""
    from .locale import source_language

    if lang.startswith("x-pseudo"):
        return translations(lang).gettext(message)
    code = _normalize(lang)
    if code == source_language() or code == DEFAULT_LANGUAGE:
        return translations(code).gettext(message)
    context = GENDER_CONTEXT.get(gender or "")
    for step in fallback_chain(code):
        found = (context and _lookup(message, step, context)) or _lookup(message, step)
        if found:
            return found
    german = _lookup(message, DEFAULT_LANGUAGE)
    return german_fallback(german, code) if german else message


def msgid_for(text: str, lang: str) -> str | None:
    """The msgid whose (neutral, singular) translation into `lang` reads `text`, or None: for reading back
    texts that older versions stored already translated (app.chronicle_text). In the source language a
    text is its own msgid if the German catalog knows it."""
    from .locale import source_language

    if not text:
        return None
    code = _normalize(lang)
    if code == source_language():
        return text if (None, text) in getattr(translations(DEFAULT_LANGUAGE), "_messages", {}) else None
    with _lock:
        index = _reverse.get(code)
    if index is None:
        index = {}
        for (context, msgid), found in getattr(translations(code), "_messages", {}).items():
            string = found[0] if isinstance(found, tuple) else found
            if context is None and string:
                index.setdefault(string, msgid)  # the first entry wins where two read the same
        with _lock:
            _reverse[code] = index
    return index.get(text)


def german_fallback(german: str, lang: str) -> str:
    """The German text standing in for a missing translation, marked: `[Deutsch] …` in the
    reader's language, the German kept as an isolate so it keeps its own direction."""
    from .locale import babel_locale

    try:
        name = babel_locale(lang).languages.get("de") or "Deutsch"
    except KeyError:
        name = "Deutsch"
    return f"[{name}] \u2068{german}\u2069"


def translate_value(text: str, lang: str, gender: str | None = None) -> str:
    """A stored value that may or may not be a catalog text (an appointment's purpose, directions):
    its translation where `lang` has one, else the value as it was written (never the German stand-in:
    staff's own words are not a missing translation)."""
    if not text or not has_translation(text, lang):
        return text
    return translate(text, lang, gender)
