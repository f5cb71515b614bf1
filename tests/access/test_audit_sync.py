"""The audit trail reaches the hub from two laptops in order; a withdrawal on one laptop hides the case on
the other after both sync; a removed or edited entry makes `sprechstunde-hub audit --verify` fail."""

from __future__ import annotations

import datetime as dt

from app.casework import CaseWork
from app.households import save_household
from app.repository import Repository
from app.session import Session
from sync.hub import audit as hub_audit
from tests.conftest import PASSPHRASE
from tests.sync.hubkit import hub_cli, sync


def test_withdrawal_and_audit_travel_through_the_hub(hub, laptops):
    a, b = laptops("AHL"), laptops("AHL")
    b.add_member("bodo", PASSPHRASE, "Bodo AA", "AA", "ifk")
    repo = Repository(a)
    res = save_household(repo, {"office": "AHL"}, [{"relation": "head", "family_name": "Nouri",
                                                    "given_names": "Samir", "birth_date": "1980-01-01", "sex": "m",
                                                    "case": {"rechtskreis": "AsylbLG"}}], today=dt.date.today())
    case_id = res.case_ids[0]
    CaseWork(repo).consent.record(case_id, "AA", "given", "2026-03-01")
    assert sync(a).ok and sync(b).ok
    bs = Session(b.path)
    bs.unlock(PASSPHRASE, "bodo")
    assert bs.case_access(case_id).level == "full"
    bs.lock()
    CaseWork(repo).consent.withdraw(case_id, "AA", "2026-03-05")
    sa = Session(a.path)
    sa.attach(a)
    sa.case_access(case_id)
    assert sync(a).ok and sync(b).ok
    bs.unlock(PASSPHRASE, "bodo")
    d = bs.case_access(case_id)
    assert d.level == "own" and "05.03.2026" in d.reason  # the booking, and only what AA recorded itself
    bs.lock()
    b2 = Session(b.path)
    b2.unlock(PASSPHRASE, "bodo")
    assert sync(b2.store).ok
    b2.lock()
    hs = hub.store()
    try:
        got = hub_audit.entries(hs.conn)
        by_device: dict[str, list[int]] = {}
        for e in got:
            by_device.setdefault(e["device_id"], []).append(e["n"])
        assert set(by_device) == {a.device_id, b.device_id}
        assert all(ns == list(range(1, len(ns) + 1)) for ns in by_device.values())  # in order, no gaps
        assert hub_audit.verify(hs.conn) == {a.device_id: [], b.device_id: []}
        assert hub_cli("audit", "--dir", str(hub.dir), "--verify").returncode == 0
        # an attacker edits one entry and removes the last one in the hub's file
        hs.conn.execute("DROP TRIGGER hub_audit_no_update")
        hs.conn.execute("DROP TRIGGER hub_audit_no_delete")
        hs.conn.execute("UPDATE hub_audit SET outcome = 'forged' WHERE device_id = ? AND n = 1", (b.device_id,))
        last = max(by_device[a.device_id])
        hs.conn.execute("DELETE FROM hub_audit WHERE device_id = ? AND n = ?", (a.device_id, last))
        problems = hub_audit.verify(hs.conn)
        assert problems[b.device_id] and "changed" in problems[b.device_id][0]
        assert problems[a.device_id] and "ends at" in problems[a.device_id][0]
    finally:
        hs.close()
    r = hub_cli("audit", "--dir", str(hub.dir), "--verify", check=False)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
