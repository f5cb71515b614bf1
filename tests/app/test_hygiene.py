"""Input hygiene at the one write path: lengths, name characters, dates, appointments; import; values by sync."""

import copy
import datetime as dt

import pytest

import i18n
from app import hygiene, interchange
from app.appointments import Appointments
from app.checks import ValidationError
from app.chronicle import Chronicle
from app.households import load_household, save_household
from app.replica.changelog import Change
from app.replica.merge import merge
from app.repository import clock_for

TODAY = dt.date(2026, 11, 21)
ZWNJ = "\u200c"


def n_changes(repo):
    return repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]


def member(**kw):
    return {"relation": "head", "family_name": "Rahimi", "given_names": "Maryam", "birth_date": "1990", **kw}


@pytest.fixture
def family(repo):
    repo.today = TODAY
    res = save_household(repo, {"office": "AHL", "address": "Weststraße 1, 59227 Ahlen"},
                         [member(case={"rechtskreis": "SGB II"})], today=TODAY)
    assert res.ok, res.errors
    return res


# -- refused with a message, nothing saved ---------------------------------------------
@pytest.mark.parametrize("field, value, words", [
    ("family_name", "A" * 360, "Höchstens 100 Zeichen, hier sind es 360"),
    ("given_names", "Maryam 😀", "Emojis"),
    ("given_names", "Mar\u202eyam", "Formatierungszeichen enthalten: U+202E"),          # right-to-left override
    ("given_names", "\u2067Maryam\u2069", "Formatierungszeichen enthalten: U+2067"),    # isolate
    ("family_name", "\u202bRahimi\u202c", "Formatierungszeichen enthalten: U+202B"),    # embedding
    ("family_name", "\u200b\u200b", "nur unsichtbare Zeichen"),
    ("family_name_orig", ZWNJ + ZWNJ, "nur unsichtbare Zeichen"),
    ("given_names", "\u3164", "nur unsichtbare Zeichen"),  # Hangul filler
    ("given_names", "Mar\u0007yam", "Formatierungszeichen enthalten: U+0007"),          # bell
    ("given_names", "Maryam\nAli", "Formatierungszeichen enthalten: U+000A"),
    ("given_names", "Maryam2", "Ziffern"),
    ("family_name", ZWNJ + "Rahimi", "zwischen zwei Buchstaben"),
    ("family_name", "---", "mindestens einen Buchstaben"),
])
def test_bad_names_are_refused_under_their_field_and_nothing_is_saved(repo, field, value, words):
    before = n_changes(repo)
    res = save_household(repo, {"office": "AHL"}, [member(**{field: value})], today=TODAY)
    assert not res.ok
    assert words in res.errors[f"members.0.{field}"]
    assert n_changes(repo) == before and repo.find("person") == []


@pytest.mark.parametrize("field, value, words", [
    ("address", "Weststraße " * 40, "Höchstens 200 Zeichen"),
    ("accommodation", "Haus\t4", "Zeilenumbrüche und Tabulatoren"),
    ("accommodation", "\u200b \u2060", "nur unsichtbare Zeichen"),
    ("notes", "x" * 4001, "Höchstens 4000 Zeichen"),
    ("arrival_date", "01.01.2027", "Zukunft"),
])
def test_bad_household_values_are_refused(repo, field, value, words):
    before = n_changes(repo)
    res = save_household(repo, {"office": "AHL", field: value}, [member()], today=TODAY)
    assert words in res.errors[f"household.{field}"], res.errors
    assert n_changes(repo) == before and repo.find("household") == []


def test_the_repository_refuses_what_a_service_did_not_check(repo, family):
    """Any write, not only the household dialog's: the message names the field for places without one."""
    person_id = family.person_ids[0]
    before = n_changes(repo)
    with pytest.raises(ValidationError) as err:
        repo.save("person", {"given_names": "Maryam \U0001F1E9\U0001F1EA", "phone": "0" * 41}, person_id)
    assert err.value.errors["given_names"].startswith("Vornamen (lateinisch): Ein Name darf keine Emojis")
    assert err.value.errors["phone"] == "Telefon: Höchstens 40 Zeichen, hier sind es 41."
    with pytest.raises(ValidationError, match="Zukunft"):
        repo.save("person", {"birth_date": "2027"}, person_id)
    with pytest.raises(ValidationError, match="1900"):
        repo.save("person", {"birth_date": "1850-01-01"}, person_id)
    with pytest.raises(ValidationError, match=r"U\+202E"):
        repo.save("event", {"household_id": family.household_id, "case_id": family.case_ids[0],
                            "date": "2026-11-21", "kind": "note", "text": "gut \u202e gelaufen"})
    assert n_changes(repo) == before
    assert repo.get("person", person_id)["given_names"] == "Maryam"


