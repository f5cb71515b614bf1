"""The merge rules on real SQLCipher stores: winner by HLC, conflicts kept, idempotence, order."""

import itertools
import json
import time

import pytest

from app.replica.changelog import Change, ChangeLog
from app.replica.clock import DAY_MS, FOLLOW_MS, Stamp
from app.repository import Repository, clock_for
from app.replica.merge import MergeError, join_prevs, merge
from tests.sync.helpers import all_changes, domain_state, exchange, make_store, open_conflicts


@pytest.fixture
def ab(tmp_path):
    a, b = make_store(tmp_path / "a"), make_store(tmp_path / "b", login="bernd")
    yield a, b
    a.close()
    b.close()


def test_create_replicates_and_push_twice_changes_nothing(ab):
    a, b = ab
    ra = Repository(a)
    hid = ra.save("household", {"office": "AHL", "address": "Marktplatz 1"})
    ra.save("person", {"household_id": hid, "family_name": "Al-Hassan", "given_names": "Muhammad"})
    first = exchange(a, b)
    assert first.applied == len(all_changes(a)) and first.duplicates == 0
    exchange(b, a)
    assert domain_state(a) == domain_state(b)
    again = exchange(a, b)
    assert again.applied == 0 and again.duplicates == again.received
    assert Repository(b).find("person")[0]["family_name"] == "Al-Hassan"
    assert b.conn.execute("SELECT search_text FROM person").fetchone()[0].startswith("al hassan")


def test_sequential_edit_is_no_conflict(ab):
    a, b = ab
    ra, rb = Repository(a), Repository(b)
    hid = ra.save("household", {"office": "AHL", "address": "old"})
    exchange(a, b)
    rb.save("household", {"address": "new"}, hid)
    exchange(b, a)
    assert ra.get("household", hid)["address"] == "new"
    assert open_conflicts(a) == open_conflicts(b) == set()


def test_concurrent_edits_keep_the_loser_on_both_sides(ab):
    a, b = ab
    ra, rb = Repository(a), Repository(b)
    hid = ra.save("household", {"office": "AHL", "address": "old"})
    exchange(a, b)
    ra.save("household", {"address": "from A"}, hid)
    rb.save("household", {"address": "from B"}, hid)
    exchange(a, b)
    exchange(b, a)
    assert domain_state(a) == domain_state(b)
    winner = ra.get("household", hid)["address"]
    conflicts = open_conflicts(a)
    assert conflicts == open_conflicts(b) and len(conflicts) == 1
    (eid, field, loser_hlc, winner_hlc, loser_value), = conflicts
    assert (eid, field) == (hid, "address") and loser_hlc < winner_hlc
    assert {winner, json.loads(loser_value)} == {"from A", "from B"}
    # the losing value and its author stay in the log
    lost = ChangeLog(a.conn).change_at(hid, "address", loser_hlc)
    assert lost.value == json.loads(loser_value)


def test_same_value_on_both_sides_is_no_conflict(ab):
    a, b = ab
    ra, rb = Repository(a), Repository(b)
    hid = ra.save("household", {"office": "AHL"})
    exchange(a, b)
    ra.save("household", {"address": "Weg 2"}, hid)
    rb.save("household", {"address": "Weg 2"}, hid)
    exchange(a, b)
    exchange(b, a)
    assert open_conflicts(a) == open_conflicts(b) == set()
    assert domain_state(a) == domain_state(b)


def test_resolution_that_saw_both_closes_the_conflict_everywhere(ab):
    a, b = ab
    ra, rb = Repository(a), Repository(b)
    hid = ra.save("household", {"office": "AHL"})
    exchange(a, b)
    ra.save("household", {"notes": "A"}, hid)
    rb.save("household", {"notes": "B"}, hid)
    exchange(a, b)
    (eid, field, loser, winner, _v), = open_conflicts(b)
    # a change that has seen winner and loser (what app.conflicts writes)
    clock = clock_for(b)
    c = Change(clock.now(), "household", hid, "notes", "A+B", join_prevs([winner, loser]), clock.device, None, hid)
    merge(b.conn, [c])
    assert open_conflicts(b) == set()
    exchange(b, a)
    assert open_conflicts(a) == set()
    assert ra.get("household", hid)["notes"] == "A+B"
    assert a.conn.execute("SELECT status FROM conflicts").fetchall() in ([("resolved",)], [])


def test_any_arrival_order_gives_the_same_state(tmp_path):
    stores = [make_store(tmp_path / n, login=n) for n in ("a", "b", "c")]
    repos = [Repository(s) for s in stores]
    hid = repos[0].save("household", {"office": "OEL", "notes": "0"})
    for s in stores[1:]:
        exchange(stores[0], s)
    for i, r in enumerate(repos):
        r.save("household", {"notes": f"v{i}", "address": f"a{i}"}, hid)
    batches = [all_changes(s) for s in stores]
    results = []
    for order in itertools.permutations(range(3)):
        t = make_store(tmp_path / ("t" + "".join(map(str, order))), login="t")
        for i in order:
            # in pieces and repeated, like an interrupted sync that resumes
            for piece in (batches[i][::2], batches[i], batches[i][1::2]):
                merge(t.conn, piece, clock_for(t))
        results.append((domain_state(t)["household"], open_conflicts(t)))
        t.close()
    assert all(r == results[0] for r in results)
    assert len(results[0][1]) == 4  # notes and address: two losers each
    for s in stores:
        s.close()


