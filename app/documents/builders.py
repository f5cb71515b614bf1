"""The documents a client signs or keeps: consent, profiling summary, resource map, slip.

Each builder takes a CaseData and a client language and returns PDF bytes;
every text is an English msgid of the `forms` catalog (`D_`) printed in German
and the client language. Dates are formatted with Babel for each column.
"""

from __future__ import annotations

import datetime as dt

import i18n
from i18n import D_
from i18n import locale as loc

from .. import formvalues
from ..labels import label_in
from . import text as T
from .data import CaseData
from .layout import BODY, SMALL, Page

AGENCY_NAMES = {
    "AA": D_("Employment agency (Agentur für Arbeit)"),
    "JC": D_("Job centre (Jobcenter)"),
    "SOZ": D_("Social welfare office (Sozialamt)"),
    "ABH": D_("Foreigners' office (Ausländerbehörde)"),
    "KI": D_("Municipal integration centre (Kommunales Integrationszentrum)"),
    "PROVIDER": D_("Measure provider"),
}
QUADRANT_NAMES = {
    "persoenlich": D_("Personal"), "sozial": D_("Social"),
    "materiell": D_("Material"), "infrastrukturell": D_("Infrastructure"),
}
CONSENT_NOTE = {"refused": D_("consent refused"), "withdrawn": D_("withdrawn")}
APPOINTMENT_OUTCOME = {"planned": D_("planned"), "kept": D_("kept"), "missed": D_("missed"),
                       "cancelled": D_("cancelled")}
HEADER = D_("Integration Point Kreis Warendorf")
WITHHELD = D_("Shown is only what {agency} recorded itself: without consent, the other data is not passed to "
              "this agency.")
CASE_NUMBER = D_("Case number")


def _footer(data: CaseData) -> str:
    return f"{i18n.translate(CASE_NUMBER, 'de')} {data.number}"


def withheld_note(p: Page, data: CaseData) -> None:
    """Why the document shows less than the case holds (app.print_gate at level `own`), in both languages."""
    if not data.withheld_for:
        return
    name = AGENCY_NAMES.get(data.withheld_for)
    p.spacer(4)
    p.pair([p.tr(WITHHELD, lang, agency=p.tr(name, lang) if name else data.withheld_for)
            for _x, _w, lang, _r in p.columns()], size=SMALL)


def _dated_field(p: Page, label: str, value, fmt: str = "long") -> None:
    p.field(label, loc.format_date(value, "de", fmt), loc.format_date(value, p.lang, fmt))


def person_block(p: Page, data: CaseData) -> None:
    """Name, original-script name, birth date and case number (values are not translated)."""
    p.field(D_("Name"), data.full_name)
    if data.original_name:
        p.field(D_("Name in the original script"), data.original_name)
    born = data.person.get("birth_date")
    if born:
        p.field(D_("Date of birth"), loc.format_partial_date(born, "de"), loc.format_partial_date(born, p.lang))
    p.field(D_("Case number"), data.number)


def header(p: Page, title: str, data: CaseData | None = None) -> None:
    p.bi(HEADER, size=SMALL)
    office = (data.case.get("office") if data else None) or ""
    if office:
        from ..labels import office_names

        p.raw(office_names().get(office, office), size=SMALL)
    p.spacer(4)
    p.title(title)


