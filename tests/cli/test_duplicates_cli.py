"""`sprechstunde duplicates` as scripts call it: list as JSON, merge, refusal."""

import json
import os
import re
import subprocess
import sys

from app.repository import Repository
from tests.conftest import ROOT
from tests.sync.helpers import make_store


def explain_lines(text: str) -> dict[str, str]:
    """The per-field lines of `--explain` ("        birth date        +10.4  same birth date"), by field label."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^ {8}(\S.*?)\s+([+-]\d+\.\d)  (.*)$", line)
        if m:
            out[m.group(1)] = f"{m.group(2)}  {m.group(3)}"
    return out


def run(*args):
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": "richtig-geheim"}
    return subprocess.run([sys.executable, "-m", "app", "--lang", "en", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_list_and_merge(tmp_path):
    s = make_store(tmp_path / "s")
    repo = Repository(s)
    ids = []
    for fam, giv, born in (("Al-Hassan", "Mohammed", "1990-01-01"), ("Alhasan", "Muhammad", "1990-07-14"),
                           ("Tesfamariam", "Senait", "1994-05")):
        hid = repo.save("household", {"office": "AHL"})
        ids.append(repo.save("person", {"household_id": hid, "family_name": fam, "given_names": giv,
                                        "birth_date": born}))
    s.close()
    store = str(tmp_path / "s")
    r = run("duplicates", "--store", store, "--json")
    assert r.returncode == 0, r.stderr
    (cand,) = json.loads(r.stdout)
    assert {cand["person_id"], cand["other_id"]} == {ids[0], ids[1]} and cand["score"] >= 0.85
    r = run("duplicates", "--store", store, "--merge", ids[1], ids[0], "--take-away", "no_such_field")
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1  # refused whole: nothing merged
    r = run("duplicates", "--store", store, "--merge", ids[1], ids[0], "--take-away", "given_names")
    assert r.returncode == 0, r.stderr
    from app.store import Store
    from tests.sync.helpers import PASSPHRASE

    opened = Store.open(tmp_path / "s", PASSPHRASE)
    assert Repository(opened).get("person", ids[1])["given_names"] == "Mohammed"  # the merged-away spelling
    opened.close()
    assert json.loads(run("duplicates", "--store", store, "--json").stdout) == []
    r = run("duplicates", "--store", store, "--merge", ids[1], ids[0])
    assert r.returncode == 1 and r.stderr.startswith("sprechstunde:")


def test_explain_shows_every_field(tmp_path):
    s = make_store(tmp_path / "s")
    repo = Repository(s)
    for fam, giv, born in (("Schewtschenko", "Olha", "1980-03-07"), ("Shevchenko", "Olga", "1980-07-03")):
        hid = repo.save("household", {"office": "AHL"})
        repo.save("person", {"household_id": hid, "family_name": fam, "given_names": giv, "birth_date": born,
                             "sex": "f"})
    s.close()
    r = run("duplicates", "--store", str(tmp_path / "s"), "--explain")
    assert r.returncode == 0, r.stderr
    assert "birth date: day and month swapped" in r.stdout
    explained = explain_lines(r.stdout)
    assert {"family name", "given names", "birth date", "sex"} <= set(explained)  # a line per field, with bits
    assert explained["birth date"].endswith("birth date: day and month swapped")
    assert explain_lines(run("duplicates", "--store", str(tmp_path / "s")).stdout) == {}  # only with --explain
    (cand,) = json.loads(run("duplicates", "--store", str(tmp_path / "s"), "--json").stdout)
    assert {f["field"] for f in cand["fields"]} >= {"family", "given", "birth", "sex"}
