"""The county-wide waiting list: its order by the dated priority rules, ties, explanations, one entry a person."""

import datetime as dt

import pytest

import i18n
from app.checks import ValidationError
from app.waitlist import WaitlistRules, entry_id
from tests.app.course_kit import person, service
from tests.sync.helpers import exchange, make_store

D = dt.date
TODAY = D(2026, 3, 1)
# name: (obligated, obligated since, level assessed, registered on)
PEOPLE = {
    "Amir": (True, "2026-01-10", True, "2026-01-20"), "Bana": (True, "2026-01-10", False, "2026-01-05"),
    "Dawit": (True, "2025-12-01", False, "2026-02-01"), "Elif": (True, None, True, "2025-12-01"),
    "Farid": (False, None, True, "2026-01-02"), "Ghazal": (False, None, True, "2026-01-02"),
    "Hamid": (False, None, False, "2025-11-15"), "Ilham": (False, None, False, "2025-11-15"),
    "Jana": (False, None, False, "2025-10-01"), "Karim": (False, None, False, "2025-12-24"),
    "Lina": (False, None, False, "2025-12-24"), "Musa": (False, None, False, "2026-02-10"),
    "Nour": (False, None, False, "2026-01-15"), "Omid": (False, None, False, "2025-10-01"),
    "Parwin": (False, None, False, "2026-02-28"), "Qasim": (False, None, False, "2026-01-15"),
    "Rania": (False, None, False, "2025-11-30"), "Samir": (False, None, False, "2026-02-10"),
    "Tesfay": (False, None, False, "2025-12-24"), "Umar": (False, None, False, "2026-01-15"),
}
# the order in which the offices registered them (decides ties: the earlier record first)
REGISTERED = ["Ilham", "Omid", "Lina", "Ghazal", "Tesfay", "Amir", "Qasim", "Hamid", "Jana", "Samir", "Bana",
              "Karim", "Nour", "Farid", "Dawit", "Musa", "Umar", "Elif", "Rania", "Parwin"]
EXPECTED = ["Dawit", "Amir", "Bana", "Elif", "Ghazal", "Farid", "Omid", "Jana", "Ilham", "Hamid", "Rania", "Lina",
            "Tesfay", "Karim", "Qasim", "Nour", "Umar", "Samir", "Musa", "Parwin"]


def register(svc, case_id, name, kind="integrationskurs", level="A1"):
    obligated, since, assessed, on = PEOPLE[name]
    return svc.waitlist.register(case_id, kind, level, date=on, obligated=obligated, obligated_since=since,
                                 level_assessed=assessed)


@pytest.fixture
def twenty(repo):
    svc = service(repo)
    cases = {name: person(repo, name) for name in PEOPLE}
    for name in REGISTERED:
        register(svc, cases[name], name)
    return svc, cases


def names(positions, cases):
    by_case = {v: k for k, v in cases.items()}
    return [by_case[p.entry["case_id"]] for p in positions]


def test_twenty_people_with_ties_in_rule_order(twenty):
    svc, cases = twenty
    positions = svc.waitlist.positions("integrationskurs", "A1", TODAY)
    assert names(positions, cases) == EXPECTED
    assert [p.rank for p in positions] == list(range(1, 21))


def test_each_position_is_explained(twenty):
    svc, cases = twenty
    positions = {p.entry["case_id"]: p for p in svc.waitlist.positions("integrationskurs", "A1", TODAY)}
    assert positions[cases["Dawit"]].text() == "Platz 1: verpflichtet seit 01.12.25, wartet 28 Tage"
    assert positions[cases["Elif"]].text() == "Platz 4: zur Teilnahme verpflichtet, Einstufung vorhanden, wartet 90 Tage"
    assert positions[cases["Parwin"]].text() == "Platz 20: wartet 1 Tag"
    reasons = {r["rule"]: r for r in positions[cases["Amir"]].reasons}
    assert reasons["obligated"]["source"].startswith("§ 44a Abs. 1 AufenthG")
    assert [r["rule"] for r in positions[cases["Amir"]].reasons] == [
        "obligated", "obligated_since", "level_assessed", "registered_on"]


def test_english_explanation(twenty):
    svc, cases = twenty
    i18n.set_language("en")
    first = svc.waitlist.positions("integrationskurs", "A1", TODAY)[0]
    assert first.text() == "Place 1: obliged since 12/1/25, waiting 28 days"


