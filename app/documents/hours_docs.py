"""The office-hour documents: day list, appointment slip (one or a day's batch), weekly plan, interpreter plan.

Built with the same bilingual page (app.documents.layout) as the case
documents. The day list, weekly plan and interpreter plan are German, for
staff; the slip is German plus the client's language (the booking's
interpreter language, else the person's), with date and time formatted in
that language's locale, the town's address, room, directions and phone, the
interpreter, and what to bring. A batch prints every booking of a day, each
slip on its own page in its own client's language. The weekly plan and the
interpreter plan hold no client names. PDF metadata names the document only.

The client's column holds no English: the office's directions in the client's
language (or its fallback language), else the German ones marked as German;
the checklist's suggested items (app.dayview.bring_suggestions, stored in the
words of the UI that booked) in the client's language, staff's own items as
written.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Sequence  # the service is app.hours.OfficeHours (not imported: a cycle)

import i18n
from i18n import D_, N_
from i18n import locale as loc

from ..booking import cancellation_text
from ..labels import label_in
from . import text as T
from .builders import HEADER
from .layout import BODY, MARGIN, SMALL, Page

if TYPE_CHECKING:
    from ..dayview import Day, DayRow
    from ..offices import Office

DOCUMENTS = ("daylist", "weekplan", "interpreters", "slips")
ALL_OFFICES = "ZIP"  # the interpreter plan for the central office: every town

T_DAYLIST = N_("Day list")
T_WEEKPLAN = N_("Weekly plan of the office hours")
T_INTERPRETERS = N_("Interpreter plan")
T_SLIP = D_("Appointment")
WHAT_TO_BRING = D_("What to bring")
ROOM = D_("Room")
PHONE = D_("Phone")
INTERPRETER = D_("Interpreter")
WALK_INS = N_("Walk-ins")
NO_HOURS = N_("No office hours on this day.")
FREE = N_("free")
CONTINUED = N_("(continued)")
# the checklist suggestions of app.dayview.bring_suggestions, for the client's column
BRING_SUGGESTIONS = (D_("Identity document (passport, residence permit)"), D_("Letters received since the last visit"))
PAPERS_FOR = D_("Papers for: {item}")


def render(service: Any, document: str, office: str, day: dt.date, lang: str = "de") -> bytes:
    if document == "daylist":
        return daylist(service.day(office, day, log=False), service.office(office))
    if document == "weekplan":
        return weekplan(service, office, day)
    if document == "interpreters":
        return interpreter_plan(service, office, day)
    if document == "slips":
        d = service.day(office, day, log=False)
        return slips([r for r in d.booked if r.status == "booked"], service.office(office), d)
    raise ValueError(f"unknown document {document!r}; one of {', '.join(DOCUMENTS)}")


def _de(msgid: str) -> str:
    return i18n.translate(msgid, "de")


def _table(p: Page, widths: Sequence[float], cells: list[str], size: float = 9, bold: bool = False) -> None:
    """One table row (German, left to right), wrapped per cell; a new page when it does not fit."""
    x0, total = MARGIN, sum(widths)
    ws = [w / total * p.inner for w in widths]
    wrapped = [T.wrap_lines(c or "", w - 4, size, bold) for c, w in zip(cells, ws, strict=True)]
    height = max(len(w) for w in wrapped) * size * 1.3 + 3
    p.ensure(height)
    x = x0
    for lines, w in zip(wrapped, ws, strict=True):
        for i, (line, before, after) in enumerate(lines):
            rtl = T.has_rtl(line)
            T.draw_line(p.c, x, p.y - size - i * size * 1.3, line, size, bold=bold, rtl=rtl,
                        align="right" if rtl else "left", box_width=w - 4, before=before, after=after)
        x += w
    p.y -= height
    p.c.setLineWidth(0.2)
    p.c.line(MARGIN, p.y + 1, MARGIN + p.inner, p.y + 1)


def fit_widths(inner: float, widths: Sequence[float], header: Sequence[str], rows: Sequence[Sequence[str]],
               size: float = 9, pad: float = 4.5, cap: float = 0.3) -> list[float]:
    """Column widths (points, summing to `inner`) from the relative `widths`, each column at least as wide as
    its longest word (the header's in bold, the cells' regular; up to `cap` of the page), so that no header
    and no case number or purpose breaks inside a word; what the wider columns need is taken from those
    with room to spare, in proportion to the room they have (mostly the notes and the names, which wrap
    between words). Too little room for all: the relative widths as they are."""
    def longest(text: str, bold: bool) -> float:
        return max((T.width(w, size, bold) for w in str(text or "").split()), default=0.0)

    need = [min(cap * inner, max([longest(header[i], True)] + [longest(r[i], False) for r in rows]) + pad)
            for i in range(len(widths))]
    total = sum(widths)
    out = [w / total * inner for w in widths]
    if sum(need) > inner:
        return out
    out = [max(w, n) for w, n in zip(out, need, strict=True)]
    for _round in range(len(out)):  # the columns with room give in proportion to the room they have
        excess = sum(out) - inner
        spare = [(w - n, i) for i, (w, n) in enumerate(zip(out, need, strict=True)) if w > n + 0.01]
        room = sum(x for x, _i in spare)
        if excess <= 0.01 or room <= 0.01:
            break
        for x, i in spare:
            out[i] -= min(excess, room) * x / room
    return out


def _head(p: Page, title: str, office: "Office", day: dt.date | None, extra: str = "") -> None:
    p.raw(_de(HEADER), size=SMALL)
    p.raw(f"{_de(title)} – {office.name}" + (f", {loc.format_date(day, 'de', 'full')}" if day else "") + extra,
          size=15, bold=True)
    p.rule()


def daylist(day: "Day", office: "Office") -> bytes:
    p = Page("de", T_DAYLIST, f"{office.name} {day.date.isoformat()}")
    _head(p, T_DAYLIST, office, day.date)
    for c in day.cancelled:  # a cancelled (or moved) office hour and why
        p.raw(cancellation_text(office.name, day.date, c, "de"), size=BODY, bold=True)
    if not day.hours:
        p.raw(_de(NO_HOURS) + (f" ({day.holiday})" if day.holiday else ""))
        return p.finish()
    for h in day.hours:
        p.raw(f"{h.starts}–{h.ends} · {h.room} · {', '.join(h.agencies)}", size=BODY, bold=True)
    if day.interpreters:
        p.raw(f"{_de(INTERPRETER)}: " + "; ".join(
            f"{label_in('language', lang, 'de')} ({', '.join(times)})"
            for lang, times in day.interpreters.items()), size=BODY)
    p.spacer(4)
    header = [_de(x) for x in (D_("Time"), N_("Desk"), D_("Name"), N_("Case"), D_("Purpose"), D_("Interpreter"),
                               N_("Due / measures / bring"))]
    rows: list[list[str]] = []
    for r in day.rows:
        desk = f"{r.desk}\u00a0{r.agency or ''}"  # "3 SOZ" on one line
        if not r.appointment_id:
            rows.append([r.starts_at[11:16], desk, f"– {_de(FREE)} –", "", "", "", ""])
        elif r.continued:  # a later slot of a longer booking
            rows.append([r.starts_at[11:16], desk, f"↳ {r.name}", "", _de(CONTINUED), "", ""])
        else:
            when = r.starts_at[11:16] + (f"–\n{r.ends_at[11:16]}" if r.slots > 1 else "")
            rows.append([when, desk, r.name, r.case_number, r.purpose, r.interpreter, _notes(r)])
    walk_ins = [[(r.arrived_at or r.starts_at)[11:16], r.agency or "", r.name, r.case_number, r.purpose,
                 r.interpreter, _notes(r)] for r in day.walk_ins]
    widths = fit_widths(p.inner, [8, 8, 22, 14, 16, 10, 30], header, rows + walk_ins)
    _table(p, widths, header, bold=True)
    for cells in rows:
        _table(p, widths, cells)
    if walk_ins:
        p.spacer(6)
        p.raw(_de(WALK_INS), size=12, bold=True)
        for cells in walk_ins:
            _table(p, widths, cells)
    return p.finish()


def _notes(r: "DayRow") -> str:
    parts = []
    if r.due:
        parts.append(_de(N_("Due")) + ": " + "; ".join(r.due))
    if r.measures:
        parts.append(_de(N_("Measures")) + ": " + "; ".join(r.measures))
    if r.bring:
        parts.append(_de(WHAT_TO_BRING) + ": " + "; ".join(r.bring))
    return " · ".join(parts)


def slip_language(r: "DayRow") -> str:
    return loc.normalize(r.interpreter) or "de" if r.interpreter else "de"


def slips(rows: list["DayRow"], office: "Office", day: "Day | None" = None, lang: str | None = None) -> bytes:
    """One slip per row, each page in its own client's language (or `lang`)."""
    first = lang or (slip_language(rows[0]) if rows else "de")
    p = Page(first, T_SLIP, office.name)
    for i, r in enumerate(rows):
        if i:
            p.new_page()
            code = lang or slip_language(r)
            p.lang, p.rtl, p.bilingual = code, loc.is_rtl(code), code != "de"
        _slip(p, r, office, day)
    if not rows:
        p.raw(_de(NO_HOURS))
    return p.finish()


