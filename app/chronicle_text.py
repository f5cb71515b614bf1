"""Chronicle events as text in the reader's language.

`event_text(event, lang)` renders what app.chronicle stored: the language-free
`message` (msgid and parameters: catalog terms, dates, lists), followed by the
staff member's own words (`text`), which stay as written. The same event reads
in German for a German colleague and in English for an English one, whoever
wrote it in which UI language.

Events written before messages existed (or by a laptop still running such a
version, arriving later by sync) hold only `text`, already translated into the
writer's UI language. They are read back here, not rewritten in the store (a
rewrite outside the change log would not replicate; through it, every laptop
would write the same change again): `legacy_message(text)` matches the text
against the templates those versions used (`LEGACY_TEMPLATES`, frozen) in every
UI language, and maps each parameter that is a catalog text (a status, an
agency, a measure) back to its msgid. What matches no template stays as written.
A proposal's match sentence stored as text (`why`) is read back by
app.match_reasons; `render` also renders the messages of match reasons
(app.matching, placements), plural forms included.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import i18n
from i18n import locale as loc

from . import match_reasons

NOTE_SEPARATOR = " – "

# the msgids of system events as versions before language-free events wrote them (never edit: add)
LEGACY_TEMPLATES = (
    "Offer proposed to the client: {offer}. {why}",
    "Profile sent to {employer}: {fields}",
    "Handover sent to {agency}",
    "Measure continues after the change of Rechtskreis ({rk})",
    "Handover returned: {reason}",
    "Case conference ({agencies}); focus: {focus}",
    "Booked for the office hour in {office} on {when}, {agency}: {purpose}",
    "Came to the office hour in {office} without a booking: {purpose}",
    "Appointment not missed after all (corrected): {purpose}",
    "Appointment kept: {purpose}",
    "Appointment missed: {purpose}",
    "Appointment cancelled: {purpose}",
    "Appointment {outcome}: {purpose}",
    "Consent declaration: {parts}",
    "Consent {state}: {agency}",
    "Rechtskreiswechsel from {old} to {new}",
    "{offer}: {status}",
    "{measure}: {status}",
    "{measure}: {feedback}",
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
PROPOSED = "Offer proposed to the client: {offer}. {why}"  # `why`: a match's sentence (app.match_reasons)


def event_text(event: dict[str, Any], lang: str) -> str:
    """What the event says, in `lang`: its message, then the staff member's own words."""
    words = (event.get("text") or "").strip()
    msg = event.get("message")
    if not msg:
        msg = legacy_message(words)
        if msg is None:
            return words
        words = ""
    head = render(msg, lang)
    return f"{head}{NOTE_SEPARATOR}{words}" if words and head else head or words


def render(value: Any, lang: str) -> str:
    """A message or parameter value (app.chronicle) as text in `lang`."""
    if value is None:
        return ""
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list):
        return loc.list_join([render(v, lang) for v in value], _formats(lang))
    if not isinstance(value, dict):
        return str(value)
    if "id" in value:
        raw = value.get("params") or {}
        if value["id"] == PROPOSED and isinstance(raw.get("why"), str):  # a match's sentence as text (before)
            raw = {**raw, "why": match_reasons.sentence(match_reasons.legacy(raw["why"])) or raw["why"]}
        params = {k: render(v, lang) for k, v in raw.items()}
        if "plural" in value:
            template = _plural(value["id"], value["plural"], value.get("n") or 0, lang)
        else:
            template = i18n.translate(value["id"], lang)
        return _fill(template, params)
    if "t" in value:
        return i18n.translate(value["t"], lang)
    if "date" in value:
        return loc.format_date(value["date"], _formats(lang), "medium") if value["date"] else ""
    if "datetime" in value:
        at = str(value["datetime"])
        return f"{loc.format_date(at[:10], _formats(lang), 'medium')} {at[11:16]}".strip()
    if "list" in value:
        return loc.list_join([render(v, lang) for v in value["list"]], _formats(lang))
    if "seq" in value:
        return str(value.get("sep", " ")).join(t for t in (render(v, lang) for v in value["seq"]) if t)
    return ""


def _plural(singular: str, plural: str, n: int, lang: str) -> str:
    """The plural form for `n` in `lang`, else in its fallback language, else in German."""
    chain = [lang] if lang.startswith("x-pseudo") else [*i18n.fallback_chain(lang), i18n.DEFAULT_LANGUAGE]
    for code in chain:
        if code == chain[-1] or i18n.has_translation(singular, code):
            return i18n.translations(code).ngettext(singular, plural, n)
    return singular if n == 1 else plural


def _fill(template: str, params: dict[str, str]) -> str:
    """`template` with its placeholders filled; one a translation lacks or misspells stays visible."""
    return _PLACEHOLDER.sub(lambda m: params.get(m.group(1), m.group(0)), template)


def _formats(lang: str) -> str:
    """The language whose date and list formats apply (the pseudo locales format as German)."""
    return i18n.DEFAULT_LANGUAGE if lang.startswith("x-pseudo") else lang


# -- events stored as translated text (before messages) -----------------------------
def legacy_message(text: str) -> dict[str, Any] | None:
    """The message an old, translated event text was made from, or None (a note, staff's own words)."""
    text = (text or "").strip()
    if not text:
        return None
    for lang in i18n.UI_LANGUAGES:
        whole = i18n.msgid_for(text, lang)
        if whole:  # a questionnaire's chronicle text, a flag's name
            return {"t": whole}
    for index in range(len(LEGACY_TEMPLATES)):  # worded templates first, `{measure}: {status}` last
        for lang in i18n.UI_LANGUAGES:
            msgid, pattern = _patterns(lang)[index]
            m = pattern.fullmatch(text)
            if m:
                return {"id": msgid, "params": {k: _term(v, lang) for k, v in m.groupdict().items()}}
    head, sep, rest = text.partition(": ")  # "Dublin case: note", "Will: work as a painter"
    for lang in i18n.UI_LANGUAGES:
        found = sep and i18n.msgid_for(head, lang)
        if found:
            return {"seq": [{"t": found}, rest], "sep": ": "}
    return None


def _term(value: str, lang: str) -> Any:
    """A parameter as the catalog text it was translated from, where it was one; else as written."""
    found = i18n.msgid_for(value, lang)
    if found:
        return {"t": found}
    head, sep, rest = value.partition(": ")  # an agency with its provider: "Measure provider: VHS"
    found = sep and i18n.msgid_for(head, lang)
    return {"seq": [{"t": found}, rest], "sep": ": "} if found else value


@lru_cache(maxsize=8)
def _patterns(lang: str) -> tuple[tuple[str, re.Pattern], ...]:
    out = []
    for msgid in LEGACY_TEMPLATES:
        template = i18n.translate(msgid, lang)
        parts, pos = [], 0
        for m in _PLACEHOLDER.finditer(template):
            parts.append(re.escape(template[pos:m.start()]))
            parts.append(f"(?P<{m.group(1)}>.+?)")
            pos = m.end()
        parts.append(re.escape(template[pos:]))
        out.append((msgid, re.compile("".join(parts), re.S)))
    return tuple(out)
