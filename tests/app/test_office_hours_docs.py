"""Office-hour documents: the slip in the client's language (ar, fa, ti, uk) with the town's address and the
time in the client's locale; the day list, weekly plan and interpreter plan render; the .ics calendar."""

import datetime as dt
import io

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from app.casework import CaseWork
from app.hours import OfficeHours
from i18n import locale as loc
from tests.app.test_office_hours import MONDAY, _case


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture
def hours(repo):
    repo.today = MONDAY.date()
    service = OfficeHours(repo, CaseWork(repo))
    service.booking.clock = lambda: MONDAY
    cases = {lang: _case(repo, f"Family{lang.upper()}", "Test", interpreter=lang) for lang in ("ar", "fa", "ti", "uk")}
    for at, (lang, cid) in zip(("09:00", "10:00", "11:00", "11:40"), cases.items(), strict=True):
        service.booking.book(cid, "TEL", f"2027-05-04T{at}", agency="JC",
                             interpreter=lang, purpose="Profiling", bring=["Pass", "Schulzeugnis"])
    return service


@pytest.mark.parametrize("lang", ["ar", "fa", "ti", "uk"])
def test_the_slip_has_the_address_and_the_time_in_the_clients_format(hours, lang):
    day = hours.day("TEL", dt.date(2027, 5, 4))
    row = next(r for r in day.booked if r.interpreter == lang)
    from app.documents.hours_docs import slips

    text = _text(slips([row], hours.office("TEL"), day))
    assert "Baßfeld 4-6, 48291 Telgte" in text and "Schulzeugnis" in text
    local_time = loc.format_time(row.starts_at, lang)
    shown = [p for p in local_time.split() if not _has_arabic(p)]  # Arabic letters print in presentation forms
    flat = text.replace(" ", "")
    # (pypdf gives a run of Persian digits in visual order: reversed)
    assert shown and all(part in flat or part[::-1] in flat for part in shown)
    for word in loc.format_date(row.starts_at, lang, "full").split():
        if lang in ("ar", "fa"):
            continue  # right-to-left words come out of the PDF in visual order; the month name checks it
        assert word.strip(",") in text
    month = loc.format_date(row.starts_at, lang, "MMMM")
    assert month in text or month[::-1] in text or lang in ("ar", "fa") and _has_arabic(text)
    assert loc.format_time(row.starts_at, "de") in text  # the German column


def _has_arabic(text: str) -> bool:
    """Arabic letters (not the Arabic-Indic and Persian digits, which a time in fa is written in)."""
    return any(("\u0600" <= ch <= "\u06ff" and not ("\u0660" <= ch <= "\u0669" or "\u06f0" <= ch <= "\u06f9"))
               or "\ufb50" <= ch <= "\ufeff" for ch in text)


def test_slip_batch_prints_every_booking_of_the_day_each_in_its_language(hours):
    pdf = hours.render("slips", "TEL", dt.date(2027, 5, 4))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 4
    assert "Україн" in reader.pages[3].extract_text() or "Травня" in reader.pages[3].extract_text().title()


def test_day_list_weekly_plan_and_interpreter_plan_render(hours):
    day = _text(hours.render("daylist", "TEL", dt.date(2027, 5, 4)))
    assert "Tagesliste" in day and "FamilyAR" in day and "Schulzeugnis" in day and "frei" in day
    week = _text(hours.render("weekplan", "TEL", dt.date(2027, 5, 4)))
    assert "Dienstag, 4. Mai 2027" in week and "FamilyAR" not in week
    plan = _text(hours.render("interpreters", "ZIP", dt.date(2027, 5, 4)))
    assert "Telgte" in plan and "Arabisch: 09:00" in plan and "Tigrinya: 11:00" in plan and "FamilyAR" not in plan


def test_the_calendar_parses_has_berlin_time_and_no_client_data(hours, repo):
    ics = hours.ics("TEL", dt.date(2027, 5, 1), dt.date(2027, 5, 31))
    cal = Calendar.from_ical(ics)
    events = [c for c in cal.walk("VEVENT")]
    assert [e.decoded("dtstart").strftime("%m-%d %H:%M") for e in events] == [
        "05-04 09:00", "05-11 09:00", "05-13 09:00", "05-18 09:00", "05-20 09:00", "05-25 09:00"]
    assert str(events[0].decoded("dtstart").tzinfo) == "Europe/Berlin"
    assert events[0]["dtstart"].params["TZID"] == "Europe/Berlin"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    raw = ics.decode()
    for case in repo.find("case"):
        assert case["case_number"] not in raw
    for person in repo.find("person"):
        assert person["family_name"] not in raw
    assert "Baßfeld" in events[0]["location"]


# -- the client's column holds no English (issue 11) --------------------------------------------

SUGGESTED = ["Ausweisdokument (Pass, Aufenthaltstitel)",  # app.dayview's suggestions, stored in German ...
             "Letters received since the last visit",  # ... or in English (the UI of whoever booked)
             "Unterlagen zu: Integrationskurs", "Schulzeugnis"]  # an item with a due step; staff's own word


def _slip_columns(hours, lang, bring=SUGGESTED):
    from app.documents.hours_docs import slips
    from tests.app.test_documents_reader import Column

    cid = _case(hours.repo, "Nouri", "Sara", interpreter=lang)
    hours.booking.book(cid, "TEL", "2027-05-04T10:20", agency="JC", interpreter=lang, purpose="Profiling",
                       bring=bring)
    day = hours.day("TEL", dt.date(2027, 5, 4))
    row = next(r for r in day.booked if r.interpreter == lang and r.bring == bring)
    return Column(slips([row], hours.office("TEL"), day))


