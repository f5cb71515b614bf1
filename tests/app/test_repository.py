"""Every write is a change: change-log rows with HLC, device, staff and overwritten stamp."""

import pytest

from app.replica.changelog import ChangeLog
from app.replica.clock import HybridClock, Stamp
from app.repository import Repository


def test_every_write_logs_changes(store, repo):
    hh = repo.save("household", {"office": "BEC"})
    p = repo.save("person", {"household_id": hh, "family_name": "Haddad", "given_names": "Rami"})
    repo.save("person", {"given_names": "Ramy", "family_name": "Haddad"}, p)  # one field really changed
    log = ChangeLog(store.conn).history(p)
    assert [(c.field, c.value) for c in log] == [
        ("family_name", "Haddad"), ("given_names", "Rami"), ("household_id", hh), ("given_names", "Ramy")]
    assert all(c.device_id == store.device_id and c.staff_id == store.staff_id for c in log)
    assert all(c.root_id == hh for c in log)
    first, last = log[1], log[3]
    assert last.prev_hlc == first.hlc and first.prev_hlc is None
    assert last.hlc > first.hlc


def test_stamps_are_monotonic_even_when_the_clock_goes_back(store, repo):
    times = iter([1000.0, 999.0, 999.0, 500.0])
    clock = HybridClock("dev1", wall=lambda: next(times))
    stamps = [clock.now() for _ in range(4)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    hh = repo.save("household", {"office": "AHL"})
    seen = []
    for i in range(20):
        repo.save("household", {"notes": f"n{i}"}, hh)
        seen.append(ChangeLog(store.conn).history(hh)[-1].hlc)
    assert seen == sorted(seen) and len(set(seen)) == 20


def test_clock_survives_restart(store_dir):
    from app.store import Store
    from tests.conftest import PASSPHRASE

    s, _ = Store.create(store_dir, PASSPHRASE)
    repo = Repository(s)
    repo.clock._millis += 10 ** 9  # as if a stamp far ahead had been seen
    hh = repo.save("household", {"office": "AHL"})
    last = ChangeLog(s.conn).history(hh)[-1].hlc
    s.close()
    s = Store.open(store_dir, PASSPHRASE)
    hh2 = Repository(s).save("household", {"office": "AHL"})
    assert ChangeLog(s.conn).history(hh2)[-1].hlc > last
    s.close()


def test_failed_write_saves_nothing(store, repo):
    before = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    with pytest.raises(ValueError):
        with repo.transaction():
            repo.save("household", {"office": "AHL"})
            repo.save("household", {"office": "XXX"})
    assert store.conn.execute("SELECT count(*) FROM changes").fetchone()[0] == before
    assert repo.find("household") == []


def test_stamp_parse_roundtrip():
    s = Stamp(1732165000123, 17, "abc")
    assert Stamp.parse(str(s)) == s
    with pytest.raises(ValueError):
        Stamp.parse("garbage")