def _slip(p: Page, r: "DayRow", office: "Office", day: "Day | None") -> None:
    p.bi(HEADER, size=SMALL)
    p.title(T_SLIP)
    p.field(D_("Name"), r.name, size=13)
    p.spacer(4)
    when = r.starts_at
    p.field(D_("Date"), loc.format_date(when, "de", "full"), loc.format_date(when, p.lang, "full"), size=15)
    p.field(D_("Time"), loc.format_time(when, "de"), loc.format_time(when, p.lang), size=15)
    p.field(D_("Office"), office.name, size=13)
    p.field(D_("Place"), office.address, size=13)
    room = next((h.room for h in (day.hours if day else ()) if h.starts <= when[11:16] < h.ends), "") or \
        (office.rooms[0] if office.rooms else "")
    if room:
        p.field(ROOM, room, size=13)
    directions_de = office.directions_in("de")
    if directions_de:
        p.heading(D_("How to get there"))
        p.pair([directions_de, directions_for(office, p.lang)], size=12)
    if r.interpreter:
        p.field(INTERPRETER, label_in("language", r.interpreter, "de"), loc.native_name(r.interpreter), size=13)
    if r.purpose:
        p.field(D_("Purpose"), r.purpose, size=12)
    p.heading(WHAT_TO_BRING)
    for item in r.bring or []:
        p.boxes(False, [bring_item(item, lang) for _x, _w, lang, _r in p.columns()], size=12)
    p.spacer(6)
    p.bi(D_("Please bring this slip, your identity document and your letters. "
            "If you cannot come, please call us beforehand."), size=12)
    if office.phone:
        p.field(PHONE, office.phone, size=12)


