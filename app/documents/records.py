"""Documents made of the case record: the Rechtskreiswechsel handover sheet and the Art. 15 export.

The handover sheet carries what the receiving agency needs so the client is
not asked again, and only what the client consented to share with that
agency: without a consent for it the sheet says so and holds no case data.
Sensitive answers (health) are never on it. The Art. 15 export (GDPR right of
access) prints everything stored about the person: master data, household,
consents, every questionnaire answer, resource map, goals, measures,
conferences, the full chronicle and appointments, and then what Art. 15 asks
besides the data (app.documents.art15): purposes, recipients and handovers,
retention periods, source, the access log, the rights and the controller.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import i18n
from i18n import D_
from i18n import locale as loc

from ..chronicle_text import event_text
from ..labels import label_in
from . import art15
from . import text as T
from .builders import (AGENCY_NAMES, APPOINTMENT_OUTCOME, QUADRANT_NAMES, _answers_section, _dated_field, _footer,
                       header, person_block)
from .data import AGENCY_FOR_RECHTSKREIS, CaseData
from .layout import BODY, SMALL, Page

MEASURE_STATUS = {
    "proposed": D_("proposed"), "registered": D_("registered"), "waiting": D_("waiting"),
    "started": D_("started"), "interrupted": D_("interrupted"), "completed": D_("completed"),
    "cancelled": D_("cancelled"),
}
# The coded values of app.labels that documents print, marked here again so that
# they are in the forms catalog and reach every client language (same msgids).
CODED_LABELS = (
    D_("head of household"), D_("spouse"), D_("partner"), D_("child"), D_("parent"), D_("sibling"),
    D_("grandchild"), D_("other relative"), D_("female"), D_("male"), D_("diverse"), D_("unknown"),
    D_("native language"), D_("stateless or unknown"), D_("Kurdish (Kurmanji)"), D_("Kurdish (Sorani)"),
    D_("Dari"), D_("yes"), D_("no"), D_("with proof"), D_("without proof"), D_("Other answers"), D_("native"),
)
CONSENT_STATE = {"given": D_("consent given"), "refused": D_("consent refused"), "withdrawn": D_("withdrawn")}


def _tr(p: Page, msgid: str | None) -> tuple[str, str]:
    if not msgid:
        return "", ""
    return i18n.translate(msgid, "de"), i18n.translate(msgid, p.lang)


@lru_cache(maxsize=1)
def _measure_names() -> dict[str, str]:
    path = Path(__file__).resolve().parent.parent.parent / "resources" / "measures.json"
    try:
        doc = json.loads(path.read_text("utf-8"))
        return {m["id"]: m.get("name") or m["id"] for m in doc.get("measures", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _measure_name(catalogue_id: str | None) -> str:
    """The measure's catalogue name (an English msgid of the staff catalog), else the id."""
    return _measure_names().get(catalogue_id or "", catalogue_id or "")


def _master_data(p: Page, data: CaseData) -> None:
    person_block(p, data)
    pers = data.person
    spellings = [" ".join(x for x in (a.get("given_names"), a.get("family_name"), a.get("given_names_orig"),
                                      a.get("family_name_orig")) if x)
                 for a in (pers.get("aliases") or []) if isinstance(a, dict)]
    spellings = [s for s in spellings if s]
    if spellings:  # kept when two records of the person were merged (app.merge_preview), and searched
        p.field(D_("Other spellings of the name"), loc.list_join(spellings, "de"),
                loc.list_join([T.isolate(s) for s in spellings], p.lang))
    for label, kind, code in ((D_("Sex"), "sex", pers.get("sex")),
                              (D_("Country of origin"), "country", pers.get("country_of_origin")),
                              (D_("Nationality"), "country", pers.get("nationality"))):
        if code:
            p.field(label, label_in(kind, code, "de"), label_in(kind, code, p.lang))
    langs = pers.get("languages") or []
    if langs:
        def fmt(lang):
            return loc.list_join([f"{label_in('language', x.get('code') or x.get('language'), lang)}"
                                  f" {label_in('level', x.get('level'), lang)}".strip()
                                  for x in langs if isinstance(x, dict)], lang)
        p.field(D_("Languages"), fmt("de"), fmt(p.lang))
    if pers.get("interpreter_language"):
        code = pers["interpreter_language"]
        p.field(D_("Interpreter language"), label_in("language", code, "de"), label_in("language", code, p.lang))
    case = data.case
    if case.get("rechtskreis"):
        p.field(D_("Rechtskreis"), case["rechtskreis"])
    if case.get("opened"):
        _dated_field(p, D_("Case opened on"), case["opened"], "medium")


