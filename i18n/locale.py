"""Languages and locale-aware formatting, all through Babel.

The list of languages is data (`resources/languages.json`): each entry has a
Babel locale code, English and native names, its script (for fonts) and
whether it is a UI and/or a form/document language. Text direction is never
hard-coded: it is `babel.Locale(code).text_direction`. Dates, times, numbers
and plural categories are formatted here with Babel; the app never formats a
date by hand.

Codes from elsewhere (a person's `interpreter_language` may say `kmr`, `prs`
or `fa_AF`) are resolved through the aliases in the data file.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as _dates
from babel import numbers as _numbers
from babel.plural import PluralRule

LANGUAGES_FILE = Path(__file__).resolve().parent.parent / "resources" / "languages.json"
GERMAN = "de"
PSEUDO_PREFIX = "x-pseudo"  # i18n.pseudo's test locales: x-pseudo, x-pseudo-rtl


@dataclass(frozen=True)
class Language:
    code: str  # Babel locale identifier, also the catalog folder name
    english: str
    native: str
    script: str
    ui: bool
    forms: bool
    aliases: tuple[str, ...] = ()
    fallback: str | None = None  # catalog consulted before German when a text is missing (Dari -> Farsi)
    numbering: str | None = None  # digits (CLDR numbering system); None: the locale's default
    date_formats: tuple[tuple[str, str], ...] = ()  # CLDR patterns that replace Babel's short/medium/long

    @property
    def locale(self) -> Locale:
        return babel_locale(self.code)

    @property
    def direction(self) -> str:
        return text_direction(self.code)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"

    def label(self) -> str:
        """`Native – English`, the way a language is offered in a choice list."""
        return self.native if self.native == self.english else f"{self.native} – {self.english}"


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(LANGUAGES_FILE.read_text("utf-8"))


def reload() -> None:
    """Forget cached data (after the languages file changed, in tests)."""
    _data.cache_clear()
    _by_code.cache_clear()
    babel_locale.cache_clear()
    _digits.cache_clear()
    comma.cache_clear()


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Language]:
    table: dict[str, Language] = {}
    for entry in _data()["languages"]:
        lang = Language(
            code=entry["code"], english=entry["english"], native=entry["native"],
            script=entry.get("script", "Latn"), ui=bool(entry.get("ui", False)),
            forms=bool(entry.get("forms", True)), aliases=tuple(entry.get("aliases", ())),
            fallback=entry.get("fallback"), numbering=entry.get("numbering"),
            date_formats=tuple(sorted((entry.get("date_formats") or {}).items())),
        )
        table[lang.code] = lang
    return table


def languages() -> list[Language]:
    """All configured languages, in the order of the data file."""
    return list(_by_code().values())


def ui_languages() -> list[Language]:
    return [lang for lang in languages() if lang.ui]


def form_languages() -> list[Language]:
    """Languages for interpreters and printed documents."""
    return [lang for lang in languages() if lang.forms]


def source_language() -> str:
    return _data().get("source", "en")


def normalize(code: str | None) -> str | None:
    """The configured language code for `code` (alias, case, '-' vs '_' tolerated); None if unknown."""
    if not code:
        return None
    raw = code.strip().replace("-", "_")
    table = _by_code()
    if raw in table:
        return raw
    low = raw.lower()
    for lang in table.values():
        if low == lang.code.lower() or low in (a.lower() for a in lang.aliases):
            return lang.code
    base = low.split("_")[0]
    if base != low:
        return normalize(base)
    return None


def language(code: str) -> Language:
    """The configured language for a code or alias; KeyError if not configured."""
    norm = normalize(code)
    if norm is None:
        raise KeyError(f"language {code!r} is not configured in {LANGUAGES_FILE.name}")
    return _by_code()[norm]


@lru_cache(maxsize=64)
def babel_locale(code: str) -> Locale:
    """The Babel locale for a code or alias (unconfigured codes are parsed by Babel itself); the pseudo
    locales (i18n.pseudo) format as German, their source."""
    if code.startswith(PSEUDO_PREFIX):
        return Locale.parse(GERMAN)
    norm = normalize(code) or code.replace("-", "_")
    try:
        return Locale.parse(norm)
    except (UnknownLocaleError, ValueError):
        raise KeyError(f"Babel does not know the locale {code!r}") from None


def text_direction(code: str) -> str:
    """'rtl' or 'ltr', from Babel's CLDR data (the mirrored pseudo locale: 'rtl')."""
    if code.startswith(PSEUDO_PREFIX):
        return "rtl" if code.endswith("rtl") else "ltr"
    return babel_locale(code).text_direction


def is_rtl(code: str) -> bool:
    return text_direction(code) == "rtl"


def native_name(code: str) -> str:
    try:
        return language(code).native
    except KeyError:
        return babel_locale(code).display_name or code


# -- formatting ---------------------------------------------------------------

def _as_date(value) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    return _dt.datetime.fromisoformat(str(value))


def numbering_system(lang: str) -> str:
    """The digits a reader of `lang` expects: `numbering` in languages.json, else CLDR's default
    (Persian digits `arabext` for fa, fa_AF and ps; Latin for ar, whose catalog uses Latin digits)."""
    try:
        configured = language(lang).numbering
    except KeyError:
        configured = None
    return configured or babel_locale(lang).default_numbering_system or "latn"


