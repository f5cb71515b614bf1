"""Editing offices, office-hour templates and exceptions: only roles with `manage_offices` (the central office,
the administrator) may, decided in app/ behind the session; bad input gets one German message per field and
writes nothing; what is saved is what the schedule derives its slots from."""

import datetime as dt

import pytest

from app import audit
from app.access import AccessDenied
from app.checks import ValidationError
from app.session import Session
from app.store import Store
from tests.conftest import PASSPHRASE

TUESDAY = dt.date(2027, 5, 4)


@pytest.fixture
def sessions(tmp_path):
    """A store with a central-office member and an intake member of the Jobcenter; (open) session per login."""
    path = tmp_path / "store"
    store, _recovery = Store.create(path, PASSPHRASE, login="anna", name="Anna Admin")
    store.add_member("zentrale", PASSPHRASE, "Zora Zentrale", "KI", "central")
    store.add_member("jc.intake", PASSPHRASE, "Ida Intake", "JC", "intake")
    store.close()
    opened = []

    def open_as(login: str) -> Session:
        s = Session(path)
        s.unlock(PASSPHRASE, login)
        opened.append(s)
        return s

    yield open_as
    for s in opened:
        s.lock()


def _changes(session) -> int:
    return session._repo.conn.execute("SELECT count(*) FROM changes").fetchone()[0]


def test_the_central_office_edits_an_office_a_template_and_exceptions(sessions):
    hours = sessions("zentrale").hours
    assert hours.may_edit() and hours.edit_refusal() == ""
    hours.save_office("TEL", {"phone": "02504 99-1", "rooms": ["Raum 3", "Raum 4"],
                              "directions": {"de": "Hinterhof", "ar": "الفناء الخلفي"}, "agencies": ["JC", "SOZ"]})
    tel = hours.office("TEL")
    assert (tel.phone, tel.rooms, tel.agencies) == ("02504 99-1", ("Raum 3", "Raum 4"), ("JC", "SOZ"))
    assert tel.directions_in("ar") == "الفناء الخلفي"

    new = hours.save_template({"office": "TEL", "weekday": 2, "starts": "14:00", "ends": "15:00", "slot_minutes": 30,
                               "desks": ["JC", "SOZ"], "staff": ["Frau Beispiel"], "room": "Raum 3",
                               "valid_from": "2027-05-01"})
    wednesday = TUESDAY + dt.timedelta(days=1)
    slots = hours.slots("TEL", wednesday, wednesday)
    assert [s["starts_at"] for s in slots] == ["2027-05-05T14:00", "2027-05-05T14:30"]
    assert [d["agency"] for d in slots[0]["desks"]] == ["JC", "SOZ"] and slots[0]["room"] == "Raum 3"
    assert [(t["id"], t["weekday"]) for t in hours.templates("TEL")] == [
        ("hours:TEL-1", 1), (new, 2), ("hours:TEL-2", 3)]  # by weekday

    hours.save_template({"ends": "11:00"}, "hours:TEL-1")  # a seed template, overridden under its own id
    assert hours.slots("TEL", TUESDAY, TUESDAY)[-1]["starts_at"] == "2027-05-04T10:40"

    hours.save_change({"office": "TEL", "kind": "cancelled", "date": "2027-05-04", "template_id": "hours:TEL-1"})
    hours.save_change({"office": "TEL", "kind": "extra", "date": "2027-05-10", "starts": "10:00", "ends": "11:00",
                       "desks": ["AA"], "slot_minutes": 60})
    moved = hours.save_change({"office": "TEL", "kind": "moved", "date": "2027-05-12", "template_id": new,
                               "to_date": "2027-05-14"})
    assert hours.slots("TEL", TUESDAY, TUESDAY) == []
    assert [s["starts_at"] for s in hours.slots("TEL", dt.date(2027, 5, 10), dt.date(2027, 5, 10))] == [
        "2027-05-10T10:00"]
    friday = [s["starts_at"] for s in hours.slots("TEL", dt.date(2027, 5, 14), dt.date(2027, 5, 14))]
    assert friday == ["2027-05-14T14:00", "2027-05-14T14:30"]
    assert [c["kind"] for c in hours.changes("TEL")] == ["cancelled", "extra", "moved"]
    hours.delete_change(moved)
    hours.delete_template(new)
    assert hours.slots("TEL", dt.date(2027, 5, 14), dt.date(2027, 5, 14)) == []