def _measures(p: Page, data: CaseData) -> None:
    if not data.measures:
        return
    p.heading(D_("Measures"))
    for m in data.measures:
        name = _measure_name(m.get("catalogue_id"))
        name_de = i18n.translate(name, "de")
        # measure names are staff texts (German and English only): German is what the client will hear
        name_tr = i18n.translate(name, p.lang) if i18n.has_translation(name, p.lang) else name_de
        st_de, st_tr = _tr(p, MEASURE_STATUS.get(m.get("status") or "", m.get("status")))
        texts = []
        for lang, name_l, st_l in (("de", name_de, st_de), (p.lang, name_tr, st_tr)):
            parts = [st_l]
            if m.get("provider"):
                parts.append(T.isolate(m["provider"]))
            dates = " – ".join(loc.format_date(m.get(k), lang, "short") for k in ("start_date", "end_date") if m.get(k))
            if dates:
                parts.append(T.isolate(dates))
            texts.append(f"{T.isolate(name_l) if lang != 'de' else name_l}: {loc.comma(lang).join(parts)}")
        p.pair(texts, gap=1.5)


def _appointment_line(a: dict, lang: str, with_outcome: bool = True) -> str:
    """When and where, and the outcome in the reader's words (never the code `planned`)."""
    parts = [T.isolate(loc.format_datetime(a.get("starts_at"), lang, "short"))]
    if a.get("place"):
        parts.append(T.isolate(a["place"]))
    outcome = a.get("outcome") or ""
    if with_outcome and outcome:
        parts.append(i18n.translate(APPOINTMENT_OUTCOME.get(outcome, outcome), lang))
    return loc.comma(lang).join(parts)


def handover(data: CaseData, lang: str, to_agency: str | None = None) -> bytes:
    """The handover sheet for a Rechtskreiswechsel to `to_agency` (default: the case's Rechtskreis)."""
    agency = to_agency or AGENCY_FOR_RECHTSKREIS.get(data.case.get("rechtskreis") or "", "JC")
    p = Page(lang, D_("Handover sheet (change of Rechtskreis)"), _footer(data), gender=data.person.get("sex"))
    header(p, D_("Handover sheet (change of Rechtskreis)"), data)
    name_de, name_tr = _tr(p, AGENCY_NAMES.get(agency, agency))
    p.field(D_("Receiving agency"), name_de, name_tr)
    state, date = data.consent_state(agency)
    if state != "given":
        p.field(D_("Case number"), data.number)
        p.spacer()
        p.bi(D_("The client has not consented to pass data to this agency. "
                "This sheet therefore contains no case data."), bold=True)
        return p.finish()
    _dated_field(p, D_("Consent given on"), date, "medium")
    p.spacer()
    p.heading(D_("Master data"))
    _master_data(p, data)
    for resp in data.latest("intake") + data.latest("profiling"):
        _answers_section(p, resp, include_sensitive=False)
    _measures(p, data)
    planned = [a for a in data.appointments if a.get("outcome") in (None, "planned")]
    if planned:
        p.heading(D_("Planned appointments"))
        for a in planned:
            p.pair([_appointment_line(a, lang, with_outcome=False) for lang in ("de", p.lang)], gap=1)
    p.spacer()
    p.bi(D_("Answers marked as sensitive (for example health) are not passed on with this sheet."), size=SMALL)
    return p.finish()


