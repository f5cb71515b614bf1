"""The chronicle is language-free: what services record is stored as message ids with parameters and
read in the reader's language, whoever wrote it in which UI language; old rows stored as translated
text read in the reader's language too."""

import datetime as dt
import json

import pytest

import i18n
from app.casework import CaseWork
from app.chronicle_text import event_text, legacy_message
from tests.app.family_o import register_family


@pytest.fixture
def cw(repo):
    repo.today = dt.date(2017, 9, 1)
    return CaseWork(repo)


def _write_a_chronicle(cw, case_id):
    a1 = cw.appointments.plan(case_id, "2017-09-19T10:00", "Profiling II")
    cw.appointments.set_outcome(a1, "kept", "with interpreter")
    cw.consent.record(case_id, "JC", "given", "2017-09-20")
    cw.chronicle.set_flag(case_id, "dublin", "2017-09-21", "Italy")
    cw.chronicle.change_rechtskreis(case_id, "SGB II", "2017-09-22")
    cw.chronicle.add_note(case_id, "Called the landlord", "2017-09-23")


def _texts(cw, case_id, lang):
    return [event_text(e, lang) for e in cw.chronicle.events(case_id)]


def test_a_chronicle_written_with_the_ui_in_english_reads_in_german_for_a_german_user(cw, repo):
    case_id = register_family(repo).case_ids[0]
    i18n.set_language("en")
    _write_a_chronicle(cw, case_id)
    i18n.set_language("de")  # a German colleague opens the case
    texts = _texts(cw, case_id, i18n.current_language())
    assert texts == [
        "Termin wahrgenommen: Profiling II – with interpreter",  # staff's own words stay as written
        "Einverständnis erteilt: Jobcenter (JC)",
        "Dublin-Fall – Italy",
        "Rechtskreiswechsel von AsylbLG zu SGB II",
        "Called the landlord",
    ]
    # what is stored: message ids (the English source texts) and parameters; no text rendered in either
    # language, only the staff's own words
    rows = repo.conn.execute("SELECT text, message FROM event WHERE case_id = ?", (case_id,)).fetchall()
    stored = " ".join(f"{t or ''} {m or ''}" for t, m in rows)
    for rendered in ("wahrgenommen", "erteilt", "Dublin-Fall", "Appointment kept", "Consent given"):
        assert rendered not in stored
    assert {json.loads(m)["id"] for _t, m in rows if m and "id" in json.loads(m)} >= {
        "Appointment {outcome}: {purpose}", "Consent {state}: {agency}", "Rechtskreiswechsel from {old} to {new}"}


def test_the_same_chronicle_written_in_german_reads_in_english(cw, repo):
    case_id = register_family(repo).case_ids[0]
    _write_a_chronicle(cw, case_id)  # the UI in German (the default)
    assert _texts(cw, case_id, "en") == [
        "Appointment kept: Profiling II – with interpreter",
        "Consent given: Job centre (JC)",
        "Dublin case – Italy",
        "Rechtskreiswechsel from AsylbLG to SGB II",
        "Called the landlord",
    ]
    assert _texts(cw, case_id, "de")[0] == "Termin wahrgenommen: Profiling II – with interpreter"


def test_dates_and_lists_in_a_chronicle_entry_follow_the_reader(cw, repo):
    from app.chronicle_text import render
    from app.chronicle import items, message, moment, term

    booked = message("Booked for the office hour in {office} on {when}, {agency}: {purpose}", office="Telgte",
                     when=moment("2027-05-04T09:00"), agency="JC", purpose="Profiling")
    assert render(booked, "de") == "Für die Sprechstunde in Telgte am 04.05.2027 09:00 gebucht, JC: Profiling"
    assert render(booked, "en") == "Booked for the office hour in Telgte on May 4, 2027 09:00, JC: Profiling"
    fields = message("Profile sent to {employer}: {fields}", employer="Malerbetrieb Kaya",
                     fields=items([term("name"), term("German level"), term("other languages")]))
    assert render(fields, "de").endswith("Name, Deutschniveau und weitere Sprachen")
    assert render(fields, "en").endswith("name, German level, and other languages")


@pytest.mark.parametrize("old, english", [
    ("Termin wahrgenommen: Profiling II – krank", "Appointment kept: Profiling II – krank"),
    ("Termin versäumt: SAF", "Appointment missed: SAF"),
    ("Einverständnis erteilt: Jobcenter (JC)", "Consent given: Job centre (JC)"),
    ("Einverständnis widerrufen: Maßnahmeträger: VHS Beckum", "Consent withdrawn: Measure provider: VHS Beckum"),
    ("Rechtskreiswechsel von AsylbLG zu SGB II", "Rechtskreiswechsel from AsylbLG to SGB II"),
    ("Übergabe an JC gesendet", "Handover sent to JC"),
    ("Dublin-Fall: Italien", "Dublin case: Italien"),
    ("Dublin-Fall", "Dublin case"),
    ("Appointment kept: SAF", "Appointment kept: SAF"),  # written with the UI in English
    ("Wohnung in Beckum gefunden", "Wohnung in Beckum gefunden"),  # a note: staff's words
])
def test_old_rows_stored_as_translated_text_read_in_the_readers_language(repo, old, english):
    case_id = register_family(repo).case_ids[0]
    case = repo.get("case", case_id)
    eid = repo.save("event", {"household_id": case["household_id"], "case_id": case_id, "date": "2016-05-02",
                              "kind": "appointment", "text": old})  # as versions before messages wrote it
    row = repo.get("event", eid)
    assert event_text(row, "en") == english
    if "Appointment" in old:
        assert event_text(row, "de").startswith("Termin wahrgenommen")
    elif legacy_message(old) is not None:
        assert event_text(row, "de") == old  # read back in the language it was written in, unchanged

