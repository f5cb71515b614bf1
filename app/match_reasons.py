"""Match reasons as language-free facts: a code with parameters, as stored, synced and exported.

app.matching keeps what speaks for a match and what is missing as facts, `(code, *arguments)`; a
placement stores them as `{"why": [fact, ...], "missing": [fact, ...]}` with each fact a
`{"code": ..., "params": {...}}` (`stored`), never a sentence in the UI language of whoever proposed
it. `sentence(stored)` turns them into a message of app.chronicle (msgids, dates, plural forms) that
app.chronicle_text renders in the reader's language; the chronicle of a proposal records that message.

Placements and chronicle events written before (a finished sentence in the writer's UI language:
"German B1, 12 min by bus and train. missing: no Profiling II yet.") are read back by `legacy(text)`,
which matches the sentence against the fact texts of those versions (`TEXTS`, frozen: add a code, never
reword one's msgid) in every UI language; what matches nothing stays as written.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

import i18n
from i18n import N_, NN_

from .chronicle import Message, day, message, plural

# code -> the names of its arguments, in the order app.matching gives them
PARAMS: dict[str, tuple[str, ...]] = {
    "consent": (), "german_missing": ("need", "have"), "german_none": ("need",), "german": ("have",),
    "licence": (), "licence_foreign": ("cls",), "licence_missing": ("cls",), "access_waiting": ("since",),
    "access_unknown": (), "approval": (), "too_far": ("minutes", "limit"), "travel": ("minutes",),
    "experience": ("years", "proof", "occupation"), "no_experience": (), "wish": ("occupation",),
    "language": ("language", "need", "have"), "available": ("date",), "childcare": (), "not_profiled": (),
}
DATES = ("since", "date")  # parameters that are days (ISO), shown in the reader's format
# code -> its msgid (the source text; the catalogs translate it)
TEXTS: dict[str, str] = {
    "consent": N_("no consent for the employment agency"),
    "german_missing": N_("German {need} missing, {have} present"),
    "german_none": N_("German {need} missing, no German recorded"),
    "german": N_("German {have}"),
    "licence": N_("driving licence"),
    "licence_foreign": N_("driving licence class {cls} missing (foreign licence: to be converted)"),
    "licence_missing": N_("driving licence class {cls} missing"),
    "access_waiting": N_("access to the labour market only from {date}"),
    "access_unknown": N_("access to the labour market unclear (residence status or entry date missing)"),
    "approval": N_("approval of the foreigners' office needed"),
    "too_far": N_("{minutes} min by bus and train, at most {limit} min"),
    "travel": N_("{minutes} min by bus and train"),
    "no_experience": N_("no experience in this occupation"),
    "wish": N_("wished occupation {occupation}"),
    "available": N_("available only from {date}"),
    "childcare": N_("childcare needed"),
    "not_profiled": N_("no Profiling II yet"),
}
# with plural forms: code -> (singular, plural); experience with and without proof
EXPERIENCE = {True: NN_("{years} year of experience: {occupation} (with proof)",
                         "{years} years of experience: {occupation} (with proof)"),
              False: NN_("{years} year of experience: {occupation} (without proof)",
                          "{years} years of experience: {occupation} (without proof)")}
LANGUAGE = (N_("{language} {need} missing, {have} present"), N_("{language} {need} missing"))
MISSING = N_("missing: {what}")
REASON_SEP, MISSING_SEP, PART_SEP = ", ", "; ", ". "


# -- facts as stored ---------------------------------------------------------------
def to_stored(fact: tuple) -> dict[str, Any]:
    """One fact of app.matching as `{"code", "params"}` (days as ISO text)."""
    code, args = fact[0], fact[1:]
    params = {}
    for name, value in zip(PARAMS[code], args, strict=True):
        params[name] = value.isoformat() if isinstance(value, dt.date) else value
    return {"code": code, "params": params} if params else {"code": code}


def stored(why: list[tuple], missing: list[tuple]) -> dict[str, list]:
    return {"why": [to_stored(f) for f in why], "missing": [to_stored(f) for f in missing]}


# -- their messages (rendered by app.chronicle_text) ------------------------------------
def fact_message(fact: dict[str, Any]) -> Message | str:
    """The message of one stored fact; an unknown code (from a newer version) shows its code."""
    code, params = fact.get("code"), dict(fact.get("params") or {})
    for name in DATES:
        if name in params:
            params[name] = day(params[name]) if params[name] else ""
    if code == "experience":
        years = params.get("years") or 0
        one, many = EXPERIENCE[bool(params.get("proof"))]
        return plural(one, many, years, years=years, occupation=params.get("occupation") or "")
    if code == "language":
        return message(LANGUAGE[0] if params.get("have") else LANGUAGE[1], **params)
    if code == "access_waiting":
        return message(TEXTS[code], date=params.get("since", ""))
    if code not in TEXTS:
        return str(code or "")
    return message(TEXTS[code], **params)


def facts_message(facts: list[dict[str, Any]], sep: str = MISSING_SEP) -> Message:
    """Facts one after another (what is missing: `a; b`)."""
    return {"seq": [fact_message(f) for f in facts], "sep": sep}


def sentence(value: dict[str, list] | None) -> Message | str:
    """One sentence why, and what is missing: `German B1, 12 min by bus and train. missing: no Profiling II yet.`"""
    if not value:
        return ""
    why, missing = value.get("why") or [], value.get("missing") or []
    parts: list[Any] = []
    if why:
        parts.append(facts_message(why, REASON_SEP))
    if missing:
        parts.append(message(MISSING, what=facts_message(missing)))
    if not parts:
        return ""
    return {"seq": [{"seq": parts, "sep": PART_SEP}, "."], "sep": ""}


# -- sentences stored by earlier versions ------------------------------------------------
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_WORD = ("need", "have", "cls", "minutes", "limit", "years")  # one word each: a level, a class, a number
_LEGACY_DATES = ("%d.%m.%Y", "%d.%m.%y", "%b %d, %Y", "%d %b %Y", "%Y-%m-%d")


def legacy(text: str | None) -> dict[str, list] | None:
    """The facts an old sentence (a placement's `reason`, a proposal's chronicle) was worded from, in any UI
    language, or None where it does not read as one (then it stays as written)."""
    text = (text or "").strip()
    if not text.endswith("."):
        return None
    body = text[:-1]
    for lang in i18n.UI_LANGUAGES:
        head = i18n.translate(MISSING, lang).split("{what}")[0]
        why, missing = body, ""
        if body.startswith(head):
            why, missing = "", body[len(head):]
        elif PART_SEP + head in body:
            why, _sep, missing = body.rpartition(PART_SEP + head)
        found_why = _split(why, REASON_SEP, lang) if why else []
        found_missing = _split(missing, MISSING_SEP, lang) if missing else []
        if found_why is not None and found_missing is not None and (found_why or found_missing):
            return {"why": found_why, "missing": found_missing}
    return None


def _split(text: str, sep: str, lang: str) -> list[dict] | None:
    """`text` as facts joined by `sep`, or None; a fact's own text may contain `sep` (an occupation, a date)."""
    pieces = text.split(sep)
    best: dict[int, list[dict]] = {0: []}
    for end in range(1, len(pieces) + 1):
        for start in range(end - 1, -1, -1):
            if start not in best:
                continue
            fact = _fact(sep.join(pieces[start:end]), lang)
            if fact is not None:
                best[end] = best[start] + [fact]
                break
    return best.get(len(pieces))


