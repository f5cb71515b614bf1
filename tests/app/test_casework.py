"""Case-work services on a real store: profiling group, consent, validation, change log, chronicle."""

import datetime as dt

import pytest

from app.casework import CaseWork
from app.checks import ValidationError
from app.profiling import U25, UE25, choose_group
from app.responses import answer_id
from tests.app.family_o import INTAKE, register_family
from app.chronicle_text import event_text

D = dt.date


@pytest.fixture
def cw(repo):
    repo.today = D(2017, 9, 1)  # Family O's story is in 2017: its appointments are planned, not past
    return CaseWork(repo)


@pytest.fixture
def family(repo):
    return register_family(repo)


def n_changes(repo):
    return repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]


# -- U25 / Ü25 ------------------------------------------------------------------
@pytest.mark.parametrize("birth, on, form_id, certain", [
    ("1992-07-06", D(2017, 7, 5), U25, True),     # the day before the 25th birthday
    ("1992-07-06", D(2017, 7, 6), UE25, True),    # on the birthday: 25, so Ü25
    ("1992-07-06", D(2017, 7, 7), UE25, True),
    ("1992-02-29", D(2017, 2, 28), U25, True),    # born on 29 February: 25 on 1 March in a common year
    ("1992-02-29", D(2017, 3, 1), UE25, True),
    ("1990", D(2014, 12, 31), U25, True),         # whole year: at most 24 on 31.12.2014
    ("1990", D(2015, 1, 1), U25, False),          # may be 25 or 24: U25 proposed, uncertain
    ("1990", D(2015, 12, 30), U25, False),
    ("1990", D(2015, 12, 31), UE25, True),        # even if born 31.12.1990: 25 today
    ("1990-05", D(2015, 4, 30), U25, True),
    ("1990-05", D(2015, 5, 1), U25, False),
    ("1990-05", D(2015, 5, 31), UE25, True),
])
def test_u25_ue25_choice(birth, on, form_id, certain):
    g = choose_group(birth, on)
    assert (g.form_id, g.certain) == (form_id, certain)


def test_unknown_birth_date_needs_a_choice(cw, repo, family):
    case_id = family.case_ids[0]
    repo.save("person", {"birth_date": None}, repo.get("case", case_id)["person_id"])
    assert choose_group(None, D(2017, 7, 6)).form_id is None
    with pytest.raises(ValidationError) as err:
        cw.profiling.save_work(case_id, {}, date="2017-07-06")
    assert "form_id" in err.value.errors


def test_profiling_uses_birth_date_and_can_be_overridden(cw, repo, family):
    karim, layla = family.case_ids
    assert cw.profiling.proposal(karim, "2017-07-06").form_id == UE25
    assert cw.profiling.proposal(layla, "2015-06-01").certain is False
    answers = {"languages": [{"language": "Arabic", "level": "native"}], "literate": "no", "school_years": 4,
               "wish": "undecided"}
    rid = cw.profiling.save_work(karim, answers, date="2017-07-06", form_id=U25)  # staff override
    assert repo.get("form_response", rid)["form_id"] == U25


# -- nothing invalid is saved; every write is logged ----------------------------
def test_invalid_intake_saves_nothing(cw, repo, family):
    before = n_changes(repo)
    with pytest.raises(ValidationError) as err:
        cw.save_intake(family.case_ids[0], {**INTAKE, "entry_date": "2016-15", "referred_by": None})
    assert set(err.value.errors) == {"entry_date", "referred_by"}
    assert n_changes(repo) == before
    assert repo.find("form_response") == [] and repo.find("answer") == [] and repo.find("event") == []


def test_consent_declaration_all_or_nothing(cw, repo, family):
    before = n_changes(repo)
    with pytest.raises(ValidationError) as err:
        cw.consent.record_declaration(family.case_ids[0], {"aa": "given", "provider": "given", "signed_on": "2017-06-26"})
    assert set(err.value.errors) == {"jc", "soz", "provider_name"}
    assert n_changes(repo) == before and repo.find("consent") == []


def test_measure_transitions_are_checked(cw, repo, family):
    mid = cw.measures.add(family.case_ids[0], "integrationskurs", date="2017-07-06")
    before = n_changes(repo)
    with pytest.raises(ValidationError) as err:
        cw.measures.set_status(mid, "completed", "2017-08-01")
    assert "status" in err.value.errors and n_changes(repo) == before
    cw.measures.set_status(mid, "started", "2017-11-06")
    with pytest.raises(ValidationError):
        cw.measures.set_status(mid, "completed", "2017-10-01")  # before the start
    with pytest.raises(ValidationError):
        cw.measures.add(family.case_ids[0], "no_such_measure")
    assert repo.get("measure", mid)["status"] == "started"