def test_rules_are_dated(twenty, tmp_path):
    """Before the obligation rule is in force, the list is by registration alone."""
    svc, cases = twenty
    svc.waitlist.rules = WaitlistRules.load()
    old = svc.waitlist.positions("integrationskurs", "A1", D(2016, 1, 1))
    first = names(old, cases)[:4]
    assert first == ["Elif", "Ghazal", "Farid", "Amir"]  # assessed first, then by date (rule from 2016-08-06 not yet)


def test_a_person_is_on_a_list_once(twenty, repo):
    svc, cases = twenty
    with pytest.raises(ValidationError) as err:
        svc.waitlist.register(cases["Amir"], "integrationskurs", "A2")
    assert "catalogue_id" in err.value.errors
    assert len(repo.find("waitlist_entry", case_id=cases["Amir"])) == 1


def test_registration_puts_the_measure_on_the_waiting_list(twenty, repo):
    svc, cases = twenty
    entry = repo.find("waitlist_entry", case_id=cases["Dawit"])[0]
    measure = repo.get("measure", entry["measure_id"])
    assert (measure["catalogue_id"], measure["status"], measure["registered_on"]) == (
        "integrationskurs", "waiting", "2026-02-01")


def test_withdrawn_and_registered_again_goes_to_the_end(twenty, repo):
    """No queue jumping: coming back means a new date of registration."""
    svc, cases = twenty
    eid = repo.find("waitlist_entry", case_id=cases["Omid"])[0]["id"]
    svc.waitlist.withdraw(eid, "2026-02-01")
    assert "Omid" not in names(svc.waitlist.positions("integrationskurs", "A1", TODAY), cases)
    svc.waitlist.register(cases["Omid"], "integrationskurs", "A1", date="2026-03-01")
    order = names(svc.waitlist.positions("integrationskurs", "A1", TODAY), cases)
    assert order[-1] == "Omid" and len(order) == 20


def test_bad_registration_writes_nothing(twenty, repo):
    svc, cases = twenty
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    for kwargs in ({"catalogue_id": "nope"}, {"level": "Z9"}, {"date": "32.13.2026"},
                   {"obligated_since": "2026-01-01"}, {"towns": ["XYZ"]}):
        args = {"case_id": person(repo, "Neu", today=TODAY) if False else cases["Jana"],
                "catalogue_id": "alphakurs", "level": "alpha", **kwargs}
        with pytest.raises(ValidationError):
            svc.waitlist.register(**args)
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before


def test_two_laptops_add_to_one_list_offline_same_order_after_merge(tmp_path):
    """Two replicas register different people (and one person twice) offline: one entry each, one order."""
    from app.repository import Repository

    a, b = make_store(tmp_path / "a"), make_store(tmp_path / "b", login="bert")
    try:
        ra, rb = Repository(a), Repository(b)
        cases = {n: person(ra, n) for n in ("Amir", "Bana", "Dawit", "Elif")}
        exchange(a, b)
        sa, sb = service(ra), service(rb)
        sa.waitlist.register(cases["Amir"], "integrationskurs", "A1", date="2026-02-01")
        sb.waitlist.register(cases["Bana"], "integrationskurs", "A1", date="2026-02-01")
        sa.waitlist.register(cases["Dawit"], "integrationskurs", "A1", date="2026-02-01")
        sb.waitlist.register(cases["Dawit"], "integrationskurs", "A1", date="2026-02-01")  # the same person
        sb.waitlist.register(cases["Elif"], "integrationskurs", "A1", date="2026-01-15")
        exchange(a, b)
        exchange(b, a)
        la = names(sa.waitlist.positions("integrationskurs", "A1", TODAY), cases)
        lb = names(sb.waitlist.positions("integrationskurs", "A1", TODAY), cases)
        assert la == lb
        assert la[0] == "Elif" and sorted(la) == ["Amir", "Bana", "Dawit", "Elif"]
        person_id = ra.get("case", cases["Dawit"])["person_id"]
        assert [e["id"] for e in ra.find("waitlist_entry", case_id=cases["Dawit"])] == [
            entry_id(person_id, "integrationskurs")]
    finally:
        a.close()
        b.close()