def test_messages_in_english(repo, family):
    i18n.set_language("en")
    with pytest.raises(ValidationError) as err:
        repo.save("person", {"family_name": "\u200b"}, family.person_ids[0])
    assert err.value.errors == {"family_name": "Family name (Latin): This contains only invisible characters."}


# -- what real names need is kept -------------------------------------------------
REAL_NAMES = [
    ("family_name_orig", "مهدی" + ZWNJ + "زاده"),   # Persian, ZWNJ inside
    ("given_names_orig", "نرگس" + ZWNJ + "ها"),
    ("given_names_orig", "مُحَمَّد"),                  # Arabic with vowel marks
    ("family_name_orig", "ተስፋማርያም"),                # Ge'ez
    ("family_name_orig", "Шевченко"),
    ("family_name", "O'Brien-Al Obaidi"),
    ("family_name", "D’Angelo"),
    ("given_names", "Nguye\u0302\u0303n"),              # decomposed combining marks
    ("given_names", "Zoë Ana-María"),
    ("family_name", "Ḥasan Jr."),
    ("given_names_orig", "क्\u200dष"),                 # ZWJ between Devanagari letters
]


@pytest.mark.parametrize("field, value", REAL_NAMES)
def test_real_names_are_kept_as_written(repo, field, value):
    res = save_household(repo, {"office": "AHL"}, [member(**{field: value})], today=TODAY)
    assert res.ok, res.errors
    assert load_household(repo, res.household_id)["members"][0][field] == value


# -- appointments ----------------------------------------------------------------
@pytest.fixture
def appointments(repo, family):
    return Appointments(repo, Chronicle(repo))


def test_appointment_in_the_past_is_refused_unless_recorded_as_past(repo, family, appointments):
    case_id = family.case_ids[0]
    before = n_changes(repo)
    with pytest.raises(ValidationError) as err:
        appointments.plan(case_id, "2020-03-02T10:00", "Jobcenter")
    assert "in der Vergangenheit" in err.value.errors["starts_at"]
    assert n_changes(repo) == before and appointments.for_case(case_id) == []
    base = {"household_id": family.household_id, "case_id": case_id, "purpose": "Jobcenter"}
    for outcome in ("kept", "missed", "cancelled"):  # recorded afterwards: fine
        repo.save("appointment", {**base, "starts_at": f"2026-1{len(outcome) % 3}-02T10:00", "outcome": outcome})
    assert appointments.plan(case_id, "2026-11-21T08:00", "Jobcenter")  # earlier today is not the past
    aid = appointments.plan(case_id, "2020-03-02T10:00", "Jobcenter", outcome="kept")  # recorded afterwards
    assert repo.get("appointment", aid)["outcome"] == "kept"
    assert [e["date"] for e in Chronicle(repo).events(case_id) if e.get("ref_id") == aid] == ["2020-03-02"]


def test_a_planned_appointment_that_slipped_into_the_past_gets_its_outcome(repo, family, appointments):
    aid = appointments.plan(family.case_ids[0], "2026-11-24T10:00", "SAF")
    repo.today = dt.date(2026, 12, 2)
    repo.save("appointment", {"place": "Rathaus"}, aid)  # neither time nor outcome changes
    appointments.set_outcome(aid, "missed")
    with pytest.raises(ValidationError, match="Vergangenheit"):
        repo.save("appointment", {"outcome": "planned"}, aid)
    assert repo.get("appointment", aid)["outcome"] == "missed"