# The decimal digits of the CLDR numbering systems our languages use (Babel formats symbols
# for a numbering system but always writes ASCII digits).
NUMBERING_DIGITS = {"arab": "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
                    "arabext": "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"}


@lru_cache(maxsize=64)
def _digits(lang: str) -> dict[int, str] | None:
    digits = NUMBERING_DIGITS.get(numbering_system(lang))
    return {ord(str(i)): d for i, d in enumerate(digits)} if digits else None


def localize_digits(text: str, lang: str) -> str:
    """ASCII digits of a formatted value in the reader's digits (`۱۴۰۵` in Farsi); others unchanged."""
    table = _digits(lang)
    return text.translate(table) if table else text


def _date_pattern(lang: str, format: str) -> str:
    """`format` (short/medium/long/full or a CLDR pattern), replaced by the language's own pattern
    where languages.json gives one (Tigrinya: day first, `d/M/yy` would be read as month first)."""
    try:
        overrides = dict(language(lang).date_formats)
    except KeyError:
        return format
    return overrides.get(format, format)


def format_date(value, lang: str, format: str = "medium") -> str:
    """A date (date, datetime or ISO text) in the language; format short/medium/long/full or a CLDR pattern."""
    if value in (None, ""):
        return ""
    text = _dates.format_date(_as_date(value), format=_date_pattern(lang, format), locale=babel_locale(lang))
    return localize_digits(text, lang)


def format_time(value, lang: str, format: str = "short") -> str:
    if value in (None, ""):
        return ""
    return localize_digits(_dates.format_time(_as_datetime(value), format=format, locale=babel_locale(lang)), lang)


def format_datetime(value, lang: str, format: str = "medium") -> str:
    if value in (None, ""):
        return ""
    when = _as_datetime(value)
    if _date_pattern(lang, format) != format:  # the language's own date pattern, joined as CLDR joins
        joiner = babel_locale(lang).datetime_formats.get(format, "{1} {0}")
        joiner = getattr(joiner, "pattern", joiner)
        return joiner.replace("{1}", format_date(when, lang, format)).replace("{0}", format_time(when, lang, "short"))
    return localize_digits(_dates.format_datetime(when, format=format, locale=babel_locale(lang)), lang)


def format_partial_date(value: str | None, lang: str) -> str:
    """A partial date from the schema (YYYY, YYYY-MM or YYYY-MM-DD) in the language."""
    if not value:
        return ""
    parts = str(value).split("-")
    loc = babel_locale(lang)
    if len(parts) == 1:
        return localize_digits(_dates.format_skeleton("y", _dt.date(int(parts[0]), 1, 1), locale=loc), lang)
    if len(parts) == 2:
        return localize_digits(
            _dates.format_skeleton("yMMM", _dt.date(int(parts[0]), int(parts[1]), 1), locale=loc), lang)
    return format_date(value, lang)


def format_weekday(value, lang: str, width: str = "wide") -> str:
    return _dates.format_skeleton("EEEE" if width == "wide" else "E", _as_date(value), locale=babel_locale(lang))


def format_number(value, lang: str, numbering: str | None = None) -> str:
    """An integer or decimal with the language's separators and digits (`numbering_system` unless given)."""
    system = numbering or numbering_system(lang)
    text = _numbers.format_decimal(value, locale=babel_locale(lang), numbering_system=system)
    table = NUMBERING_DIGITS.get(system)
    return text.translate({ord(str(i)): d for i, d in enumerate(table)}) if table else text


def format_percent(value, lang: str) -> str:
    return localize_digits(_numbers.format_percent(value, locale=babel_locale(lang),
                                                   numbering_system=numbering_system(lang)), lang)


def format_currency(value, lang: str, currency: str = "EUR") -> str:
    return localize_digits(_numbers.format_currency(value, currency, locale=babel_locale(lang),
                                                    numbering_system=numbering_system(lang)), lang)


def plural_category(n, lang: str) -> str:
    """CLDR plural category of `n` in the language: zero, one, two, few, many or other."""
    return babel_locale(lang).plural_form(n)


def plural_rule(lang: str) -> PluralRule:
    return babel_locale(lang).plural_form


def list_join(items: list[str], lang: str, style: str = "standard") -> str:
    """'a, b and c' in the language (CLDR list patterns: `،` and `و` in Farsi, `፣` in Tigrinya)."""
    from babel.lists import format_list

    return format_list(list(items), style=style, locale=babel_locale(lang)) if items else ""  # type: ignore[arg-type]


@lru_cache(maxsize=64)
def comma(lang: str) -> str:
    """The separator between items of a list without a conjunction (`, ` or Arabic `، `),
    from the middle of CLDR's list pattern, bidi marks removed."""
    try:
        middle = babel_locale(lang).list_patterns["standard"]["middle"]
    except (KeyError, TypeError):
        return ", "
    sep = middle.replace("{0}", "").replace("{1}", "").replace("\u200f", "").replace("\u200e", "")
    if any(ch.isalpha() for ch in sep):  # Arabic's `{0} و{1}`: a conjunction, not a comma
        return "\u060c " if text_direction(lang) == "rtl" else ", "
    return sep if sep.strip() else ", "


def semicolon(lang: str) -> str:
    """The separator between groups of items (records): `; `, Arabic `؛ `, Ethiopic `፤ `."""
    mark = comma(lang).strip()
    return {"\u060c": "\u061b ", "\u1363": "\u1364 "}.get(mark, "; ")
