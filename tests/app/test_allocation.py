"""Seat allocation (the hub's run): offer in list order, hold, expire and move on, no move-up after the start."""

import datetime as dt

import pytest

from app.allocation import offer_id
from app.checks import ValidationError
from tests.app.course_kit import course, person, service

D = dt.date


@pytest.fixture
def three(repo):
    """One seat in a course starting 01.04.2026; Amir (obliged), Bana and Dawit waiting."""
    svc = service(repo)
    cases = {n: person(repo, n) for n in ("Amir", "Bana", "Dawit")}
    svc.waitlist.register(cases["Amir"], "integrationskurs", "A1", date="2026-02-01", obligated=True)
    svc.waitlist.register(cases["Bana"], "integrationskurs", "A1", date="2026-01-10")
    svc.waitlist.register(cases["Dawit"], "integrationskurs", "A1", date="2026-01-20")
    cid = course(svc, 1, "2026-04-01")
    return svc, cases, cid


def offers(repo, state=None):
    rows = repo.find("seat_offer")
    return [o for o in rows if state is None or o["state"] == state]


def holder(repo, cases, state="offered"):
    by_case = {v: k for k, v in cases.items()}
    return sorted(by_case[o["case_id"]] for o in offers(repo, state))


def test_a_seat_is_offered_held_expires_and_moves_on(three, repo):
    svc, cases, cid = three
    report = svc.allocate(D(2026, 3, 2))
    assert holder(repo, cases) == ["Amir"] and len(report.offered) == 1
    (o,) = offers(repo)
    assert (o["hold_until"], o["offered_on"]) == ("2026-03-09", "2026-03-02")  # held 7 days (resources/waitlist.json)
    assert repo.get("course", cid)["taken"] == 1
    # held: later runs before the deadline change nothing
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    svc.allocate(D(2026, 3, 5))
    svc.allocate(D(2026, 3, 9))
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    # the deadline passed without an answer: expired, the next person (Bana, registered first) is offered
    svc.allocate(D(2026, 3, 10))
    assert holder(repo, cases, "expired") == ["Amir"]
    assert holder(repo, cases) == ["Bana"]
    # Bana declines: Dawit is next; Amir is never offered this course again
    bana = next(o for o in offers(repo, "offered"))
    svc.waitlist.answer_offer(bana["id"], accept=False, date="2026-03-11")
    svc.allocate(D(2026, 3, 12))
    assert holder(repo, cases) == ["Dawit"] and holder(repo, cases, "declined") == ["Bana"]
    # Dawit accepts: the seat is given, the measure registered with the provider and the course's dates
    dawit = next(o for o in offers(repo, "offered"))
    svc.waitlist.answer_offer(dawit["id"], accept=True, date="2026-03-13")
    svc.allocate(D(2026, 3, 14))
    assert holder(repo, cases, "allocated") == ["Dawit"]
    entry = repo.find("waitlist_entry", case_id=cases["Dawit"])[0]
    m = repo.get("measure", entry["measure_id"])
    assert (m["status"], m["provider"], m["course_id"], m.get("start_date")) == ("registered", "VHS Ahlen", cid, None)
    assert repo.get("course", cid)["taken"] == 1


def test_a_freed_seat_is_offered_to_the_next(three, repo):
    """Moodle's "move-up skipped": a person who leaves frees the seat, and the next one gets it."""
    svc, cases, cid = three
    svc.allocate(D(2026, 3, 2))
    amir = offers(repo)[0]
    svc.waitlist.answer_offer(amir["id"], accept=True, date="2026-03-03")
    svc.allocate(D(2026, 3, 3))
    svc.waitlist.withdraw(repo.find("waitlist_entry", case_id=cases["Amir"])[0]["id"], "2026-03-20")
    svc.allocate(D(2026, 3, 21))
    assert holder(repo, cases, "released") == ["Amir"]
    assert holder(repo, cases) == ["Bana"]


def test_no_move_up_after_the_start(three, repo):
    svc, cases, cid = three
    svc.allocate(D(2026, 3, 25))  # offered to Amir, held until 01.04.
    svc.allocate(D(2026, 4, 1))  # the course starts: the unanswered offer expires, nobody moves up
    assert holder(repo, cases, "expired") == ["Amir"]
    assert offers(repo, "offered") == []
    assert repo.get("course", cid)["taken"] == 0
    # an offer accepted after the start is not given either
    with pytest.raises(ValidationError):
        svc.waitlist.answer_offer(offers(repo)[0]["id"], accept=True, date="2026-04-02")


def test_seat_given_before_start_stays_after_start(three, repo):
    svc, cases, cid = three
    svc.allocate(D(2026, 3, 2))
    svc.waitlist.answer_offer(offers(repo)[0]["id"], accept=True, date="2026-03-03")
    svc.allocate(D(2026, 3, 4))
    svc.waitlist.withdraw(repo.find("waitlist_entry", case_id=cases["Amir"])[0]["id"], "2026-04-10")
    svc.allocate(D(2026, 4, 11))  # left after the start: the seat is not offered again
    assert holder(repo, cases, "allocated") == ["Amir"] and offers(repo, "offered") == []