def test_staff_without_the_central_role_are_refused_and_the_refusal_is_logged(sessions):
    session = sessions("jc.intake")
    hours = session.hours
    assert not hours.may_edit()
    assert "Zentrale" in hours.edit_refusal() or "zentral" in hours.edit_refusal()
    before = _changes(session)
    attempts = [
        lambda: hours.save_office("TEL", {"phone": "0000"}),
        lambda: hours.save_template({"office": "TEL", "weekday": 2, "starts": "14:00", "ends": "15:00",
                                     "desks": ["JC"]}),
        lambda: hours.save_template({"ends": "11:00"}, "hours:TEL-1"),
        lambda: hours.delete_template("hours:TEL-1"),
        lambda: hours.save_change({"office": "TEL", "kind": "cancelled", "date": "2027-05-04"}),
    ]
    for attempt in attempts:
        with pytest.raises(AccessDenied) as err:
            attempt()
        assert str(err.value) == hours.edit_refusal()
    assert _changes(session) == before
    refused = [e for e in audit.entries(session._repo.conn) if e["outcome"] == "refused"]
    assert len(refused) == len(attempts) and {e["action"] for e in refused} == {"offices:edit"}
    assert {(e["role"], e["agency"]) for e in refused} == {("intake", "JC")}
    # reading is for everyone
    assert hours.templates("TEL") and hours.office("TEL").address.startswith("Baßfeld")


@pytest.mark.parametrize("values, field, message", [
    ({"starts": "12:00", "ends": "09:00"}, "ends", "Die Sprechstunde muss nach ihrem Beginn enden."),
    ({"starts": "9 Uhr"}, "starts", "Bitte die Uhrzeit als HH:MM eingeben."),
    ({"starts": "25:00"}, "starts", "Bitte die Uhrzeit als HH:MM eingeben."),
    ({"weekday": 7}, "weekday", "Bitte einen Wochentag wählen."),
    ({"weekday": None}, "weekday", "Bitte einen Wochentag wählen."),
    ({"desks": ["ABH"]}, "desks", "Jeder Platz gehört zu AA, JC oder SOZ (ein bis zwölf Plätze)."),
    ({"slot_minutes": 0}, "slot_minutes", "Ein Zeitfenster dauert 5 bis 240 Minuten."),
    ({"valid_from": "2027-06-01", "valid_to": "2027-05-01"}, "valid_to",
     "Der letzte Gültigkeitstag liegt vor dem ersten."),
])
def test_bad_template_input_gets_a_german_message_and_nothing_is_saved(sessions, values, field, message):
    session = sessions("zentrale")
    hours = session.hours
    before = _changes(session)
    good = {"office": "TEL", "weekday": 2, "starts": "14:00", "ends": "15:00", "desks": ["JC"]}
    with pytest.raises(ValidationError) as err:
        hours.save_template({**good, **values})
    assert err.value.errors[field] == message
    with pytest.raises(ValidationError):
        hours.save_template(values, "hours:TEL-1")
    assert _changes(session) == before


@pytest.mark.parametrize("values, field", [
    ({"kind": "moved", "date": "2027-05-04", "template_id": "hours:TEL-1"}, "to_date"),
    ({"kind": "moved", "date": "2027-05-04", "to_date": "2027-05-05"}, "template_id"),
    ({"kind": "moved", "date": "2027-05-04", "template_id": "hours:AHL-1", "to_date": "2027-05-05"}, "template_id"),
    ({"kind": "extra", "date": "2027-05-05", "starts": "10:00", "ends": "09:00", "desks": ["JC"]}, "ends"),
    ({"kind": "extra", "date": "2027-05-05", "starts": "10:00", "ends": "11:00"}, "desks"),
    ({"kind": "cancelled"}, "date"),
    ({"kind": "vacation", "date": "2027-05-05"}, "kind"),
])
def test_bad_exceptions_are_refused_whole(sessions, values, field):
    session = sessions("zentrale")
    before = _changes(session)
    with pytest.raises(ValidationError) as err:
        session.hours.save_change({"office": "TEL", **values})
    assert field in err.value.errors
    assert _changes(session) == before


@pytest.mark.parametrize("values, field", [
    ({"phone": "call me"}, "phone"), ({"name": " "}, "name"), ({"rooms": ["Raum 1", ""]}, "rooms"),
    ({"agencies": []}, "agencies"), ({"agencies": ["XY"]}, "agencies"), ({"directions": {"xx": "?"}}, "directions"),
    ({"accessibility": "a\nb"}, "accessibility"),
])
def test_bad_office_data_is_refused_whole(sessions, values, field):
    session = sessions("zentrale")
    before = _changes(session)
    with pytest.raises(ValidationError) as err:
        session.hours.save_office("TEL", {"address": "Neue Straße 1", **values})
    assert field in err.value.errors
    assert _changes(session) == before
    assert session.hours.office("TEL").address.startswith("Baßfeld")