def _english_texts(office):
    from tests.app.test_documents_reader import _english_sentences

    return _english_sentences() + [dict(office.directions)["en"], "Letters received since the last visit",
                                   "Identity document (passport, residence permit)", "Papers for:"]


@pytest.mark.parametrize("lang", [lang.code for lang in loc.form_languages() if lang.code not in ("de", "en")])
def test_the_slip_speaks_the_clients_language_in_the_clients_column(hours, lang):
    import i18n
    from tests.app.test_documents_reader import _plain

    cols = _slip_columns(hours, lang)
    client, german = _plain(cols.client), _plain(cols.german)
    found = [s for s in _english_texts(hours.office("TEL")) if s in client and s not in i18n.translate(s, lang)]
    assert not found, found
    # the German column is German (PDFium gives some lines of a right-to-left page back in reverse word order)
    assert all(w in german.split() for w in "Post seit dem letzten Besuch Ausweisdokument Unterlagen zu:".split())
    assert "Schulzeugnis" in client and "Integrationskurs" in client  # staff's own words stay as written
    assert "[" not in client  # no German stand-in: every text and the directions are in the language


def test_the_checklist_follows_its_heading(hours):
    german = _slip_columns(hours, "uk").left
    heading = german.index("Bitte mitbringen")
    assert heading < next(i for i, line in enumerate(german) if "Schulzeugnis" in line)
    assert heading > next(i for i, line in enumerate(german) if line.startswith("Dolmetschung"))


def test_directions_fall_back_to_the_fallback_language_then_to_marked_german():
    import i18n
    from app.documents.hours_docs import directions_for
    from app.offices import Office

    office = Office("X", "X", directions=(("de", "Bus bis Markt."), ("en", "Bus to Markt."), ("fa", "با اتوبوس")))
    assert directions_for(office, "fa_AF") == "با اتوبوس"  # Dari reads the Farsi text
    assert directions_for(office, "ti") == i18n.german_fallback("Bus bis Markt.", "ti")  # not the English
    assert directions_for(office, "en") == "Bus to Markt." and directions_for(office, "de") == "Bus bis Markt."
    assert directions_for(Office("Y", "Y"), "ar") == ""


def test_the_checklist_items_in_the_readers_language():
    import i18n
    from app.documents.hours_docs import bring_item

    assert bring_item("Ausweisdokument (Pass, Aufenthaltstitel)", "fr") == "Pièce d'identité (passeport, titre de séjour)"
    assert bring_item("Letters received since the last visit", "de") == "Post seit dem letzten Besuch"
    assert bring_item("Unterlagen zu: Integrationskurs", "uk") == "Документи щодо: \u2068Integrationskurs\u2069"
    assert bring_item("Papers for: Kita", "de") == "Unterlagen zu: \u2068Kita\u2069"
    assert bring_item("Schulzeugnis", "ar") == "Schulzeugnis"  # staff's own words
    assert bring_item("Unterlagen zu: ", "ar") == "Unterlagen zu: "  # nothing after the prefix: as written
    assert i18n.translate("Identity document (passport, residence permit)", "ps") != \
        "Identity document (passport, residence permit)"


def test_the_day_list_breaks_no_header_case_number_or_purpose_inside_a_word_and_spans_a_longer_booking(hours, repo):
    """"Uhrzeit" stood as "Uhrzei" over "t": every header word, case number and purpose is drawn whole; a
    two-slot booking shows its end and a continuation row; a cancelled office hour its note."""
    from app import offices
    from app.documents import text as T
    from app.documents.hours_docs import daylist

    long = _case(repo, "Kowaltschuk", "Yuliia", interpreter="uk")
    hours.booking.book(long, "TEL", "2027-05-04T09:20", agency="AA", purpose="Rechtskreiswechsel", slots=2)
    offices.save_change(repo, {"office": "TEL", "date": "2027-05-11", "kind": "cancelled",
                               "template_id": "hours:TEL-1", "note": "Fortbildung"})
    day = hours.day("TEL", dt.date(2027, 5, 4), log=False)
    with T.drawn_lines() as lines:
        daylist(day, hours.office("TEL"))
    drawn = [line.text for line in lines]
    for word in ("Uhrzeit", "Platz", "Name", "Fall", "Anlass", "Dolmetschung", "Rechtskreiswechsel",
                 repo.get("case", long)["case_number"]):
        assert word in drawn, (word, drawn[:30])
    i = drawn.index("Rechtskreiswechsel")
    assert drawn[i - 5:i - 1] == ["09:20–", "10:00", "1\u00a0AA", "Yuliia Kowaltschuk"], drawn[i - 5:i + 6]
    j = drawn.index("↳ Yuliia")  # (the name wraps between its words)
    assert drawn[j - 2:j] == ["09:40", "1\u00a0AA"] and "(Fortsetzung)" in drawn[j:j + 4], drawn[j - 2:j + 4]
    with T.drawn_lines() as lines:
        daylist(hours.day("TEL", dt.date(2027, 5, 11), log=False), hours.office("TEL"))
    assert "Die Sprechstunde in Telgte am 11.05.2027 fällt aus: Fortbildung" in [line.text for line in lines]
