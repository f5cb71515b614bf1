"""Security of the hub protocol against a real hub process: signatures, replay, limits, enrollment, revocation, pinning."""

from __future__ import annotations

import time

import httpx
import pytest

from sync import protocol as P
from sync.client import K_CERT, K_DEVICE, K_KEY, SyncEngine, enroll
from sync.transport import CertificateChanged, SyncError, pinned_context
from tests.sync.hubkit import PASSPHRASE, HubProcess, fill, hub_change_count, sync

from app.store import Store


def _client(store) -> httpx.Client:
    return httpx.Client(verify=pinned_context(store.meta(K_CERT)), timeout=10)


def _post(hub, store, path: str, body: bytes, *, key=None, headers=None, time_ms=None) -> httpx.Response:
    full = f"{P.PREFIX}{path}"
    key = key or P.load_private(bytes.fromhex(store.meta(K_KEY)))
    h = P.sign_headers(key, store.meta(K_DEVICE), "POST", full, body, time_ms or int(time.time() * 1000))
    h.update(headers or {})
    with _client(store) as c:
        return c.post(hub.url + full, content=body, headers=h)



def _push_body(store, rows=None) -> bytes:
    from app.replica.changelog import row_to_change

    if rows is None:
        rows = [P.push_row(row_to_change(r)) for r in store.conn.execute(
            "SELECT hlc, entity, entity_id, field, value, prev_hlc, device_id, staff_id, root_id FROM changes")]
    return P.dumps({"v": 1, "rows": rows})


def test_health_is_open_and_signed_requests_work(hub, laptops):
    r = httpx.get(f"{hub.url}/v1/health", verify=False)
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["protocol"] == 1
    a = laptops("AHL")
    assert _post(hub, a, "/hello", b"{}").json()["office"] == "AHL"


def test_unsigned_wrongly_signed_tampered_and_replayed_requests_are_refused(hub, laptops):
    a = laptops("AHL")
    fill(a, 1)
    body = _push_body(a)
    before = hub_change_count(hub)
    with _client(a) as c:
        r = c.post(f"{hub.url}/v1/push", content=body)
    assert (r.status_code, r.json()["error"]) == (401, "unsigned")

    r = _post(hub, a, "/push", body, key=P.new_signing_key())
    assert (r.status_code, r.json()["error"]) == (401, "bad_signature")

    full = "/v1/push"
    key = P.load_private(bytes.fromhex(a.meta(K_KEY)))
    h = P.sign_headers(key, a.meta(K_DEVICE), "POST", full, body, int(time.time() * 1000))
    with _client(a) as c:
        tampered = body.replace(b"Weg 0", b"Weg 9")
        r = c.post(hub.url + full, content=tampered, headers=h)
        assert (r.status_code, r.json()["error"]) == (401, "bad_signature")
        r = c.post(hub.url + "/v1/pull", content=body, headers=h)  # same signature, other path
        assert (r.status_code, r.json()["error"]) == (401, "bad_signature")
        assert hub_change_count(hub) == before
        assert c.post(hub.url + full, content=body, headers=h).status_code == 200
        r = c.post(hub.url + full, content=body, headers=h)  # the same request again
        assert (r.status_code, r.json()["error"]) == (401, "replay")

    r = _post(hub, a, "/hello", b"{}", time_ms=int(time.time() * 1000) - 10 * 60 * 1000)
    assert (r.status_code, r.json()["error"]) == (401, "stale")
    r = _post(hub, a, "/hello", b"{}", headers={P.H_DEVICE: "nosuchdevice"})
    assert r.status_code == 401


