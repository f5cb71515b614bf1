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
requirement and other languages. Every match carries the reasons for it and what is missing, kept as
facts (codes with parameters, app.match_reasons) and worded in the reader's language when read (ranking 20,000 profiles words none of them; what one offer
needs, travel times per town and labour-market access per residence status and entry date are looked up
once per offer); a proposal stores the facts, and `placement_reason` words them for whoever reads
it. Nothing here writes; sending data to an employer is app.employers.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from i18n import current_language

from . import match_reasons
from .checks import add_offset
from .chronicle_text import render
from .occupations import Classification, default_classification, similarity
from .rules import RuleSet, anchor_date, condition_holds
from .schema import CEFR_LEVELS
from .travel import Towns, default_towns

WORK_FORMS = ("profiling_u25", "profiling_ue25")
MATCH_CONSENT_AGENCY = "AA"  # the employer service belongs to the employment agency: its consent lets it match
_CONSENT = (MATCH_CONSENT_AGENCY, None)
_UNSEEN = object()  # not in a cache yet
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


class Match:
    """One offer and one profile: eligible or not, the score, and why. The reasons and what is missing are
    kept as facts (app.match_reasons: a code with parameters) and worded only when read, in the reader's
    language (`sentence_in`; `reasons`, `missing` and `sentence` in the current UI language), so ranking
    20,000 profiles formats no sentence; `n_missing` counts them without wording; `facts()` is what a
    placement stores."""

    __slots__ = ("case_id", "offer_id", "eligible", "score", "profile", "_why", "_lacking")

    def __init__(self, case_id: str, offer_id: str, eligible: bool, score: float, why: list[tuple],
                 lacking: list[tuple], profile: Profile | None = None):
        self.case_id, self.offer_id, self.eligible, self.score = case_id, offer_id, eligible, score
        self._why, self._lacking, self.profile = why, lacking, profile

    def facts(self) -> dict[str, list]:
        """Why and what is missing, language-free: `{"why": [...], "missing": [...]}` (app.match_reasons)."""
        return match_reasons.stored(self._why, self._lacking)

    def reasons_in(self, lang: str) -> list[str]:
        return [render(match_reasons.fact_message(match_reasons.to_stored(f)), lang) for f in self._why]

    def missing_in(self, lang: str) -> list[str]:
        """Hard requirements not met first, then what else is missing."""
        return [render(match_reasons.fact_message(match_reasons.to_stored(f)), lang) for f in self._lacking]

    def sentence_in(self, lang: str) -> str:
        """One sentence why, and what is missing, in `lang`."""
        return render(match_reasons.sentence(self.facts()), lang)

    @property
    def reasons(self) -> list[str]:
        return self.reasons_in(current_language())

    @property
    def missing(self) -> list[str]:
        return self.missing_in(current_language())

    @property
    def n_missing(self) -> int:
        return len(self._lacking)

    @property
    def sentence(self) -> str:
        return self.sentence_in(current_language())

    def to_dict(self) -> dict:
        """JSON-ready, worded in the current UI language, with the facts (codes and parameters) beside."""
        p = self.profile
        return {"case_id": self.case_id, "offer_id": self.offer_id, "eligible": self.eligible,
                "score": round(self.score, 1), "reasons": self.reasons, "missing": self.missing,
                "sentence": self.sentence, "facts": self.facts(),
                **({"case_number": p.case_number, "office": p.office} if p else {})}


def placement_facts(placement: dict[str, Any]) -> dict[str, list] | None:
    """The match facts of a stored proposal: its `match`, or read back from the sentence older versions
    stored (`reason`, in their writer's UI language), or None."""
    found = placement.get("match")
    if isinstance(found, dict):
        return found
    return match_reasons.legacy(placement.get("reason"))


def placement_reason(placement: dict[str, Any], lang: str) -> str:
    """Why a proposal was made and what was missing, in `lang`; an old sentence that reads as no facts
    stays as written."""
    found = placement_facts(placement)
    return render(match_reasons.sentence(found), lang) if found else (placement.get("reason") or "")


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
    # labour-market access per (residence status, entry date): the same for every offer on this day
    access: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def make(cls, rules: RuleSet, today: dt.date | None = None) -> "Context":
        return cls(rules, today or dt.date.today(), default_classification(), default_towns())

    def work_access(self, p: Profile) -> tuple[str, dt.date | None, str]:
        key = (p.residence_status, p.entry_date)
        found = self.access.get(key)
        if found is None:
            found = self.access[key] = work_access(p, self.rules, self.today)
        return found


