"""Property tests of the merge: replicas that edit offline and exchange in any order converge, losing nothing.

3-5 real SQLCipher stores (created once per module, emptied per example) with
wall clocks skewed by up to three days; random creates, edits, deletes and
person merges; random partial exchanges (any slice of another replica's log,
repeated, out of order) and refused malformed batches. At the end everyone
exchanges with everyone. Then: all replicas hold the same log, the same domain
rows and field stamps, and the same open conflicts; every field shows its
newest change that no other change has seen; and every concurrent value that
did not win is an open conflict, unless the winner's line held that same value
(see docs/sync.md).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from app import schema
from app.replica.changelog import Change, ChangeLog
from app import conflicts
from app.duplicates import MergeRefused, merge_persons
from app.replica.clock import DAY_MS, HybridClock
from app.repository import Repository, clock_for
from app.replica.merge import MergeError, merge, prevs
from tests.sync.helpers import all_changes, domain_state, make_store

MAX_REPLICAS = 5
BASE_MS = 1_790_000_000_000
VALUES = ("a", "b", "c", None)
EDITABLE = {
    "household": (("notes", VALUES), ("address", VALUES), ("office", ("AHL", "BEC"))),
    "person": (("family_name", ("Hassan", "Al-Hassan", None)), ("given_names", VALUES), ("phone", VALUES)),
    "case": (("status", ("new", "active", "closed")), ("rechtskreis", ("AsylbLG", "SGB II"))),
}


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    base = tmp_path_factory.mktemp("replicas")
    stores = [make_store(base / f"r{i}", login=f"staff{i}") for i in range(MAX_REPLICAS)]
    for s in stores:  # durability is not under test here; commits without fsync keep 500 examples quick
        s.conn.execute("PRAGMA synchronous = OFF")
    yield stores
    for s in stores:
        s.close()


class World:
    """The replicas of one example, their skewed clocks and the ids handed out so far."""

    def __init__(self, stores, skews):
        self.stores = stores
        self.repos = [Repository(s) for s in stores]
        self.now = [BASE_MS]
        self.next_id = 0
        for s, repo, skew in zip(stores, self.repos, skews, strict=True):
            _reset(s)
            # As in the app, writes (GUI thread) and sync (worker) use two clocks of one store: the
            # write clock never observes what the merge received, so a local write may be stamped
            # below the value it overwrote when a remote clock runs ahead.
            wall = (lambda skew=skew: (self.now[0] + skew) / 1000)
            s._clock = HybridClock(s.device_id, None, wall=wall)
            repo.clock = HybridClock(s.device_id, None, wall=wall)
            assert clock_for(s) is s._clock

    def seed(self) -> None:
        """A shared start: two households of two persons with a case each; then concurrent address edits."""
        repo = self.repos[0]
        with repo.transaction():
            for _h in range(2):
                hid = repo.save("household", {"office": "AHL", "notes": "a"}, self.new_id("h"))
                for p in range(2):
                    pid = repo.save("person", {"household_id": hid, "family_name": "Hassan",
                                               "given_names": VALUES[p]}, self.new_id("p"))
                    repo.save("case", {"household_id": hid, "person_id": pid, "status": "new"},
                              self.new_id("c"))
        for s in self.stores[1:]:
            merge(s.conn, all_changes(self.stores[0]), clock_for(s))
        for i, r in enumerate(self.repos):  # everyone edits the first household offline: conflicts to come
            r.save("household", {"address": VALUES[i % 3]}, "h0001")
        merge(self.stores[0].conn, all_changes(self.stores[1]), clock_for(self.stores[0]))

    def new_id(self, prefix: str) -> str:
        self.next_id += 1
        return f"{prefix}{self.next_id:04d}"

    def ids(self, r: int, entity: str) -> list[str]:
        return [row[0] for row in self.stores[r].conn.execute(f'SELECT id FROM "{entity}" ORDER BY id')]


def _reset(store) -> None:
    conn = store.conn
    conn.execute("BEGIN")
    for table in ("changes", "field_state", "conflicts", *schema.ENTITIES):
        conn.execute(f'DELETE FROM "{table}"')
    conn.execute("DELETE FROM meta WHERE key = 'hlc_last'")
    conn.execute("COMMIT")


def _pick(items, k):
    return items[k % len(items)] if items else None


def run(world: World, op) -> None:
    kind, r, a, b, c = op
    n = len(world.stores)
    r %= n
    repo = world.repos[r]
    world.now[0] += a % 3  # 0-2 ms pass: equal wall times happen
    if kind == "household":
        repo.save("household", {"office": ("AHL", "BEC")[b % 2], "notes": VALUES[c % 3]}, world.new_id("h"))
    elif kind == "person":
        hid = _pick(world.ids(r, "household"), b)
        if hid:
            repo.save("person", {"household_id": hid, "family_name": ("Hassan", "Al-Hassan")[c % 2],
                                 "given_names": "Muhammad"}, world.new_id("p"))
    elif kind == "case":
        pid = _pick(world.ids(r, "person"), b)
        if pid:
            hid = repo.get("person", pid)["household_id"]
            repo.save("case", {"person_id": pid, "household_id": hid, "status": "new"}, world.new_id("c"))
    elif kind == "edit":
        entity = ("household", "person", "case")[a % 3]
        eid = _pick(world.ids(r, entity), b)
        if eid:
            fld, choices = EDITABLE[entity][c % len(EDITABLE[entity])]
            repo.save(entity, {fld: choices[(b + c) % len(choices)]}, eid)
    elif kind == "delete":
        entity = ("household", "person", "case")[a % 3]
        eid = _pick(world.ids(r, entity), b)
        if eid:
            repo.save(entity, {"deleted": bool(c % 4)}, eid)  # sometimes undelete
    elif kind == "merge":
        people = world.ids(r, "person")
        keep, away = _pick(people, b), _pick(people, c)
        if keep and away and keep != away:
            try:
                merge_persons(repo, keep, away)
            except MergeRefused:
                pass
    elif kind == "resolve":
        found = conflicts.list_open(repo)
        if found:
            c_ = found[b % len(found)]
            if c % 3 == 2 and c_.field in ("notes", "address", "given_names", "phone"):
                conflicts.resolve(repo, c_.id, value=f"r{c}")
            else:
                conflicts.resolve(repo, c_.id, take=("current", "other")[c % 2])
    elif kind == "sync":
        src, dst = world.stores[a % n], world.stores[r]
        log = all_changes(src)
        if log:
            start = b % len(log)
            piece = log[start:start + 1 + c % len(log)]
            merge(dst.conn, piece[::-1] if c % 2 else piece, clock_for(dst))
    elif kind == "bad":
        src, dst = world.stores[a % n], world.stores[r]
        log = all_changes(src)
        before = dst.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        broken = Change("not-a-stamp", "household", "x", "notes", "z", None, "dev", None, None)
        with pytest.raises(MergeError):
            merge(dst.conn, log + [broken], clock_for(dst))
        assert dst.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before


KINDS = ("household", "person", "case", "edit", "edit", "edit", "edit", "delete", "merge", "resolve", "resolve",
         "sync", "sync", "sync", "bad")
ops = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 4), st.integers(0, 30), st.integers(0, 30),
              st.integers(0, 30)),
    min_size=1, max_size=40,
)
skews = st.lists(st.sampled_from((0, 0, 1, -1, 3 * DAY_MS, -3 * DAY_MS)), min_size=MAX_REPLICAS,
                 max_size=MAX_REPLICAS)


def _full_exchange(world: World) -> None:
    """Everyone to the first replica, then the first to everyone (like a hub), in two rounds."""
    hub = world.stores[0]
    for _ in range(2):
        for s in world.stores[1:]:
            merge(hub.conn, all_changes(s), clock_for(hub))
        for s in world.stores[1:]:
            merge(s.conn, all_changes(hub), clock_for(s))


def _effective_open(store) -> set:
    return set(store.conn.execute("SELECT entity_id, field, loser_hlc FROM conflicts WHERE status = 'open'"))


def _check_no_loss(store) -> None:
    """Every non-winning head of every field is an open conflict or covered by the winner's line."""
    by_key: dict[tuple, dict[str, Change]] = {}
    for ch in all_changes(store):
        by_key.setdefault(ch.key, {})[ch.hlc] = ch
    current = dict(((e, f), h) for e, f, h in store.conn.execute("SELECT entity_id, field, hlc FROM field_state"))
    open_rows = _effective_open(store)
    expected_open = set()
    for key, changes in by_key.items():
        seen = {p for ch in changes.values() for p in prevs(ch.prev_hlc)}
        winner = max(h for h in changes if h not in seen)  # the newest change nobody has seen
        assert current[key] == winner
        ent = schema.ENTITIES.get(changes[winner].entity)
        if ent and key[1] in ent.field_map:
            row = store.conn.execute(f'SELECT "{key[1]}" FROM "{ent.name}" WHERE id = ?', (key[0],)).fetchone()
            assert schema.from_column(ent.field_map[key[1]], row[0]) == changes[winner].value

        def line(start, changes=changes):
            out, todo = {start}, [start]
            while todo:
                for p in prevs(changes[todo.pop()].prev_hlc):
                    if p in changes and p not in out:
                        out.add(p)
                        todo.append(p)
            return out

        winner_line = line(winner)
        for hlc, ch in changes.items():
            if hlc == winner or hlc in seen:
                continue
            covered = any(json.dumps(changes[x].value) == json.dumps(ch.value) for x in winner_line - line(hlc))
            if not covered:
                expected_open.add((key[0], key[1], hlc))
    assert open_rows == expected_open


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(3, MAX_REPLICAS), skew=skews, script=ops)
def test_replicas_converge_and_lose_nothing(replicas, n, skew, script):
    world = World(replicas[:n], skew[:n])
    world.seed()
    for op in script:
        run(world, op)
    _full_exchange(world)
    states = [domain_state(s) for s in world.stores]
    logs = [{(c.entity_id, c.field, c.hlc) for c in all_changes(s)} for s in world.stores]
    opens = [_effective_open(s) for s in world.stores]
    listed = [sorted(c.id for c in conflicts.list_open(r)) for r in world.repos]
    for i in range(1, n):
        assert logs[i] == logs[0]
        assert states[i] == states[0]
        assert opens[i] == opens[0]
        assert listed[i] == listed[0]
    _check_no_loss(world.stores[0])
    event(f"open conflicts: {min(len(opens[0]), 3)}+")
    event(f"changes: {min(len(logs[0]) // 40 * 40, 120)}+")
    merged = world.stores[0].conn.execute("SELECT count(*) FROM person WHERE merged_into IS NOT NULL").fetchone()[0]
    event(f"merged persons: {min(merged, 2)}+")
    resolved = world.stores[0].conn.execute("SELECT count(*) FROM changes WHERE prev_hlc LIKE '%,%'").fetchone()[0]
    event(f"resolutions: {min(resolved, 2)}+")
    assert ChangeLog(world.stores[0].conn).since(0, limit=1) or not logs[0]
