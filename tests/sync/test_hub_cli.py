"""`sprechstunde-hub` administration: init with a key file, encrypted TLS key, enroll codes, devices, revoke."""

from __future__ import annotations

import json
import os
import stat
import subprocess

from tests.sync.hubkit import PY, ROOT, hub_env


def run(*args, env):
    return subprocess.run([PY, "-m", "sync.hub.cli", *args], env=env, capture_output=True, text=True, cwd=ROOT,
                          timeout=60)


def test_init_enroll_devices_revoke_with_a_key_file(tmp_path, monkeypatch):
    keyfile = tmp_path / "hub.key"
    env = hub_env()
    env.pop("SPRECHSTUNDE_HUB_PASSPHRASE")
    env.update(SPRECHSTUNDE_HUB_KEYFILE=str(keyfile), SPRECHSTUNDE_HUB_DIR=str(tmp_path / "hub"))

    r = run("init", env=env)
    assert r.returncode == 0, r.stderr
    assert "fingerprint" in r.stdout.lower()
    assert stat.S_IMODE(os.stat(keyfile).st_mode) == 0o600
    key_pem = (tmp_path / "hub" / "hub-key.pem").read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in key_pem and stat.S_IMODE(os.stat(tmp_path / "hub" / "hub-key.pem").st_mode) == 0o600
    assert run("init", env=env).returncode == 1  # never over an existing hub
    fp = run("fingerprint", env=env).stdout.strip()
    assert fp in r.stdout and len(fp) == 95

    r = run("enroll", "--office", "ahl", "--name", "Laptop Ahlen 1", env=env)
    assert r.returncode == 0 and "Einmal gültig, bis" in r.stdout
    code = r.stdout.split(": ", 1)[1].splitlines()[0].strip()
    assert len(code.replace("-", "")) == 20
    assert run("enroll", "--office", "XXX", "--name", "x", env=env).returncode == 1

    # a laptop enrolls (through the storage API: the hub need not be serving for this check)
    from sync.hub import storage

    monkeypatch.delenv("SPRECHSTUNDE_HUB_PASSPHRASE", raising=False)
    monkeypatch.setenv("SPRECHSTUNDE_HUB_KEYFILE", str(keyfile))
    s = storage.open_store(tmp_path / "hub")
    device = storage.redeem_code(s.conn, code, b"k" * 32, "replica1", "")["device_id"]
    s.close()
    devices = json.loads(run("devices", "--json", env=env).stdout)
    assert [(d["id"], d["office"], d["name"], d["revoked_at"]) for d in devices] == [
        (device, "AHL", "Laptop Ahlen 1", None)]
    r = run("revoke", device, "--reason", "stolen", env=env)
    assert r.returncode == 0 and "ausgesperrt" in r.stdout
    assert "ausgesperrt" in run("devices", env=env).stdout and "stolen" in run("devices", env=env).stdout
    assert run("revoke", "nosuchdevice", env=env).returncode == 1

    env_wrong = dict(env, SPRECHSTUNDE_HUB_KEYFILE=str(tmp_path / "other.key"))
    (tmp_path / "other.key").write_text("a-different-secret\n")
    r = run("devices", env=env_wrong)
    assert r.returncode == 1 and r.stderr.startswith("sprechstunde-hub:")