@pytest.mark.parametrize("action", [
    lambda cw, c: cw.save_intake(c, INTAKE, date="2017-06-26"),
    lambda cw, c: cw.consent.record(c, "AA", "given", "2017-06-26"),
    lambda cw, c: cw.resources.add(c, "sozial", "Familie hält zusammen", "SAF", "2017-07-06"),
    lambda cw, c: cw.goals.add(c, "wille", "Ich will als Maler arbeiten.", date="2017-07-06"),
    lambda cw, c: cw.measures.add(c, "fim", status="registered", provider="Diakonie", date="2017-07-06"),
    lambda cw, c: cw.chronicle.add_note(c, "Familie kam pünktlich.", "2017-07-06"),
    lambda cw, c: cw.chronicle.set_flag(c, "dublin", "2017-09-12"),
    lambda cw, c: cw.appointments.plan(c, "2017-09-19T10:00", "Agentur für Arbeit", interpreter_language="Arabic"),
    lambda cw, c: cw.conferences.hold(c, date="2017-09-20", agencies=["AA", "SOZ"], focus="Sprache zuerst"),
])
def test_every_write_produces_change_log_rows(cw, repo, family, action):
    from app.replica.changelog import ChangeLog

    before = n_changes(repo)
    new_id = action(cw, family.case_ids[0])
    assert n_changes(repo) > before
    history = ChangeLog(repo.conn).history(new_id)
    assert history and all(c.staff_id == repo.staff_id for c in history)


# -- answers, consent history, resource map, conference, chronicle ---------------
def test_answers_have_deterministic_ids_and_hidden_answers_are_cleared(cw, repo, family):
    case_id = family.case_ids[0]
    rid = cw.save_intake(case_id, {**INTAKE, "residence_status": "erlaubnis",
                                   "permit_paragraph": "§ 25 Abs. 2 AufenthG"}, date="2017-06-26")
    assert repo.get("answer", answer_id(rid, "permit_paragraph"))["value"] == "§ 25 Abs. 2 AufenthG"
    cw.save_intake(case_id, INTAKE, response_id=rid)  # back to Gestattung: the paragraph is hidden now
    assert "permit_paragraph" not in cw.responses.answers(rid)
    assert cw.responses.answers(rid)["residence_status"] == "gestattung"
    assert [e["kind"] for e in cw.chronicle.events(case_id)] == ["intake"]  # recorded once


def test_consent_history_withdrawal_and_who_may_receive(cw, family):
    c = family.case_ids[0]
    cw.consent.record_declaration(c, {"aa": "given", "jc": "given", "soz": "refused", "provider": "given",
                                      "provider_name": "Diakonie", "signed_on": "2017-06-26"})
    assert cw.consent.may_receive(c) == [("AA", None), ("JC", None), ("PROVIDER", "Diakonie")]
    with pytest.raises(ValidationError):
        cw.consent.withdraw(c, "SOZ", "2017-07-01")  # refused, nothing to withdraw
    cw.consent.withdraw(c, "JC", "2017-07-01")
    assert cw.consent.may_receive(c) == [("AA", None), ("PROVIDER", "Diakonie")]
    assert not cw.consent.allows(c, "JC") and cw.consent.allows(c, "AA")
    states = [(r["agency"], r["state"]) for r in cw.consent.history(c)]
    assert ("JC", "given") in states and states[-1] == ("JC", "withdrawn")
    assert all(r["form_id"] == "consent" and r["form_version"] == 1 and r["recorded_by"] for r in cw.consent.history(c))
    cw.consent.record(c, "JC", "given", "2017-07-01")  # same day, recorded later: wins
    assert cw.consent.allows(c, "JC")


def test_resource_map_and_conference_snapshot(cw, repo, family):
    c = family.case_ids[0]
    for q, text in [("persoenlich", "pünktlich"), ("sozial", "Familie"), ("materiell", "Gesundheitskarte"),
                    ("infrastrukturell", "Kita in der Nähe")]:
        cw.resources.add(c, q, text, "SAF", "2017-07-06")
    with pytest.raises(ValidationError) as err:
        cw.resources.add(c, "spirituell", "", date="2017-07-06")
    assert set(err.value.errors) == {"quadrant", "text"}
    conf = cw.conferences.hold(c, date="2017-09-20", agencies=["AA", "SOZ", "ABH"], participants=["Frau M."],
                               proposals=[{"agency": "AA", "text": "Sprachkurs"}, {"agency": "SOZ", "text": "Wohnung"}],
                               focus="Sprache und FIM", next_steps="Integrationskurs im November")
    cw.resources.add(c, "sozial", "Kontakt zum Schwimmverein", "CBE", "2017-09-25")
    snap = repo.get("conference", conf)["resource_snapshot"]
    assert len(snap) == 4 and len(cw.resources.entries(c)) == 5
    assert {q: len(v) for q, v in cw.resources.by_quadrant(c).items()} == \
        {"persoenlich": 1, "sozial": 2, "materiell": 1, "infrastrukturell": 1}
    assert cw.goals.current(c, "focus")["text"] == "Sprache und FIM"


