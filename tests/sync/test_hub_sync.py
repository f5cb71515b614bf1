"""Sync through a real hub process: idempotence, scope by office, moving and sharing, clock skew, the CLI."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from app.replica.clock import DAY_MS, HybridClock
from app.repository import Repository
from sync.client import K_PULL, K_PUSH, K_PUSH_SEQ, SyncEngine, SyncUI
from tests.sync.hubkit import PY, ROOT, fill, hub_changes_of, hub_env, own_changes, sync


def households(store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT id FROM household")}


def test_push_twice_changes_nothing(hub, laptops):
    a = laptops("AHL")
    fill(a, 5)
    first = sync(a)
    assert first.ok and first.pushed == first.pushed_new == len(own_changes(a))
    a.conn.execute("DELETE FROM meta WHERE key IN (?, ?)", (K_PUSH, K_PUSH_SEQ))  # forget the acknowledgements
    a.set_meta(K_PULL, "0")
    again = sync(a)
    assert again.ok and again.pushed == first.pushed and again.pushed_new == 0 and again.applied == 0
    hs = hub.store()
    try:
        assert sorted(hub_changes_of(hs, a.device_id)) == sorted(own_changes(a))
    finally:
        hs.close()


def test_office_laptops_see_their_office_zip_sees_all(hub, laptops):
    a1, a2, b1, z = laptops("AHL"), laptops("AHL"), laptops("BEC"), laptops("ZIP")
    ha = fill(a1, 3, "AHL")
    hb = fill(b1, 2, "BEC")
    for s in (a1, b1, a2, z, a1, b1):
        assert sync(s).ok
    assert set(ha) <= households(a2) and not set(hb) & households(a2)
    assert set(hb) <= households(b1) and not set(ha) & households(b1)
    assert set(ha) | set(hb) <= households(z)
    # nothing of another office in the change log either
    assert not b1.conn.execute(f"SELECT count(*) FROM changes WHERE root_id IN ({','.join('?' * 3)})",
                               ha).fetchone()[0]
    # staff records (global) reach everybody
    assert Repository(b1).find("staff", login="anna")


def test_moving_a_household_removes_it_from_the_old_office(hub, laptops):
    a1, a2, b1 = laptops("AHL"), laptops("AHL"), laptops("BEC")
    moved, stays = fill(a1, 2, "AHL")
    for s in (a1, a2, b1):
        assert sync(s).ok
    assert {moved, stays} <= households(a2)
    Repository(a2).save("household", {"office": "BEC", "notes": "moved to Beckum"}, entity_id=moved)
    s = sync(a2)
    assert s.ok and s.removed == 1
    assert moved not in households(a2) and stays in households(a2)
    assert not a2.conn.execute("SELECT count(*) FROM changes WHERE root_id = ?", (moved,)).fetchone()[0]
    assert not a2.conn.execute("SELECT count(*) FROM person WHERE household_id = ?", (moved,)).fetchone()[0]
    s = sync(a1)
    assert s.ok and s.removed == 1 and moved not in households(a1)
    s = sync(b1)  # the new office gets the whole history, including what came before the move
    assert s.ok and moved in households(b1)
    assert Repository(b1).get("household", moved)["address"] == "Weg 0"
    assert Repository(b1).get("household", moved)["notes"] == "moved to Beckum"
    assert len(Repository(b1).find("person", household_id=moved)) == 3
    hs = hub.store()
    try:  # kept at the hub
        assert hs.conn.execute("SELECT office FROM household WHERE id = ?", (moved,)).fetchone()[0] == "BEC"
    finally:
        hs.close()
    for st in (a1, a2, b1):
        assert st.integrity_problems() == []


def test_sharing_brings_a_household_and_unsharing_takes_it_away(hub, laptops):
    a1, b1 = laptops("AHL"), laptops("BEC")
    h = fill(a1, 1, "AHL")[0]
    assert sync(a1).ok and sync(b1).ok
    assert h not in households(b1)
    share = Repository(a1).save("share", {"household_id": h, "office": "BEC"})
    assert sync(a1).ok
    assert sync(b1).ok and h in households(b1)
    assert len(Repository(b1).find("person", household_id=h)) == 3
    Repository(b1).save("household", {"notes": "seen in Beckum"}, entity_id=h)  # edits flow back
    assert sync(b1).ok and sync(a1).ok
    assert Repository(a1).get("household", h)["notes"] == "seen in Beckum"
    Repository(a1).delete("share", share)
    assert sync(a1).ok
    s = sync(b1)
    assert s.ok and s.removed == 1 and h not in households(b1)
    assert h in households(a1)


def test_clock_skew_of_three_days_is_reported_and_order_kept(hub, laptops):
    ahead, behind = laptops("AHL"), laptops("AHL")
    ahead_wall = lambda: time.time() + 3 * DAY_MS / 1000  # noqa: E731
    behind_wall = lambda: time.time() - 3 * DAY_MS / 1000  # noqa: E731
    ahead._clock = HybridClock(ahead.device_id, ahead.meta("hlc_last"), wall=ahead_wall)
    behind._clock = HybridClock(behind.device_id, behind.meta("hlc_last"), wall=behind_wall)
    messages = []

    class UI(SyncUI):
        def message(self, level, text):
            messages.append((level, text))

    h = Repository(ahead).save("household", {"office": "AHL", "address": "first"})
    s = SyncEngine(ahead, UI(), wall=ahead_wall).sync()
    assert s.ok and s.clock_offset_ms < -2.9 * DAY_MS and s.warnings and messages[-1][0] == "warning"
    assert "3" in s.warnings[0]

    s = SyncEngine(behind, UI(), wall=behind_wall).sync()
    assert s.ok and s.clock_offset_ms > 2.9 * DAY_MS and s.warnings
    # the laptop three days behind edits after it has seen the other's value: its edit is later
    Repository(behind).save("household", {"address": "second"}, entity_id=h)
    assert SyncEngine(behind, wall=behind_wall).sync().ok
    assert SyncEngine(ahead, wall=ahead_wall).sync().ok
    assert Repository(ahead).get("household", h)["address"] == "second"
    # and back: the one ahead answers, both end equal with no conflict
    Repository(ahead).save("household", {"address": "third"}, entity_id=h)
    assert SyncEngine(ahead, wall=ahead_wall).sync().ok
    assert SyncEngine(behind, wall=behind_wall).sync().ok
    assert Repository(behind).get("household", h)["address"] == "third"
    assert not behind.conn.execute("SELECT count(*) FROM conflicts WHERE status = 'open'").fetchone()[0]


def test_concurrent_edits_keep_a_conflict_everywhere(hub, laptops):
    a1, a2 = laptops("AHL"), laptops("AHL")
    h = fill(a1, 1, "AHL", persons=0)[0]
    assert sync(a1).ok and sync(a2).ok
    Repository(a1).save("household", {"address": "Amselweg 1"}, entity_id=h)
    Repository(a2).save("household", {"address": "Drosselweg 2"}, entity_id=h)
    assert sync(a1).ok
    s = sync(a2)
    assert s.ok and s.conflicts == 1
    assert sync(a1).ok
    v1, v2 = (Repository(x).get("household", h)["address"] for x in (a1, a2))
    assert v1 == v2
    for x in (a1, a2):
        assert x.conn.execute("SELECT count(*) FROM conflicts WHERE status = 'open'").fetchone()[0] == 1


def test_engine_status_and_reachability(hub, laptops):
    a = laptops("AHL")
    eng = SyncEngine(a)
    fill(a, 1)
    st = eng.status()
    assert st.enrolled and st.office == "AHL" and st.waiting > 0 and st.last_sync is None
    assert eng.reachable()
    progress = []

    class UI(SyncUI):
        def progress(self, phase, done, total):
            progress.append((phase, done, total))

    assert SyncEngine(a, UI(), push_batch=3, pull_page=2).sync().ok
    assert eng.status().waiting == 0 and eng.status().last_sync and eng.status().last_result["ok"]
    assert [p for p in progress if p[0] == "push"][-1][1] == len(own_changes(a))
    a.set_meta("sync.hub_url", "https://127.0.0.1:1")
    assert not eng.reachable(timeout=1)
    s = eng.sync()
    assert not s.ok and s.error_code == "unreachable"


def test_cli_enroll_and_sync(hub, tmp_path):
    env = hub_env()
    store = str(tmp_path / "cli-laptop")

    def run(*args):
        return subprocess.run([PY, "-m", "cli.main", *args], env=env, capture_output=True, text=True, cwd=ROOT,
                              timeout=60)

    assert run("init", "--store", store).returncode == 0
    r = run("sync", "--store", store)
    assert r.returncode == 1 and "enroll" in r.stderr
    r = run("enroll", "--hub", hub.url, "--code", hub.code("WAF"), "--fingerprint", hub.fingerprint, "--store", store)
    assert r.returncode == 0, r.stderr
    r = run("sync", "--store", store, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["ok"] and doc["pushed"] >= 1
    r = run("sync", "--store", store)
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 1


def test_own_changes_are_all_pushed_whatever_their_stamps_and_after_a_purge(hub, laptops):
    a, b = laptops("AHL"), laptops("AHL")
    worker = a.reopen()  # a second store object (a worker thread) with a clock three days ahead
    worker._clock = HybridClock(a.device_id, a.meta("hlc_last"), wall=lambda: time.time() + 3 * DAY_MS / 1000)
    h = Repository(worker).save("household", {"office": "AHL", "address": "from the worker"})
    assert sync(a).ok
    Repository(a).save("household", {"notes": "from the GUI, stamped lower"}, entity_id=h)
    assert sync(a).ok
    assert own_changes(a) <= set(hub_changes_of(hub.store(), a.device_id))
    worker.close()
    # the newest log rows belong to a household that moves away: purged; the next own change still goes
    moved = fill(b, 1, "AHL")[0]
    assert sync(b).ok and sync(a).ok
    Repository(a).save("household", {"office": "BEC"}, entity_id=moved)
    assert sync(a).removed == 1
    Repository(a).save("household", {"notes": "after the purge"}, entity_id=h)
    assert sync(a).ok and sync(b).ok
    assert Repository(b).get("household", h)["notes"] == "after the purge"
    assert own_changes(a) <= set(hub_changes_of(hub.store(), a.device_id))


def test_a_household_registered_for_another_office_leaves_the_laptop(hub, laptops):
    a, b = laptops("AHL"), laptops("BEC")
    mine = fill(a, 1, "AHL")[0]
    theirs = fill(a, 1, "BEC")[0]  # intake at the Ahlen office hours for someone living in Beckum
    s = sync(a)
    assert s.ok and s.removed == 1
    assert households(a) >= {mine} and theirs not in households(a)
    assert sync(b).ok and theirs in households(b) and mine not in households(b)
    assert len(Repository(b).find("person", household_id=theirs)) == 3


def test_a_removal_waiting_for_unsent_edits_happens_after_they_are_pushed(hub, laptops):
    from sync.client import K_PURGE

    a, b = laptops("AHL"), laptops("AHL")
    h = fill(a, 1, "AHL")[0]
    assert sync(a).ok and sync(b).ok
    Repository(a).save("household", {"office": "BEC"}, entity_id=h)
    assert sync(a).ok
    # b edited the household just while its sync removed it: the removal waits for the edit
    Repository(b).save("household", {"notes": "last words"}, entity_id=h)
    b.set_meta(K_PURGE, json.dumps([h]))
    s = sync(b)
    assert s.ok and s.removed == 1 and h not in households(b) and json.loads(b.meta(K_PURGE)) == []
    hs = hub.store()
    try:
        assert hs.conn.execute("SELECT notes FROM household WHERE id = ?", (h,)).fetchone()[0] == "last words"
    finally:
        hs.close()


def test_push_batches_are_cut_by_size_too(hub, laptops, monkeypatch):
    from sync import protocol as P

    a = laptops("AHL")
    fill(a, 5)
    monkeypatch.setattr(P, "PUSH_BYTES", 3000)
    s = sync(a)
    assert s.ok and s.pushed == len(own_changes(a))
    device = a.meta("sync.device_id")
    hub.wait_for(f'"event":"push","device":"{device}"', 3, timeout=5)  # several requests
    assert own_changes(a) == set(hub_changes_of(hub.store(), a.device_id))


def test_an_office_device_cannot_change_another_offices_household(hub, laptops):
    a, b = laptops("AHL"), laptops("BEC")
    h = fill(a, 1, "AHL")[0]
    assert sync(a).ok and sync(b).ok
    person = Repository(a).find("person", household_id=h)[0]["id"]
    hs = hub.store()
    try:
        before = hs.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    finally:
        hs.close()
    # a tampered BEC laptop writes to an AHL household it never had ...
    Repository(b).save("household", {"notes": "not yours"}, entity_id=h)
    s = sync(b)
    assert not s.ok and s.error_code == "refused" and "anderen Standorts" in s.error
    # ... or to an AHL person, claiming a household of its own
    b2 = laptops("BEC")
    Repository(b2).save("person", {"household_id": "f" * 32, "family_name": "X"}, entity_id=person)
    s = sync(b2)
    assert not s.ok and s.error_code == "refused" and "anderen Standorts" in s.error
    hs = hub.store()
    try:  # nothing of either push was written
        assert hs.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
        assert hs.conn.execute("SELECT notes FROM household WHERE id = ?", (h,)).fetchone()[0] is None
        assert hs.conn.execute("SELECT household_id FROM person WHERE id = ?", (person,)).fetchone()[0] == h
    finally:
        hs.close()
    # the central office may write everywhere; AHL's own laptops still sync
    z = laptops("ZIP")
    assert sync(z).ok
    Repository(z).save("household", {"notes": "checked centrally"}, entity_id=h)
    assert sync(z).ok and sync(a).ok
    assert Repository(a).get("household", h)["notes"] == "checked centrally"


def test_a_push_whose_root_id_differs_from_the_household_it_names_is_malformed():
    from sync import protocol as P

    row = [HybridClock("dev1").now(), "person", "p1", "household_id", "h2", None, None, "h1"]
    with pytest.raises(P.ProtocolError, match="root id"):
        P.changes_from_rows([row], "dev1")
    row[-1] = "h2"
    assert P.changes_from_rows([row], "dev1")[0].root_id == "h2"