def export(data: CaseData, lang: str) -> bytes:
    """Everything stored about the person of this case (GDPR Art. 15)."""
    p = Page(lang, D_("Information about your stored data (Art. 15 GDPR)"), _footer(data), gender=data.person.get("sex"))
    header(p, D_("Information about your stored data (Art. 15 GDPR)"), data)
    p.bi(D_("This is a complete copy of the data the Integration Point stores about you, "
            "with the purposes and the recipients of the data."), size=BODY)
    art15.purposes(p)
    p.heading(D_("Master data"))
    _master_data(p, data)
    hh = data.household
    if hh.get("address"):
        p.field(D_("Address"), hh["address"])
    if hh.get("accommodation"):
        p.field(D_("Accommodation"), hh["accommodation"])
    if hh.get("arrival_date"):
        _dated_field(p, D_("Arrival"), hh["arrival_date"], "medium")
    others = [m for m in data.members if m["id"] != data.person.get("id") and not m.get("deleted")]
    if others:
        p.heading(D_("Household members"))
        for m in others:
            rel_de, rel_tr = label_in("relation", m.get("relation"), "de"), label_in("relation", m.get("relation"), p.lang)
            name = " ".join(x for x in (m.get("given_names"), m.get("family_name")) if x)
            p.pair([f"{name} ({rel_de})", f"{T.isolate(name)} ({rel_tr})"], gap=1)
    p.heading(D_("Recipients: consent per agency"))
    for code, msgid in AGENCY_NAMES.items():
        state, date = data.consent_state(code)
        st_de, st_tr = _tr(p, CONSENT_STATE.get(state or "", D_("no declaration")))
        n_de, n_tr = _tr(p, msgid)
        d_de = f"{loc.comma('de')}{T.isolate(loc.format_date(date, 'de'))}" if date else ""
        d_tr = f"{loc.comma(p.lang)}{T.isolate(loc.format_date(date, p.lang))}" if date else ""
        p.pair([f"{n_de}: {st_de}{d_de}", f"{n_tr}: {st_tr}{d_tr}"], gap=1)
    art15.handovers(p, data, {code: _tr(p, msgid) for code, msgid in AGENCY_NAMES.items()})
    for resp in data.responses:
        _answers_section(p, resp, include_sensitive=True)
    if data.resources:
        p.heading(D_("Resource map"))
        for e in data.resources:
            q_de, q_tr = _tr(p, QUADRANT_NAMES.get(e.get("quadrant") or "", ""))
            text = T.isolate(e.get("text") or "")
            p.pair([f"{q_de}: {text} ({T.isolate(loc.format_date(e.get('date'), 'de', 'short'))})",
                    f"{q_tr}: {text} ({T.isolate(loc.format_date(e.get('date'), p.lang, 'short'))})"], gap=1)
    if data.goals:
        p.heading(D_("Will and goals"))
        for g in data.goals:
            p.raw(f"{loc.format_date(g.get('date'), 'de', 'short')}  {g.get('text') or ''}")
    _measures(p, data)
    if data.conferences:
        p.heading(D_("Case conferences"))
        for c in data.conferences:
            p.raw(f"{loc.format_date(c.get('date'), 'de', 'short')}  {c.get('focus') or ''} {c.get('next_steps') or ''}")
    if data.events:
        p.heading(D_("Case chronicle"))
        for ev in data.events:
            who = data.staff.get(ev.get("author") or "", "")
            p.raw(f"{loc.format_date(ev.get('date'), 'de', 'short')}  {event_text(ev, 'de')}"
                  + (f"  ({who})" if who else ""), size=9)
    if data.appointments:
        p.heading(D_("Appointments"))
        for a in data.appointments:
            p.pair([_appointment_line(a, lang) for lang in ("de", p.lang)], size=9, gap=1)
    art15.retention_periods(p, lambda msgid: _tr(p, msgid))
    art15.source(p)
    art15.access_log(p, data, lambda msgid: _tr(p, msgid))
    art15.rights(p)
    art15.contact(p)
    return p.finish()