def test_household_timeline_and_rechtskreiswechsel(cw, repo, family):
    karim, layla = family.case_ids
    cw.chronicle.add_note(layla, "Kinder brauchen Kitaplätze.", "2017-07-06")
    cw.chronicle.change_rechtskreis(karim, "SGB II", "2017-09-12")
    cw.chronicle.set_flag(karim, "dublin", "2017-09-12", "Überstellung möglich")
    assert repo.get("case", karim)["rechtskreis"] == "SGB II"
    assert cw.chronicle.flags(karim) == ["dublin"]
    timeline = cw.chronicle.household_events(family.household_id)
    assert [(e["date"], e["kind"]) for e in timeline] == [
        ("2017-07-06", "note"), ("2017-09-12", "rechtskreis"), ("2017-09-12", "flag")]
    with pytest.raises(ValidationError):
        cw.chronicle.change_rechtskreis(karim, "SGB II", "2017-09-13")
    cw.chronicle.clear_flag(karim, "dublin", "2017-12-01")
    assert cw.chronicle.flags(karim) == []


def test_appointments_kept_and_missed(cw, family):
    c = family.case_ids[0]
    a1 = cw.appointments.plan(c, "2017-09-19T10:00", "Agentur für Arbeit", place="Haus 1")
    a2 = cw.appointments.plan(c, "2017-10-02T09:00", "SAF")
    cw.appointments.set_outcome(a1, "kept")
    cw.appointments.set_outcome(a2, "missed", "krank")
    kinds = [(e["date"], e["kind"], event_text(e, "de")) for e in cw.chronicle.events(c)]
    assert [k[:2] for k in kinds] == [("2017-09-19", "appointment"), ("2017-10-02", "appointment")]
    with pytest.raises(ValidationError) as err:
        cw.appointments.plan(c, "19.09.2017 10:00", "")
    assert set(err.value.errors) == {"starts_at", "purpose"}


def test_interchange_round_trip_of_case_work(cw, repo, family, tmp_path):
    from app import interchange
    from app.store import Store

    c = family.case_ids[0]
    cw.save_intake(c, INTAKE, date="2017-06-26")
    cw.consent.record_declaration(c, {"aa": "given", "jc": "given", "soz": "given", "signed_on": "2017-06-26"})
    cw.profiling.save_work(c, {"languages": [{"language": "Arabic", "level": "native"}], "literate": "other_script",
                               "school_years": 9, "wish": "work",
                               "work_experience": [{"occupation": "Maler", "years": 7, "proof": False}]},
                           date="2017-07-06")
    cw.resources.add(c, "persoenlich", "pünktlich", "SAF", "2017-07-06")
    cw.goals.add(c, "goal", "Integrationskurs beginnen", target_date="2017-11-30", date="2017-07-06")
    mid = cw.measures.add(c, "fim", status="registered", provider="Diakonie", date="2017-07-06")
    cw.measures.set_status(mid, "started", "2017-07-15")
    cw.conferences.hold(c, date="2017-09-20", agencies=["AA"], focus="Sprache")
    cw.appointments.plan(c, "2017-09-19T10:00", "AA")
    cw.chronicle.set_flag(c, "dublin", "2017-09-12")
    doc = interchange.export_document(repo.store)
    for name in ("form_response", "answer", "consent", "resource_entry", "goal", "measure", "conference",
                 "event", "appointment"):
        assert doc["entities"].get(name), name
    other, _recovery = Store.create(tmp_path / "other", "richtig-geheim")
    try:
        interchange.import_document(other, doc)
        again = interchange.export_document(other)
        again["entities"]["staff"] = doc["entities"]["staff"]  # the new store has its own first staff member
        assert interchange.dumps(again) == interchange.dumps(doc)
        from app.repository import Repository
        cw2 = CaseWork(Repository(other))
        assert cw2.responses.latest_answers(c, "profiling_ue25")["work_experience"][0]["years"] == 7
        assert cw2.facts(c) == cw.facts(c)
    finally:
        other.close()
