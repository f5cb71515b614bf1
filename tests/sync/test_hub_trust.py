"""Issue 12 against a real hub process: hub-bound identities, bounded stamps, pinning that ignores the
laptop's date, repaired references, bounded input, and the hub's staff record on office laptops."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from app.replica.changelog import ChangeLog
from app.duplicates import merge_persons
from app.replica.clock import DAY_MS, FOLLOW_MS, HybridClock, Stamp
from app.repository import Repository, clock_for
from app.store import Store
from sync import protocol as P
from sync.client import K_CERT, K_DEVICE, K_KEY, SyncEngine, enroll
from sync.hub import tls
from sync.hub.storage import TLS_PASSWORD_META
from sync.transport import (CertificateChanged, ClockWrong, HubUnreachable, Refused, Transport,
                            certificate_error, fetch_certificate)
from tests.sync.hubkit import PASSPHRASE, HubProcess, fill, hub_change_count, hub_cli, sync


def _transport(store) -> Transport:
    return Transport(store.meta("sync.hub_url"), store.meta(K_CERT), store.meta(K_DEVICE),
                     P.load_private(bytes.fromhex(store.meta(K_KEY))))


def _note_row(store, hid: str, stamp_ms: int, text: str) -> list:
    """A correctly signed-off push row of this laptop: the household's notes, stamped at `stamp_ms`."""
    prev = ChangeLog(store.conn).stamp(hid, "notes")
    return [str(Stamp(stamp_ms, 0xFFFF if stamp_ms == 10 ** 13 - 1 else 0, store.device_id)), "household", hid,
            "notes", text, prev, store.staff_id, hid]



def _now_ms() -> int:
    return int(time.time() * 1000)


# -- 1. a far-future stamp ------------------------------------------------------------------
def test_a_far_future_stamp_is_refused_and_the_office_keeps_syncing(hub, laptops):
    a, b = laptops("OEL"), laptops("OEL")
    hid = fill(a, 1, office="OEL")[0]
    assert sync(a).ok and sync(b).ok
    before = hub_change_count(hub)
    with _transport(a) as t, pytest.raises(Refused) as err:
        t.post("/push", {"v": 1, "rows": [_note_row(a, hid, 10 ** 13 - 1, "x")]})
    assert err.value.status == 400 and err.value.reason_code == "stamp_ahead"
    assert hub_change_count(hub) == before
    Repository(b).save("household", {"notes": "weiter"}, hid)
    sb, sa = sync(b), sync(a)
    assert sb.ok and sa.ok, (sb.error, sa.error)
    for s in (a, b):
        stamp = clock_for(s).now()
        assert len(stamp.split("-")[0]) == 13
    assert Repository(a).get("household", hid)["notes"] == "weiter"


def test_a_hostile_device_cannot_move_anyones_clock_past_the_bound(hub, laptops):
    a, b = laptops("OEL"), laptops("OEL")
    hid = fill(a, 1, office="OEL")[0]
    assert sync(a).ok and sync(b).ok
    # declaring its own clock 40 days ahead does not widen the bound past 30 days
    with _transport(a) as t, pytest.raises(Refused) as err:
        t.post("/push", {"v": 1, "clock": _now_ms() + 40 * DAY_MS,
                         "rows": [_note_row(a, hid, _now_ms() + 40 * DAY_MS, "x")]})
    assert err.value.reason_code == "stamp_ahead"
    # 20 days ahead, declared: accepted (a laptop whose clock is that far off must still sync) ...
    with _transport(a) as t:
        t.post("/push", {"v": 1, "clock": _now_ms() + 20 * DAY_MS,
                         "rows": [_note_row(a, hid, _now_ms() + 20 * DAY_MS, "aus der Zukunft")]})
    # ... but the laptop that pulls it does not take that time as its clock, and says so
    summary = sync(b)
    assert summary.ok and summary.applied == 1
    assert summary.stamp_skew_ms > 19 * DAY_MS
    assert any("ahead" in w or "vor" in w for w in summary.warnings)
    assert Stamp.parse(clock_for(b).now()).millis <= _now_ms() + FOLLOW_MS + 1000
    # a later edit that saw the value still wins, everywhere
    Repository(b).save("household", {"notes": "korrigiert"}, hid)
    assert sync(b).ok and sync(a).ok
    assert Repository(a).get("household", hid)["notes"] == "korrigiert"