class _Offer:
    """What evaluating profiles against one offer needs, looked up once; travel times, occupation similarities
    and labour-market access are remembered per town, code and (residence status, entry date)."""

    def __init__(self, offer: dict, ctx: Context):
        self.ctx = ctx
        self.id = offer.get("id", "")
        self.need = offer.get("german_level") or None
        self.need_level = _LEVEL.get(self.need, 99) if self.need else 99
        self.need_score_level = _LEVEL.get(self.need, 0) if self.need else 0
        self.licence = offer.get("driving_licence") or None
        self.permit = bool(offer.get("work_permit_needed"))
        self.town = offer.get("town")
        self.limit = offer.get("max_travel_minutes")
        self.code = offer.get("occupation")
        self.wish_bonus = "training" if offer.get("kind") in TRAINING_KINDS else "work"
        self.languages = [(lang.get("code"), lang.get("code", ""), lang.get("level"))
                          for lang in offer.get("languages") or []]
        self.start = offer.get("start_date") or None
        self.long_hours = (offer.get("hours") or 0) >= 30
        self.minutes: dict = {}  # office -> minutes to the offer's town (None: unknown)
        self.similar: dict = {None: 0.0}  # occupation code -> similarity to the offer's
        self.access: dict = {}  # (residence status, entry date) -> the fact it adds, or None

    def _travel(self, office):
        self.minutes[office] = found = self.ctx.towns.minutes(office, self.town)
        return found

    def _similarity(self, code) -> float:
        self.similar[code] = found = similarity(self.code, code)
        return found

    def _access(self, p: Profile):
        access, since, _source = self.ctx.work_access(p)
        fact = (("access_waiting", since) if access == "waiting" else ("access_unknown",) if access == "unknown"
                else ("approval",) if access == "approval" else None)
        self.access[(p.residence_status, p.entry_date)] = fact
        return fact

    def evaluate(self, p: Profile) -> Match:
        hard: list[tuple] = []
        soft: list[tuple] = []
        why: list[tuple] = []
        langs = p.languages
        german = langs.get("de")
        # hard requirements
        if _CONSENT not in p.consents:
            hard.append(("consent",))
        need = self.need
        if need and (german is None or _LEVEL.get(german, -1) < self.need_level):
            hard.append(("german_missing", need, german) if german else ("german_none", need))
        elif german:
            why.append(("german", german))
        licence = self.licence
        if licence:
            if p.driving_licence == "valid_de":
                why.append(("licence",))
            elif p.driving_licence == "foreign":
                hard.append(("licence_foreign", licence))
            else:
                hard.append(("licence_missing", licence))
        if self.permit and p.residence_status not in FREE_ACCESS:
            fact = self.access.get((p.residence_status, p.entry_date), _UNSEEN)
            if fact is _UNSEEN:
                fact = self._access(p)
            if fact is not None:
                (soft if fact[0] == "approval" else hard).append(fact)
        minutes = self.minutes.get(p.office, _UNSEEN)
        if minutes is _UNSEEN:
            minutes = self._travel(p.office)
        if minutes is not None:
            limit = self.limit
            if limit and minutes > limit:
                hard.append(("too_far", minutes, limit))
            else:
                why.append(("travel", minutes))
        # ranking (the additions in this order: the score is the same float every time)
        score = 0.0
        best, best_exp = 0.0, None
        similar = self.similar
        for exp in p.experience:
            s = similar.get(exp.code)
            if s is None:
                s = self._similarity(exp.code)
            if s > best or (s == best > 0 and best_exp is not None and exp.years > best_exp.years):
                best, best_exp = s, exp
        if best_exp is not None:
            weight = min(best_exp.years, 10) / 10 * (1.0 if best_exp.proof else 0.6)
            score += 50 * best * (0.4 + 0.6 * weight)
            why.insert(0, ("experience", best_exp.years, best_exp.proof, best_exp.text))
        elif self.code:
            soft.append(("no_experience",))
        wish = similar.get(p.wish_code)
        if wish is None:
            wish = self._similarity(p.wish_code)
        if wish > 0:
            score += 25 * wish
            why.insert(1 if best_exp else 0, ("wish", p.wish_text))
        if p.wish == self.wish_bonus:
            score += 10
        if need and german:
            score += min(15, 5 * (_LEVEL.get(german, 0) - self.need_score_level))
        for code, name, level in self.languages:
            have = langs.get(code)
            if level_at_least(have, level):
                score += 5
            else:
                soft.append(("language", name, level, have))
        if p.available_from and self.start and p.available_from > self.start:
            soft.append(("available", p.available_from))
        if p.childcare_needed and self.long_hours:
            soft.append(("childcare",))
        if not p.profiled:
            soft.append(("not_profiled",))
        if hard:
            hard.extend(soft)
            return Match(p.case_id, self.id, False, 0.0, why, hard, p)
        return Match(p.case_id, self.id, True, score, why, soft, p)


def evaluate(offer: dict, p: Profile, ctx: Context) -> Match:
    return _Offer(offer, ctx).evaluate(p)


def _rank_key(m: Match):
    return (not m.eligible, -m.score, len(m._lacking), m.profile.case_number if m.profile else m.case_id)


def rank(matches: list[Match]) -> list[Match]:
    """Eligible first by score, then the rest by how little is missing."""
    return sorted(matches, key=_rank_key)


def candidates(offer: dict, profiles: dict[str, Profile], ctx: Context) -> list[Match]:
    one = _Offer(offer, ctx).evaluate
    return rank([one(p) for p in profiles.values()])


def offers_for(profile: Profile, offers: list[dict], ctx: Context) -> list[Match]:
    return rank([evaluate(o, profile, ctx) for o in offers])
