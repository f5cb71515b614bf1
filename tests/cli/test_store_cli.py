"""The admin CLI as scripts call it: init, import, export, check, exit codes."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DOC = {
    "format": "sprechstunde-interchange", "version": 1,
    "entities": {
        "household": [{"id": "h1", "office": "OEL", "address": "Bahnhofstraße 3, Oelde"}],
        "person": [
            {"id": "p1", "household_id": "h1", "family_name": "Tesfamariam", "given_names": "Senait",
             "family_name_orig": "ተስፋማርያም", "given_names_orig": "ሰናይት", "birth_date": "1994-05", "sex": "f",
             "languages": [{"code": "ti", "level": "native"}, {"code": "de", "level": "A2"}], "relation": "head"},
            {"id": "p2", "household_id": "h1", "family_name": "Tesfamariam", "given_names": "Dawit",
             "birth_date": "2019", "relation": "child"},
        ],
        "case": [{"id": "c1", "household_id": "h1", "person_id": "p1", "case_number": "OEL-26-AAAA-0001",
                  "office": "OEL", "rechtskreis": "SGB II", "status": "active", "opened": "2026-03-01"}],
    },
}


def run(*args, passphrase="richtig-geheim", **kw):
    env = {**os.environ, "SPRECHSTUNDE_PASSPHRASE": passphrase}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, **kw)


def test_init_import_export_roundtrip(tmp_path):
    store = str(tmp_path / "s")
    r = run("init", "--store", store)
    assert r.returncode == 0, r.stderr
    assert "Recovery" in r.stdout or "Wiederherstellung" in r.stdout
    src = tmp_path / "in.json"
    src.write_text(json.dumps(DOC, ensure_ascii=False), encoding="utf-8")
    r = run("import", str(src), "--store", store)
    assert r.returncode == 0, r.stderr
    r = run("export", "--store", store)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    staff = out["entities"].pop("staff")
    assert [s["login"] for s in staff] == ["admin"]
    assert out == DOC
    # exporting what was exported and importing it again into a new store is byte-stable
    again = tmp_path / "again.json"
    again.write_text(r.stdout, encoding="utf-8")
    store2 = str(tmp_path / "s2")
    assert run("init", "--store", store2).returncode == 0
    assert run("import", str(again), "--store", store2).returncode == 0
    out2 = json.loads(run("export", "--store", store2).stdout)
    out2["entities"].pop("staff")
    assert out2 == DOC


def test_bad_import_is_rejected_whole(tmp_path):
    store = str(tmp_path / "s")
    assert run("init", "--store", store).returncode == 0
    bad = json.loads(json.dumps(DOC))
    bad["entities"]["case"][0]["rechtskreis"] = "SGB XII"
    src = tmp_path / "bad.json"
    src.write_text(json.dumps(bad), encoding="utf-8")
    r = run("import", str(src), "--store", store)
    assert r.returncode == 1
    assert "case[0]" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    out = json.loads(run("export", "--store", store).stdout)
    assert set(out["entities"]) == {"staff"}  # nothing half-saved
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    r = run("import", str(tmp_path / "broken.json"), "--store", store)
    assert r.returncode == 1 and "JSON" in r.stderr


def test_check_reports_damage_and_wrong_passphrase(tmp_path):
    store = tmp_path / "s"
    assert run("init", "--store", str(store)).returncode == 0
    src = tmp_path / "in.json"
    src.write_text(json.dumps(DOC), encoding="utf-8")
    assert run("import", str(src), "--store", str(store)).returncode == 0
    r = run("check", "--store", str(store), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["integrity"] == "ok" and report["counts"]["person"] == 2
    assert report["schema_version"] == report["latest_version"]

    r = run("check", "--store", str(store), passphrase="ganz-falsch")
    assert r.returncode == 1 and "Traceback" not in r.stderr

    db = store / "store.db"
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 3 * page
    data[2 * page + 100: 2 * page + 164] = os.urandom(64)  # flip bytes inside a page
    db.write_bytes(bytes(data))
    r = run("check", "--store", str(store))
    assert r.returncode == 1
    assert "damaged" in r.stdout + r.stderr or "beschädigt" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_usage_errors_exit_2(tmp_path):
    r = run("import")
    assert r.returncode == 2
    r = run("check", "--store", str(tmp_path / "none"))
    assert r.returncode == 1 and "init" in r.stderr


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help(args):
    r = run(*args)
    assert r.returncode == 0 and "sprechstunde" in r.stdout
