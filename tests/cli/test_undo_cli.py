"""`sprechstunde unmerge` and `sprechstunde undo` as scripts call them; a refusal is one line, exit 1."""

import json
import os
import subprocess
import sys

from app.duplicates import merge_persons
from app.repository import Repository
from tests.conftest import ROOT
from tests.sync.helpers import make_store


def run(*args, lang="de"):
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": "richtig-geheim"}
    return subprocess.run([sys.executable, "-m", "app", "--lang", lang, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_unmerge_and_undo(tmp_path):
    s = make_store(tmp_path / "s")
    repo = Repository(s)
    hid = repo.save("household", {"office": "AHL"})
    keep = repo.save("person", {"household_id": hid, "family_name": "Alazzawi", "given_names": "Omar"})
    away = repo.save("person", {"household_id": hid, "family_name": "Alazawi", "given_names": "Omar",
                                "phone": "+49 2382 1"})
    merge_persons(repo, keep, away)
    repo.save("person", {"given_names": "Omar Khalil"}, keep)
    s.close()
    store = str(tmp_path / "s")
    (row,) = json.loads(run("unmerge", "--store", store, "--json").stdout)
    assert row["person_id"] == away and row["merged_into"] == keep
    r = run("unmerge", "--store", store, away)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ("Rückgängig gemacht. Zurückverschoben: Fälle 0, Haushaltsdatensätze 0; "
                                "wiederhergestellte Felder: 2."), r.stdout
    assert json.loads(run("unmerge", "--store", store, "--json").stdout) == []
    r = run("unmerge", "--store", store, away)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "keiner anderen" in r.stderr
    shown = json.loads(run("undo", "--store", store, "person", keep, "--show", "--json").stdout)
    assert shown["undone"] is False and shown["fields"]["phone"] == {"old": "+49 2382 1", "new": None}
    r = run("undo", "--store", store, "thing", keep)
    assert r.returncode == 1 and r.stderr.startswith("sprechstunde:")