def test_no_queue_jumping_and_eligibility(repo):
    """A later registration never gets a seat before an earlier eligible one; childcare and towns are kept."""
    svc = service(repo)
    cases = {n: person(repo, n) for n in ("Amir", "Bana", "Dawit", "Elif")}
    svc.waitlist.register(cases["Amir"], "integrationskurs", "A1", date="2026-01-01", childcare_needed=True)
    svc.waitlist.register(cases["Bana"], "integrationskurs", "A1", date="2026-01-02", towns=["OEL"])
    svc.waitlist.register(cases["Dawit"], "integrationskurs", "A1", date="2026-01-03")
    svc.waitlist.register(cases["Elif"], "integrationskurs", "A1", date="2026-01-04")
    c1 = course(svc, 1, "2026-04-01", office="AHL")  # no childcare, in Ahlen
    svc.allocate(D(2026, 3, 1))
    assert holder(repo, cases) == ["Dawit"]  # Amir needs childcare, Bana can reach Oelde only
    c2 = course(svc, 2, "2026-04-15", office="OEL", childcare=True)
    svc.allocate(D(2026, 3, 2))
    assert holder(repo, cases) == ["Amir", "Bana", "Dawit"]
    assert {o["course_id"] for o in offers(repo) if o["case_id"] != cases["Dawit"]} == {c2}
    assert c1 != c2


def test_proposed_person_gets_a_notice_when_the_course_is_full(repo):
    """Two laptops proposed two people for the last seat: the list decides, the other hears why."""
    svc = service(repo)
    cases = {n: person(repo, n) for n in ("Amir", "Bana")}
    cid = course(svc, 1, "2026-04-01", title="Integrationskurs A1 Ahlen (VHS)")
    svc.waitlist.register(cases["Amir"], "integrationskurs", "A1", date="2026-01-05", proposed_course_id=cid)
    svc.waitlist.register(cases["Bana"], "integrationskurs", "A1", date="2026-01-02", proposed_course_id=cid)
    svc.allocate(D(2026, 3, 1))
    assert holder(repo, cases) == ["Bana"]
    amir = repo.find("waitlist_entry", case_id=cases["Amir"])[0]
    assert amir["notice"] == "Integrationskurs A1 Ahlen (VHS) ist voll: Platz 1 auf der Warteliste."
    assert offers(repo)[0]["id"] == offer_id(cid, repo.find("waitlist_entry", case_id=cases["Bana"])[0]["id"])


def test_odd_values_from_a_sync_do_not_stop_the_run(three, repo):
    """Values that arrive by sync are typed but not judged (app.hygiene): the hub's run must not fail on them."""
    from app.replica.changelog import ChangeLog
    from app.replica.clock import Stamp
    from app.replica.merge import merge
    from app.replica.changelog import Change

    svc, cases, cid = three
    entry = repo.find("waitlist_entry", case_id=cases["Bana"])[0]
    base = Stamp.parse(ChangeLog(repo.conn).stamp(cid, "seats")).millis + 1000
    odd = [("course", cid, "modules", 7, None), ("course", cid, "seats", -5, None),
           ("waitlist_entry", entry["id"], "towns", 5, entry["household_id"]),
           ("waitlist_entry", entry["id"], "registered_on", "irgendwann", entry["household_id"])]
    merge(repo.conn, [Change(str(Stamp(base + i, 0, "otherlaptop")), e, i_d, f, v, None, "otherlaptop", None, root)
                      for i, (e, i_d, f, v, root) in enumerate(odd)])
    svc.allocate(D(2026, 3, 2))  # no seats (negative is none): nobody is offered, nothing fails
    assert offers(repo) == []
    assert [p.entry["case_id"] for p in svc.waitlist.positions("integrationskurs", "A1", D(2026, 3, 2))][-1] == \
        cases["Bana"]  # a date that cannot be read sorts last


def test_an_offer_waiting_for_an_answer_is_on_the_due_list(three, repo):
    """The field sees the deadline of a held seat (rule seat_offer_answer) until the client's answer is recorded."""
    svc, cases, _cid = three
    svc.allocate(D(2026, 3, 2))
    due = [i for i in svc.casework.due_list(D(2026, 3, 3)) if i.hint.rule_id == "seat_offer_answer"]
    assert [(i.case_id, i.hint.due, i.hint.state) for i in due] == [(cases["Amir"], D(2026, 3, 9), "due_soon")]
    assert due[0].hint.text.startswith("Ein Kursplatz ist bis 09.03.2026 für die Person freigehalten")
    svc.waitlist.answer_offer(offers(repo)[0]["id"], accept=True, date="2026-03-03")
    assert not [i for i in svc.casework.due_list(D(2026, 3, 3)) if i.hint.rule_id == "seat_offer_answer"]
