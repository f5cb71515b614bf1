"""Offline transport: a laptop's pending changes sealed to the hub, imported at the hub, idempotent."""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import x25519

from app.repository import Repository
from sync import client as C
from sync import protocol as P
from sync import transport_file as T
from sync.hub import file_import as F
from sync.hub import storage, tls
from sync.hub.storage import TLS_PASSWORD_META
from sync.hub.service import Hub
from tests.sync.helpers import make_store


def test_sealed_box_roundtrip_both_curves():
    from cryptography.hazmat.primitives.asymmetric import ec

    for priv in (x25519.X25519PrivateKey.generate(), ec.generate_private_key(ec.SECP256R1())):
        env = T.seal(priv.public_key(), "Grüße سلام".encode())
        assert T.unseal(priv, env) == "Grüße سلام".encode()
        other = x25519.X25519PrivateKey.generate() if isinstance(priv, x25519.X25519PrivateKey) else \
            ec.generate_private_key(ec.SECP256R1())
        with pytest.raises(T.SealedFileError):
            T.unseal(other, env)
        bad = dict(env, ct=env["ct"][:-4] + ("AAAA" if not env["ct"].endswith("AAAA") else "BBBB"))
        with pytest.raises(T.SealedFileError):
            T.unseal(priv, bad)


@pytest.fixture
def hub(tmp_path, monkeypatch):
    monkeypatch.setenv(storage.PASSPHRASE_ENV, "hub-geheim-123")
    folder = tmp_path / "hub"
    folder.mkdir()
    store = storage.create_store(folder)
    password, _fp = tls.create_certificate(folder)
    store.set_meta(TLS_PASSWORD_META, password)
    h = Hub(store)
    h.folder = folder
    yield h
    store.close()


def enroll(hub, laptop, office="AHL", name="Laptop"):
    """What sync.client.enroll does, without the HTTPS round trip."""
    code, _exp = storage.new_code(hub.conn, office, name)
    key = P.new_signing_key()
    replica = laptop.device_id
    resp = hub.enroll({"code": code, "public_key": P.b64(P.public_bytes(key)), "replica_id": replica,
                       "name": name, "proof": P.b64(key.sign(P.enroll_proof_input(code, replica)))})
    pem = (hub.folder / tls.CERT_NAME).read_text()
    for k, v in ((C.K_URL, "https://127.0.0.1:1"), (C.K_CERT, pem), (C.K_DEVICE, resp["device_id"]),
                 (C.K_KEY, P.private_bytes(key).hex()), (C.K_OFFICE, office), (C.K_HUB, resp["hub_id"])):
        laptop.set_meta(k, v)
    return resp["device_id"]


def _hub_rows(hub, entity):
    return hub.conn.execute(f'SELECT id FROM "{entity}"').fetchall()


def test_export_import_twice_changes_nothing_the_second_time(hub, tmp_path):
    laptop = make_store(tmp_path / "laptop")
    device = enroll(hub, laptop)
    repo = Repository(laptop)
    hid = repo.save("household", {"office": "AHL", "address": "Weg 1"})
    repo.save("person", {"household_id": hid, "family_name": "Haddad", "given_names": "Rania"})
    path = tmp_path / "changes.sealed"
    summary = T.export_pending(laptop, path)
    assert summary.count == len(laptop.conn.execute(
        "SELECT * FROM changes WHERE device_id = ?", (laptop.device_id,)).fetchall())
    raw = path.read_bytes()
    assert b"Haddad" not in raw and device.encode() not in raw and (path.stat().st_mode & 0o777) == 0o600

    key = F.hub_private_key(hub.folder, hub.store)
    first = F.import_file(hub, key, path)
    assert first.device == device and first.new == summary.count and first.duplicates == 0
    assert hub.conn.execute("SELECT family_name FROM person").fetchone()[0] == "Haddad"
    again = F.import_file(hub, key, path)
    assert again.new == 0 and again.duplicates == summary.count
    assert _hub_rows(hub, "household") == [(hid,)]
    laptop.close()


def test_refusals(hub, tmp_path, monkeypatch):
    import i18n

    i18n.set_language("en")  # the messages are matched below
    laptop = make_store(tmp_path / "laptop")
    device = enroll(hub, laptop)
    Repository(laptop).save("household", {"office": "AHL"})
    path = tmp_path / "c.sealed"
    T.export_pending(laptop, path)
    key = F.hub_private_key(hub.folder, hub.store)

    # tampered ciphertext
    env = json.loads(path.read_text())
    env["ct"] = env["ct"][:20] + ("A" if env["ct"][20] != "A" else "B") + env["ct"][21:]
    (tmp_path / "tampered").write_text(json.dumps(env))
    with pytest.raises(T.SealedFileError):
        F.import_file(hub, key, tmp_path / "tampered")

    # signed by a key that is not the device's
    doc, doc_bytes, _sig = T.unpack(path.read_bytes(), key)
    cert = (hub.folder / tls.CERT_NAME).read_bytes()
    from cryptography import x509
    pub = x509.load_pem_x509_certificate(cert).public_key()
    forged = T.pack(doc["rows"], hub_public_key=pub, hub_id=doc["hub"], device_id=doc["device"],
                    replica_id=doc["replica"], signing_key=P.new_signing_key())
    (tmp_path / "forged").write_bytes(forged)
    with pytest.raises(T.SealedFileError, match="signature"):
        F.import_file(hub, key, tmp_path / "forged")

    # sealed for another hub
    other = T.pack(doc["rows"], hub_public_key=pub, hub_id="another-hub", device_id=doc["device"],
                   replica_id=doc["replica"], signing_key=P.new_signing_key())
    (tmp_path / "other").write_bytes(other)
    with pytest.raises(T.SealedFileError, match="another hub"):
        F.import_file(hub, key, tmp_path / "other")

    # not a file of ours
    (tmp_path / "junk").write_text("hello")
    with pytest.raises(T.SealedFileError):
        F.import_file(hub, key, tmp_path / "junk")

    # revoked device
    storage.revoke(hub.conn, device, "stolen")
    with pytest.raises(T.SealedFileError, match="shut out"):
        F.import_file(hub, key, path)
    assert _hub_rows(hub, "household") == []
    laptop.close()


def test_not_enrolled(tmp_path):
    laptop = make_store(tmp_path / "laptop")
    with pytest.raises(T.SealedFileError):
        T.export_pending(laptop, tmp_path / "x")
    laptop.close()


def test_commands_export_then_hub_import(hub, tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    laptop = make_store(tmp_path / "laptop")
    enroll(hub, laptop)
    Repository(laptop).save("household", {"office": "AHL", "notes": "ከተማ"})
    laptop.close()
    hub.store.close()
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": "richtig-geheim",
           storage.PASSPHRASE_ENV: "hub-geheim-123"}
    out = tmp_path / "stick" / "ahl.sealed"
    out.parent.mkdir()
    r = subprocess.run([sys.executable, "-m", "app", "--lang", "en", "export-changes", "--store",
                        str(tmp_path / "laptop"), str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.exists()
    for expect in (" 0 bereits bekannt", " 0 neu"):
        r = subprocess.run([sys.executable, "-m", "sync.hub.cli", "import", "--dir", str(hub.folder),
                            str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert expect in r.stdout
    r = subprocess.run([sys.executable, "-m", "sync.hub.cli", "import", "--dir", str(hub.folder),
                        str(tmp_path / "missing")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr.startswith("sprechstunde-hub:")
    hub.store = storage.open_store(hub.folder)  # the fixture closes it
