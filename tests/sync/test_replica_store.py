"""The replica-store interface (app/replica/interface.py), implemented by a laptop's store
(LocalReplica) and by the hub's store for one device (HubReplica): the same contract on both.

Real SQLCipher stores on both sides; the hub is the service object the HTTP layer calls."""

from __future__ import annotations

import pytest

from app.after_merge import after_merge
from app.duplicates import merge_persons
from app.replica.interface import ReplicaStore
from app.replica.local import LocalReplica
from app.repository import Repository, clock_for
from sync.hub import storage
from tests.sync.helpers import all_changes, exchange, make_store
from tests.sync.test_transport_file import enroll, hub  # noqa: F401  (the in-process hub fixture)


def _own(store):
    return [c for c in all_changes(store) if c.device_id == store.device_id]


@pytest.fixture
def field(tmp_path):
    """Laptop A registers a household with two records of one man, laptop C (which has A's changes)
    opens a case for the first record, A then merges the first into the second."""
    a, c = make_store(tmp_path / "a"), make_store(tmp_path / "c", login="ben")
    ra = Repository(a)
    h = ra.save("household", {"office": "AHL", "address": "Weg 1"})
    p1 = ra.save("person", {"household_id": h, "family_name": "Alazzawi", "given_names": "Omar"})
    p2 = ra.save("person", {"household_id": h, "family_name": "Alazawi", "given_names": "Omar"})
    exchange(a, c)
    case = Repository(c).save("case", {"person_id": p1, "household_id": h, "case_number": "AHL-2026-0001"})
    merge_persons(ra, p2, p1)
    yield {"a": a, "c": c, "household": h, "p1": p1, "p2": p2, "case": case}
    a.close()
    c.close()


@pytest.fixture(params=["laptop", "hub"])
def receiver(request, field, tmp_path):
    """(replica, apply A's changes, apply C's changes, the domain row reader) for either implementation."""
    if request.param == "laptop":
        b = make_store(tmp_path / "b", login="cem")
        replica = LocalReplica(b, clock_for(b), after_merge)
        yield (replica, lambda: replica.apply_page(_own(field["a"])), lambda: replica.apply_page(_own(field["c"])),
               lambda kind, rid: Repository(b).get(kind, rid))
        b.close()
        return
    h = request.getfixturevalue("hub")
    dev_a, dev_c = enroll(h, field["a"], name="A"), enroll(h, field["c"], name="C")
    ra, rc = (h.replica(storage.get_device(h.conn, d)) for d in (dev_a, dev_c))
    yield (ra, lambda: ra.apply_page(_own(field["a"])), lambda: rc.apply_page(_own(field["c"])),
           lambda kind, rid: Repository(h.store).get(kind, rid))


def test_both_replicas_implement_the_interface(receiver):
    replica = receiver[0]
    assert isinstance(replica, ReplicaStore)
    assert replica.replica_id


def test_a_page_applies_once(receiver, field):
    replica, from_a, _from_c, get = receiver
    first = from_a()
    assert first.merge.applied == len(_own(field["a"])) > 0
    assert get("person", field["p2"])["family_name"] == "Alazawi"
    assert get("person", field["p1"])["merged_into"] == field["p2"]
    again = from_a()
    assert again.merge.applied == 0 and again.merge.duplicates == len(_own(field["a"]))
    assert again.repaired == 0


def test_a_late_reference_to_a_merged_away_record_is_repaired_and_offered_to_the_peer(receiver, field):
    replica, from_a, from_c, get = receiver
    from_a()
    applied = from_c()  # the case still points at the record A merged away
    assert applied.repaired == 1
    assert get("case", field["case"])["person_id"] == field["p2"]
    out = replica.outgoing(replica.acknowledged(), 1000)
    assert any(ch.entity == "case" and ch.entity_id == field["case"] and ch.field == "person_id"
               and ch.value == field["p2"] for ch in out.changes)


def test_acknowledged_position_means_nothing_more_to_send(receiver):
    replica, from_a, from_c, _get = receiver
    from_a()
    from_c()
    start = replica.acknowledged()
    out = replica.outgoing(start, 1000)
    assert out.changes and out.position > start and not out.more
    replica.acknowledge(out.position)
    assert replica.acknowledged() == out.position
    assert replica.outgoing(replica.acknowledged(), 1000).changes == []


def test_outgoing_pages_in_log_order(receiver):
    replica, from_a, from_c, _get = receiver
    from_a()
    from_c()
    everything = replica.outgoing(replica.acknowledged(), 1000).changes
    got, position = [], replica.acknowledged()
    while True:
        page = replica.outgoing(position, 1)
        got += page.changes
        position = page.position
        if not page.more:
            break
    assert [(c.entity_id, c.field, c.hlc) for c in got] == [(c.entity_id, c.field, c.hlc) for c in everything]
