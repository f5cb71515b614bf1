"""The straightforward matching of before the speed-up (every evaluation formats its sentences), kept
as the oracle that tests/app/test_matching_equivalence.py compares app.matching against."""

from __future__ import annotations

from i18n import _, current_language, ngettext
from i18n.locale import format_date

from app.matching import _LEVEL, MATCH_CONSENT_AGENCY, TRAINING_KINDS, Context, Profile, level_at_least, work_access
from app.occupations import similarity


def _date(value) -> str:
    return format_date(value, current_language()) if value else ""


def evaluate(offer: dict, p: Profile, ctx: Context) -> tuple:
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
    return (p.case_id, eligible, score if eligible else 0.0, reasons,
            missing_hard + missing, p.case_number)


def candidates(offer: dict, profiles: dict[str, Profile], ctx: Context) -> list[tuple]:
    """(case id, eligible, score, reasons, missing) ranked: eligible first by score, then by how little is
    missing, then by case number."""
    out = [evaluate(offer, p, ctx) for p in profiles.values()]
    out.sort(key=lambda m: (not m[1], -m[2], len(m[4]), m[5]))
    return [m[:5] for m in out]
