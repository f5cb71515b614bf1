"""Conflict review: list with both sides, resolve as a change that settles it on every replica."""

import pytest

from app import conflicts
from app.repository import Repository
from tests.sync.helpers import all_changes, exchange, make_store, open_conflicts


@pytest.fixture
def pair(tmp_path):
    a, b = make_store(tmp_path / "a", login="anna"), make_store(tmp_path / "b", login="bernd")
    ra, rb = Repository(a), Repository(b)
    hid = ra.save("household", {"office": "AHL", "address": "Marktplatz 1"})
    pid = ra.save("person", {"household_id": hid, "family_name": "Haddad"})
    cid = ra.save("case", {"household_id": hid, "person_id": pid, "status": "new"})
    exchange(a, b)
    ra.save("case", {"status": "active"}, cid)
    rb.save("case", {"status": "closed"}, cid)
    rb.save("household", {"address": "Bahnhofstraße 3"}, hid)
    ra.save("household", {"address": "Marktplatz 2"}, hid)
    exchange(a, b)
    exchange(b, a)
    yield a, b, ra, rb, hid, cid
    a.close()
    b.close()


def test_list_shows_both_sides_with_author_and_time(pair):
    a, b, ra, rb, hid, cid = pair
    found = conflicts.list_open(ra)
    assert len(found) == 2
    by_field = {c.field: c for c in found}
    status = by_field["status"]
    assert {status.current.value, status.other.value} == {"active", "closed"}
    assert {status.current.staff_name, status.other.staff_name} == {"anna", "bernd"}
    assert status.current.at.endswith("Z") and status.current.hlc > status.other.hlc
    assert [c.field for c in conflicts.list_open(ra, case_id=cid)] == ["status"]
    assert len(conflicts.list_open(ra, household_id=hid)) == 2
    assert conflicts.list_open(ra, household_id="elsewhere") == []


def test_resolution_is_a_change_that_settles_the_conflict_everywhere(pair):
    a, b, ra, rb, hid, cid = pair
    c = next(c for c in conflicts.list_open(rb) if c.field == "address")
    conflicts.resolve(rb, c.id, value="Bahnhofstraße 3a")
    assert rb.get("household", hid)["address"] == "Bahnhofstraße 3a"
    assert [x.field for x in conflicts.list_open(rb)] == ["status"]
    exchange(b, a)
    assert ra.get("household", hid)["address"] == "Bahnhofstraße 3a"
    assert [x.field for x in conflicts.list_open(ra)] == ["status"]
    s = conflicts.list_open(ra)[0]
    conflicts.resolve(ra, s.id, take="other")
    exchange(a, b)
    assert open_conflicts(a) == open_conflicts(b) == set()
    assert ra.get("case", cid)["status"] == rb.get("case", cid)["status"] == s.other.value
    with pytest.raises(conflicts.ConflictError):
        conflicts.resolve(ra, s.id, take="current")


def test_resolving_while_another_replica_edits_concurrently_keeps_that_edit(pair):
    a, b, ra, rb, hid, cid = pair
    c = next(c for c in conflicts.list_open(ra) if c.field == "status")
    conflicts.resolve(ra, c.id, take="current")
    rb.save("case", {"status": "new"}, cid)  # b did not see the resolution
    exchange(a, b)
    exchange(b, a)
    assert [x.field for x in conflicts.list_open(ra)] == [x.field for x in conflicts.list_open(rb)]
    assert any(x.field == "status" for x in conflicts.list_open(ra))
    assert len(all_changes(a)) == len(all_changes(b))
