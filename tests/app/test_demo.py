"""The demo generator: deterministic, realistic in shape, importable and round-trip exact."""

from __future__ import annotations

import copy
import datetime as _dt
import re
from collections import Counter

import pytest

from app import demo, interchange, schema
from app.repository import check_values

ARABIC = re.compile("[\u0600-\u06ff]")
ETHIOPIC = re.compile("[\u1200-\u137f]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
FIELD_OFFICES = set(schema.OFFICE_CODES) - {"ZIP"}


@pytest.fixture(scope="module")
def doc():
    return demo.generate()


def _age(person) -> int:
    return demo.reference_date().year - int(person["birth_date"][:4])


def test_same_seed_same_document_other_seed_other_document(doc):
    assert demo.generate() == doc
    assert demo.generate(households=200, seed=demo.DEFAULT_SEED) == doc
    other = demo.generate(seed=7)
    assert other != doc
    assert not {p["id"] for p in other["entities"]["person"]} & {p["id"] for p in doc["entities"]["person"]}


def test_counts_and_offices(doc):
    ents = doc["entities"]
    households, persons, cases = ents["household"], ents["person"], ents["case"]
    assert len(households) == 205  # 200 plus the deliberate duplicates' second registrations
    assert 2.5 <= len(persons) / len(households) <= 4.5
    offices = Counter(h["office"] for h in households)
    assert set(offices) == FIELD_OFFICES  # every field office, none at the central office
    assert {s["office"] for s in ents["staff"]} == set(schema.OFFICE_CODES)
    assert {c["rechtskreis"] for c in cases} == set(schema.RECHTSKREISE)
    assert set(schema.CASE_STATUSES) <= {c["status"] for c in cases}
    assert {"head", "spouse", "child", "parent"} <= {p["relation"] for p in persons}


def test_valid_rows_and_consistent_references(doc):
    interchange.validate_document(doc)
    ents = doc["entities"]
    hh = {h["id"]: h for h in ents["household"]}
    persons = {p["id"]: p for p in ents["person"]}
    staff = {s["id"]: s for s in ents["staff"]}
    for name, rows in ents.items():
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
        for row in rows:
            assert None not in row.values()
            check_values(schema.entity(name), {k: v for k, v in row.items() if k != "id"})
    assert all(p["household_id"] in hh for p in persons.values())
    assert all(Counter(p["household_id"] for p in persons.values())[h] >= 1 for h in hh)
    for c in ents["case"]:
        p = persons[c["person_id"]]
        assert c["household_id"] == p["household_id"]
        assert c["office"] == hh[c["household_id"]]["office"]
        assert staff[c["staff"]]["office"] == c["office"]
        assert staff[c["staff"]]["agency"] == demo.AGENCY_FOR[c["rechtskreis"]]
        assert c["opened"] >= hh[c["household_id"]]["arrival_date"]
        assert ("closed" in c) == (c["status"] == "closed")
        assert c.get("closed", c["opened"]) >= c["opened"]
    numbers = [c["case_number"] for c in ents["case"]]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"[A-Z]{3}-\d\d-[A-Z2-9]{4}-\d{4,}", n) for n in numbers)


def test_one_case_per_person_of_working_age(doc):
    cases = Counter(c["person_id"] for c in doc["entities"]["case"])
    for p in doc["entities"]["person"]:
        expected = 1 if demo.CASE_MIN_AGE <= _age(p) <= demo.CASE_MAX_AGE else 0
        assert cases[p["id"]] == expected, p


def test_names_in_original_scripts_and_latin(doc):
    persons = doc["entities"]["person"]
    orig = " ".join(p.get("family_name_orig", "") + " " + p.get("given_names_orig", "") for p in persons)
    assert ARABIC.search(orig) and ETHIOPIC.search(orig) and CYRILLIC.search(orig)
    assert "ڕ" in orig or "ە" in orig  # Sorani letters (Kurdish in Arabic script)
    assert any(c in orig for c in "êîûş")  # Kurmanji in Latin script
    for p in persons:
        assert p["family_name"].isascii() or any(c in p["family_name"] for c in "éèïë")
        assert not ARABIC.search(p["given_names"] + p["family_name"])
    nationalities = {p["nationality"] for p in persons}
    assert {"SY", "IQ", "AF", "IR", "ER", "UA"} <= nationalities
    assert all(re.fullmatch("[A-Z]{2}", n) for n in nationalities)


