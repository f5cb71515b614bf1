"""The course catalogue (central office), provider feedback on a measure, the planning view against hand counts."""

import datetime as dt

import pytest

from app.casework import CaseWork
from app.checks import ValidationError
from app.feedback import counts
from app.planning import to_csv
from tests.app.course_kit import course, person, service
from app.chronicle_text import event_text

D = dt.date


def test_course_needs_provider_kind_town_dates_and_seats(repo):
    svc = service(repo)
    pid = svc.courses.save_provider({"name": "  Caritas Ahlen ", "towns": ["AHL", "BEC"]})
    assert repo.get("provider", pid)["name"] == "Caritas Ahlen"
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        svc.courses.save_course({"provider_id": "nope", "catalogue_id": "x", "office": "XXX", "level": "Z",
                                 "start_date": "2026-05-01", "end_date": "2026-04-01", "seats": -1})
    assert set(err.value.errors) == {"provider_id", "catalogue_id", "office", "level", "end_date", "seats"}
    with pytest.raises(ValidationError) as err:
        svc.courses.save_course({"provider_id": pid, "catalogue_id": "alphakurs", "office": "AHL", "seats": True})
    assert set(err.value.errors) == {"start_date", "seats"}
    with pytest.raises(ValidationError):
        svc.courses.save_provider({"name": " ", "towns": ["AHL"]})
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    cid = svc.courses.save_course({"provider_id": pid, "catalogue_id": "alphakurs", "level": "alpha", "office": "AHL",
                                   "start_date": "2026-05-04", "end_date": "2027-04-30", "seats": "16",
                                   "schedule": "Mo–Fr 8:30–12:45", "childcare": True,
                                   "modules": ["Alphabetisierung", "Orientierungskurs"]})
    (row,) = svc.courses.rows(office="AHL", kind="alphakurs")
    assert (row.id, row.seats, row.free, row.provider, row.childcare, row.modules) == (
        cid, 16, 16, "Caritas Ahlen", True, ("Alphabetisierung", "Orientierungskurs"))
    assert svc.courses.rows(office="BEC") == []
    svc.courses.save_course({"seats": 18}, cid)
    assert svc.courses.get(cid).seats == 18


def test_only_the_central_office_edits_the_catalogue(repo):
    svc = service(repo)
    repo.store.set_meta("sync.office", "BEC")  # enrolled for Beckum
    assert not svc.courses.can_edit()
    with pytest.raises(ValidationError) as err:
        svc.courses.save_provider({"name": "VHS Beckum"})
    assert "office" in err.value.errors
    repo.store.set_meta("sync.office", "ZIP")
    assert svc.courses.save_provider({"name": "VHS Beckum"})


def test_provider_feedback_on_the_measure_is_shown_and_counted(repo):
    svc = service(repo)
    cw = svc.casework
    a, b = person(repo, "Amir"), person(repo, "Bana")
    ma = cw.measures.add(a, "integrationskurs", status="registered", date="2026-02-01")
    mb = cw.measures.add(b, "integrationskurs", status="registered", date="2026-02-01")
    svc.feedback.record(ma, "started", "2026-03-02")
    svc.feedback.record(mb, "started", "2026-03-02")
    svc.feedback.record(ma, "completed", "2026-11-30")
    svc.feedback.record(ma, "certificate", "2026-12-10", level="B1")
    svc.feedback.record(mb, "dropped_out", "2026-05-15", note="Umzug nach Münster")
    assert repo.get("measure", ma)["status"] == "completed" and repo.get("measure", mb)["status"] == "cancelled"
    assert repo.get("measure", mb)["end_date"] == "2026-05-15"
    texts = [event_text(e, "de") for e in svc.feedback.for_measure(ma)]
    assert texts == ["Integrationskurs: begonnen", "Integrationskurs: abgeschlossen",
                     "Integrationskurs: Zertifikatsniveau erreicht (B1)"]
    assert any(event_text(e, "de").endswith("abgebrochen – Umzug nach Münster") for e in cw.chronicle.events(b))
    assert counts(repo.conn) == {"integrationskurs": {"started": 2, "completed": 1, "certificate": 1,
                                                      "dropped_out": 1}}
    with pytest.raises(ValidationError):
        svc.feedback.record(mb, "completed", "2026-06-01")  # cancelled: nothing more to report
    with pytest.raises(ValidationError):
        svc.feedback.record(ma, "certificate", "2026-12-11", level="Z1")


