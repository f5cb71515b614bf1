"""`sprechstunde conflicts` as scripts call it: JSON list, human list, resolve, exit codes."""

import json
import os
import subprocess
import sys

from app.repository import Repository
from tests.conftest import ROOT
from tests.sync.helpers import exchange, make_store


def run(*args, passphrase="richtig-geheim"):
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": passphrase}
    return subprocess.run([sys.executable, "-m", "app", "--lang", "en", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_list_and_resolve(tmp_path):
    a, b = make_store(tmp_path / "a", login="anna"), make_store(tmp_path / "b", login="bernd")
    ra, rb = Repository(a), Repository(b)
    hid = ra.save("household", {"office": "AHL", "address": "Marktplatz 1"})
    exchange(a, b)
    ra.save("household", {"address": "Marktplatz 2"}, hid)
    rb.save("household", {"address": "شارع ١"}, hid)
    exchange(b, a)
    a.close()
    b.close()
    store = str(tmp_path / "a")

    r = run("conflicts", "--store", store, "--json")
    assert r.returncode == 0, r.stderr
    (c,) = json.loads(r.stdout)
    assert c["field"] == "address" and c["household_id"] == hid
    assert {c["current"]["value"], c["other"]["value"]} == {"Marktplatz 2", "شارع ١"}
    assert {c["current"]["staff_name"], c["other"]["staff_name"]} == {"anna", "bernd"}

    r = run("conflicts", "--store", store)
    assert r.returncode == 0 and "شارع ١" in r.stdout and c["id"] in r.stdout

    assert run("conflicts", "--store", store, "--resolve", c["id"]).returncode == 1
    r = run("conflicts", "--store", store, "--take", "other")  # without --resolve: refused, not ignored
    assert r.returncode == 1 and "--resolve" in r.stderr
    r = run("conflicts", "--store", store, "--resolve", c["id"], "--take", "other", "--value", '"x"')
    assert r.returncode == 1 and "not both" in r.stderr
    assert len(json.loads(run("conflicts", "--store", store, "--json").stdout)) == 1  # still open
    r = run("conflicts", "--store", store, "--resolve", c["id"], "--value", '"Marktplatz 2a"')
    assert r.returncode == 0, r.stderr
    assert json.loads(run("conflicts", "--store", store, "--json").stdout) == []
    r = run("conflicts", "--store", store, "--resolve", c["id"], "--take", "current")
    assert r.returncode == 1 and "not open" in r.stderr


def test_wrong_passphrase_is_a_user_error(tmp_path):
    make_store(tmp_path / "a").close()
    r = run("conflicts", "--store", str(tmp_path / "a"), passphrase="falsch-falsch")
    assert r.returncode == 1 and r.stderr.startswith("sprechstunde:")