def test_transliteration_variants_across_households(doc):
    persons = doc["entities"]["person"]
    spellings: dict[str, set[str]] = {}
    for p in persons:
        if p.get("family_name_orig"):
            spellings.setdefault(p["family_name_orig"], set()).add(p["family_name"])
    assert any(len(s) >= 2 for s in spellings.values())
    given = {p["given_names"].split()[0] for p in persons}
    assert len({"Mohammed", "Muhammad", "Mohamad", "Mohamed", "Mohammad"} & given) >= 2


def test_near_duplicates_registered_in_two_offices(doc):
    ents = doc["entities"]
    office = {h["id"]: h["office"] for h in ents["household"]}
    by_orig: dict[tuple, list[dict]] = {}
    pairs = []
    for p in ents["person"]:
        key = (p["nationality"], p["sex"], p["birth_date"][:4], p["languages"][0]["code"])
        by_orig.setdefault(key, []).append(p)
    for group in by_orig.values():
        for a in group:
            for b in group:
                if a["id"] < b["id"] and office[a["household_id"]] != office[b["household_id"]] \
                        and a.get("given_names_orig") and a.get("given_names_orig") == b.get("given_names_orig") \
                        and a.get("family_name_orig") == b.get("family_name_orig") \
                        and (a["family_name"], a["given_names"], a["birth_date"]) != (b["family_name"], b["given_names"], b["birth_date"]):
                    pairs.append((a, b))
    assert len(pairs) >= 2
    assert len(doc["entities"]["household"]) - 200 == 5


def test_partial_birth_dates_languages_and_interpreters(doc):
    persons = doc["entities"]["person"]
    dates = [p["birth_date"] for p in persons]
    assert any(re.fullmatch(r"\d{4}", d) for d in dates)
    assert any(re.fullmatch(r"\d{4}-\d\d", d) for d in dates)
    assert sum(d.endswith("-01-01") for d in dates) > len(dates) / 20
    for d in dates:
        _dt.date.fromisoformat(d if len(d) == 10 else (d + "-01-01")[:10])
        assert d[:10] <= demo.reference_date().isoformat()
    levels = {lang["level"] for p in persons for lang in p["languages"]}
    assert levels <= set(schema.CEFR_LEVELS) and {"native", "A1", "B1"} <= levels
    assert all(p["languages"][0]["level"] == "native" for p in persons)
    interpreters = {p["interpreter_language"] for p in persons if "interpreter_language" in p}
    assert {"ar", "prs", "ti", "uk"} <= interpreters
    assert {p["sex"] for p in persons} == {"f", "m"}


def test_scalable_variant_gives_exact_person_count():
    small = demo.generate(persons=1234, seed=3)
    assert len(small["entities"]["person"]) == 1234
    assert small == demo.generate(persons=1234, seed=3)
    assert demo.generate(households=0)["entities"].keys() == {"staff"}


def test_import_into_a_real_store_and_export_round_trip(store, doc):
    doc = copy.deepcopy(doc)
    n = interchange.import_document(store, doc)
    assert n == sum(len(rows) for rows in doc["entities"].values())
    exported = interchange.export_document(store)
    # the store's own first staff member (created with the store) is the only extra row
    own = [s for s in exported["entities"]["staff"] if s["id"] == store.staff_id]
    assert len(own) == 1
    exported["entities"]["staff"].remove(own[0])
    assert exported == doc
    assert interchange.dumps(exported) == interchange.dumps(doc)
    persons = store.conn.execute("SELECT count(*) FROM person").fetchone()[0]
    assert persons == len(doc["entities"]["person"])
    logged = store.conn.execute("SELECT count(DISTINCT entity_id) FROM changes WHERE entity = 'case'").fetchone()[0]
    assert logged == len(doc["entities"]["case"])


