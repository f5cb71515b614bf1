"""Offline matching of employer offers and client profiles: hard requirements first, then a ranking.

A `Profile` is what matching may know of one open case, read in a few bulk queries (`load_profiles`):
German and other languages with their CEFR level and driving licence from the latest completed
Profiling II (else the person's languages), work experience with years and proof and the wished
occupation mapped to KldB codes (app.occupations), residence status and entry date from the intake,
the household's town (app.travel) and the current consent per agency.

`evaluate(offer, profile)` checks the hard requirements (consent for the employer service, German level,
driving licence, labour-market access from the dated rules of app.rules, travel time); a profile that
fails one is not eligible and the match says what is missing ("B1 Deutsch fehlt, A2 vorhanden"). Eligible
profiles are ranked by occupation and experience (with proof counting more), the wish, German beyond the
requirement and other languages. Every match carries the reasons for it and what is missing, as
sentences in the UI language. Nothing here writes; sending data to an employer is app.employers.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from i18n import _, current_language, ngettext
from i18n.locale import format_date

from .checks import add_offset
from .occupations import Classification, default_classification, similarity
from .rules import RuleSet, anchor_date, condition_holds
from .schema import CEFR_LEVELS
from .travel import Towns, default_towns

WORK_FORMS = ("profiling_u25", "profiling_ue25")
MATCH_CONSENT_AGENCY = "AA"  # the employer service belongs to the employment agency: its consent lets it match
WORK_ACCESS_RULES = ("work_access_gestattung_3m", "work_access_duldung_3m")
FREE_ACCESS = ("erlaubnis",)  # residence permits in our target groups allow employment
TRAINING_KINDS = ("apprenticeship", "eq")
_PROFILE_KEYS = ("languages", "driving_licence", "work_experience", "wish", "wish_occupation", "available_from",
                 "childcare_needed")
# names staff type for a language in Profiling II (German, English, the codes) -> code
LANGUAGE_NAMES = {
    "deutsch": "de", "german": "de", "englisch": "en", "english": "en", "arabisch": "ar", "arabic": "ar",
    "französisch": "fr", "franzosisch": "fr", "french": "fr", "türkisch": "tr", "turkish": "tr",
    "russisch": "ru", "russian": "ru", "ukrainisch": "uk", "ukrainian": "uk", "farsi": "fa", "persisch": "fa",
    "dari": "prs", "kurmanji": "ku", "kurdisch": "ku", "kurdish (kurmanji)": "ku", "kurdisch (kurmanji)": "ku",
    "sorani": "ckb", "tigrinya": "ti", "somali": "so", "paschtu": "ps", "pashto": "ps", "amharisch": "am",
}
_LEVEL = {lv: i for i, lv in enumerate(CEFR_LEVELS)}


def language_code(name: str | None) -> str | None:
    t = (name or "").strip().casefold()
    return LANGUAGE_NAMES.get(t) or (t if 2 <= len(t) <= 3 and t.isalpha() else None)


def level_at_least(have: str | None, need: str | None) -> bool:
    return need is None or (have is not None and _LEVEL.get(have, -1) >= _LEVEL.get(need, 99))


@dataclass
class Experience:
    code: str | None
    text: str
    years: int
    proof: bool


@dataclass
class Profile:
    case_id: str
    case_number: str
    household_id: str
    name: str
    office: str | None
    status: str | None
    languages: dict[str, str] = field(default_factory=dict)  # code -> CEFR level
    driving_licence: str | None = None  # none, valid_de, foreign (Profiling II)
    experience: list[Experience] = field(default_factory=list)
    wish: str | None = None
    wish_code: str | None = None
    wish_text: str | None = None
    available_from: str | None = None
    childcare_needed: bool = False
    residence_status: str | None = None
    entry_date: str | None = None
    consents: set[tuple[str, str | None]] = field(default_factory=set)  # (agency, provider name) given
    profiled: bool = False

    @property
    def german(self) -> str | None:
        return self.languages.get("de")


@dataclass
class Match:
    case_id: str
    offer_id: str
    eligible: bool
    score: float
    reasons: list[str]
    missing: list[str]
    profile: Profile | None = None

    @property
    def sentence(self) -> str:
        """One sentence why, and what is missing."""
        parts = []
        if self.reasons:
            parts.append(", ".join(self.reasons))
        if self.missing:
            parts.append(_("missing: {what}").format(what="; ".join(self.missing)))
        return ". ".join(parts) + "." if parts else ""

    def to_dict(self) -> dict:
        p = self.profile
        return {"case_id": self.case_id, "offer_id": self.offer_id, "eligible": self.eligible,
                "score": round(self.score, 1), "reasons": self.reasons, "missing": self.missing,
                "sentence": self.sentence, **({"case_number": p.case_number, "office": p.office} if p else {})}


# -- profiles ------------------------------------------------------------------
def load_profiles(conn, classification: Classification | None = None, case_id: str | None = None,
                  include_closed: bool = False) -> dict[str, Profile]:
    """{case id: Profile} for every open case (or one case), in a few bulk queries."""
    occ = classification or default_classification()
    where, params = "", []
    if case_id is not None:
        where, params = " AND c.id = ?", [case_id]
    profiles: dict[str, Profile] = {}
    for cid, number, hh, status, office, given, family, langs in conn.execute(
            'SELECT c.id, c.case_number, c.household_id, c.status, h.office, p.given_names, p.family_name, '
            'p.languages FROM "case" c JOIN person p ON p.id = c.person_id '
            'LEFT JOIN household h ON h.id = c.household_id '
            "WHERE coalesce(c.deleted, 0) = 0 AND coalesce(p.deleted, 0) = 0 AND p.merged_into IS NULL"
            + ("" if include_closed else " AND coalesce(c.status, '') != 'closed'") + where, params):
        prof = Profile(cid, number or "", hh or "", " ".join(x for x in (given, family) if x), office, status)
        for item in json.loads(langs) if langs else []:
            if isinstance(item, dict) and item.get("code") and item.get("level") in _LEVEL:
                prof.languages[item["code"]] = item["level"]
        profiles[cid] = prof
    _add_answers(conn, profiles, case_id, occ)
    _add_consents(conn, profiles, case_id)
    return profiles


def _latest_responses(conn, forms: tuple[str, ...], case_id: str | None) -> dict[str, str]:
    """{response id: case id} of the latest completed response of these forms per case."""
    marks = ",".join("?" * len(forms))
    sql = (f"SELECT id, case_id, date FROM form_response WHERE form_id IN ({marks}) AND completed = 1 "
           "AND coalesce(deleted, 0) = 0" + (" AND case_id = ?" if case_id else ""))
    latest: dict[str, tuple[str, str]] = {}
    for rid, cid, date in conn.execute(sql, (*forms, *((case_id,) if case_id else ()))):
        if (date or "", rid) > latest.get(cid, ("", "")):
            latest[cid] = (date or "", rid)
    return {rid: cid for cid, (_d, rid) in latest.items()}


def _answers(conn, responses: dict[str, str], keys: tuple[str, ...]):
    if not responses:
        return
    marks = ",".join("?" * len(keys))
    for rid, key, value in conn.execute(
            f"SELECT response_id, key, value FROM answer WHERE key IN ({marks}) AND coalesce(deleted, 0) = 0", keys):
        cid = responses.get(rid)
        if cid is not None and value is not None:
            yield cid, key, json.loads(value)


def _add_answers(conn, profiles: dict[str, Profile], case_id: str | None, occ: Classification) -> None:
    for cid, key, value in _answers(conn, _latest_responses(conn, ("intake",), case_id),
                                    ("residence_status", "entry_date")):
        if cid in profiles:
            setattr(profiles[cid], key, value)
    work = _latest_responses(conn, WORK_FORMS, case_id)
    for cid, key, value in _answers(conn, work, _PROFILE_KEYS):
        p = profiles.get(cid)
        if p is None:
            continue
        p.profiled = True
        if key == "languages" and isinstance(value, list):
            for item in value:
                code = language_code(item.get("language")) if isinstance(item, dict) else None
                if code and item.get("level") in _LEVEL:
                    p.languages[code] = item["level"]  # Profiling II is newer than the intake's list
        elif key == "work_experience" and isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and item.get("occupation"):
                    raw = item.get("years")
                    years = raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
                    p.experience.append(Experience(occ.code_for(item["occupation"]), str(item["occupation"]),
                                                   years, bool(item.get("proof"))))
        elif key == "wish_occupation" and isinstance(value, str):
            p.wish_text, p.wish_code = value, occ.code_for(value)
        elif key == "childcare_needed":
            p.childcare_needed = value is True
        elif key in ("driving_licence", "wish", "available_from") and isinstance(value, str):
            setattr(p, key, value)


def _add_consents(conn, profiles: dict[str, Profile], case_id: str | None) -> None:
    """The latest decision per (case, agency, provider) by date, then by the order of recording."""
    current: dict[tuple, tuple] = {}
    for cid, agency, provider, state, date, stamp in conn.execute(
            "SELECT x.case_id, x.agency, x.provider_name, x.state, x.date, fs.hlc FROM consent x "
            "LEFT JOIN field_state fs ON fs.entity_id = x.id AND fs.field = 'state' "
            "WHERE coalesce(x.deleted, 0) = 0" + (" AND x.case_id = ?" if case_id else ""),
            (case_id,) if case_id else ()):
        key = (cid, agency, provider)
        if (date or "", stamp or "") >= current.get(key, ("", "", None))[:2]:
            current[key] = (date or "", stamp or "", state)
    for (cid, agency, provider), (_d, _s, state) in current.items():
        if state == "given" and cid in profiles:
            profiles[cid].consents.add((agency, provider))


# -- labour-market access -----------------------------------------------------------
def work_access(profile: Profile, rules: RuleSet, today: dt.date) -> tuple[str, dt.date | None, str]:
    """("free" | "approval" | "waiting" | "unknown", the day access begins, legal source) from the residence
    status and the dated rules: a hint for staff, never a decision (docs/rules.md)."""
    status = profile.residence_status
    if status in FREE_ACCESS:
        return "free", None, ""
    facts = {"residence_status": status, "entry_date": profile.entry_date}
    for rule in rules.rules:
        if rule.id not in WORK_ACCESS_RULES or not all(condition_holds(c, facts, rules, today) for c in rule.when):
            continue
        start = anchor_date(profile.entry_date) if rule.anchor == "entry_date" else None
        if start is None:
            return "unknown", None, rule.legal_source
        due = add_offset(start, rule.offset)
        return ("approval" if due <= today else "waiting"), due, rule.legal_source
    return "unknown", None, ""


# -- one offer, one profile ----------------------------------------------------------------
@dataclass
class Context:
    rules: RuleSet
    today: dt.date
    occupations: Classification
    towns: Towns

    @classmethod
    def make(cls, rules: RuleSet, today: dt.date | None = None) -> "Context":
        return cls(rules, today or dt.date.today(), default_classification(), default_towns())


def _date(value) -> str:
    return format_date(value, current_language()) if value else ""


def evaluate(offer: dict, p: Profile, ctx: Context) -> Match:
    missing_hard: list[str] = []
    missing: list[str] = []
    reasons: list[str] = []
    # hard requirements
    if (MATCH_CONSENT_AGENCY, None) not in p.consents:
        missing_hard.append(_("no consent for the employment agency"))
    need = offer.get("german_level")
    if need and not level_at_least(p.german, need):
        missing_hard.append(_("German {need} missing, {have} present").format(need=need, have=p.german)
                            if p.german else _("German {need} missing, no German recorded").format(need=need))
    elif p.german:
        reasons.append(_("German {have}").format(have=p.german))
    licence = offer.get("driving_licence")
    if licence:
        if p.driving_licence == "valid_de":
            reasons.append(_("driving licence"))
        elif p.driving_licence == "foreign":
            missing_hard.append(_("driving licence class {cls} missing (foreign licence: to be converted)").format(
                cls=licence))
        else:
            missing_hard.append(_("driving licence class {cls} missing").format(cls=licence))
    if offer.get("work_permit_needed"):
        access, since, _source = work_access(p, ctx.rules, ctx.today)
        if access == "waiting":
            missing_hard.append(_("access to the labour market only from {date}").format(date=_date(since)))
        elif access == "unknown":
            missing_hard.append(_("access to the labour market unclear (residence status or entry date missing)"))
        elif access == "approval":
            missing.append(_("approval of the foreigners' office needed"))
    minutes = ctx.towns.minutes(p.office, offer.get("town"))
    limit = offer.get("max_travel_minutes")
    if minutes is not None and limit and minutes > limit:
        missing_hard.append(_("{minutes} min by bus and train, at most {limit} min").format(minutes=minutes,
                                                                                          limit=limit))
    elif minutes is not None:
        reasons.append(_("{minutes} min by bus and train").format(minutes=minutes))
    # ranking
    score = 0.0
    code = offer.get("occupation")
    best, best_exp = 0.0, None
    for exp in p.experience:
        s = similarity(code, exp.code)
        if s > best or (s == best > 0 and best_exp is not None and exp.years > best_exp.years):
            best, best_exp = s, exp
    if best_exp is not None and best > 0:
        weight = min(best_exp.years, 10) / 10 * (1.0 if best_exp.proof else 0.6)
        score += 50 * best * (0.4 + 0.6 * weight)
        n = best_exp.years
        text = (ngettext("{years} year of experience: {occupation} (with proof)",
                         "{years} years of experience: {occupation} (with proof)", n) if best_exp.proof
                else ngettext("{years} year of experience: {occupation} (without proof)",
                              "{years} years of experience: {occupation} (without proof)", n))
        reasons.insert(0, text.format(years=n, occupation=best_exp.text))
    elif code:
        missing.append(_("no experience in this occupation"))
    wish = similarity(code, p.wish_code)
    if wish > 0:
        score += 25 * wish
        reasons.insert(1 if best_exp else 0, _("wished occupation {occupation}").format(occupation=p.wish_text))
    kind = offer.get("kind")
    if (kind in TRAINING_KINDS and p.wish == "training") or (kind not in TRAINING_KINDS and p.wish == "work"):
        score += 10
    if need and p.german:
        score += min(15, 5 * (_LEVEL.get(p.german, 0) - _LEVEL.get(need, 0)))
    for lang in offer.get("languages") or []:
        have = p.languages.get(lang.get("code"))
        name = lang.get("code", "")
        if level_at_least(have, lang.get("level")):
            score += 5
        else:
            missing.append(_("{language} {need} missing, {have} present").format(
                language=name, need=lang.get("level"), have=have) if have else
                _("{language} {need} missing").format(language=name, need=lang.get("level")))
    if p.available_from and offer.get("start_date") and p.available_from > offer["start_date"]:
        missing.append(_("available only from {date}").format(date=_date(p.available_from)))
    if p.childcare_needed and (offer.get("hours") or 0) >= 30:
        missing.append(_("childcare needed"))
    if not p.profiled:
        missing.append(_("no Profiling II yet"))
    eligible = not missing_hard
    return Match(p.case_id, offer.get("id", ""), eligible, score if eligible else 0.0, reasons,
                 missing_hard + missing, p)


def rank(matches: list[Match]) -> list[Match]:
    """Eligible first by score, then the rest by how little is missing."""
    return sorted(matches, key=lambda m: (not m.eligible, -m.score, len(m.missing), m.profile.case_number
                                          if m.profile else m.case_id))


def candidates(offer: dict, profiles: dict[str, Profile], ctx: Context) -> list[Match]:
    return rank([evaluate(offer, p, ctx) for p in profiles.values()])


def offers_for(profile: Profile, offers: list[dict], ctx: Context) -> list[Match]:
    return rank([evaluate(o, profile, ctx) for o in offers])
