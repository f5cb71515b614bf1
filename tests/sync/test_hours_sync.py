"""Office hours through a real hub on 127.0.0.1: two Telgte laptops book the same desk offline.

Both laptops are real SQLCipher stores enrolled at a real `sprechstunde-hub serve` process
(tests/sync/hubkit.py). Each books a different client into the same desk and time while
offline; after both have synced (twice) one booking holds the desk and the other is an open
conflict on both laptops and at the hub, and both day views agree on who holds the desk.
`Booking.move_to_next_free` on one laptop moves the losing booking to a free slot; after another
round of syncs both laptops and the hub hold the same bookings and claims, no conflict, and no
desk is booked twice. A booking made on one laptop is in the other's day view after a sync.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.casework import CaseWork
from app.checks import ValidationError
from app.hours import OfficeHours
from app.desks import ACTIVE
from app.repository import Repository

from .hubkit import sync

MONDAY = dt.datetime(2027, 5, 3, 8, 0)  # the laptops' clock for booking: the day before
DAY = dt.date(2027, 5, 4)  # a Tuesday: Telgte holds office hours 09:00-12:00, desks AA, JC, SOZ
AT = "2027-05-04T09:00"
OTHER_DAY = dt.date(2027, 5, 11)  # the next Tuesday (the hub is shared by the tests of this module)


def _hours(store, login_today=MONDAY) -> OfficeHours:
    repo = Repository(store, today=login_today.date())
    service = OfficeHours(repo, CaseWork(repo))
    service.booking.clock = lambda: login_today
    return service


def _case(repo, family: str, given: str, number: str, interpreter: str) -> str:
    with repo.transaction():
        hid = repo.save("household", {"office": "TEL", "address": f"{family}weg 1, 48291 Telgte"})
        pid = repo.save("person", {"household_id": hid, "family_name": family, "given_names": given,
                                   "interpreter_language": interpreter,
                                   "languages": [{"code": interpreter, "level": "native"}]})
        return repo.save("case", {"household_id": hid, "person_id": pid, "office": "TEL", "status": "active",
                                  "case_number": number, "opened": "2027-04-01"})


def _bookings(store) -> list[tuple]:
    return sorted(store.conn.execute(
        "SELECT id, case_id, office, starts_at, ends_at, desk, agency, coalesce(outcome, 'planned'), moved_to"
        " FROM appointment WHERE office IS NOT NULL AND coalesce(deleted, 0) = 0"))


def _claims(store) -> list[tuple]:
    return sorted(store.conn.execute("SELECT id, office, starts_at, desk, appointment_id FROM slot_claim"))


def _open_conflicts(store) -> set[tuple]:
    return set(store.conn.execute("SELECT id, entity, entity_id, field FROM conflicts WHERE status = 'open'"))


def _assert_no_double_booking(store) -> None:
    """No two active bookings overlap on one desk, and every active booking holds the claims of its slots."""
    rows = [r for r in _bookings(store) if r[5] and r[7] in ACTIVE]
    by_desk: dict[tuple, list[tuple]] = {}
    for r in rows:
        by_desk.setdefault((r[2], r[5]), []).append(r)
    for desk_rows in by_desk.values():
        desk_rows.sort(key=lambda r: r[3])
        for a, b in zip(desk_rows, desk_rows[1:], strict=False):
            assert a[4] <= b[3], f"desk booked twice: {a} and {b}"
    holders = {(c[1], c[2], c[3]): c[4] for c in _claims(store)}
    for r in rows:
        assert holders.get((r[2], r[3], r[5])) == r[0], f"booking {r} does not hold its desk"



def _assert_converged(hub, a, b) -> None:
    """Both laptops and the hub hold the same bookings and claims, no open conflict, no desk twice."""
    hub_store = hub.store()
    try:
        assert _open_conflicts(a) == _open_conflicts(b) == _open_conflicts(hub_store) == set()
        assert _bookings(a) == _bookings(b) == _bookings(hub_store)
        assert _claims(a) == _claims(b) == _claims(hub_store)
        for store in (a, b, hub_store):
            _assert_no_double_booking(store)
    finally:
        hub_store.close()

def test_two_laptops_book_one_desk_offline_through_the_hub(hub, laptops):
    a, b = laptops("TEL", "anna"), laptops("TEL", "bernd")
    ha, hb = _hours(a), _hours(b)
    case_a = _case(ha.repo, "Haddad", "Amal", "TEL-27-0001", "ar")
    case_b = _case(ha.repo, "Tesfay", "Yonas", "TEL-27-0002", "ti")
    assert sync(a).ok and sync(b).ok
    assert hb.repo.get("case", case_b) is not None

    # offline: both laptops book the JC desk at 09:00, each for another client
    xa = ha.booking.book(case_a, "TEL", AT, agency="JC", purpose="Profiling")
    xb = hb.booking.book(case_b, "TEL", AT, agency="JC", interpreter="ti", purpose="Antrag")
    assert ha.repo.get("appointment", xa)["desk"] == hb.repo.get("appointment", xb)["desk"] == 2

    for store in (a, b, a, b):
        assert sync(store).ok
    # one booking holds the desk, the other is an open conflict, on both laptops and at the hub
    hub_store = hub.store()
    try:
        assert _open_conflicts(a) == _open_conflicts(b) == _open_conflicts(hub_store)
        assert _claims(a) == _claims(b) == _claims(hub_store)
    finally:
        hub_store.close()
    [conflict] = ha.booking.booking_conflicts()
    [same] = hb.booking.booking_conflicts()
    assert (same.id, same.current.value, same.other.value) == (conflict.id, conflict.current.value,
                                                               conflict.other.value)
    winner, loser = conflict.current.value, conflict.other.value
    assert {winner, loser} == {xa, xb}
    for service in (ha, hb):
        day = service.day("TEL", DAY, log=False)
        holders = [r.appointment_id for r in day.booked if r.starts_at == AT and r.desk == 2]
        assert holders == [winner]
        assert [r.appointment_id for r in day.lost] == [loser]

    # one click on laptop A: the losing booking moves to the next free JC slot
    new = ha.booking.move_to_next_free(conflict.id)
    moved = ha.repo.get("appointment", new)
    lost = ha.repo.get("appointment", loser)
    assert moved["case_id"] == lost["case_id"] and moved["agency"] == "JC"
    assert (moved["starts_at"], moved["desk"]) == ("2027-05-04T09:20", 2)
    assert lost["outcome"] == "rescheduled" and lost["moved_to"] == new

    for store in (a, b, a):
        assert sync(store).ok
    _assert_converged(hub, a, b)
    for service in (ha, hb):
        assert service.booking.booking_conflicts() == []
        day = service.day("TEL", DAY, log=False)
        assert day.lost == []
        jc = {r.starts_at: r.appointment_id for r in day.booked if r.desk == 2}
        assert jc == {AT: winner, "2027-05-04T09:20": new}


def test_a_booking_made_on_one_laptop_is_in_the_other_laptops_day_view(hub, laptops):
    a, b = laptops("TEL", "anna"), laptops("TEL", "bernd")
    ha, hb = _hours(a), _hours(b)
    case = _case(ha.repo, "Rahimi", "Zahra", "TEL-27-0003", "fa")
    assert sync(a).ok and sync(b).ok
    before = hb.day("TEL", OTHER_DAY, log=False)
    assert before.booked == [] and before.interpreters == {}

    aid = ha.booking.book(case, "TEL", "2027-05-11T10:00", agency="SOZ", interpreter="fa", purpose="Antrag Leistungen")
    assert sync(a).ok and sync(b).ok
    day = hb.day("TEL", OTHER_DAY, log=False)
    [row] = day.booked
    assert (row.appointment_id, row.starts_at, row.desk, row.agency) == (aid, "2027-05-11T10:00", 3, "SOZ")
    assert (row.name, row.case_number, row.purpose, row.interpreter, row.status) == (
        "Zahra Rahimi", "TEL-27-0003", "Antrag Leistungen", "fa", "booked")
    assert day.interpreters == {"fa": ["10:00"]}
    # laptop B cannot book the desk A has taken
    other = _case(hb.repo, "Bondarenko", "Olena", "TEL-27-0004", "uk")
    slot = next(s for s in hb.slots("TEL", OTHER_DAY, OTHER_DAY) if s["starts_at"] == "2027-05-11T10:00")
    assert [d["free"] for d in slot["desks"]] == [True, True, False]
    assert hb.booking.next_free("TEL", "2027-05-11T10:00", "SOZ").starts_at == "2027-05-11T10:20"
    with pytest.raises(ValidationError) as err:
        hb.booking.book(other, "TEL", "2027-05-11T10:00", agency="SOZ")
    assert "SOZ" in err.value.errors["starts_at"]


def test_a_longer_booking_and_a_booking_of_its_second_slot_meet_as_one_conflict(hub, laptops):
    """Laptop A books the JC desk 09:00-09:40 (two slots), laptop B the same desk at 09:20, both offline. After
    the syncs the 09:20 claim is one open conflict on both laptops and at the hub; the two day views agree
    on which booking holds the desk and which lost it; moving the loser from laptop B leaves, after another
    round, the same bookings and claims everywhere and no desk booked twice."""
    day, at = dt.date(2027, 5, 18), "2027-05-18T09:00"
    a, b = laptops("TEL", "anna"), laptops("TEL", "bernd")
    ha, hb = _hours(a), _hours(b)
    case_a = _case(ha.repo, "Kaya", "Nesrin", "TEL-27-0005", "tr")
    case_b = _case(ha.repo, "Yusufi", "Morsal", "TEL-27-0006", "prs")
    assert sync(a).ok and sync(b).ok
    xa = ha.booking.book(case_a, "TEL", at, agency="JC", slots=2, purpose="Antrag Leistungen")
    xb = hb.booking.book(case_b, "TEL", "2027-05-18T09:20", agency="JC", purpose="Profiling")
    for store in (a, b, a, b):
        assert sync(store).ok
    hub_store = hub.store()
    try:
        assert _open_conflicts(a) == _open_conflicts(b) == _open_conflicts(hub_store)
        assert len([c for c in _open_conflicts(a) if c[1] == "slot_claim"]) == 1
    finally:
        hub_store.close()
    [conflict] = hb.booking.booking_conflicts()
    winner, loser = conflict.current.value, conflict.other.value
    assert {winner, loser} == {xa, xb}
    for service in (ha, hb):
        d = service.day("TEL", day, log=False)
        assert [r.appointment_id for r in d.lost] == [loser]
        assert {r.appointment_id for r in d.booked if r.desk == 2} == {winner}
    new = hb.booking.move_to_next_free(conflict.id)
    assert hb.booking.slots_of(hb.repo.get("appointment", new)) == (2 if loser == xa else 1)
    for store in (b, a, b):
        assert sync(store).ok
    _assert_converged(hub, a, b)
    for service in (ha, hb):
        d = service.day("TEL", day, log=False)
        assert d.lost == [] and {r.appointment_id for r in d.booked if r.desk == 2} == {winner, new}