def test_undeclared_stamps_may_lie_only_a_few_minutes_ahead(hub, laptops):
    a = laptops("OEL")
    hid = fill(a, 1, office="OEL")[0]
    assert sync(a).ok
    with _transport(a) as t:
        t.post("/push", {"v": 1, "rows": [_note_row(a, hid, _now_ms() + 60_000, "eine Minute")]})
        with pytest.raises(Refused) as err:
            t.post("/push", {"v": 1, "rows": [_note_row(a, hid, _now_ms() + 3_600_000, "eine Stunde")]})
    assert err.value.reason_code == "stamp_ahead"


# -- 2. identity is the hub's ----------------------------------------------------------------
def _raw_enroll(hub, code: str, replica: str):
    key = P.new_signing_key()
    with Transport(hub.url, fetch_certificate(hub.url)) as t:
        return t.post("/enroll", {"code": code, "public_key": P.b64(P.public_bytes(key)), "replica_id": replica,
                                  "name": "x", "proof": P.b64(key.sign(P.enroll_proof_input(code, replica)))},
                      signed=False)


def test_enrollment_cannot_take_over_another_laptops_replica(hub, laptops):
    victim = laptops("BEC")
    fill(victim, 1, office="BEC")
    assert sync(victim).ok
    with pytest.raises(Refused) as err:
        _raw_enroll(hub, hub.code("AHL"), victim.device_id)  # a valid code, but for a stolen identity
    assert err.value.reason_code == "replica_taken"
    s = hub.store()
    try:
        rows = s.conn.execute("SELECT revoked_at FROM hub_devices WHERE replica_id = ?",
                              (victim.device_id,)).fetchall()
        own = s.device_id
    finally:
        s.close()
    assert rows == [(None,)]  # the victim is still enrolled, once
    assert sync(victim).ok
    with pytest.raises(Refused):  # nor the hub's own identity
        _raw_enroll(hub, hub.code("AHL"), own)


def test_re_enrolling_a_laptop_is_an_explicit_replace(hub, laptops, tmp_path):
    laptop = laptops("ENN")
    fill(laptop, 1, office="ENN")
    assert sync(laptop).ok
    old_device = laptop.meta(K_DEVICE)
    with pytest.raises(Refused) as err:  # a plain code: refused, with the way out in the reason
        enroll(laptop, hub.url, hub.code("ENN"), hub.fingerprint)
    assert err.value.reason_code == "replica_taken" and f"--replace {old_device}" in str(err.value)
    other, _ = Store.create(tmp_path / "other", PASSPHRASE, login="eva")
    try:
        out = hub_cli("enroll", "--dir", str(hub.dir), "--replace", old_device).stdout
        code = out.split(": ", 1)[1].split()[0]
        with pytest.raises(Refused) as err:  # the replace code fits only the replaced laptop's store
            enroll(other, hub.url, code, hub.fingerprint)
        assert err.value.reason_code == "replica_mismatch"
    finally:
        other.close()
    code = hub_cli("enroll", "--dir", str(hub.dir), "--replace", old_device).stdout.split(": ", 1)[1].split()[0]
    enroll(laptop, hub.url, code, hub.fingerprint)
    assert laptop.meta(K_DEVICE) != old_device
    s = hub.store()
    try:
        reason = s.conn.execute("SELECT revoke_reason FROM hub_devices WHERE id = ?", (old_device,)).fetchone()[0]
    finally:
        s.close()
    assert reason.startswith("replaced by")
    Repository(laptop).save("household", {"notes": "nach dem Austausch"},
                            laptop.conn.execute("SELECT id FROM household").fetchone()[0])
    assert sync(laptop).ok