def test_planning_view_against_a_hand_count(repo):
    """Ahlen: 3 waiting (one since 60, one 30, one 0 days) + 1 proposed for the integration course A1, one course
    with 20 seats of which 5 are given, starting in 2 months; one course starting in 5 months does not count.
    Beckum: 1 waiting for the literacy course, no course. Oelde: a course only."""
    svc = service(repo)
    cw: CaseWork = svc.casework
    today = D(2026, 3, 1)
    ahlen = [person(repo, n) for n in ("Amir", "Bana", "Dawit", "Elif", "Farid")]
    beckum = person(repo, "Ghazal", office="BEC")
    for cid, on in zip(ahlen[:3], ("2025-12-31", "2026-01-30", "2026-03-01"), strict=True):
        svc.waitlist.register(cid, "integrationskurs", "A1", date=on)
    cw.measures.add(ahlen[3], "integrationskurs", status="proposed", date="2026-02-10")
    cw.measures.add(ahlen[4], "kompas", status="started", date="2026-02-10")  # not demand: started
    svc.waitlist.register(beckum, "alphakurs", "alpha", date="2026-02-01")
    c1 = course(svc, 20, "2026-05-04")
    repo.save("course", {"taken": 5}, c1)
    course(svc, 12, "2026-08-03")  # beyond 3 months
    course(svc, 16, "2026-04-13", office="OEL", kind="alphakurs", level="alpha")
    rows = {(r.office, r.kind, r.level): r for r in svc.plan(today, months=3)}
    assert set(rows) == {("AHL", "integrationskurs", "A1"), ("AHL", "integrationskurs", ""),
                         ("BEC", "alphakurs", "alpha"), ("OEL", "alphakurs", "alpha")}
    a1 = rows[("AHL", "integrationskurs", "A1")]
    assert (a1.waiting, a1.proposed, a1.seats, a1.courses, a1.wait_avg, a1.wait_max, a1.gap) == (3, 0, 15, 1, 30, 60, -12)
    proposed = rows[("AHL", "integrationskurs", "")]  # no Profiling II yet: level unknown
    assert (proposed.waiting, proposed.proposed, proposed.seats) == (0, 1, 0)
    bec = rows[("BEC", "alphakurs", "alpha")]
    assert (bec.waiting, bec.seats, bec.gap, bec.wait_max) == (1, 0, 1, 28)
    assert (rows[("OEL", "alphakurs", "alpha")].seats, rows[("OEL", "alphakurs", "alpha")].waiting) == (16, 0)
    # Beckum has no literacy course, but Oelde's 16 seats are 30 minutes away (resources/towns.json)
    assert (bec.seats_nearby, bec.gap_nearby) == (16, -15)
    assert (a1.seats_nearby, rows[("OEL", "alphakurs", "alpha")].seats_nearby) == (0, 0)
    near = {(r.office, r.kind, r.level): r for r in svc.plan(today, months=3, reach=20)}
    assert near[("BEC", "alphakurs", "alpha")].seats_nearby == 0  # 30 minutes are too far at a reach of 20
    text = to_csv(svc.plan(today, months=3, office="AHL"))
    assert text.splitlines()[0] == ("office;kind;level;waiting;proposed;seats;courses;wait_avg;wait_max;gap;"
                                    "seats_nearby;gap_nearby;german_levels")
    assert "AHL;integrationskurs;A1;3;0;15;1;30;60;-12;0;-12;?:3" in text.splitlines()


def test_a_person_holding_an_offered_seat_is_not_counted_waiting_as_well(repo):
    """Ahlen, integration course A1: three people waiting, one course with two seats. The hub offers both seats:
    the two people hold them (the course has no free seat left), so "waiting" counts the one the waiting list
    shows, not three; when an offer is declined its person waits again."""
    svc = service(repo)
    today = D(2026, 3, 1)
    people = [person(repo, n) for n in ("Amir", "Bana", "Dawit")]
    for cid, on in zip(people, ("2026-01-10", "2026-01-20", "2026-02-01"), strict=True):
        svc.waitlist.register(cid, "integrationskurs", "A1", date=on)
    course(svc, 2, "2026-04-13")
    report = svc.allocate(today)
    assert report.to_dict()["offered"] == 2

    def counted():
        (row,) = [r for r in svc.plan(today, months=3) if (r.office, r.kind, r.level) == ("AHL", "integrationskurs", "A1")]
        shown = svc.waitlist.positions("integrationskurs", "A1", today)  # waiting only, as the page opens it
        return row.waiting, row.seats, len(shown)

    assert counted() == (1, 0, 1)
    offer = next(o for o in repo.find("seat_offer") if o["case_id"] == people[0])
    svc.waitlist.answer_offer(offer["id"], False, "2026-03-02")
    svc.allocate(D(2026, 3, 2))  # declined: the seat is free again and goes to the next person in the list
    waiting, seats, shown = counted()
    assert waiting == shown == 1 and seats == 0


def test_a_store_from_before_the_course_records_is_upgraded(tmp_path):
    """Migration 4: a store at version 3 (no course tables, no measure.course_id) gets them when it is opened."""
    from app import migrations
    from app.repository import Repository
    from app.store import Store
    from tests.conftest import PASSPHRASE

    s, _recovery = Store.create(tmp_path / "old", PASSPHRASE)
    for table in ("provider", "course", "waitlist_entry", "seat_offer", "handover"):
        s.conn.execute(f'DROP TABLE "{table}"')
    s.conn.execute('ALTER TABLE "measure" DROP COLUMN course_id')
    s.conn.execute("PRAGMA user_version = 3")
    s.close()
    s = Store.open(tmp_path / "old", PASSPHRASE)
    try:
        assert s.schema_version == migrations.LATEST
        svc = service(Repository(s))
        case_id = person(svc.repo, "Amir")
        cid = course(svc, 12, "2026-05-04")
        svc.waitlist.register(case_id, "integrationskurs", "A1", proposed_course_id=cid)
        assert svc.repo.find("waitlist_entry", case_id=case_id)[0]["proposed_course_id"] == cid
    finally:
        s.close()


def test_course_records_are_named_as_staff_know_them(repo):
    """The conflicts page names a waiting-list entry by its case and a course by its title (app.labels)."""
    from app.labels import record_name

    svc = service(repo)
    case_id = person(repo, "Amir")
    cid = course(svc, 12, "2026-05-04", title="Integrationskurs A1 Ahlen")
    eid = svc.waitlist.register(case_id, "integrationskurs", "A1")
    number = repo.get("case", case_id)["case_number"]
    assert record_name(repo, "course", cid) == "Kurs Integrationskurs A1 Ahlen"
    assert record_name(repo, "waitlist_entry", eid) == f"Warteliste · Fall {number} (Amir Haddad)"
