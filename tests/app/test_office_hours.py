"""Office hours: derived slots (holidays, cancelled and moved dates, extras), booking rules, statuses,
the chronicle, the day view and a double booking from two laptops settled by "move to the next free slot"."""

import datetime as dt

import pytest

from app import offices
from app.booking import Booking, claim_id
from app.casework import CaseWork
from app.checks import ValidationError
from app.dayview import build_day
from app.repository import Repository
from app.schedule import Schedule
from tests.sync.helpers import exchange, make_store, open_conflicts
from app.chronicle_text import event_text

MONDAY = dt.datetime(2027, 5, 3, 8, 0)  # May 2027: Ascension Thu 6th, Corpus Christi Thu 27th (NRW)


def tel_templates():
    return [t for t in offices.load_templates_from_seed() if t["office"] == "TEL"]


def test_a_month_of_slots_skips_holidays_and_a_cancelled_date_and_follows_a_moved_one():
    changes = [
        {"id": "c1", "office": "TEL", "date": "2027-05-11", "kind": "cancelled", "template_id": "hours:TEL-1"},
        {"id": "c2", "office": "TEL", "date": "2027-05-18", "kind": "moved", "template_id": "hours:TEL-1",
         "to_date": "2027-05-19", "starts": "10:00", "ends": "12:00"},
        {"id": "c3", "office": "TEL", "date": "2027-05-31", "kind": "extra", "starts": "14:00", "ends": "15:00",
         "desks": ["JC"], "slot_minutes": 30},
    ]
    hours = Schedule(tel_templates(), changes).hours("TEL", dt.date(2027, 5, 1), dt.date(2027, 5, 31))
    days = [(h.date.isoformat(), h.starts) for h in hours]
    assert days == [("2027-05-04", "09:00"), ("2027-05-13", "09:00"), ("2027-05-19", "10:00"),
                    ("2027-05-20", "09:00"), ("2027-05-25", "09:00"), ("2027-05-31", "14:00")]
    # Tue/Thu 09:00-12:00, 20-minute slots, three desks (AA, JC, SOZ): 9 x 3 slots per office hour
    first = hours[0]
    assert len(first.slots()) == 27 and first.slots()[0].starts_at == "2027-05-04T09:00"
    assert {s.agency for s in first.slots()} == {"AA", "JC", "SOZ"}
    assert [s.starts_at for s in hours[-1].slots()] == ["2027-05-31T14:00", "2027-05-31T14:30"]
    moved = hours[2]
    assert moved.slot_starts()[0] == "10:00" and moved.template_id == "hours:TEL-1"