# -- 3. pinning independent of the laptop's clock -----------------------------------------------
# the certificate claims validity from a year before `made` to ten years after it
@pytest.mark.parametrize("made_days", [368, -3660], ids=["valid-only-in-3-days", "expired-10-days-ago"])
def test_a_pinned_certificate_is_trusted_whatever_the_laptops_date(tmp_path, made_days):
    """The certificate becomes valid only after the laptop's 'now' (its clock runs behind the hub's
    init), or has run out (its clock runs far ahead): enrollment and sync work all the same."""
    h = HubProcess(tmp_path / "hub")
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=made_days)
    password, fingerprint = tls.create_certificate(h.dir, now=when)
    s = h.store()
    try:
        s.set_meta(TLS_PASSWORD_META, password)
    finally:
        s.close()
    h.fingerprint = fingerprint
    h.start()
    try:
        laptop, _ = Store.create(tmp_path / "laptop", PASSPHRASE, login="anna")
        try:
            enroll(laptop, h.url, h.code("TEL"), fingerprint)
            fill(laptop, 1, office="TEL")
            summary = sync(laptop)
            assert summary.ok, summary.error
        finally:
            laptop.close()
    finally:
        h.stop()


def test_a_tls_failure_with_the_pinned_certificate_is_not_called_a_changed_certificate():
    fp = "AA:BB"
    changed = certificate_error("CC:DD", fp, Exception("certificate verify failed"), time.time())
    assert isinstance(changed, CertificateChanged) and "CC:DD" in str(changed)
    clock = certificate_error(fp, fp, Exception("certificate verify failed: certificate is not yet valid"),
                              time.time() - 3 * 86400)
    assert isinstance(clock, ClockWrong) and fp not in str(clock)
    other = certificate_error(fp, fp, Exception("handshake failure"), time.time())
    assert isinstance(other, HubUnreachable) and not isinstance(other, CertificateChanged)


# -- 4. references repaired where they break -----------------------------------------------------
@pytest.mark.parametrize("merge_first", [True, False], ids=["merge-reaches-hub-first", "case-reaches-hub-first"])
def test_a_case_added_to_a_person_merged_away_elsewhere_converges_on_the_kept_person(hub, laptops, merge_first):
    a, b, c = laptops("WAF"), laptops("WAF"), laptops("WAF")
    ra = Repository(a)
    hid = ra.save("household", {"office": "WAF", "address": "Freckenhorster Str. 1"})
    keep = ra.save("person", {"household_id": hid, "family_name": "Alhasan", "given_names": "Mohammed"})
    away = ra.save("person", {"household_id": hid, "family_name": "Al-Hassan", "given_names": "Muhammad"})
    for s in (a, b, c):
        assert sync(s).ok
    merge_persons(Repository(a), keep, away)  # laptop A merges ...
    case = Repository(b).save("case", {"household_id": hid, "person_id": away, "office": "WAF",
                                       "status": "new"})  # ... while laptop B opens a case for the other
    order = (a, b, c, a, b, c) if merge_first else (b, a, c, b, a, c)
    for s in order:
        summary = sync(s)
        assert summary.ok, summary.error
    hs = hub.store()
    try:
        hub_value = Repository(hs).get("case", case)["person_id"]
        hub_staff = hs.staff_id
        repaired_by = [r[0] for r in hs.conn.execute(
            "SELECT staff_id FROM changes WHERE entity_id = ? AND field = 'person_id'", (case,))]
    finally:
        hs.close()
    assert hub_value == keep
    for s in (a, b, c):
        r = Repository(s)
        assert r.get("case", case)["person_id"] == keep
        assert not s.conn.execute("SELECT count(*) FROM conflicts WHERE status = 'open'").fetchone()[0]
    states = [sorted(s.conn.execute('SELECT id, person_id FROM "case"')) for s in (a, b, c)]
    assert states[0] == states[1] == states[2]
    # 6. whoever repaired it, every office laptop can name the author (the hub's staff record too)
    for staff in set(repaired_by) - {None}:
        for s in (a, b, c):
            assert Repository(s).get("staff", staff) is not None, staff
    if merge_first:
        assert hub_staff in repaired_by  # the hub re-pointed the case as soon as it arrived