def test_a_second_appointment_at_the_same_time_is_refused(repo, family, appointments):
    case_id = family.case_ids[0]
    first = appointments.plan(case_id, "2026-12-01T10:00", "Jobcenter")
    before = n_changes(repo)
    with pytest.raises(ValidationError) as err:
        appointments.plan(case_id, "2026-12-01T10:00", "Jobcenter")
    assert err.value.errors["starts_at"] == ("Datum und Uhrzeit: Für diesen Fall gibt es zu dieser Zeit schon "
                                             "einen Termin.")
    assert n_changes(repo) == before and len(appointments.for_case(case_id)) == 1
    second = appointments.plan(case_id, "2026-12-01T11:00", "Jobcenter")
    with pytest.raises(ValidationError):  # moving one onto the other
        repo.save("appointment", {"starts_at": "2026-12-01T10:00"}, second)
    appointments.set_outcome(first, "cancelled")  # a cancelled one frees its time
    repo.save("appointment", {"starts_at": "2026-12-01T10:00"}, second)
    with pytest.raises(ValidationError):  # and cannot come back while the time is taken
        repo.save("appointment", {"outcome": "planned"}, first)
    repo.delete("appointment", second)  # removing is always possible


# -- import ----------------------------------------------------------------------
def _doc():
    return {"format": interchange.FORMAT, "version": interchange.VERSION, "entities": {
        "household": [{"id": "h1", "office": "OEL", "arrival_date": "2025-02-01"}],
        "person": [
            {"id": "p1", "household_id": "h1", "family_name": "Karimi", "given_names": "Ali"},
            {"id": "p2", "household_id": "h1", "family_name": "Karimi", "given_names": "Dawit"},
        ],
        "case": [{"id": "c1", "household_id": "h1", "person_id": "p1", "office": "OEL", "status": "new"}],
        "appointment": [{"id": "a1", "household_id": "h1", "case_id": "c1", "starts_at": "2025-03-01T10:00",
                         "purpose": "SAF", "outcome": "planned"}],
    }}


@pytest.mark.parametrize("entity, index, field, value, reason", [
    ("person", 1, "given_names", "Da\u202ewit", "U+202E"),
    ("person", 1, "family_name", "K" * 101, "Höchstens 100 Zeichen"),
    ("household", 0, "arrival_date", "2099-01-01", "Zukunft"),
    ("appointment", 1, "starts_at", "2025-03-01T10:00", "schon einen Termin"),
])
def test_import_is_refused_with_record_and_reason_and_nothing_is_saved(store, entity, index, field, value, reason):
    doc = _doc()
    doc["entities"]["appointment"].append({**doc["entities"]["appointment"][0], "id": "a2"})
    doc["entities"]["appointment"][1]["starts_at"] = "2025-03-02T10:00"
    rows = doc["entities"][entity]
    rows[index][field] = value
    before = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(interchange.InterchangeError) as err:
        interchange.import_document(store, doc)
    assert str(err.value).startswith(f"{entity}[{index}] (ID {rows[index]['id']}), {field}: ")
    assert reason in str(err.value)
    assert store.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    assert store.conn.execute("SELECT count(*) FROM person").fetchone()[0] == 0


def test_import_keeps_planned_appointments_that_slipped_into_the_past(store):
    """Stored state: export then import must reproduce a store whose appointments wait for their outcome."""
    doc = _doc()
    assert interchange.import_document(store, copy.deepcopy(doc)) == 5
    assert interchange.export_document(store)["entities"]["appointment"] == doc["entities"]["appointment"]


# -- values by sync ----------------------------------------------------------------
def test_a_bad_value_by_sync_is_accepted_flagged_and_does_not_block_other_edits(repo, family):
    person_id = family.person_ids[0]
    stamp = repo.conn.execute("SELECT hlc FROM field_state WHERE entity_id = ? AND field = 'given_names'",
                              (person_id,)).fetchone()[0]
    bad = "Maryam \u202e😀" + "x" * 360
    later = f"{int(stamp[:13]) + 1000:013d}-0000-oldlaptop"  # a second after ours, from an older laptop
    change = Change(later, "person", person_id, "given_names", bad, stamp, "oldlaptop", None, family.household_id)
    with repo.transaction():
        res = merge(repo.conn, [change], clock_for(repo.store))
    assert res.applied == 1 and res.won == 1
    row = repo.get("person", person_id)
    assert row["given_names"] == bad
    flags = hygiene.stored_problems("person", row, TODAY)
    assert list(flags) == ["given_names"] and "Höchstens 100 Zeichen" in flags["given_names"]
    # editing something else of that person works; the flagged value is not re-judged
    res = save_household(repo, {"office": "AHL"}, [{**load_household(repo, family.household_id)["members"][0],
                                                    "case": None, "phone": "02382 1234"}],
                         family.household_id, today=TODAY)
    assert res.ok, res.errors
    # and a write that copies a value the store already holds (a merge of duplicates) is not refused
    other = repo.save("person", {"household_id": family.household_id, "family_name": "Rahimi"})
    repo.save("person", {"given_names": bad}, other)
    # while the same text typed into a field where the store never had it is
    with pytest.raises(ValidationError):
        repo.save("person", {"family_name": bad}, other)