def test_a_year_of_all_thirteen_towns_is_derived_not_stored(repo):
    sched = Schedule(offices.load_templates(repo.conn), offices.load_changes(repo.conn))
    hours = sched.hours(None, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert {h.office for h in hours} == {o["code"] for o in offices.seed()["offices"] if not o.get("central")}
    assert all(h.date != dt.date(2027, 12, 25) and h.date != dt.date(2027, 10, 3) for h in hours)
    assert repo.conn.execute("SELECT count(*) FROM office_hours").fetchone()[0] == 0


def _case(repo, family="Haddad", given="Amal", office="TEL", interpreter="ar"):
    hid = repo.save("household", {"office": office})
    pid = repo.save("person", {"household_id": hid, "family_name": family, "given_names": given,
                               "interpreter_language": interpreter})
    return repo.save("case", {"household_id": hid, "person_id": pid, "office": office, "status": "active",
                              "case_number": f"{office}-27-{family[:4].upper()}"})


@pytest.fixture
def booking(repo):
    repo.today = MONDAY.date()
    return Booking(repo, clock=lambda: MONDAY)


def _events(repo, case_id):
    return [event_text(e, "de") for e in repo.find("event", case_id=case_id)]


def test_booking_writes_the_chronicle_and_refuses_a_second_booking_of_the_desk(repo, booking):
    a, b = _case(repo), _case(repo, "Tesfay", "Yonas", interpreter="ti")
    aid = booking.book(a, "TEL", "2027-05-04T09:00", agency="JC", interpreter="ar", purpose="Profiling")
    appt = repo.get("appointment", aid)
    assert (appt["desk"], appt["agency"], appt["ends_at"], appt["outcome"]) == (2, "JC", "2027-05-04T09:20", "planned")
    assert repo.get("slot_claim", claim_id("TEL", "2027-05-04T09:00", 2))["appointment_id"] == aid
    assert any("Profiling" in t and "Telgte" in t for t in _events(repo, a))
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        booking.book(b, "TEL", "2027-05-04T09:00", agency="JC")
    assert "JC" in str(err.value.errors["starts_at"])
    # the one write path itself refuses it too, whoever writes
    with pytest.raises(ValidationError):
        repo.save("appointment", {"household_id": appt["household_id"], "case_id": b, "office": "TEL", "desk": 2,
                                  "starts_at": "2027-05-04T09:00", "ends_at": "2027-05-04T09:20",
                                  "purpose": "x", "outcome": "planned"})
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    # another desk at the same time is free; a two-slot booking covers 09:20 and 09:40
    other = booking.book(b, "TEL", "2027-05-04T09:20", agency="JC", slots=2)
    assert repo.get("appointment", other)["ends_at"] == "2027-05-04T10:00"
    with pytest.raises(ValidationError):
        booking.book(a, "TEL", "2027-05-04T09:40", agency="JC")


@pytest.mark.parametrize("at, agency, expected", [
    ("2027-05-01T09:00", None, "past"),  # Saturday before the clock's Monday
    ("2027-05-06T09:00", None, "Christi Himmelfahrt"),
    ("2027-05-05T09:00", None, "no office hours"),  # Wednesday: no template in Telgte
    ("2027-05-04T12:00", None, "no office hours"),  # after the end
    ("2027-05-04T09:10", None, "no office hours"),  # not a slot start
    ("2027-05-04T09:00", "ABH", "does not attend"),
])
def test_bad_bookings_are_refused_with_one_message_and_write_nothing(repo, booking, at, agency, expected):
    i18n_en(repo)
    a = _case(repo)
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(ValidationError) as err:
        booking.book(a, "TEL", at, agency=agency)
    assert expected in next(iter(err.value.errors.values()))
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before


def i18n_en(repo):
    import i18n

    i18n.set_language("en")


def test_unknown_office_is_refused(repo, booking):
    with pytest.raises(ValidationError) as err:
        booking.book(_case(repo), "XYZ", "2027-05-04T09:00")
    assert "office" in err.value.errors


def test_kept_missed_set_back_and_walk_in(repo, booking):
    a, b, c = _case(repo), _case(repo, "Bondarenko", "Olena", interpreter="uk"), _case(repo, "Rahimi", "Zahra", interpreter="fa")
    x = booking.book(a, "TEL", "2027-05-04T09:00", agency="AA")
    y = booking.book(b, "TEL", "2027-05-04T09:00", agency="SOZ", purpose="Antrag")
    booking.clock = lambda: dt.datetime(2027, 5, 4, 9, 5)
    booking.set_status(x, "arrived")
    booking.set_status(x, "kept")
    booking.set_status(y, "missed")
    booking.set_status(y, "booked")  # a wrong "missed" set back
    booking.set_status(y, "missed")
    assert [t for t in _events(repo, a) if "kept" in t or "wahrgenommen" in t]
    assert len([t for t in _events(repo, b) if "Antrag" in t]) == 4  # booked, missed, corrected, missed
    w = booking.walk_in(c, "TEL", agency="JC", purpose="Brief vom Jobcenter")
    booking.clock = lambda: dt.datetime(2027, 5, 4, 9, 50)
    cw = CaseWork(repo)
    day = build_day(cw, booking, "TEL", dt.date(2027, 5, 4))
    assert [(r.name, r.waiting_minutes) for r in day.walk_ins] == [("Zahra Rahimi", 45)]
    assert day.walk_ins[0].appointment_id == w
    last = max(h.ends for h in day.hours)  # in the evening the wait counts to the end of the office hours
    booking.clock = lambda: dt.datetime(2027, 5, 4, 20, 30)
    evening = build_day(cw, booking, "TEL", dt.date(2027, 5, 4))
    closes = dt.datetime.combine(dt.date(2027, 5, 4), dt.time.fromisoformat(last))
    assert evening.walk_ins[0].waiting_minutes == (closes - dt.datetime(2027, 5, 4, 9, 5)).seconds // 60 < 11 * 60
    booking.clock = lambda: dt.datetime(2027, 5, 4, 9, 50)
    by_id = {r.appointment_id: r for r in day.booked}
    assert by_id[x].status == "kept" and by_id[y].status == "missed" and by_id[x].name == "Amal Haddad"
    assert len(day.rows) == 27 and len(day.booked) == 2
    assert day.interpreters == {"fa": ["09:05"]}  # only those still to come or waiting need one
    with pytest.raises(ValidationError):
        booking.set_status(x, "booked")  # kept cannot be undone into booked


def test_cancel_frees_the_desk_and_reschedule_keeps_the_history(repo, booking):
    a, b = _case(repo), _case(repo, "Tesfay", "Yonas")
    x = booking.book(a, "TEL", "2027-05-04T09:00", agency="AA")
    booking.set_status(x, "cancelled")
    assert repo.get("slot_claim", claim_id("TEL", "2027-05-04T09:00", 1))["appointment_id"] is None
    y = booking.book(b, "TEL", "2027-05-04T09:00", agency="AA")
    z = booking.reschedule(y, "2027-05-13T10:00")
    assert repo.get("appointment", y)["outcome"] == "rescheduled" and repo.get("appointment", y)["moved_to"] == z
    assert repo.get("appointment", z)["starts_at"] == "2027-05-13T10:00"
    assert booking.next_free("TEL", "2027-05-04T09:00", "AA").starts_at == "2027-05-04T09:00"


def test_two_laptops_book_one_desk_offline_one_booking_stays_and_the_move_lands_in_a_free_slot(tmp_path):
    sa, sb = make_store(tmp_path / "a", login="anna"), make_store(tmp_path / "b", login="bernd")
    try:
        ra, rb = Repository(sa, today=MONDAY.date()), Repository(sb, today=MONDAY.date())
        a_case, b_case = _case(ra), _case(ra, "Tesfay", "Yonas", interpreter="ti")
        exchange(sa, sb)
        ba, bb = Booking(ra, clock=lambda: MONDAY), Booking(rb, clock=lambda: MONDAY)
        xa = ba.book(a_case, "TEL", "2027-05-04T09:00", agency="JC")
        ba.book(a_case, "TEL", "2027-05-04T09:20", agency="JC")  # the next JC slot is taken too
        xb = bb.book(b_case, "TEL", "2027-05-04T09:00", agency="JC")
        exchange(sa, sb)
        exchange(sb, sa)
        assert open_conflicts(sa) == open_conflicts(sb) and len(open_conflicts(sa)) == 1
        for booking in (ba, bb):
            day = build_day(CaseWork(booking.repo), booking, "TEL", dt.date(2027, 5, 4), log=False)
            holders = [r.appointment_id for r in day.booked if r.starts_at == "2027-05-04T09:00" and r.desk == 2]
            assert len(holders) == 1 and len(day.lost) == 1 and day.lost[0].appointment_id != holders[0]
        [conflict] = ba.booking_conflicts()
        loser = conflict.other.value
        assert {loser, conflict.current.value} == {xa, xb}
        new = ba.move_to_next_free(conflict.id)
        moved = ra.get("appointment", new)
        assert (moved["starts_at"], moved["desk"], moved["case_id"]) == (
            "2027-05-04T09:40", 2, ra.get("appointment", loser)["case_id"])
        assert ra.get("appointment", loser)["outcome"] == "rescheduled"
        exchange(sa, sb)
        assert open_conflicts(sb) == set() and bb.booking_conflicts() == []
        day = build_day(CaseWork(rb), bb, "TEL", dt.date(2027, 5, 4), log=False)
        assert day.lost == [] and len([r for r in day.booked if r.desk == 2]) == 3
    finally:
        sa.close()
        sb.close()


def test_the_central_office_edits_an_office_and_a_template(repo):
    offices.save_office(repo, "TEL", {"phone": "02504 99-1", "directions": {"de": "Neu", "ar": "جديد"}})
    tel = offices.load_offices(repo.conn)["TEL"]
    assert tel.phone == "02504 99-1" and tel.directions_in("ar") == "جديد" and tel.address.startswith("Baßfeld")
    offices.save_template(repo, {"desks": ["JC", "JC"]}, "hours:TEL-1")
    t = next(t for t in offices.load_templates(repo.conn) if t["id"] == "hours:TEL-1")
    assert t["desks"] == ["JC", "JC"] and t["starts"] == "09:00"
    with pytest.raises(ValidationError):
        offices.save_template(repo, {"office": "TEL", "weekday": 1, "starts": "12:00", "ends": "09:00"})
    repo.delete("office_hours", "hours:TEL-2")
    assert "hours:TEL-2" not in {t["id"] for t in offices.load_templates(repo.conn)}


def test_walk_in_choices_follow_new_renamed_and_closed_cases_and_stay_read_otherwise(repo):
    from app.hours import OfficeHours

    repo.today = MONDAY.date()
    hours = OfficeHours(repo, CaseWork(repo))
    hours.booking.clock = lambda: MONDAY
    a = _case(repo)
    b = _case(repo, "Tesfay", "Yonas", office="BEC")
    first = hours.case_choices("BEC")
    assert [(c["name"], c["office"]) for c in first] == [("Yonas Tesfay", "BEC"), ("Amal Haddad", "TEL")]
    # a booking, its status and the chronicle change no case: the rows read before are handed out again
    x = hours.booking.book(a, "TEL", "2027-05-04T09:00", agency="AA")
    hours.booking.set_status(x, "cancelled")
    again = hours.case_choices("TEL")
    assert [c["name"] for c in again] == ["Amal Haddad", "Yonas Tesfay"]
    assert {id(c) for c in again} == {id(c) for c in first}
    c = _case(repo, "Rahimi", "Zahra")
    assert "Zahra Rahimi" in [r["name"] for r in hours.case_choices("TEL")]
    person = repo.get("case", a)["person_id"]
    repo.save("person", {"given_names": "Amala"}, person)
    assert "Amala Haddad" in [r["name"] for r in hours.case_choices("TEL")]
    repo.save("case", {"status": "closed"}, b)
    assert [r["id"] for r in hours.case_choices("TEL")] == [a, c]


def test_the_holiday_tables_are_computed_while_the_key_is_derived(store_dir):
    from app import schedule
    from app.session import Session
    from app.store import Store
    from tests.conftest import PASSPHRASE

    Store.create(store_dir, PASSPHRASE, login="anna")[0].close()
    schedule.nrw_holidays.cache_clear()
    schedule._warming.clear()
    store = Session(store_dir).open_store(PASSPHRASE)  # what the lock screen runs off the GUI thread
    store.close()
    [thread] = schedule._warming
    thread.join(30)
    before = schedule.nrw_holidays.cache_info()
    this_year = dt.date.today().year
    schedule.nrw_holidays(this_year)
    schedule.nrw_holidays(this_year + 1)
    after = schedule.nrw_holidays.cache_info()
    assert before.currsize == 2 and after.hits - before.hits == 2 and after.misses == before.misses


def test_a_longer_booking_spans_its_slots_and_is_refused_when_a_later_slot_is_taken_or_past_the_end(repo, booking):
    i18n_en(repo)
    a, b, c = _case(repo), _case(repo, "Tesfay", "Yonas", interpreter="ti"), _case(repo, "Rahimi", "Zahra")
    x = booking.book(a, "TEL", "2027-05-04T09:00", agency="AA", interpreter="ar", slots=3)
    assert booking.repo.get("appointment", x)["ends_at"] == "2027-05-04T10:00"
    assert [r["desk"] for r in repo.find("slot_claim", appointment_id=x)] == [1, 1, 1]
    day = build_day(CaseWork(repo), booking, "TEL", dt.date(2027, 5, 4))
    aa = [(r.starts_at[11:], r.appointment_id, r.slots, r.continued) for r in day.rows if r.desk == 1][:4]
    assert aa == [("09:00", x, 3, False), ("09:20", x, 1, True), ("09:40", x, 1, True), ("10:00", None, 1, False)]
    assert [r.appointment_id for r in day.booked] == [x] and day.interpreters == {"ar": ["09:00"]}
    assert len(day.rows) == 27 and day.to_dict()["free_slots"] == 24
    booking.book(b, "TEL", "2027-05-04T09:40", agency="JC")
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    for at, agency, slots, expected in [("2027-05-04T09:00", "JC", 3, "No desk of JC is free from 09:00 to 10:00"),
                                        ("2027-05-04T09:20", "AA", 2, "No desk of AA is free from 09:20 to 10:00"),
                                        ("2027-05-04T11:20", "SOZ", 3, "ends at 12:00: 3 slots from 11:20"),
                                        ("2027-05-04T09:00", "SOZ", 9, "one to eight slots")]:
        with pytest.raises(ValidationError) as err:
            booking.book(c, "TEL", at, agency=agency, slots=slots)
        assert expected in next(iter(err.value.errors.values())), (at, slots)
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    # the next free place for a two-slot booking of JC skips 09:20 (09:40 is taken)
    assert booking.next_free("TEL", "2027-05-04T09:00", "JC", slots=2).starts_at == "2027-05-04T09:00"
    assert booking.next_free("TEL", "2027-05-04T09:20", "JC", slots=2).starts_at == "2027-05-04T10:00"


def test_two_laptops_a_longer_booking_loses_its_second_slot_and_moves_whole(tmp_path):
    """Laptop A books JC 09:00-09:40 (two slots), laptop B JC 09:20 offline: the merge leaves one open conflict
    (the 09:20 claim), one of the two holds the desk in every slot it covers, the other shows as lost, and
    the move lands the loser, with its length, where all its slots are free."""
    sa, sb = make_store(tmp_path / "a", login="anna"), make_store(tmp_path / "b", login="bernd")
    try:
        ra, rb = Repository(sa, today=MONDAY.date()), Repository(sb, today=MONDAY.date())
        a_case, b_case = _case(ra), _case(ra, "Tesfay", "Yonas", interpreter="ti")
        exchange(sa, sb)
        ba, bb = Booking(ra, clock=lambda: MONDAY), Booking(rb, clock=lambda: MONDAY)
        xa = ba.book(a_case, "TEL", "2027-05-04T09:00", agency="JC", slots=2)
        xb = bb.book(b_case, "TEL", "2027-05-04T09:20", agency="JC")
        exchange(sa, sb)
        exchange(sb, sa)
        assert open_conflicts(sa) == open_conflicts(sb) and len(open_conflicts(sa)) == 1
        [conflict] = ba.booking_conflicts()
        assert conflict.entity_id == claim_id("TEL", "2027-05-04T09:20", 2)
        winner, loser = conflict.current.value, conflict.other.value
        assert {winner, loser} == {xa, xb}
        for b in (ba, bb):
            day = build_day(CaseWork(b.repo), b, "TEL", dt.date(2027, 5, 4), log=False)
            assert [r.appointment_id for r in day.lost] == [loser]
            assert {r.appointment_id for r in day.booked if r.desk == 2} == {winner}
        new = ba.move_to_next_free(conflict.id)
        moved = ra.get("appointment", new)
        length = 2 if loser == xa else 1
        assert ba.slots_of(moved) == length and ra.get("appointment", loser)["outcome"] == "rescheduled"
        exchange(sa, sb)
        day = build_day(CaseWork(rb), bb, "TEL", dt.date(2027, 5, 4), log=False)
        assert day.lost == [] and {r.appointment_id for r in day.booked if r.desk == 2} == {winner, new}
        assert bb.booking_conflicts() == []
    finally:
        sa.close()
        sb.close()


def test_reschedule_keeps_client_length_and_checklist_writes_the_chronicle_and_refuses_like_book(repo, booking):
    i18n_en(repo)
    a, b = _case(repo), _case(repo, "Tesfay", "Yonas", interpreter="ti")
    x = booking.book(a, "TEL", "2027-05-04T09:00", agency="JC", interpreter="ar", purpose="Profiling", slots=2,
                     bring=["Pass"])
    booking.book(b, "TEL", "2027-05-13T09:20", agency="JC")
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    for at, expected in [("2027-05-13T09:00", "No desk of JC is free from 09:00 to 09:40"),
                         ("2027-05-01T09:00", "past"), ("2027-05-06T09:00", "Christi Himmelfahrt"),
                         ("2027-05-04T11:40", "ends at 12:00")]:
        with pytest.raises(ValidationError) as err:
            booking.reschedule(x, at)
        assert expected in next(iter(err.value.errors.values())), at
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    assert repo.get("appointment", x)["outcome"] == "planned"
    # one slot later on the same desk: the booking's own second slot does not stand in its way
    y = booking.reschedule(x, "2027-05-04T09:20")
    new = repo.get("appointment", y)
    assert (new["starts_at"], new["ends_at"], new["desk"], new["purpose"], new["interpreter_language"],
            new["bring"]) == ("2027-05-04T09:20", "2027-05-04T10:00", 2, "Profiling", "ar", ["Pass"])
    old = repo.get("appointment", x)
    assert (old["outcome"], old["moved_to"]) == ("rescheduled", y)
    assert [r["appointment_id"] for r in repo.find("slot_claim", office="TEL", desk=2)
            if r["starts_at"] == "2027-05-04T09:00"] == [None]
    import i18n

    i18n.set_language("de")
    assert any(t.startswith("Termin verlegt vom") and "Profiling" in t for t in _events(repo, a))
    # to another office (Ahlen, Monday 09:00, desks AA, JC, JC, SOZ): the first free desk of the agency
    z = booking.reschedule(y, "2027-05-10T09:00", office="AHL")
    moved = repo.get("appointment", z)
    assert (moved["office"], moved["desk"], moved["agency"], moved["ends_at"]) == ("AHL", 2, "JC", "2027-05-10T09:40")
    with pytest.raises(ValidationError):
        booking.reschedule(x, "2027-05-04T10:00")  # a rescheduled booking moves no more


def test_booking_into_a_cancelled_or_moved_office_hour_says_why(repo, booking):
    import i18n

    a = _case(repo)
    offices.save_change(repo, {"office": "TEL", "date": "2027-05-11", "kind": "cancelled",
                               "template_id": "hours:TEL-1", "note": "Fortbildung"})
    offices.save_change(repo, {"office": "TEL", "date": "2027-05-18", "kind": "cancelled"})  # the whole day
    offices.save_change(repo, {"office": "TEL", "date": "2027-05-25", "kind": "moved", "template_id": "hours:TEL-1",
                               "to_date": "2027-05-26", "note": "Raum belegt"})
    before = repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    expected = {"2027-05-11T09:00": "Die Sprechstunde in Telgte am 11.05.2027 fällt aus: Fortbildung",
                "2027-05-18T09:20": "Die Sprechstunde in Telgte am 18.05.2027 fällt aus.",
                "2027-05-25T09:00": "Die Sprechstunde in Telgte am 25.05.2027 ist auf den 26.05.2027 verlegt: Raum belegt"}
    i18n.set_language("de")
    for at, text in expected.items():
        with pytest.raises(ValidationError) as err:
            booking.book(a, "TEL", at)
        assert err.value.errors["starts_at"] == text
    with pytest.raises(ValidationError) as err:
        booking.book(a, "TEL", "2027-05-11T13:00")  # outside the cancelled office hour: the usual message
    assert "keine Sprechstunde" in err.value.errors["starts_at"]
    assert repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    day = build_day(CaseWork(repo), booking, "TEL", dt.date(2027, 5, 11))
    assert day.hours == [] and [(c["template_id"], c["note"]) for c in day.cancelled] == [("hours:TEL-1", "Fortbildung")]
    assert day.to_dict()["cancelled"][0]["starts"] == "09:00"
    assert build_day(CaseWork(repo), booking, "TEL", dt.date(2027, 5, 4)).cancelled == []


def test_the_interpreter_line_names_each_time_once_with_how_many_clients():
    from app.dayview import Day

    day = Day("WAF", dt.date(2026, 12, 2), [], None, [], [], {"uk": ["09:30", "15:30", "15:30"], "ar": ["10:00"]}, [])
    assert day.interpreter_times("uk") == "09:30, 2× 15:30"
    assert day.interpreter_times("ar") == "10:00"
    assert day.interpreter_times("fa") == ""