def directions_for(office: "Office", lang: str) -> str:
    """The way to the office for a reader of `lang`: in that language or its fallback language
    (Dari: Farsi), else the German text marked as German (i18n.german_fallback), never English
    for a reader of another language."""
    texts = dict(office.directions)
    for step in i18n.fallback_chain(lang):
        if texts.get(step):
            return texts[step]
    german = texts.get("de") or ""
    return i18n.german_fallback(german, lang) if german and lang != "de" else german


def bring_item(item: str, lang: str) -> str:
    """One line of the checklist for a reader of `lang`. The suggestions (app.dayview) are stored
    in the words of the UI language of whoever booked (German or English); they are given in the
    reader's language, "Papers for: …" with its item as written. Staff's own items stay as written."""
    for ui in (language.code for language in loc.ui_languages()):
        for msgid in BRING_SUGGESTIONS:
            if item == i18n.translate(msgid, ui):
                return i18n.translate(msgid, lang)
        head, sep, tail = i18n.translate(PAPERS_FOR, ui).partition("{item}")
        if sep and len(item) > len(head) + len(tail) and item.startswith(head) and item.endswith(tail):
            inner = item[len(head):len(item) - len(tail)]
            return i18n.translate(PAPERS_FOR, lang).format(item=T.isolate(i18n.translate_value(inner, lang)))
    return item


def _week(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def weekplan(service: Any, office: str, day: dt.date) -> bytes:
    o = service.office(office)
    start, end = _week(day)
    p = Page("de", T_WEEKPLAN, f"{o.name} {start.isoformat()}")
    _head(p, T_WEEKPLAN, o, None, f", {loc.format_date(start, 'de', 'medium')} – {loc.format_date(end, 'de', 'medium')}")
    states = service.slots(office, start, end)
    hours = service.booking.schedule().hours(office, start, end)
    if not hours:
        p.raw(_de(NO_HOURS))
    widths = [30, 12, 30, 14, 14]
    _table(p, widths, [_de(x) for x in (N_("Day"), D_("Time"), N_("Room / desks"), N_("booked"), FREE)], bold=True)
    for h in hours:
        mine = [s for s in states if s["starts_at"][:10] == h.date.isoformat() and h.starts <= s["starts_at"][11:16] < h.ends]
        booked = sum(len(s["desks"]) - s["free"] for s in mine)
        free = sum(s["free"] for s in mine)
        _table(p, widths, [loc.format_date(h.date, "de", "full"), f"{h.starts}–{h.ends}",
                           f"{h.room} · {', '.join(h.desks)}" + (f" · {h.note}" if h.note else ""),
                           str(booked), str(free)])
    return p.finish()


def interpreter_plan(service: Any, office: str, day: dt.date) -> bytes:
    """Per town and day of the week: the languages needed and at what times (no client data)."""
    start, end = _week(day)
    codes = [o.code for o in service.field_offices()] if office == ALL_OFFICES else [office]
    head_office = service.office(office)
    p = Page("de", T_INTERPRETERS, f"{start.isoformat()}")
    _head(p, T_INTERPRETERS, head_office, None,
          f", {loc.format_date(start, 'de', 'medium')} – {loc.format_date(end, 'de', 'medium')}")
    widths = [18, 28, 54]
    _table(p, widths, [_de(x) for x in (N_("Town"), N_("Day"), N_("Languages and times"))], bold=True)
    any_row = False
    for code in codes:
        o = service.office(code)
        d = start
        while d <= end:
            if service.booking.bookings_on(code, d):
                need = service.day(code, d, log=False).interpreters
                if need:
                    any_row = True
                    _table(p, widths, [o.name, loc.format_date(d, "de", "full"), "; ".join(
                        f"{label_in('language', lang, 'de')}: {', '.join(times)}"
                        for lang, times in need.items())])
            d += dt.timedelta(days=1)
    if not any_row:
        p.raw(_de(N_("No interpreters needed.")))
    return p.finish()