def test_stored_problems_of_good_values_are_empty(repo, family):
    assert hygiene.stored_problems("person", repo.get("person", family.person_ids[0]), TODAY) == {}
    assert hygiene.stored_problems("household", repo.get("household", family.household_id), TODAY) == {}


def test_a_typed_conflict_resolution_is_judged_and_a_stored_side_is_not(tmp_path):
    from app import conflicts
    from app.repository import Repository
    from tests.sync.helpers import exchange, make_store

    a, b = make_store(tmp_path / "a", login="anna"), make_store(tmp_path / "b", login="bernd")
    try:
        ra, rb = Repository(a), Repository(b)
        hid = ra.save("household", {"office": "AHL", "address": "Marktplatz 1"})
        exchange(a, b)
        rb.save("household", {"address": "Bahnhofstraße 3"}, hid)
        ra.save("household", {"address": "Marktplatz 2"}, hid)
        exchange(a, b)
        exchange(b, a)
        (c,) = conflicts.list_open(rb)
        before = n_changes(rb)
        with pytest.raises(ValidationError) as err:
            conflicts.resolve(rb, c.id, value="Bahnhof\u202estraße 3")
        assert str(err.value) == "Anschrift: Dieses Zeichen ist nicht erlaubt: U+202E."
        assert n_changes(rb) == before and len(conflicts.list_open(rb)) == 1
        conflicts.resolve(rb, c.id, take="other")
        assert conflicts.list_open(rb) == []
    finally:
        a.close()
        b.close()


def test_questionnaire_answers_pass_the_rules_under_their_keys(repo):
    from app.casework import CaseWork
    from tests.app.family_o import INTAKE, register_family

    cw = CaseWork(repo)
    case_id = register_family(repo).case_ids[0]
    before = n_changes(repo)
    for bad, words in (("Haus 4\u202e", "U+202E"), ("Haus " * 801, "Höchstens 4000 Zeichen"),
                       ("Haus\u00074", "Steuerzeichen")):
        with pytest.raises(ValidationError) as err:
            cw.save_intake(case_id, {**INTAKE, "accommodation_address": bad}, date="2017-06-26")
        assert list(err.value.errors) == ["accommodation_address"] and words in err.value.errors[
            "accommodation_address"]
    assert n_changes(repo) == before
    rid = cw.save_intake(case_id, {**INTAKE, "accommodation_address": "Mintarder Straße 4\nHaus 2"},
                         date="2017-06-26")
    assert cw.responses.answers(rid)["accommodation_address"] == "Mintarder Straße 4\nHaus 2"


def test_staff_login_and_name_pass_the_rules_before_anything_is_written(tmp_path, store):
    from app.store import Store, StoreError

    with pytest.raises(StoreError, match="Name: Hier stehen nur unsichtbare Zeichen"):
        Store.create(tmp_path / "new", "richtig-geheim", login="anna", name="\u200b\u200b")
    assert not (tmp_path / "new").exists()
    members = store.keyring.members()
    with pytest.raises(StoreError, match=r"Anmeldung: Dieses Zeichen ist nicht erlaubt: U\+202E"):
        store.add_member("ber\u202end", "noch-geheimer", "Bernd")
    with pytest.raises(StoreError, match="Höchstens 100 Zeichen"):
        store.add_member("bernd", "noch-geheimer", "B" * 101)
    assert store.keyring.members() == members
    assert store.conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 1
    store.add_member("bernd", "noch-geheimer", "Bernd Beispiel (Vertretung)")


def test_a_refusal_survives_pickling_so_a_worker_process_can_pass_it_on():
    import pickle

    refused = hygiene.Refused("person", {"family_name": "Ein Name darf keine Ziffern enthalten."})
    back = pickle.loads(pickle.dumps(refused))
    assert type(back) is hygiene.Refused
    assert back.problems == refused.problems and back.errors == refused.errors and str(back) == str(refused)