def consent(data: CaseData, lang: str, today: dt.date | None = None) -> bytes:
    """The consent declaration for signature: agencies ticked as recorded, date, signature lines."""
    p = Page(lang, D_("Consent declaration"), _footer(data), gender=data.person.get("sex"))
    header(p, D_("Consent declaration"), data)
    person_block(p, data)
    p.spacer()
    from ..forms import default_registry

    form = default_registry().get("consent")
    p.bi(form.description)
    p.spacer()
    p.heading(D_("Receiving agencies"))
    p.bi(D_("Consent is given only for the agencies ticked here:"), size=SMALL)
    dates = []
    for code, name in AGENCY_NAMES.items():
        state, date = data.consent_state(code)
        extra = ""
        if code == "PROVIDER":
            provider = next((c.get("provider_name") for c in reversed(data.consents)
                             if c.get("agency") == "PROVIDER" and c.get("provider_name")), "")
            extra = f": {T.isolate(provider)}" if provider else ""
        notes = None
        if state in CONSENT_NOTE:  # refused or withdrawn: said in words, not an empty box like "never asked"
            notes = {lang: f" — {i18n.translate(CONSENT_NOTE[state], lang)}"
                           + (f" {T.isolate(loc.format_date(date, lang, 'medium'))}" if date else "")
                     for _x, _w, lang, _r in p.columns()}
        p.checkbox(state == "given", name, extra, notes=notes)
        if state and date:
            dates.append(date)
    p.spacer()
    p.bi(D_("I can withdraw this consent at any time for the future, for each agency separately. "
            "Withdrawing it has no effect on my benefits."), size=BODY)
    p.spacer()
    signed = max(dates) if dates else (today or dt.date.today()).isoformat()
    _dated_field(p, D_("Date"), signed)
    p.field(D_("Place"), _place(data))
    p.signature_lines([D_("Signature of the client"), D_("Signature of the staff member"),
                       D_("Signature of the interpreter (if present)")])
    return p.finish()


def _place(data: CaseData) -> str:
    from ..labels import office_names

    office = data.case.get("office") or ""
    return office_names().get(office, office)


def _answers_section(p: Page, resp, include_sensitive: bool = True) -> int:
    """Print the answers of one questionnaire, bilingual; returns how many rows were printed."""
    form = resp.form
    if form is None:
        return 0
    lang = p.lang
    # values formatted for each column's reader (dates, digits, list pattern) and isolated
    rows_de = formvalues.display_rows(form, resp.answers, tr=lambda m: i18n.translate(m, "de"), lang="de",
                                      wrap=T.isolate)
    rows_tr = formvalues.display_rows(form, resp.answers, tr=lambda m: i18n.translate(m, lang, p.gender), lang=lang,
                                      wrap=T.isolate)
    count = 0
    p.heading(form.title)
    if resp.row.get("date"):
        _dated_field(p, D_("Recorded on"), resp.row["date"], "medium")
    for (sec_de, items_de), (sec_tr, items_tr) in zip(rows_de, rows_tr, strict=True):
        shown = [(a, b) for a, b in zip(items_de, items_tr, strict=True) if include_sensitive or not a[2]]
        if not shown:
            continue
        p.hold([sec_de, sec_tr], size=BODY, bold=True)  # a section title stays with its first answer
        for (lab_de, val_de, _sens), (lab_tr, val_tr, _s) in shown:
            p.pair([f"{lab_de}: {val_de}", f"{lab_tr}: {val_tr}"], gap=1.5)
            count += 1
    return count


def profiling(data: CaseData, lang: str) -> bytes:
    """A summary of the profiling questionnaires (social, U25/Ü25), newest answers per form."""
    p = Page(lang, D_("Profiling summary"), _footer(data), gender=data.person.get("sex"))
    header(p, D_("Profiling summary"), data)
    person_block(p, data)
    withheld_note(p, data)
    responses = data.latest("profiling")
    if not responses:
        p.spacer()
        p.bi(D_("No profiling has been recorded yet."))
    for resp in responses:
        _answers_section(p, resp)
    wille = [g for g in data.goals if g.get("kind") == "wille"]
    if wille:
        p.heading(D_("The client's own goal (will)"))
        for g in wille:
            p.raw(g.get("text") or "")
    return p.finish()


def resources(data: CaseData, lang: str) -> bytes:
    """The resource map as one page of four fields; each entry with its date."""
    p = Page(lang, D_("Resource map"), _footer(data), gender=data.person.get("sex"))
    header(p, D_("Resource map"), data)
    p.field(D_("Name"), data.full_name)
    p.field(D_("Case number"), data.number)
    withheld_note(p, data)
    p.spacer(4)
    cells = []
    for quadrant, title in QUADRANT_NAMES.items():
        entries = [f"{T.isolate(e.get('text') or '')} ({loc.format_date(e.get('date'), 'de', 'short')})"
                   if e.get("date") else (e.get("text") or "")
                   for e in data.resources if e.get("quadrant") == quadrant]
        cells.append((title, entries))
    p.box_grid(cells)
    return p.finish()