def _fact(text: str, lang: str) -> dict | None:
    for code, extra, pattern in _patterns(lang):
        m = pattern.fullmatch(text)
        if m is None:
            continue
        params: dict[str, Any] = {**extra, **m.groupdict()}
        for name in ("minutes", "limit", "years"):
            if name in params:
                params[name] = int(params[name])
        if code == "access_waiting":
            params = {"since": _iso(params.pop("date"))}
        elif code == "available":
            params["date"] = _iso(params["date"])
        return {"code": code, "params": params} if params else {"code": code}
    return None


def _iso(text: str) -> str:
    """A day as an old version printed it, back as ISO; else the text as written."""
    for pattern in _LEGACY_DATES:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text


@lru_cache(maxsize=8)
def _patterns(lang: str) -> tuple[tuple[str, dict, re.Pattern], ...]:
    """(code, fixed parameters, the pattern of its text in `lang`), the most specific first."""
    texts: list[tuple[str, dict, str]] = []
    translations = i18n.translations(lang)
    for proof, (one, many) in EXPERIENCE.items():
        for n in (1, 2):
            texts.append(("experience", {"proof": proof}, translations.ngettext(one, many, n)))
    texts.append(("language", {}, i18n.translate(LANGUAGE[0], lang)))
    texts.append(("language", {"have": None}, i18n.translate(LANGUAGE[1], lang)))
    texts += [(code, {}, i18n.translate(msgid, lang)) for code, msgid in TEXTS.items()]
    out = []
    for code, extra, template in sorted(texts, key=lambda t: -len(_PLACEHOLDER.sub("", t[2]))):
        parts, pos = [], 0
        for m in _PLACEHOLDER.finditer(template):
            parts.append(re.escape(template[pos:m.start()]))
            name = m.group(1)
            parts.append(f"(?P<{name}>\\S+?)" if name in _WORD else f"(?P<{name}>.+?)")
            pos = m.end()
        parts.append(re.escape(template[pos:]))
        out.append((code, extra, re.compile("".join(parts), re.S)))
    return tuple(out)
