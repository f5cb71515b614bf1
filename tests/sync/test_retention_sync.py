"""Retention and erasure end to end: a real hub on 127.0.0.1, laptops as real SQLCipher stores.

A case past its retention period is deleted at the hub by `sprechstunde-hub retention --apply`
and, after their next sync, on two laptops; its values are in no store file (decrypted page by
page, free space included) and in no change log; statistics still count it; a laptop that was
offline with edits to it syncs later and the case does not come back; `devices` shows who has
not confirmed the order. The offline lease locks a laptop after the set days and a sync unlocks it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.lease import LeaseExpired
from app.repository import Repository
from app.session import Session
from app.statistics import statistics
from sync.client import SyncEngine, SyncSummary

from .hubkit import PASSPHRASE, hub_cli, sync
from .rawscan import plaintext

NAME = "Wardakzai"  # the client whose case is deleted: must be found nowhere afterwards
KEPT = "Haidari"  # a client whose case stays


def phone_of(family: str) -> str:
    return "0176 " + "".join(str(ord(ch) % 10) for ch in family)


def make_case(store, family: str, number: str, status: str, closed: str | None, opened: str = "2021-03-01"):
    repo = Repository(store)
    with repo.transaction():
        h = repo.save("household", {"office": "AHL", "address": f"{family}straße 3, 59227 Ahlen"})
        p = repo.save("person", {"household_id": h, "family_name": family, "given_names": "Zarghuna",
                                 "birth_date": "1988-04-12", "sex": "f", "nationality": "AFG", "phone": phone_of(family)})
        c = repo.save("case", {"household_id": h, "person_id": p, "case_number": number, "office": "AHL",
                               "status": status, "opened": opened, "closed": closed, "rechtskreis": "SGB II"})
        repo.save("event", {"household_id": h, "case_id": c, "date": opened, "kind": "note",
                            "text": f"Erstgespräch mit Frau {family}"})
        repo.save("resource_entry", {"household_id": h, "case_id": c, "quadrant": "sozial",
                                     "text": f"Schwester von {family} wohnt in Beckum", "date": opened})
    return h, p, c


def assert_gone(store, name: str = NAME) -> None:
    """The name is in no table, no change-log row, and no byte of the decrypted file or WAL."""
    conn = store.conn
    assert conn.execute("SELECT count(*) FROM changes WHERE value LIKE ?", (f"%{name}%",)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM person WHERE family_name = ?", (name,)).fetchone()[0] == 0
    raw = plaintext(store.path, store._data_key).lower()
    assert name.lower().encode() not in raw
    assert phone_of(name).encode() not in raw


def assert_there(store, name: str = KEPT) -> None:
    assert store.conn.execute("SELECT count(*) FROM person WHERE family_name = ?", (name,)).fetchone()[0] == 1


def test_retention_reaches_every_laptop_and_the_case_never_comes_back(hub, laptops):
    a, b, c = laptops("AHL", "anna"), laptops("AHL", "ben"), laptops("AHL", "cem")
    _h, _p, case_id = make_case(a, NAME, "AHL-22-0007", "closed", "2022-06-30")
    make_case(a, KEPT, "AHL-26-0001", "active", None, opened="2026-11-02")
    assert sync(a).ok
    assert sync(b).ok and sync(c).ok
    assert b.conn.execute('SELECT count(*) FROM "case" WHERE id = ?', (case_id,)).fetchone()[0] == 1
    # laptop c goes offline and keeps working on the case
    rc = Repository(c)
    rc.save("person", {"phone": "0176 999 " + NAME}, entity_id=_p)
    rc.save("event", {"household_id": _h, "case_id": case_id, "date": "2026-11-20", "kind": "note",
                      "text": f"Anruf von {NAME}"})

    listed = json.loads(hub_cli("retention", "--dir", str(hub.dir), "--json").stdout)
    assert [d["case_number"] for d in listed["due"]] == ["AHL-22-0007"]
    assert listed["order"] is None  # listing changes nothing
    out = hub_cli("--lang", "en", "retention", "--dir", str(hub.dir), "--apply")
    assert "Deletion order" in out.stdout
    devices = json.loads(hub_cli("devices", "--dir", str(hub.dir), "--json").stdout)
    assert all(len(d["orders_pending"]) == 1 for d in devices if not d["revoked_at"])

    hs = hub.store()
    try:
        assert_gone(hs)
        assert_there(hs)
        stats = statistics(hs.conn)
        assert stats["cases_total"] == 2 and stats["deleted_cases"] == 1
        assert stats["deleted_cases_by_basis"] == {"retention": 1}
        remainder = hs.conn.execute("SELECT sex, birth_month, nationality, postcode_prefix, office, closed_month"
                                    " FROM anonymised_case").fetchall()
        assert remainder == [("f", "1988-04", "AFG", "592", "AHL", "2022-06")]
    finally:
        hs.close()

    for laptop in (a, b):
        s = sync(laptop)
        assert s.ok and s.orders == 1 and s.purged > 0, s
        assert_gone(laptop)
        assert_there(laptop)
        st = statistics(laptop.conn)
        assert st["cases_total"] == 2 and st["deleted_cases"] == 1
    # a form on laptop b was still open on the deleted person and saved after the sync
    Repository(b).save("person", {"family_name": NAME, "phone": phone_of(NAME)}, entity_id=_p)
    assert sync(b).ok
    assert_gone(b)

    devices = {d["replica_id"]: d for d in json.loads(hub_cli("devices", "--dir", str(hub.dir), "--json").stdout)}
    assert devices[a.device_id]["orders_pending"] == [] and devices[b.device_id]["orders_pending"] == []
    assert len(devices[c.device_id]["orders_pending"]) == 1

    # an old client would push its offline edits without applying the order first: the hub drops them
    engine = SyncEngine(c)
    t = engine._transport()
    t.health()
    pushed = SyncSummary()
    engine._push(t, pushed)
    t.close()
    assert pushed.pushed >= 2
    hs = hub.store()
    try:
        assert_gone(hs)
        assert hs.conn.execute("SELECT count(*) FROM event WHERE case_id = ?", (case_id,)).fetchone()[0] == 0
    finally:
        hs.close()
    # its edits are still unsent locally: the normal sync applies the order first and drops them
    assert sync(c).ok
    assert_gone(c)
    assert sync(a).ok and sync(b).ok
    for laptop in (a, b):
        assert laptop.conn.execute('SELECT count(*) FROM "case" WHERE id = ?', (case_id,)).fetchone()[0] == 0
        assert_gone(laptop)
    devices = json.loads(hub_cli("devices", "--dir", str(hub.dir), "--json").stdout)
    assert devices and all(d["orders_pending"] == [] for d in devices if not d["revoked_at"])


def test_erase_on_request_and_offline_edits_of_a_laptop_that_never_got_the_order(hub, laptops):
    a, c = laptops("AHL", "anna"), laptops("AHL", "cem")
    name = "Qaderyan"
    h, p, case_id = make_case(a, name, "AHL-26-0042", "active", None, opened="2026-10-01")
    assert sync(a).ok and sync(c).ok
    # c is offline; it edits the case and even adds a questionnaire
    rc = Repository(c)
    resp = rc.save("form_response", {"household_id": h, "case_id": case_id, "form_id": "intake",
                                     "form_version": 1, "date": "2026-11-30"})
    rc.save("answer", {"household_id": h, "response_id": resp, "key": "health", "value": f"{name}: Asthma"})
    out = hub_cli("erase", "--dir", str(hub.dir), "--case", "AHL-26-0042", "--reason",
                  "Antrag nach Art. 17 vom 2026-12-01", "--json")
    order = json.loads(out.stdout)
    assert order["basis"] == "erasure" and order["case_numbers"] == ["AHL-26-0042"]
    assert sync(a).ok
    s = sync(c)
    assert s.ok and s.orders >= 1
    for store in (a, c):
        assert_gone(store, name)
        assert store.conn.execute("SELECT count(*) FROM answer WHERE response_id = ?", (resp,)).fetchone()[0] == 0
    hs = hub.store()
    try:
        assert_gone(hs, name)
        assert hs.conn.execute("SELECT count(*) FROM anonymised_case WHERE basis = 'erasure'").fetchone()[0] == 1
    finally:
        hs.close()


def test_erase_refuses_an_unknown_case_and_an_empty_reason(hub):
    out = hub_cli("erase", "--dir", str(hub.dir), "--case", "AHL-99-9999", "--reason", "x", check=False)
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1 and "AHL-99-9999" in out.stderr
    out = hub_cli("erase", "--dir", str(hub.dir), "--case", "AHL-99-9999", "--reason", "  ", check=False)
    assert out.returncode == 1 and len(out.stderr.strip().splitlines()) == 1
    out = hub_cli("retention", "--dir", str(hub.dir), "--date", "morgen", check=False)
    assert out.returncode == 1 and "morgen" in out.stderr


def test_the_lease_locks_case_data_after_the_set_days_and_a_sync_unlocks(hub, laptops):
    a = laptops("AHL", "anna")
    make_case(a, "Sultani", "AHL-26-0100", "active", None, opened="2026-11-01")
    assert sync(a).ok
    assert a.meta("sync.lease_days") == "30"  # the hub's setting, announced in hello
    path = a.path
    a.close()
    session = Session(path)
    session.unlock(PASSPHRASE, "anna")
    try:
        today = dt.date.today()
        session.lease_today = today + dt.timedelta(days=30)
        assert not session.lease().locked and session.case_rows()
        session.lease_today = today + dt.timedelta(days=31)
        assert session.lease().locked
        with pytest.raises(LeaseExpired, match="31"):
            session.case_rows()
        with pytest.raises(LeaseExpired):
            session.render_document("export", "AHL-26-0100", "de")
        # the real today, the last sync 31 days back: locked; a sync unlocks at once
        session.lease_today = None
        back = (today - dt.timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%S+0000")
        session.store.set_meta("sync.last_sync", back)
        assert session.lease().locked
        assert SyncEngine(session.store).sync().ok
        assert not session.lease().locked and session.case_rows()
    finally:
        session.lock()