# -- 5. every input bounded ----------------------------------------------------------------------
def test_a_cursor_past_sqlite_integers_and_1e400_are_refused_not_500(hub, laptops):
    a = laptops("SEN")
    fill(a, 1, office="SEN")
    assert sync(a).ok
    with _transport(a) as t:
        for cursor in (2 ** 63, 2 ** 64, -1):
            with pytest.raises(Refused) as err:
                t.post("/pull", {"v": 1, "cursor": cursor, "limit": 10})
            assert err.value.status == 400
        pid = a.conn.execute("SELECT id, household_id FROM person").fetchone()
        row = [str(Stamp(_now_ms(), 0, a.device_id)), "person", pid[0], "languages", [], None, a.staff_id, pid[1]]
        before = hub_change_count(hub)
        body = P.dumps({"v": 1, "rows": [row]}).replace(b'"languages",[]', b'"languages",[{"lang":"ar","x":1e400}]')
        r = t._send("POST", "/v1/push", body, P.sign_headers(t.key, t.device_id, "POST", "/v1/push", body,
                                                               t.hub_time_ms()))
        assert r.status_code == 400 and r.json()["error"] == "malformed"
        assert hub_change_count(hub) == before
    assert not [line for line in hub.lines if "internal" in line]


def test_strict_json_refuses_overflowing_numbers_and_deep_values():
    with pytest.raises(P.ProtocolError):
        P.loads(b'{"a": 1e400}')
    with pytest.raises(P.ProtocolError):
        P.loads(b'{"a": -1e999}')
    assert P.loads(b'{"a": 1.5e300}') == {"a": 1.5e300}
    deep: list = []
    for _ in range(P.MAX_JSON_DEPTH + 1):
        deep = [deep]
    assert not P.json_value_ok(deep)
    assert P.json_value_ok([{"lang": "fa", "level": "native"}])
    assert not P.json_value_ok([float("inf")])


# -- clocks days off on either side ----------------------------------------------------------------
def test_laptops_three_days_behind_and_ahead_both_sync_with_skew_reported_and_order_kept(hub, laptops):
    behind, ahead = laptops("DRE"), laptops("DRE")
    for store, days in ((behind, -3), (ahead, 3)):
        store._clock = HybridClock(store.device_id, store.meta("hlc_last"),
                                   wall=lambda d=days: time.time() + d * 86400)
    engines = {id(behind): SyncEngine(behind, wall=lambda: time.time() - 3 * 86400),
               id(ahead): SyncEngine(ahead, wall=lambda: time.time() + 3 * 86400)}
    hid = Repository(ahead).save("household", {"office": "DRE", "notes": "vom Laptop, der vorgeht"})
    s1 = engines[id(ahead)].sync()
    assert s1.ok, s1.error
    assert s1.clock_offset_ms < -2.9 * DAY_MS and s1.warnings  # "... ahead of the hub"
    before = Stamp.parse(clock_for(behind).last).millis
    s2 = engines[id(behind)].sync()
    assert s2.ok, s2.error
    assert s2.clock_offset_ms > 2.9 * DAY_MS
    assert s2.stamp_skew_ms > 2.9 * DAY_MS and len(s2.warnings) == 2  # its clock, and the stamps it received
    # the laptop behind did not move its clock toward the stamps 3 days ahead (6 days ahead of its wall)
    assert Stamp.parse(clock_for(behind).now()).millis <= max(before, _now_ms() - 3 * DAY_MS) + FOLLOW_MS + 1000
    # order kept: the edit made after seeing the other's value wins on both, though stamped 6 days lower
    Repository(behind).save("household", {"notes": "danach korrigiert"}, hid)
    assert engines[id(behind)].sync().ok and engines[id(ahead)].sync().ok
    for s in (behind, ahead):
        assert Repository(s).get("household", hid)["notes"] == "danach korrigiert"



def test_seqs_cursors_and_times_are_ints_of_at_most_63_bits():
    """What the hub checks for cursors and limits, and the client for the hub's time and page fields."""
    for good in (0, 1, 2 ** 63 - 1, _now_ms()):
        assert P.is_seq(good)
    for bad in (True, False, -1, 2 ** 63, 10 ** 5000, 1.0, "5", None):
        assert not P.is_seq(bad), bad
