"""Shipped code never weakens the key derivation: no environment variable lowers Argon2id's cost.

(The test suite lowers it only inside its own process, in tests/conftest.py.)"""

import json
import os
import subprocess
import sys

from app.keyring import LOGIN, STRONG
from tests.conftest import PASSPHRASE, ROOT


def test_a_store_made_by_the_program_uses_the_strong_kdf_whatever_the_environment(tmp_path):
    env = {**os.environ, "SPRECHSTUNDE_KDF_COST": "low", "SPRECHSTUNDE_PASSPHRASE": PASSPHRASE,
           "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "app", "init", "--store", str(tmp_path / "s")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "s" / "keyring.json").read_text("utf-8"))
    assert {k: doc["login_kdf"][k] for k in LOGIN} == LOGIN  # the login hash too
    wraps = doc["wraps"]
    passphrase_wraps = [w["kdf"] for w in wraps if w["kind"] == "passphrase"]
    assert passphrase_wraps
    for kdf in passphrase_wraps:
        assert {k: kdf[k] for k in STRONG} == STRONG
