"""Seats across laptops through a real hub: two laptops propose the same person and the same seat offline,
the hub allocates (`sprechstunde-hub allocate`), and every laptop ends with one allocation."""

from __future__ import annotations

import json

from app.repository import Repository
from tests.app.course_kit import course, person, service
from tests.sync.hubkit import hub_cli, sync

DAY = "2026-03-02"


def _entries(store, case_id):
    return Repository(store).find("waitlist_entry", case_id=case_id)


def _offers(store):
    return Repository(store).find("seat_offer")


def test_two_laptops_one_seat_one_allocation(hub, laptops):
    zip_, a1, a2 = laptops("ZIP"), laptops("AHL"), laptops("AHL", login="bert")
    r1 = Repository(a1)
    amir, dawit = person(r1, "Amir"), person(r1, "Dawit")
    assert sync(a1).ok
    cid = course(service(Repository(zip_)), 1, "2026-04-01", title="Integrationskurs A1 Ahlen")
    for s in (zip_, a2, a1):
        assert sync(s).ok
    assert Repository(a2).get("course", cid)["seats"] == 1 and Repository(a2).get("case", amir)
    # offline: both laptops register Amir for the one seat; the first also proposes Dawit for it
    s1, s2 = service(r1), service(Repository(a2))
    s1.waitlist.register(amir, "integrationskurs", "A1", date="2026-02-10", proposed_course_id=cid)
    s2.waitlist.register(amir, "integrationskurs", "A1", date="2026-02-10", proposed_course_id=cid)
    s1.waitlist.register(dawit, "integrationskurs", "A1", date="2026-02-20", proposed_course_id=cid)
    for s in (a1, a2):
        assert sync(s).ok
    out = hub_cli("allocate", "--dir", str(hub.dir), "--date", DAY, "--json").stdout
    assert json.loads(out)["offered"] == 1
    again = json.loads(hub_cli("allocate", "--dir", str(hub.dir), "--date", DAY, "--json").stdout)
    assert again["changes"] == 0  # a second run on the same day changes nothing
    for s in (a1, a2, zip_):
        assert sync(s).ok
    for s in (a1, a2):
        assert len(_entries(s, amir)) == 1
        (offer,) = _offers(s)
        assert (offer["case_id"], offer["course_id"], offer["state"]) == (amir, cid, "offered")
        assert Repository(s).get("course", cid)["taken"] == 1
        assert "voll" in _entries(s, dawit)[0]["notice"]
    # both laptops record that Amir accepts (offline, the same day): the hub gives the seat once
    offer_id = _offers(a1)[0]["id"]
    s1.waitlist.answer_offer(offer_id, accept=True, date="2026-03-03")
    s2.waitlist.answer_offer(offer_id, accept=True, date="2026-03-03")
    for s in (a1, a2):
        assert sync(s).ok
    hub_cli("allocate", "--dir", str(hub.dir), "--date", "2026-03-04")
    for s in (a1, a2, zip_):
        assert sync(s).ok
    for s in (a1, a2, zip_):
        offers = _offers(s)
        assert [(o["case_id"], o["state"]) for o in offers] == [(amir, "allocated")]
        measure = Repository(s).get("measure", _entries(s, amir)[0]["measure_id"])
        assert (measure["status"], measure["course_id"], measure["provider"]) == ("registered", cid, "VHS Ahlen")


def test_allocate_bad_date_is_one_line(hub):
    res = hub_cli("allocate", "--dir", str(hub.dir), "--date", "2026-13-01", check=False)
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr


def test_a_laptop_cannot_give_itself_a_seat(hub, laptops):
    """Writing an offer, a hub-only field or the catalogue from a field laptop is refused at the hub."""
    zip_, a1 = laptops("ZIP"), laptops("AHL")
    cid = course(service(Repository(zip_)), 1, "2026-04-01")
    assert sync(zip_).ok and sync(a1).ok
    r1 = Repository(a1)
    amir = person(r1, "Amir")
    assert sync(a1).ok
    # an offer the hub never made
    r1.save("seat_offer", {"household_id": r1.get("case", amir)["household_id"], "case_id": amir,
                           "course_id": cid, "state": "allocated"})
    res = sync(a1)
    assert not res.ok and "403 not_allowed" in (res.error or ""), res
    hs = hub.store()
    try:
        assert hs.conn.execute("SELECT count(*) FROM seat_offer WHERE case_id = ?", (amir,)).fetchone()[0] == 0
    finally:
        hs.close()


def test_the_serving_hub_allocates_on_its_schedule(tmp_path, monkeypatch):
    """`serve` runs the allocation by itself (here every 1.2 s instead of hourly); the laptop gets the offer."""
    import datetime as dt

    from tests.sync.hubkit import HubProcess, make_laptop

    monkeypatch.setenv("SPRECHSTUNDE_HUB_ALLOCATE_MINUTES", "0.02")
    hub = HubProcess(tmp_path / "hub").start()
    try:
        laptop = make_laptop(hub, tmp_path / "laptop", "ZIP")
        try:
            repo = Repository(laptop)
            svc = service(repo)
            start = (dt.date.today() + dt.timedelta(days=30)).isoformat()
            cid = course(svc, 2, start)
            amir = person(repo, "Amir", today=dt.date.today())
            svc.waitlist.register(amir, "integrationskurs", "A1")
            assert sync(laptop).ok
            hub.wait_for('"offered":1', timeout=30)
            assert sync(laptop).ok
            (offer,) = _offers(laptop)
            assert (offer["case_id"], offer["course_id"], offer["state"]) == (amir, cid, "offered")
        finally:
            laptop.close()
    finally:
        hub.stop()