def test_unknown_entity_is_logged_and_relayed(ab):
    a, b = ab
    c = Change("1700000000000-0000-dev1", "future_thing", "x1", "colour", "blue", None, "dev1", None, None)
    res = merge(b.conn, [c])
    assert res.applied == 1
    assert ChangeLog(b.conn).change_at("x1", "colour", c.hlc) == c


def test_malformed_batch_writes_nothing(ab):
    a, b = ab
    good = Change("1700000000000-0000-dev1", "household", "h1", "notes", "x", None, "dev1", None, "h1")
    bad = Change("yesterday", "household", "h1", "notes", "y", None, "dev1", None, "h1")
    before = len(all_changes(b))
    with pytest.raises(MergeError):
        merge(b.conn, [good, bad])
    assert len(all_changes(b)) == before


def test_clock_reports_a_far_future_stamp_but_does_not_take_it(ab):
    """Issue 12, finding 1: a stamp 9999999999999-ffff-... made every laptop's next stamp 14 digits
    long. The skew is reported; the clock moves at most FOLLOW_MS past its own wall clock."""
    a, b = ab
    future = "9999999999999-ffff-devz"
    c = Change(future, "household", "h9", "notes", "x", None, "devz", None, "h9")
    res = merge(b.conn, [c], clock_for(b))
    assert res.max_skew_ms > 86_400_000
    mine = clock_for(b).now()
    assert Stamp.parse(mine).millis <= time.time() * 1000 + FOLLOW_MS + 1000
    assert len(mine.split("-")[0]) == 13
    assert Stamp.parse(b.meta("hlc_last")).millis < 10 ** 13 - 1


def test_clock_follows_a_small_skew(ab):
    a, b = ab
    soon = str(Stamp(int(time.time() * 1000) + 60_000, 5, "devz"))  # one minute ahead: within FOLLOW_MS
    merge(b.conn, [Change(soon, "household", "h9", "notes", "x", None, "devz", None, "h9")], clock_for(b))
    assert clock_for(b).now() > soon


def test_a_local_write_after_a_stamp_days_ahead_wins_without_following_it(ab):
    """The sync worker (its own Store object and clock) merged a stamp 3 days ahead; the GUI's next
    write names it as its predecessor and becomes current, though its own clock did not jump 3 days."""
    a, b = ab
    ra = Repository(a)
    hid = ra.save("household", {"office": "AHL", "notes": "old"})
    exchange(a, b)
    ahead = str(Stamp(Stamp.parse(clock_for(a).now()).millis + 3 * DAY_MS, 0, "devz"))
    c = Change(ahead, "household", hid, "notes", "from the future", ChangeLog(a.conn).stamp(hid, "notes"),
               "devz", None, hid)
    rb = Repository(b)  # the GUI's repository, made before the sync
    worker = b.reopen()
    res = merge(worker.conn, [c], clock_for(worker))
    worker.close()
    assert res.max_skew_ms > 2 * DAY_MS
    rb.save("household", {"notes": "typed after it"}, hid)
    mine = next(x for x in ChangeLog(b.conn).history(hid) if x.value == "typed after it")
    assert mine.prev_hlc == c.hlc
    assert Stamp.parse(mine.hlc).millis < Stamp.parse(c.hlc).millis - DAY_MS
    assert rb.get("household", hid)["notes"] == "typed after it"
    assert ChangeLog(b.conn).stamp(hid, "notes") == mine.hlc


def test_a_write_stamped_below_what_it_overwrote_still_wins_everywhere(ab):
    """A change that saw the current value supersedes it even if its own stamp is lower (a clock
    that had not observed it): the winner is the newest change nobody has seen."""
    a, b = ab
    ra, rb = Repository(a), Repository(b)
    hid = ra.save("household", {"office": "AHL", "notes": "old"})
    exchange(a, b)
    ahead = str(Stamp(Stamp.parse(clock_for(a).now()).millis + 3 * DAY_MS, 0, "devz"))
    c = Change(ahead, "household", hid, "notes", "from the future", ChangeLog(a.conn).stamp(hid, "notes"),
               "devz", None, hid)
    behind = Change(str(Stamp(Stamp.parse(ahead).millis - DAY_MS, 0, "devy")), "household", hid, "notes",
                    "typed after it", ahead, "devy", None, hid)
    merge(a.conn, [c, behind])
    merge(b.conn, [behind])
    merge(b.conn, [c])
    for r in (ra, rb):
        assert r.get("household", hid)["notes"] == "typed after it"
        assert ChangeLog(r.conn).stamp(hid, "notes") == behind.hlc
    assert domain_state(a)["household"] == domain_state(b)["household"]
    assert open_conflicts(a) == open_conflicts(b) == set()