def test_oversized_and_malformed_requests_get_4xx_and_write_nothing(hub, laptops):
    a = laptops("AHL")
    fill(a, 2)
    before = hub_change_count(hub)
    big = b'{"v":1,"rows":[' + b'"x",' * (P.MAX_BODY // 4) + b'"x"]}'
    r = _post(hub, a, "/push", big)
    assert r.status_code == 413 and r.json()["error"] == "too_large"

    good = P.dumps({"v": 1, "rows": []})
    rows = [r for r in __import__("json").loads(_push_body(a))["rows"]]
    bad_bodies = [
        b"not json", b"[1,2]", b'{"v":2,"rows":[]}', b'{"v":1}', b'{"v":1,"rows":"x"}',
        b"\xff\xfe", P.dumps({"v": 1, "rows": [[1, 2, 3]]}),
        P.dumps({"v": 1, "rows": rows + [["bad-stamp", *rows[0][1:]]]}),  # valid rows first: all or nothing
        P.dumps({"v": 1, "rows": rows + [[rows[0][0], "nosuchentity", *rows[0][2:]]]}),
        P.dumps({"v": 1, "rows": rows + [[*rows[0][:3], "nosuchfield", *rows[0][4:]]]}),
        P.dumps({"v": 1, "rows": rows + [[rows[0][0].replace(a.device_id, "someoneelse"), *rows[0][1:]]]}),
        P.dumps({"v": 1, "rows": rows + [[*rows[1][:4], {"a": 1}, *rows[1][5:]]]}),  # object in a text field
        P.dumps({"v": 1, "rows": rows + [[*rows[0][:2], "x" * 500, *rows[0][3:]]]}),
        P.dumps({"v": 1, "rows": rows})[:-30],  # cut off
        b'{"v":1,"rows":[' + b"[" * 100_000 + b"]" * 100_000 + b"]}",  # nested too deep
        P.dumps({"v": 1, "rows": [[*r[:4], float("nan"), *r[5:]] if r[3] == "languages" else r for r in rows]}),
        P.dumps({"v": 1, "rows": rows + [[rows[0][0], "staff", "ffff0000", "login", "SURROGATE", None, None, None]]}).replace(b"SURROGATE", rb"\ud800"),
    ]
    for body in bad_bodies:
        r = _post(hub, a, "/push", body)
        assert r.status_code == 400, (body[:80], r.status_code, r.text)
        assert r.json()["error"] == "malformed" and r.json()["reason"]
    for body in (b'{"v":1,"cursor":-1}', b'{"v":1,"cursor":"0"}', b'{"v":1,"cursor":0,"limit":0}', b"{}"):
        assert _post(hub, a, "/pull", body).status_code == 400
    assert hub_change_count(hub) == before
    assert _post(hub, a, "/push", good).status_code == 200
    with _client(a) as c:
        r = c.post(f"{hub.url}/v1/enroll", content=b'{"code": 5}')
        assert r.status_code == 400
        assert c.get(f"{hub.url}/v1/nothing").status_code == 404


def test_enrollment_code_is_one_time_and_expires(hub, tmp_path):
    s1, _ = Store.create(tmp_path / "l1", PASSPHRASE)
    s2, _ = Store.create(tmp_path / "l2", PASSPHRASE)
    try:
        code = hub.code("AHL")
        enroll(s1, hub.url, code)
        with pytest.raises(SyncError, match="code_used"):
            enroll(s2, hub.url, code)
        with pytest.raises(SyncError, match="code_expired"):
            enroll(s2, hub.url, hub.code("AHL", hours=-1))
        with pytest.raises(SyncError, match="unknown_code"):
            enroll(s2, hub.url, "AAAAA-BBBBB-CCCCC-DDDDD")
        with pytest.raises(CertificateChanged):
            enroll(s2, hub.url, hub.code("AHL"), fingerprint="AB:" * 31 + "AB")
        assert s2.meta(K_DEVICE) is None
    finally:
        s1.close()
        s2.close()


def test_revoked_device_gets_a_clear_refusal(hub, laptops):
    a = laptops("AHL")
    assert sync(a).ok
    from sync.hub import storage

    hs = hub.store()
    try:
        assert storage.revoke(hs.conn, a.meta(K_DEVICE), "laptop stolen")
    finally:
        hs.close()
    r = _post(hub, a, "/hello", b"{}")
    assert r.status_code == 403 and r.json()["error"] == "revoked" and "laptop stolen" in r.json()["reason"]
    summary = sync(a)
    assert not summary.ok and summary.error_code == "revoked"
    assert "shut out" in summary.line() or "gesperrt" in summary.line() or summary.error


def test_a_different_hub_certificate_is_refused(hub, laptops, tmp_path):
    a = laptops("AHL")
    fill(a, 1)
    impostor = HubProcess(tmp_path / "impostor")
    impostor.start()
    try:
        a.set_meta("sync.hub_url", impostor.url)  # same address, other certificate (as after a DNS hijack)
        summary = SyncEngine(a).sync()
        assert not summary.ok and summary.error_code == "certificate_changed"
        assert hub.fingerprint.replace(":", "")[:8] in summary.error.replace(":", "")
        assert not [x for x in impostor.lines if '"event":"push"' in x or '"event":"hello"' in x]
    finally:
        impostor.stop()