def slip(data: CaseData, lang: str, today: dt.date | None = None) -> bytes:
    """The appointment slip: place, date, time, directions, interpreter; large text."""
    p = Page(lang, D_("Appointment"), _footer(data), gender=data.person.get("sex"))
    header(p, D_("Appointment"), data)
    p.field(D_("Name"), data.full_name, size=13)
    appt = data.next_appointment((today or dt.date.today()).isoformat())
    if appt is None:
        p.bi(D_("No appointment is planned."), size=13)
        return p.finish()
    when = appt.get("starts_at")
    p.spacer(4)
    p.field(D_("Date"), loc.format_date(when, "de", "full"), loc.format_date(when, p.lang, "full"), size=15)
    p.field(D_("Time"), loc.format_time(when, "de"), loc.format_time(when, p.lang), size=15)
    place = appt.get("place") or _place(data)
    p.field(D_("Place"), place, size=13)
    if appt.get("office"):
        from ..labels import office_names

        p.field(D_("Office"), office_names().get(appt["office"], appt["office"]), size=13)
    if appt.get("directions"):
        p.heading(D_("How to get there"))
        directions = appt["directions"]
        p.pair([i18n.translate(directions, "de"), T.isolate(i18n.translate_value(directions, p.lang))], size=12)
    interp = appt.get("interpreter_language")
    if interp:  # the language the case records, by its own name (Dari is not "Persisch")
        p.field(D_("Interpreter"), label_in("language", interp, "de"), loc.native_name(interp), size=13)
    if appt.get("purpose"):
        p.field(D_("Purpose"), i18n.translate(appt["purpose"], "de"), i18n.translate_value(appt["purpose"], p.lang),
                size=12)
    p.spacer(8)
    p.bi(D_("Please bring this slip, your identity document and your letters. "
            "If you cannot come, please call us beforehand."), size=12)
    return p.finish()


def offer(data: CaseData, lang: str, today: dt.date | None = None) -> bytes:
    """The seat offer: each course seat the hub holds for the client, and until when to answer."""
    p = Page(lang, D_("Seat offer"), _footer(data), gender=data.person.get("sex"))
    header(p, D_("Seat offer"), data)
    p.field(D_("Name"), data.full_name, size=13)
    withheld_note(p, data)
    if not data.offers:
        p.spacer(4)
        p.bi(D_("No course seat is offered at present."), size=13)
        return p.finish()
    for o in data.offers:
        course, provider = o["course"], o["provider"]
        p.spacer(6)
        p.bi(D_("A seat in this course is held for you:"), size=12, bold=True)
        p.field(D_("Course"), " ".join(x for x in (course.get("title"), course.get("level")) if x), size=13)
        if provider.get("name"):
            p.field(D_("Provider"), provider["name"] + (f", {provider['phone']}" if provider.get("phone") else ""))
        if course.get("place"):
            p.field(D_("Place"), course["place"])
        for msgid, key in ((D_("First day"), "start_date"), (D_("Last day"), "end_date")):
            if course.get(key):
                _dated_field(p, msgid, course[key], "full" if key == "start_date" else "long")
        if course.get("schedule"):
            p.field(D_("Times"), course["schedule"])
        if course.get("childcare"):
            p.bi(D_("Childcare is offered during the course."))
        if o.get("hold_until"):
            p.spacer(2)
            p.field(D_("Held for you until"), loc.format_date(o["hold_until"], "de", "full"),
                    loc.format_date(o["hold_until"], p.lang, "full"), size=13)
            p.bi(D_("Please tell us by then whether you take the seat. If we have not heard from you, "
                    "the seat goes to the next person; you stay on the waiting list."), size=12)
    p.spacer(8)
    p.bi(D_("Please bring this letter to your next appointment or call us."), size=12)
    return p.finish()