@pytest.mark.parametrize("entity, field, value", [
    ("person", "birth_date", "gestern"),
    ("person", "birth_date", "1990-13"),
    ("case", "opened", "21.11.2026"),
    ("household", "arrival_date", "2026-02-30"),
])
def test_import_refuses_dates_that_are_not_iso_and_saves_nothing(store, doc, entity, field, value):
    doc = copy.deepcopy(doc)
    rows = doc["entities"][entity]
    rows[len(rows) // 2][field] = value
    with pytest.raises(interchange.InterchangeError, match=field):
        interchange.import_document(store, doc)
    assert store.conn.execute("SELECT count(*) FROM person").fetchone()[0] == 0


def test_every_write_checks_the_stored_date_formats():
    check_values(schema.ENTITIES["appointment"], {"starts_at": "2026-11-21T10:00"})
    with pytest.raises(ValueError, match="starts_at"):
        check_values(schema.ENTITIES["appointment"], {"starts_at": "2026-11-21 10:00"})
    check_values(schema.ENTITIES["person"], {"birth_date": "1990-05"})
    with pytest.raises(ValueError, match="birth_date"):
        check_values(schema.ENTITIES["person"], {"birth_date": "00.05.1990"})  # people's form: parsed before


# -- the lived-in demo: a year of case work, written through the services -------------------------
@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """The default demo, filled into a real store at the fixed reference date."""
    from app.store import Store

    store, _recovery = Store.create(tmp_path_factory.mktemp("demo") / "store", "demo-geheim", login="demo")
    counts = demo.fill(store)
    yield store, counts
    store.close()


def _rows(store, entity):
    return [r for r in interchange.export_document(store)["entities"].get(entity, []) if not r.get("deleted")]


def test_every_kind_of_case_work_is_there_in_plausible_numbers(filled):
    from app import conflicts
    from app.duplicates import find_duplicates
    from app.forms import default_registry
    from app.formvalues import validate
    from app.repository import Repository

    store, counts = filled
    ents = interchange.export_document(store)["entities"]
    cases = ents["case"]
    n = len(cases)
    assert counts["case"] == n and 350 <= n <= 450
    worked = {r["case_id"] for r in ents["form_response"] if r["form_id"] == "intake"}
    assert len(worked) >= 0.95 * n  # all but the cases registered in the last days
    # consent per agency, some refused, some withdrawn later
    consent = Counter((c["agency"], c["state"]) for c in ents["consent"])
    for agency in ("AA", "JC", "SOZ"):
        assert consent[(agency, "given")] >= 0.8 * len(worked)
        assert consent[(agency, "refused")] >= 3
    assert sum(v for (a, s), v in consent.items() if s == "withdrawn") >= 10
    assert consent[("PROVIDER", "given")] >= 10 and consent[("ABH", "given")] >= 50
    # questionnaires: every answer valid for the form version it records
    forms = Counter(r["form_id"] for r in ents["form_response"])
    assert forms["consent"] == forms["intake"] == len(worked)
    assert forms["profiling_social"] >= 0.9 * len(worked)
    assert forms["profiling_u25"] >= 20 and forms["profiling_ue25"] >= 150
    registry = default_registry()
    answers: dict[str, dict] = {}
    for a in ents["answer"]:
        if a.get("value") is not None:  # None: an answer cleared when the intake was brought up to date
            answers.setdefault(a["response_id"], {})[a["key"]] = a["value"]
    for r in ents["form_response"]:
        form = registry.get(r["form_id"], r["form_version"])
        assert r["form_version"] == form.version and r["completed"]
        assert validate(form, answers[r["id"]]) == {}, (r["form_id"], answers[r["id"]])
    # resource maps by several authors, also within one case
    entries = ents["resource_entry"]
    assert len(entries) >= 3 * len(worked)
    assert len({e["author"] for e in entries}) >= 15
    authors_per_case = Counter(len({e["author"] for e in entries if e["case_id"] == c}) for c in worked)
    assert sum(v for k, v in authors_per_case.items() if k >= 2) >= 0.5 * len(worked)
    # measures at every stage, with waiting times from the catalogue
    measures = ents["measure"]
    assert {m["status"] for m in measures} == set(schema.MEASURE_STATUSES)
    assert len({m["catalogue_id"] for m in measures}) >= 12
    waited = [(_dt.date.fromisoformat(m["start_date"]) - _dt.date.fromisoformat(m["registered_on"])).days
              for m in measures if m.get("start_date") and m.get("registered_on")]
    assert len(waited) >= 200 and 14 <= sorted(waited)[len(waited) // 2] <= 60
    # conferences, will and goals
    conferences = ents["conference"]
    assert len(conferences) >= 60
    assert all("KI" in c["agencies"] and c["focus"] and c["resource_snapshot"] for c in conferences)
    assert sum(1 for c in conferences if len(c["proposals"]) >= 2) >= 20
    assert Counter(g["kind"] for g in ents["goal"]).keys() == {"wille", "goal", "focus"}
    # appointments kept, missed, cancelled and planned, with the interpreter language
    appts = ents["appointment"]
    outcomes = Counter(a["outcome"] for a in appts)
    assert outcomes["kept"] > outcomes["missed"] > outcomes["cancelled"] > 0 and outcomes["planned"] >= 100
    interpreted = Counter(a["interpreter_language"] for a in appts if a.get("interpreter_language"))
    assert sum(interpreted.values()) >= len(appts) / 10 and {"ar", "prs", "ti", "uk"} <= set(interpreted)
    # the chronicle tells all of it, Rechtskreiswechsel included
    kinds = Counter(e["kind"] for e in ents["event"])
    assert set(kinds) == {"intake", "consent", "profiling", "measure", "appointment", "rechtskreis", "flag",
                          "flag_cleared", "conference", "goal", "note", "placement", "work_start", "training_start"}
    switched = {e["case_id"] for e in ents["event"] if e["kind"] == "rechtskreis"}
    assert counts["rechtskreiswechsel"] == kinds["rechtskreis"] == len(switched) >= 2
    by_id = {c["id"]: c for c in cases}
    assert all(by_id[c]["rechtskreis"] == "SGB II" for c in switched)
    # open conflicts and likely duplicates to review
    repo = Repository(store)
    assert counts["conflicts"] == len(conflicts.list_open(repo)) == 5
    # the demo registers 5 persons twice; app/linkage proposes those with a real birth date at its
    # default 0.8, the ones known only by a placeholder year (01.01.) and a common name lower
    assert len(find_duplicates(repo)) >= 3
    assert len(find_duplicates(repo, threshold=0.3)) >= 5


def test_case_work_is_dated_within_each_case(filled):
    store, _counts = filled
    ref = demo.reference_date().isoformat()
    cases = {c["id"]: c for c in _rows(store, "case")}
    for entity, field in (("consent", "date"), ("form_response", "date"), ("resource_entry", "date"),
                          ("conference", "date"), ("event", "date"), ("measure", "proposed_on")):
        for row in _rows(store, entity):
            case = cases[row["case_id"]]
            assert case["opened"] <= row[field] <= ref, (entity, row)
            if case["status"] == "closed":
                assert row[field] <= case["closed"], (entity, row)
    for a in _rows(store, "appointment"):
        assert a["starts_at"][:10] >= cases[a["case_id"]]["opened"]
        # past appointments have an outcome; later ones are planned (on the demo's today either: the office hour runs)
        if a["starts_at"][:10] > ref:  # (or moved to a later day at the client's request)
            assert a["outcome"] == "planned" or (a["outcome"] == "rescheduled" and a.get("moved_to")), a
        elif a["starts_at"][:10] < ref:
            assert a["outcome"] != "planned", a
    for m in _rows(store, "measure"):
        dates = [m.get(k) for k in ("proposed_on", "registered_on", "start_date", "end_date") if m.get(k)]
        assert all(d <= ref for d in dates), m
        if m.get("start_date"):
            assert m["proposed_on"] <= m.get("registered_on", m["proposed_on"]) <= m["start_date"], m
            if m["status"] in ("interrupted", "completed"):  # (a resumed measure keeps its interruption date)
                assert m["end_date"] >= m["start_date"], m


def test_every_write_went_through_the_change_log_by_several_authors(filled):
    store, _counts = filled
    for entity in ("consent", "form_response", "answer", "resource_entry", "measure", "conference",
                   "appointment", "event", "goal"):
        rows = store.conn.execute(f'SELECT count(*) FROM "{entity}"').fetchone()[0]
        logged = store.conn.execute("SELECT count(DISTINCT entity_id) FROM changes WHERE entity = ?",
                                    (entity,)).fetchone()[0]
        assert rows == logged > 0, entity
    authors = store.conn.execute("SELECT count(DISTINCT staff_id) FROM changes WHERE entity = 'event'").fetchone()[0]
    assert authors >= 20


def test_due_list_on_the_reference_date_looks_like_an_office(filled):
    from app.casework import CaseWork
    from app.repository import Repository

    store, _counts = filled
    ref = demo.reference_date()
    items = CaseWork(Repository(store)).due_list(ref)
    states = Counter(i.hint.state for i in items)
    assert len(items) >= 15 and states["due_soon"] >= 10
    assert states["overdue"] / len(items) < 0.25, states
    status = {c["id"]: c["status"] for c in _rows(store, "case")}
    year_ago = ref - _dt.timedelta(days=365)
    old = [(i.hint.rule_id, i.hint.due, status[i.case_id]) for i in items
           if i.hint.state == "overdue" and i.hint.due < year_ago]
    assert old == []  # nothing from years ago, for any case (closed ones are never listed)
    assert all(status[i.case_id] != "closed" for i in items)
    assert {i.hint.rule_id for i in items} >= {"ip_max_12_months", "dublin_check"}


def exits_check(store, reference: _dt.date) -> list:
    """What every demo's 12-month list must hold, whatever its day: each open case's planned exit lies on or
    after the demo's today; a case whose exit came earlier has left (it is not open). Returns the list."""
    from app.casework import CaseWork
    from app.handover import Handovers
    from app.repository import Repository

    repo = Repository(store)
    cw = CaseWork(repo)
    rows = Handovers(repo, cw.rules, cw.chronicle, cw.consent).twelve_months(reference)
    assert rows, "no case reaches its 12 months: the list would be empty"
    assert [(r.case_number, r.planned_exit, r.exit_kind) for r in rows if r.planned_exit < reference] == []
    # no open case has already passed an exit the list would name: an integration course ended, DeuFöV begun
    status = {c["id"]: c["status"] for c in _rows(store, "case")}
    passed = [(m["catalogue_id"], m["status"], m.get("start_date"), m.get("end_date")) for m in _rows(store, "measure")
              if status[m["case_id"]] in ("new", "active")
              and ((m["catalogue_id"] == "integrationskurs" and m["status"] == "completed")
                   or (m["catalogue_id"] == "deufoev" and m.get("start_date")))]
    assert passed == []
    return rows


def test_every_planned_exit_lies_ahead_of_the_demo_day(filled):
    store, _counts = filled
    rows = exits_check(store, demo.reference_date())
    assert len(rows) >= 3 and {r.exit_kind for r in rows} <= {"twelve_months", "after_integration_course",
                                                             "job_related_german"}


def office_hours_check(store, reference: _dt.date) -> dict:
    """What every demo's office hours must hold, whatever its day; returns the day the app opens on."""
    from app import offices
    from app.booking import HOME_OFFICE_META, status_of
    from app.casework import CaseWork
    from app.desks import ACTIVE
    from app.hours import OfficeHours
    from app.repository import Repository
    from app.schedule import Schedule, holiday_name

    repo = Repository(store)
    sched = Schedule(offices.load_templates(repo.conn), offices.load_changes(repo.conn))
    persons = {r["id"]: r for r in _rows(store, "person")}
    cases = {c["id"]: c for c in _rows(store, "case")}
    ref = reference.isoformat()
    bookings = [a for a in _rows(store, "appointment") if a.get("desk") or a.get("walk_in")]
    assert len(bookings) >= 150
    for a in bookings:
        case = cases[a["case_id"]]  # a real demo case of the booked household
        assert a["household_id"] == case["household_id"] and case["opened"] < a["starts_at"][:10], a
        if case["status"] == "closed":
            assert a["starts_at"][:10] < min(case["closed"], ref), a
        else:
            assert case["status"] in ("new", "active"), a
        day = _dt.date.fromisoformat(a["starts_at"][:10])
        assert holiday_name(day) is None, a
        if a.get("desk"):  # at a slot of an office hour in force, not of a cancelled one
            hour = sched.hour_at(a["office"], a["starts_at"])
            assert hour is not None and hour.desks[a["desk"] - 1] == a["agency"], a
        else:
            assert any(h.starts <= a["starts_at"][11:16] <= h.ends for h in sched.hours(a["office"], day, day)), a
        if a.get("interpreter_language"):  # a language the client speaks
            person = persons[case["person_id"]]
            spoken = {entry["code"] for entry in person.get("languages") or []}
            assert a["interpreter_language"] in spoken and a["interpreter_language"] == person["interpreter_language"]
    # no desk booked twice
    active = sorted((a["office"], a["desk"], a["starts_at"], a["ends_at"]) for a in bookings
                    if a.get("desk") and (a.get("outcome") or "planned") in ACTIVE)
    for x, y in zip(active, active[1:], strict=False):
        assert x[:2] != y[:2] or x[3] <= y[2], (x, y)
    # four weeks before and after, in every town: kept and missed before the demo's today, booked after it
    towns = {o["code"] for o in offices.seed()["offices"] if not o.get("central")}
    start, end = (reference - _dt.timedelta(weeks=4)).isoformat(), (reference + _dt.timedelta(weeks=4)).isoformat()
    assert all(start <= a["starts_at"][:10] <= end + "T99" for a in bookings)
    past = Counter((a["office"], status_of(a.get("outcome"))) for a in bookings if a["starts_at"][:10] < ref)
    later = Counter(a["office"] for a in bookings if a["starts_at"][:10] > ref)
    assert {town for town, status in past if status == "kept"} == towns
    assert {town for town, status in past if status not in ("kept", "missed", "cancelled")} == set()
    assert set(later) == towns and sum(v for (_t, s), v in past.items() if s == "missed") >= 10
    assert all(status_of(a.get("outcome")) == "booked" or (a.get("outcome") == "rescheduled" and a.get("moved_to"))
               for a in bookings if a["starts_at"][:10] > ref)
    # the central office cancelled one office hour (nothing booked on it) and added one
    changes = {c["kind"]: c for c in _rows(store, "office_hours_change")}
    assert set(changes) == {"cancelled", "extra"}
    assert not [a for a in bookings if a["office"] == changes["cancelled"]["office"]
                and a["starts_at"][:10] == changes["cancelled"]["date"]]
    # the app opens on the laptop's town and its office-hour day
    home = store.meta(HOME_OFFICE_META)
    hours = OfficeHours(repo, CaseWork(repo))
    day = hours.default_day(home, reference)
    return {"home": home, "day": day, "view": hours.day(home, day, log=False), "hours": hours}


def test_office_hours_in_every_town_and_a_full_day_where_the_app_opens(filled):
    from app.booking import minutes_between

    store, counts = filled
    ref = demo.reference_date()
    opened = office_hours_check(store, ref)
    view = opened["view"]
    assert opened["day"] == ref and view.hours  # the demo's day (a Thursday): office hours in the laptop's town
    booked = Counter(r.status for r in view.booked)
    assert 12 <= len(view.booked) <= 20 and len({r.agency for r in view.booked}) == len(view.hours[0].agencies)
    assert booked["kept"] >= 3 and 1 <= booked["missed"] <= 2 and booked["arrived"] >= 1 and booked["booked"] >= 4
    assert [r for r in view.booked  # one longer appointment, of two slots
            if minutes_between(r.starts_at, r.ends_at) == 2 * view.hours[0].slot_minutes]
    waiting = [r for r in view.walk_ins if r.status == "arrived"]
    assert len(waiting) == 3 and len(view.walk_ins) == 4
    assert all(r.due or r.measures or r.case_number for r in view.booked)
    # the kept ones came before the office's clock, those booked come after it
    kept = max(r.starts_at for r in view.booked if r.status in ("kept", "missed"))
    assert kept < min(r.starts_at for r in view.booked if r.status == "booked")
    assert counts["walk_ins"] >= 10 and counts["bookings"] >= 250
    # a few appointments next week were moved by a week: "verlegt", pointing to the new booking
    moved = [a for a in _rows(store, "appointment") if a.get("outcome") == "rescheduled"]
    assert counts["rescheduled"] == len(moved) >= 2
    new = {a["id"]: a for a in _rows(store, "appointment")}
    assert all(new[a["moved_to"]]["starts_at"] > a["starts_at"] and new[a["moved_to"]]["case_id"] == a["case_id"]
               for a in moved)


def test_on_a_day_without_office_hours_the_demo_opens_on_the_next_full_one(tmp_path):
    from app.store import Store

    reference = _dt.date(2026, 6, 4)  # Corpus Christi, a Thursday: no office hours anywhere
    store, _recovery = Store.create(tmp_path / "s", "demo-geheim", login="demo")
    try:
        demo.fill(store, reference=reference)
        opened = office_hours_check(store, reference)
        assert opened["day"] > reference and opened["view"].hours
        assert 12 <= len(opened["view"].booked) <= 20 and opened["view"].walk_ins == []
        assert {r.status for r in opened["view"].booked} == {"booked"}
    finally:
        store.close()


def test_employers_offers_and_a_year_of_placements(filled):
    store, counts = filled
    ents = interchange.export_document(store)["entities"]
    assert counts["employer"] == len(ents["employer"]) >= 10
    assert {o["kind"] for o in ents["offer"]} == set(schema.OFFER_KINDS)
    assert {o["town"] for o in ents["offer"]} >= {"AHL", "BEC", "OEL", "WAF"}
    outcomes = Counter(p["status"] for p in ents["placement"])
    assert outcomes["started"] >= 5 and outcomes["rejected"] >= 2 and outcomes["declined"] >= 1
    months = {p["proposed_on"][:7] for p in ents["placement"]}
    assert len(months) >= 9  # the figures show a year
    sent = [p for p in ents["placement"] if p.get("sent_on")]
    assert sent and all(p.get("consent_id") for p in sent)


def test_fill_is_deterministic_and_refuses_a_second_fill(filled, tmp_path):
    from app.demo_casework import DemoExistsError
    from app.store import Store

    store, counts = filled
    other, _recovery = Store.create(tmp_path / "again", "demo-geheim", login="demo")
    try:
        assert demo.fill(other) == counts
        mine, theirs = interchange.export_document(store), interchange.export_document(other)
        for doc in (mine, theirs):  # each store's own first staff member differs
            doc["entities"]["staff"] = [s for s in doc["entities"]["staff"] if s["login"] != "demo"]
        assert mine == theirs
        with pytest.raises(DemoExistsError):
            demo.fill(other)
        with pytest.raises(ValueError, match="future"):
            demo.fill(other, seed=5, reference=_dt.date.today() + _dt.timedelta(days=1))
    finally:
        other.close()


def test_demo_command_takes_a_past_reference_day_and_fills_a_store_once(tmp_path, capsys, monkeypatch):
    from cli.main import main
    from tests.conftest import PASSPHRASE

    monkeypatch.setenv("SPRECHSTUNDE_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SPRECHSTUNDE_LOGIN", raising=False)
    path = str(tmp_path / "d")
    tomorrow = (_dt.date.today() + _dt.timedelta(days=1)).isoformat()
    for bad in (tomorrow, "1.10.2026", "2026-10"):
        assert main(["demo", "--store", path, "--date", bad, "--households", "3"]) == 1
        assert "--date" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
    assert main(["demo", "--store", path, "--date", "2026-10-01", "--households", "12"]) == 0
    assert "Demo-Datensätze" in capsys.readouterr().out
    assert main(["demo", "--store", path, "--date", "2026-10-01", "--households", "12"]) == 1
    assert "Seed 2016" in capsys.readouterr().err


@pytest.mark.parametrize("reference", [_dt.date.today(), _dt.date(2025, 3, 1)], ids=["today", "2025-03-01"])
def test_the_demo_of_any_past_day_has_a_realistic_due_list(tmp_path, reference):
    """`./run.sh` makes the demo for the day it runs: that works, and looks right, on other days too."""
    from app.casework import CaseWork
    from app.repository import Repository
    from app.store import Store

    store, _recovery = Store.create(tmp_path / "s", "demo-geheim", login="demo")
    try:
        counts = demo.fill(store, households=100, seed=7, reference=reference)
        assert counts["case"] >= 150 and counts["conflicts"] == 5
        items = CaseWork(Repository(store)).due_list(reference)
        overdue = [i for i in items if i.hint.state == "overdue"]
        assert len(items) >= 5 and len(overdue) / len(items) < 1 / 3
        assert all(i.hint.due >= reference - _dt.timedelta(days=365) for i in overdue)
        assert store.conn.execute("SELECT max(date) FROM event").fetchone()[0] <= reference.isoformat()
        exits_check(store, reference)
    finally:
        store.close()
